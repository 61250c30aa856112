"""One Dutch date grammar (core/dates.py): mentions, yearless dates resolved from context, document types.

All texts are fictional.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest

from leerwerkplaats.core import dates
from leerwerkplaats.core.cases import CaseFields, PseudonymisedCase, TaggedCase
from leerwerkplaats.handouts import case_questions, check_page, events

PACKAGE = Path(__file__).resolve().parents[1] / "leerwerkplaats"


def case(text: str, tags=()) -> TaggedCase:
    return TaggedCase(PseudonymisedCase("casus-datums", text), tuple(tags), CaseFields("D"))


def by_surface(text: str) -> dict[str, dates.ResolvedDate]:
    return {r.mention.surface: r for r in dates.resolve(text)}


# ---------------------------------------------------------------- the grammar
@pytest.mark.parametrize(("surface", "form", "day", "month", "year"), [
    ("12-03-2023", "numeric", 12, 3, 2023),
    ("26/11", "numeric", 26, 11, None),
    ("3-4-'22", "numeric", 3, 4, 2022),
    ("24 februari", "written", 24, 2, None),
    ("di 23 april 2024", "written", 23, 4, 2024),
    ("maandag 3 maart", "written", 3, 3, None),
    ("2024-03-12", "iso", 12, 3, 2024),
    ("1e sept. '21", "written", 1, 9, 2021),
])
def test_one_grammar_parses_every_notation(surface, form, day, month, year):
    m = dates.parse(surface)
    assert (m.form, m.day, m.month, m.year, m.has_year) == (form, day, month, year, year is not None)


def test_mentions_in_running_text_carry_offsets_and_notation():
    text = "Verzonden: dinsdag 12 maart 2024 10:14\nWe zien elkaar op 26/11 en op 3 jan. om 10.00 uur."
    found = dates.find(text)
    assert [text[m.start:m.end] for m in found] == ["dinsdag 12 maart 2024", "26/11", "3 jan."]
    assert [m.surface for m in found] == ["dinsdag 12 maart 2024", "26/11", "3 jan."]
    assert found[0].parts["wd"] == "dinsdag" and found[1].parts["s1"] == "/"


@pytest.mark.parametrize("not_a_date", ["om 10.45 uur", "31/2", "99-99-2020", "zie map/12-3"])
def test_things_that_are_no_date(not_a_date):
    assert dates.find(not_a_date) == []


# ---------------------------------------------------------------- yearless dates
def test_yearless_date_two_days_after_a_dated_meeting_takes_that_year():
    # the second date of the line is the nearest dated context, not the first
    text = ("Terugblik 15 februari 2022: het MDO van 24 november 2021 was het laatste overleg.\n"
            "Op 26/11 stuurde de gezinsvoogd het verslag van het MDO naar moeder.\n")
    r = by_surface(text)["26/11"]
    assert (r.date, r.sure) == (dt.date(2021, 11, 26), True)
    evs = {e.surface: e for e in events.events(case(text))}
    assert evs["26/11"].date == dt.date(2021, 11, 26) and evs["26/11"].sure


def test_yearless_february_in_a_file_from_autumn_into_the_next_year():
    text = ("Aanmelding bij het wijkteam op 14 oktober 2021 door school.\n"
            "Op 3 december 2021 was er een huisbezoek bij moeder thuis.\n"
            "Op 24 februari belde moeder dat het thuis weer onrustig was.\n")
    assert by_surface(text)["24 februari"].date == dt.date(2022, 2, 24)
    evs = events.events(case(text))
    assert [e.date for e in evs][-1] == dt.date(2022, 2, 24)
    assert events.span_days(evs) == (dt.date(2022, 2, 24) - dt.date(2021, 10, 14)).days


def test_december_to_january_wraps_into_the_next_year():
    text = ("Op 18-12-2022 meldde de politie een incident in het gezin.\n"
            "Op 9/1 volgde een gesprek met vader en moeder samen.\n"
            "Op di 17 jan. zag de jeugdverpleegkundige het kind op het consultatiebureau.\n")
    r = by_surface(text)
    assert r["9/1"].date == dt.date(2023, 1, 9) and r["9/1"].sure
    assert r["di 17 jan."].date == dt.date(2023, 1, 17)


def test_text_that_looks_back_puts_the_date_before_its_context():
    text = "Verzonden: vrijdag 10 maart 2023 09:00\nZoals besproken op 28/2 jl. stuur ik het plan.\n"
    assert by_surface(text)["28/2"].date == dt.date(2023, 2, 28)


def test_a_weekday_decides_the_year():
    text = "Datum: 15-11-2022\nHet volgende overleg is op wo 8 maart.\n"
    assert by_surface(text)["wo 8 maart"].date == dt.date(2023, 3, 8)


def test_a_yearless_date_without_dated_context_stays_unsure():
    text = "Op 24 februari belde moeder met de leerkracht over het verzuim van het kind.\n"
    r = by_surface(text)["24 februari"]
    assert r.sure is False


def test_a_date_of_birth_is_no_context():
    text = ("Op 12 mei 2023 meldde school dat het kind niet kwam; kind geboren 03-02-2015.\n"
            "Op 24/5 belde moeder terug.\n")
    assert by_surface(text)["24/5"].date == dt.date(2023, 5, 24)


# ---------------------------------------------------------------- handouts
UNSURE = """Op 24 februari belde moeder met de leerkracht over het verzuim van het kind.
Op 2 mei 2023 meldde school opnieuw dat het kind niet kwam.
Op 20 september 2023 besprak het wijkteam het gezin in een overleg met de GI.
"""


def test_an_unsure_date_says_datum_onzeker_and_gives_no_interval():
    tagged = case(UNSURE)
    evs = events.events(tagged)
    unsure = [e for e in evs if not e.sure]
    assert [e.surface for e in unsure] == ["24 februari"]
    assert events.when(unsure[0]) == "24 februari (datum onzeker)"
    assert events.span_days(evs) == (dt.date(2023, 9, 20) - dt.date(2023, 5, 2)).days
    facts = {f.fact: f.value for f in check_page.date_facts(tagged)}
    assert facts["24 februari"] == "datum onzeker"


def test_the_interval_question_never_uses_an_unsure_date():
    text = ("Op 24 februari belde moeder met de leerkracht over het verzuim van het kind.\n"
            "Op 2 november 2023 meldde school opnieuw dat het kind niet kwam.\n"
            "Op 20 november 2023 besprak het wijkteam het gezin in een overleg met de GI.\n")
    tagged = case(text)
    timeline = [q for q in case_questions.case_questions(tagged) if "dagen" in q.ask]
    assert len(timeline) == 1
    assert "2 november 2023" in timeline[0].ask and "20 november 2023" in timeline[0].ask
    assert "februari" not in timeline[0].ask + timeline[0].text + timeline[0].answer
    gap = events.largest_gap(events.events(tagged))
    assert gap is not None and all(e.sure for e in gap)


MDO = """VERSLAG MDO gezin Visser
Datum: 24-11-2021
Aanwezig: gezinsvoogd, jeugdarts, mentor

Het MDO d.d. 24-11-2021 besprak de zorgen over het verzuim van Sem.
"""


def test_a_report_date_is_not_called_a_mail():
    evs = events.events(case(MDO))
    first = next(e for e in evs if e.line == 2)
    assert "Mail" not in first.what
    assert first.what == "Verslag: VERSLAG MDO gezin Visser"
    assert [r.kind for r in dates.resolve(MDO)] == ["rapport", "overleg"]


def test_a_mail_header_is_a_mail():
    text = "Van: A. de Wit <a.dewit@wijkteam-oost.nl>\nAan: B. Smit\nVerzonden: dinsdag 12 maart 2024 10:14\n"
    assert [r.kind for r in dates.resolve(text)] == ["mail"]


# ---------------------------------------------------------------- one place for the month names
_MONTH_WORD = re.compile(
    r"(?i)\b(?:januari|februari|maart|april|juni|juli|augustus|september|oktober|november|december|"
    r"jan|feb|febr|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec)\b")


def test_no_month_list_outside_the_date_grammar():
    # a module that names three or more months in its code (not its docs) holds its own month list
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "core" / "dates.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = {id(n.body[0].value) for n in ast.walk(tree)
                if isinstance(n, ast.Module | ast.FunctionDef | ast.ClassDef) and n.body
                and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        words = [w.lower() for n in ast.walk(tree)
                 if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs
                 for w in _MONTH_WORD.findall(n.value)]
        if len(set(words)) >= 3:
            bad.append(f"{path.relative_to(PACKAGE)}: {sorted(set(words))}")
    assert bad == []


# ---------------------------------------------------------------- found on the sample corpora
def test_a_time_or_a_paragraph_number_is_no_yearless_date():
    assert dates.find("buren belden 112 om 02.10 uur.\n2.1. De rechtbank oordeelt") == []


def test_a_weekday_on_the_line_before_is_no_part_of_the_date():
    assert [m.surface for m in dates.find("Tot vrijdag.\n14/06/2024, 08:12 - ok ik kom")] == ["14/06/2024"]


def test_a_letter_date_is_labelled_with_its_subject_and_a_report_with_its_title():
    letter = "Wijkteam Oost\n\nOns kenmerk: WT-1\nDatum: 3 november 2022\nBetreft: afsluiting begeleiding\n\nBeste ouders,\n"
    report = "VERSLAG NETWERKBERAAD gezin De Vries\nJB Noord - team Oost\n\nDatum: woensdag 11 oktober 2023\n"
    assert events.events(case(letter))[0].what == "Brief: afsluiting begeleiding"
    assert events.events(case(report))[0].what == "Verslag: VERSLAG NETWERKBERAAD gezin De Vries"
