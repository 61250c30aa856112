"""Dated event timeline, regie, case questions with line references, vignette, and chart geometry."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from test_handouts_fixtures import tagged_case

from leerwerkplaats.core.cases import CaseFields, PseudonymisedCase, Tag, TaggedCase
from leerwerkplaats.handouts import case_questions, charts, events, layout, view

MAILS = """Van: Marloes ter Horst <m.terhorst@wijkteam-noord.nl>
Aan: Amrani, Youssef <y.amrani@jbwest.nl>
Verzonden: dinsdag 7 maart 2023 09:14
Onderwerp: sparren gezin - aansluiten mogelijk?

Hoi Youssef, ik loop vast met dit gezin. Mw. is geboren op 03-02-1985.

------------------------------------------------------------

Van: Youssef Amrani <y.amrani@jbwest.nl>
Aan: Marloes ter Horst
Verzonden: woensdag 8 maart 2023 16:41
Onderwerp: RE: sparren gezin

Hoi Marloes, jij houdt de regie, ik loop mee. Past di 21/3 om 10.00 uur?

------------------------------------------------------------

VERSLAG
Op 2 juni 2023 sprak de politie met vader na een incident.
Op 12-04-2023 meldde school dat Lotte niet meer kwam.
Per 1 juli ligt de regie bij de gezinsvoogd.
Pagina 1/2
"""


def case(text: str = MAILS, tags=()) -> TaggedCase:
    return TaggedCase(PseudonymisedCase("mails", text), tuple(tags), CaseFields("D"))


def test_events_are_ordered_by_date_not_by_line():
    evs = events.events(case())
    dates = [e.date for e in evs]
    assert dates == sorted(dates)
    assert [e.line for e in evs] != sorted(e.line for e in evs)  # school (line 21) before police (line 20)
    assert dates[0] == dt.date(2023, 3, 7) and dt.date(2023, 3, 21) in dates  # "di 21/3" takes 2023
    assert dt.date(1985, 2, 3) not in dates  # a date of birth is no event


def test_events_say_who_acted():
    evs = {e.date: e for e in events.events(case())}
    assert evs[dt.date(2023, 3, 7)].who.startswith("Lokaal team")  # the sender of the mail
    assert evs[dt.date(2023, 3, 8)].who.startswith("Gecertificeerde")  # read from the mail domain
    assert evs[dt.date(2023, 6, 2)].who == "Politie"
    assert evs[dt.date(2023, 4, 12)].who == "School"
    assert evs[dt.date(2023, 3, 7)].what == "Mail: sparren gezin - aansluiten mogelijk?"


def test_regie_holders_and_the_change():
    steps = events.regie(case())
    assert [s.holder.split(" ")[0] for s in steps] == ["Lokaal", "Gecertificeerde"]  # "jij" = the addressee
    assert [s.changed for s in steps] == [False, True]
    assert steps[1].line == MAILS.split("\n").index("Per 1 juli ligt de regie bij de gezinsvoogd.") + 1


def test_page_marks_of_a_source_pdf_are_not_case_text():
    assert layout.classify("Pagina 1/2")[0] == "paginavoet"
    assert layout.classify("pagina 3 van 5")[0] == "paginavoet"
    assert layout.classify("Op pagina 3 staat het plan.")[0] == "tekst"


def _all_line_refs(text: str) -> list[int]:
    refs = []
    for m in re.finditer(r"[Rr]egels? ((?:\d+(?:, )?)+)", text):
        refs += [int(n) for n in m.group(1).split(", ") if n]
    return refs


@pytest.mark.parametrize("tagged", [tagged_case(), case()], ids=["fixture", "mails"])
def test_questions_cite_existing_lines(tagged):
    qs = case_questions.case_questions(tagged)
    n_lines = tagged.case.text.count("\n") + 1
    assert 3 <= len(qs) <= case_questions.MAX_CASE_QUESTIONS
    cited = [n for q in qs for n in q.lines] + [n for q in qs for n in _all_line_refs(q.text + " " + q.answer)]
    assert cited and all(1 <= n <= n_lines for n in cited)
    assert all(q.answer for q in qs)


def test_questions_follow_this_cases_tags():
    qs = case_questions.case_questions(tagged_case())
    topics = [q.topic for q in qs]
    assert topics[0] == "Zorgen" and "Ontkrachte zorg" in topics and "Regie" in topics
    first = qs[0]
    violence_line = 5
    assert first.lines == (violence_line,) and "fysiek geweld" in first.answer.lower()
    other = case_questions.case_questions(case())
    assert [q.text for q in other] != [q.text for q in qs]


def test_regie_change_question_and_time_gap_question():
    qs = {q.topic: q for q in case_questions.case_questions(case())}
    assert "de regie gaat over" in qs["Regie"].text and "gecertificeerde" in qs["Regie"].answer.lower()
    assert "dagen" in qs["Tijdlijn"].text


def test_vignette_frames_the_case_without_tags():
    tagged = tagged_case()
    v = case_questions.vignette(tagged, events.events(tagged))
    assert v["regels"] == tagged.case.text.count("\n") + 1 and v["opening"]
    assert "verslagen met kopjes" in v["bronnen"]
    assert not any(name in str(v) for name in ("Fysiek geweld", "Route D"))


def _circles(svg) -> list[tuple[float, float, float]]:
    root = ET.fromstring(str(svg))
    return [(float(c.get("cx")), float(c.get("cy")), float(c.get("r"))) for c in root.iter()
            if c.tag.endswith("circle") and c.get("class") == "mark"]  # not the marks of the legend


def test_event_marks_never_overlap_and_sit_on_a_time_axis():
    d = dt.date(2023, 1, 1)
    evs = [events.Event(d + dt.timedelta(days=k), i + 1, "x", (), "", "") for i, k in
           enumerate([0, 0, 1, 2, 3, 40, 41, 200, 365])]
    marks = _circles(charts.event_timeline(evs))
    assert len(marks) == len(evs)
    for i, (x1, y1, r1) in enumerate(marks):
        for x2, y2, r2 in marks[i + 1:]:
            assert (x1 - x2) ** 2 + (y1 - y2) ** 2 >= (r1 + r2) ** 2
    xs = [x for x, _, _ in marks]
    assert xs == sorted(xs)
    # real time: 40 days is about 40/365 of the axis from the start
    assert abs((xs[5] - xs[0]) / (xs[-1] - xs[0]) - 40 / 365) < 0.01


def test_session_timeline_marks_never_overlap():
    svg = charts.session_timelines([("a", {"bouwsteen:signalering": 0.10, "bouwsteen:melding_veilig_thuis": 0.11,
                                           "bouwsteen:maatregel": 0.115, "bouwsteen:opschaling": 0.9})])
    marks = _circles(svg)
    for i, (x1, y1, r1) in enumerate(marks):
        for x2, y2, r2 in marks[i + 1:]:
            assert (x1 - x2) ** 2 + (y1 - y2) ** 2 >= (r1 + r2) ** 2


def test_bar_chart_labels_fit_left_of_the_bars():
    long = "Seksueel misbruik / grensoverschrijdend gedrag"
    svg = charts.bar_chart([(long, 2), ("Kort", 1)], 4, "t")
    root = ET.fromstring(str(svg))
    for t in (t for t in root.iter() if t.tag.endswith("text") and t.get("text-anchor") == "end"):
        assert float(t.get("x")) - charts.text_width(t.text) >= 0, t.text
    steps = view.block_steps(tagged_case())
    root = ET.fromstring(str(charts.block_timeline(steps)))
    for t in (t for t in root.iter() if t.tag.endswith("text") and t.get("text-anchor") == "end" and t.get("x") != "0"):
        if float(t.get("x")) < 200:
            continue
        assert float(t.get("x")) - charts.text_width(t.text) >= 0, t.text


def test_tagged_event_is_filled_in_the_chart():
    tagged = case(tags=[Tag(MAILS.index("Op 2 juni"), MAILS.index("incident.") + 9, "bouwsteen:signalering", 0.9)])
    evs = events.events(tagged)
    police = next(e for e in evs if e.who == "Politie")
    assert police.labels == ("Signalering",)


@pytest.mark.parametrize("years", [0, 1, 5, 45, 300])
def test_time_axis_ticks_for_any_span(years):
    first = dt.date(1700, 1, 1) if years == 300 else dt.date(1980, 5, 3)
    last = first + dt.timedelta(days=365 * years + 3)
    ticks = charts._ticks(first, last)
    assert len(ticks) <= 9 and all(first <= d <= last for d, _ in ticks)


def test_dates_of_birth_and_old_background_are_no_events():
    text = ("| Dennis | vader | 05-01-1988 |\nIn 2001 (12-03-2001) verhuisde het gezin.\n"
            "Op 3 april 2024 meldde school zorgen.\nOp 10-04-2024 volgde een huisbezoek.\n")
    assert [e.date.year for e in events.events(case(text))] == [2024, 2024]


def test_session_milestones_are_days_after_the_first_date():
    from leerwerkplaats.handouts import session

    text = MAILS
    start, end = text.index("Op 12-04-2023"), text.index("niet meer kwam.") + 15
    reg = text.index("Per 1 juli")
    tagged = case(text, [Tag(start, end, "bouwsteen:signalering", 0.9),
                         Tag(reg, reg + 20, "bouwsteen:maatregel", 0.9)])
    days = session.milestone_days(tagged)
    assert days == {"bouwsteen:signalering": (dt.date(2023, 4, 12) - dt.date(2023, 3, 7)).days,
                    "bouwsteen:maatregel": (dt.date(2023, 7, 1) - dt.date(2023, 3, 7)).days}


def test_regie_holder_is_the_partner_named_nearest_before_regie():
    text = "Veilig Thuis draagt de casus per 20 oktober over aan het JGT, dat de regie houdt op het plan.\n"
    assert [s.holder for s in events.regie(case(text))] == ["Lokaal team (JGT / wijkteam)"]
