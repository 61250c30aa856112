"""Session overview, questions, layout and charts."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from test_handouts_fixtures import tagged_case

from leerwerkplaats.handouts import Renderer, charts, layout, questions, session, view


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8, 40])
def test_time_plan_stays_between_90_and_120_minutes(n):
    plan = session.time_plan(n)
    total = sum(p["minuten"] for p in plan)
    assert 90 <= total <= 120
    assert plan[0]["van"] == "0:00"


def test_cross_tables_split_columns_to_fit_a_page():
    cases = [tagged_case(name=f"c{i}") for i in range(session.COLUMNS_PER_TABLE + 2)]
    tables = session.cross_tables(cases)
    assert [len(t["cases"]) for t in tables["triggers"]] == [session.COLUMNS_PER_TABLE, 2]
    blocks = tables["blocks"][0]["rows"]
    assert [r["name"] for r in blocks][0] == "Signalering" and len(blocks) == 19


def test_session_html_has_sections_charts_and_monitoring():
    cases = [tagged_case(name="a"), tagged_case(name="b")]
    files, _ = Renderer.build().session_files(cases, ("html",), failed=1)
    html = files["sessie.html"].decode()
    for expected in ("Gekozen casussen", "Tijdsplan", "Signalen per casus", "Bouwstenen per casus",
                     "Systeemcondities", "Financiering", "Monitoringsblad casus a", "Monitoringsblad casus b",
                     "Doel en wijze van betrokkenheid van de GI", "Hoe waardeerde het gezin"):
        assert expected in html
    assert html.count("<svg") == 1  # with at most four cases the counts are bars inside the tables
    assert html.count('class="balk"') > 0
    assert "1 bestand kon niet veilig" in html


def test_conditions_name_the_cases_that_point_at_them():
    found = {c["id"]: c["evidence"] for c in session.conditions([tagged_case(name="a")], questions.load())}
    assert any("Route D: casus a" in e for e in found["financiering"])
    assert found["capaciteit"] == []


def test_svg_is_well_formed_and_escaped():
    svg = charts.bar_chart([("<x> & y", 2)], 3, "titel <t>")
    root = ET.fromstring(str(svg))
    assert root.tag.endswith("svg") and "&lt;x&gt; &amp; y" in str(svg)
    steps = view.block_steps(tagged_case())
    ET.fromstring(str(charts.block_timeline(steps)))
    ET.fromstring(str(charts.session_timelines([("a&b", {"bouwsteen:maatregel": 0.5})])))


def test_discussion_questions_follow_route_and_triggers():
    qs = questions.discussion(tagged_case(), questions.load())
    reasons = [r for r, _ in qs]
    assert reasons[0] == "Route D"
    assert "Fysiek geweld tegen kind" in reasons
    assert len(qs) <= questions.MAX_QUESTIONS


def test_questions_file_rejects_unknown_trigger(tmp_path):
    path = tmp_path / "v.toml"
    path.write_text('[deelnemers]\nvragen = ["a"]\n[trigger.bestaat_niet]\nvragen = ["b"]\n', encoding="utf-8")
    with pytest.raises(Exception, match="unknown trigger"):
        questions.load(path)


@pytest.mark.parametrize(("line", "kind"), [
    ("VERSLAG HUISBEZOEK - gezin Bakker", "kop"),
    ("1. Aanleiding", "kop"),
    ("Verzonden: dinsdag 7 maart 2023 09:14", "datum"),
    ("Op 21-03-2023 zijn we op huisbezoek geweest.", "datum"),
    ("12 maart 2023: gesprek met moeder", "datum"),
    ("Onderwerp: verslag", "onderwerp"),
    ("Van: iemand", "meta"),
    ("------------------", "scheiding"),
    ("Moeder werkt goed mee.", "tekst"),
    ("", "leeg"),
])
def test_line_classification(line, kind):
    assert layout.classify(line)[0] == kind
