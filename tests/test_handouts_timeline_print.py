"""Timelines for print (issue 18, item 5): readable labels, month ticks, date order, a legend, no collisions.

A chart is placed at its own width when it fits the A4 text column
(170 mm = 642 CSS px) and scaled down when wider, so the printed size of a
label is its font size × min(1, 642 / width) × 0.75 pt.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from test_handouts_fixtures import library

from leerwerkplaats.core.cases import CaseFields, PseudonymisedCase, Tag, TaggedCase
from leerwerkplaats.handouts import charts, events, session, weergave

COLUMN_PX = 642
NS = "{http://www.w3.org/2000/svg}"


def _texts(svg) -> tuple[ET.Element, list[tuple[float, float, float, float, str]]]:
    """The root and every text's box (left, right, top, bottom) and content, sizes from the estimate."""
    root = ET.fromstring(str(svg))
    base = float(root.get("font-size"))
    boxes = []
    for t in root.iter(f"{NS}text"):
        size = float(t.get("font-size") or base)
        x, y, w = float(t.get("x")), float(t.get("y")), charts.text_width(t.text, size)
        left = {"end": x - w, "middle": x - w / 2}.get(t.get("text-anchor"), x)
        boxes.append((left, left + w, y - 0.75 * size, y + 0.2 * size, t.text))
    return root, boxes


def _printed_pt(root) -> float:
    scale = min(1.0, COLUMN_PX / float(root.get("width")))
    base = float(root.get("font-size"))
    sizes = [float(t.get("font-size") or base) for t in root.iter(f"{NS}text")]
    return min(sizes) * scale * 0.75


def _session_svg():
    rows = [("Casus 001", {"bouwsteen:signalering": 0.0, "bouwsteen:melding_veilig_thuis": 0.05,
                           "bouwsteen:opschaling": 0.06, "bouwsteen:maatregel": 1.0}),
            ("Casus 002", {"bouwsteen:samen_optrekken_gi": 0.3, "bouwsteen:afschaling_nazorg": 0.8}),
            ("Casus 003 (geen data)", {})]
    return charts.session_timelines(rows, "t", ("dag 0: eerste datum", "dag 266"), 266)


def _event_svg(trainer: bool):
    d = dt.date(2023, 1, 1)
    evs = [events.Event(d + dt.timedelta(days=k), i + 1, "x", ("Signalering",) if i % 2 else (), "", "")
           for i, k in enumerate([0, 0, 1, 2, 3, 40, 41, 120, 200, 266])]
    return charts.event_timeline(evs, "t", trainer=trainer)


CHARTS = {"session": _session_svg, "events-trainer": lambda: _event_svg(True),
          "events-participants": lambda: _event_svg(False)}


@pytest.mark.parametrize("which", CHARTS)
def test_labels_print_at_8_pt_or_more(which):
    root, _ = _texts(CHARTS[which]())
    assert _printed_pt(root) >= 8


@pytest.mark.parametrize("which", CHARTS)
def test_no_label_overlaps_another_or_touches_a_mark(which):
    root, boxes = _texts(CHARTS[which]())
    marks = [(float(c.get("cx")), float(c.get("cy")), float(c.get("r"))) for c in root.iter(f"{NS}circle")]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            inside_a_mark = any(abs((a[0] + a[1]) / 2 - cx) < 1 and a[0] >= cx - r for cx, _, r in marks) or any(
                abs((b[0] + b[1]) / 2 - cx) < 1 and b[0] >= cx - r for cx, _, r in marks)
            if inside_a_mark:
                continue
            overlap = a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]
            assert not overlap, f"{a[4]!r} overlaps {b[4]!r}"
        for cx, cy, r in marks:
            if abs((a[0] + a[1]) / 2 - cx) < 1:  # the letter or number inside its own mark
                continue
            nearest_x = min(max(cx, a[0]), a[1])
            nearest_y = min(max(cy, a[2]), a[3])
            assert (nearest_x - cx) ** 2 + (nearest_y - cy) ** 2 >= (r + 2) ** 2, f"{a[4]!r} touches a mark"


def test_session_axis_has_month_ticks_and_a_legend():
    _, boxes = _texts(_session_svg())
    words = [b[4] for b in boxes]
    assert sum(1 for w in words if w.endswith(" mnd")) >= 4  # 266 days: about eight months
    for label, _, _ in charts.MILESTONES:
        assert weergave.data()["grafiek"]["mijlpalen"][label] in words


def test_event_timeline_has_month_ticks_and_a_legend():
    _, boxes = _texts(_event_svg(True))
    words = [b[4] for b in boxes]
    assert sum(1 for w in words if w.endswith(" 2023") and len(w.split()) == 2) >= 4
    assert any("gemarkeerde" in w for w in words)


TEXT = """VERSLAG
Op 3 januari 2023 meldde school zorgen over Sem.
Op 20 januari 2023 deed het lokale team een melding bij Veilig Thuis.
Op 1 maart 2023 is een verzoek tot onderzoek bij de Raad gedaan.
Evaluatie 1 mei 2023
Terugblik: de melding bij Veilig Thuis van 20 januari 2023 leidde tot het verzoek tot onderzoek.
"""


def test_milestones_are_drawn_in_date_order():
    """A Veilig Thuis report mentioned again after the escalation it led to stays before it."""
    def tag(needle: str, label: str) -> Tag:
        start = TEXT.index(needle)
        return Tag(start, start + len(needle), label, 0.9)

    late = "Terugblik: de melding bij Veilig Thuis van 20 januari 2023 leidde tot het verzoek tot onderzoek."
    case = TaggedCase(PseudonymisedCase("c", TEXT), (
        tag("Op 3 januari 2023 meldde school zorgen over Sem.", "bouwsteen:signalering"),
        tag("Op 1 maart 2023 is een verzoek tot onderzoek bij de Raad gedaan.", "bouwsteen:opschaling"),
        tag(late, "bouwsteen:melding_veilig_thuis")), CaseFields("D"))
    days = session.milestone_days(case)
    assert days["bouwsteen:signalering"] < days["bouwsteen:melding_veilig_thuis"] < days["bouwsteen:opschaling"]
    assert days["bouwsteen:melding_veilig_thuis"] == 17


@pytest.mark.slow  # PDF layout
def test_session_overview_timeline_prints_large_enough_in_the_pdf():
    """The session PDF: the smallest text of the timeline chart is at least 8 pt on paper."""
    pytest.importorskip("weasyprint")
    import io

    from pypdf import PdfReader

    from leerwerkplaats.handouts import Renderer

    files, _ = Renderer.build().session_files(library(), ("pdf",))
    sizes: list[float] = []

    def visit(text, cm, tm, font, size):
        if text.strip() in {"S", "V", "G", "O", "M", "N"}:  # the letters in the marks of the timeline
            sizes.append(size * (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5)

    for page in PdfReader(io.BytesIO(files["sessie.pdf"])).pages:
        page.extract_text(visitor_text=visit)
    assert sizes and min(sizes) >= 8  # 11 CSS px: 8.25 pt


def test_a_stack_of_marks_lies_in_the_band_of_its_own_case():
    """Marks on one day stack upward; a band behind every other row shows which case they belong to."""
    rows = [("Casus 001", {"bouwsteen:signalering": 0.0, "bouwsteen:maatregel": 1.0}),
            ("Casus 002", {"bouwsteen:signalering": 0.0, "bouwsteen:melding_veilig_thuis": 0.0,
                           "bouwsteen:samen_optrekken_gi": 0.0, "bouwsteen:opschaling": 0.0}),
            ("Casus 003", {"bouwsteen:signalering": 0.0, "bouwsteen:melding_veilig_thuis": 0.0,
                           "bouwsteen:opschaling": 0.0, "bouwsteen:maatregel": 0.0})]
    root = ET.fromstring(str(charts.session_timelines(rows, "t", ("dag 0", "dag 100"), 100)))
    bands = [(float(r.get("y")), float(r.get("y")) + float(r.get("height")))
             for r in root.iter(f"{NS}rect") if r.get("class") == "band"]
    assert len(bands) == 2  # rows 1 and 3
    marks = [float(c.get("cy")) for c in root.iter(f"{NS}circle") if c.get("class") == "mark"]
    first, third = bands
    assert sum(first[0] <= y <= first[1] for y in marks) == 2
    assert sum(third[0] <= y <= third[1] for y in marks) == 4  # the whole stack of casus 003
    between = [y for y in marks if first[1] < y < third[0]]
    assert len(between) == 4  # casus 002's stack stays between the two bands
