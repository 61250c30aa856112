"""Layout defects of the PDF handouts, one test each, on text extracted with pypdf.

The cases are records of the fictional sample corpus with their gold tags,
taken as pseudonymised text (as ``handouts`` does with a prediction file).
PDF layout takes seconds, so each document is rendered once per module.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from conftest import SAMPLE  # noqa: E402  (tests/ is on the path)
from pypdf import PdfReader

from leerwerkplaats.core.cases import PseudonymisedCase
from leerwerkplaats.core.codec import decode
from leerwerkplaats.handouts import Renderer, choose, weergave

pytestmark = pytest.mark.slow  # every test lays out a PDF

RUNNING = re.compile(r"^(?:Casus \S+|Sessie.*|Vertrouwelijk|Handout voor .*|Overzicht voor de trainer|pagina \d+ van \d+)$")


def _gold_cases():
    out = []
    for line in (SAMPLE / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            # fictional gold text, vouched for as a fixture (real records carry the marker from the pseudonymiser)
            out.append(decode({**json.loads(line), "pseudonymised": True}, model="gouden labels"))
    return out


@pytest.fixture(scope="module")
def cases():
    return _gold_cases()


@pytest.fixture(scope="module")
def renderer():
    return Renderer.build()


def pages(data: bytes) -> list[list[str]]:
    """Per page the lines of text, the running header and footer left out."""
    out = []
    for page in PdfReader(io.BytesIO(data)).pages:
        lines = [ln.strip() for ln in page.extract_text().split("\n") if ln.strip()]
        out.append([ln for ln in lines if not RUNNING.match(ln)])
    return out


@pytest.fixture(scope="module")
def session_pdf(cases, renderer):
    picks = choose.choose(cases, 4)
    files, _ = renderer.session_files([p.case for p in picks], ("pdf",), reasons=[p.reason for p in picks],
                                      theme=())
    return files["sessie.pdf"], picks


@pytest.fixture(scope="module")
def trainer_pdf(cases, renderer):
    longest = max(cases, key=lambda c: len(c.tags))  # the most tags: the longest trainer handout
    files, _ = renderer.case_files(longest, ("pdf",), ("trainer",))
    return files["trainer.pdf"]


def test_session_of_four_cases_fits_eight_pages_and_names_them(session_pdf):
    data, picks = session_pdf
    text = pages(data)
    assert len(text) <= 8
    flat = "\n".join("\n".join(p) for p in text)
    for p in picks:
        assert weergave.case_title(p.case.case.name) in flat  # "Casus 050", never "casus-050" (issue 18)
    assert flat.count("Monitoringsblad casus") == 4


def test_each_monitoring_sheet_is_one_page(session_pdf):
    text = pages(session_pdf[0])
    starts = [i for i, p in enumerate(text) if any(ln.startswith("Monitoringsblad casus") for ln in p)]
    assert len(starts) == 4
    assert starts == list(range(len(text) - 4, len(text)))  # the last four pages, one each


def test_table_headers_are_not_broken_inside_a_word(session_pdf):
    flat = "\n".join("\n".join(p) for p in pages(session_pdf[0]))
    assert "Casussen" in flat
    assert not re.search(r"Casus{1,2}e?\n", flat)  # "Casusse / n" was the defect


@pytest.mark.parametrize("which", ["session", "trainer"])
def test_no_page_holds_only_a_heading_and_no_last_page_is_nearly_empty(which, session_pdf, trainer_pdf):
    data = session_pdf[0] if which == "session" else trainer_pdf
    text = pages(data)
    for number, lines in enumerate(text, start=1):
        assert sum(len(ln) for ln in lines) > 120, f"page {number} holds only {lines}"


def test_trainer_handout_has_timeline_regie_and_answer_key(trainer_pdf):
    flat = "\n".join("\n".join(p) for p in pages(trainer_pdf))
    for expected in ("Tijdlijn", "Wat gebeurde er", "Regie: wie had die", "antwoordsleutel", "Sleutel:"):
        assert expected in flat, expected


def test_page_numbers_of_a_source_pdf_stay_out_of_the_case_text(cases, renderer):
    case = cases[0]
    lines = case.case.text.split("\n")
    middle = len(lines) // 2
    text = "\n".join(lines[:middle] + ["Pagina 1/2"] + lines[middle:])
    shift = len("Pagina 1/2") + 1
    cut = sum(len(ln) + 1 for ln in lines[:middle])
    moved = tuple(t.__class__(t.start + shift if t.start >= cut else t.start, t.end + shift if t.end > cut else t.end,
                              t.label, t.score, t.cues) for t in case.tags)
    tagged = case.__class__(PseudonymisedCase(case.case.name, text), moved, case.fields, (), case.model)
    files, _ = renderer.case_files(tagged, ("pdf", "html"), ("deelnemers",))
    flat = "\n".join("\n".join(p) for p in pages(files["deelnemers.pdf"]))
    assert "Pagina 1/2" not in flat and "Pagina 1/2" not in files["deelnemers.html"].decode()
    # the line keeps its number: the next line is numbered one higher than without it
    assert f'id="r{middle + 2}"' in files["deelnemers.html"].decode()
