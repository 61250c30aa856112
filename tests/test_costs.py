"""Indicative costs: the tariffs file and the mapping rule of costs.py."""

from __future__ import annotations

import dataclasses

import pytest

from leerwerkplaats.core.cases import CaseFields, PseudonymisedCase, Tag, TaggedCase
from leerwerkplaats.core.errors import LeerwerkplaatsError
from leerwerkplaats.handouts import costs


def _case(text: str = "Niets.", route: str = "C", gi: tuple[str, ...] = (), measure: str | None = None) -> TaggedCase:
    tags = ()
    if measure:
        text = f"{text}\n{measure}"
        tags = (Tag(text.index(measure), len(text), "bouwsteen:maatregel", 0.9),)
    fields = CaseFields(clientroute=route, gi_inzet=gi)
    return TaggedCase(PseudonymisedCase("c", text), tags, fields)


@pytest.fixture(scope="module")
def tariffs():
    return costs.load_tariffs()


def test_shipped_tariffs_have_source_and_year(tariffs):
    # the one place the published Groningen 2016 figures are checked against the shipped file
    assert set(costs.REQUIRED_IDS) <= set(tariffs)
    for t in tariffs.values():
        assert t.bron and t.jaar == 2016
    assert tariffs["uurtarief"].bedrag == 95
    assert tariffs["aansluiten_ondersteunen"].bedrag == 2660 == 28 * 95
    assert tariffs["specialistisch_casemanagement"].bedrag == 6840 == 72 * 95
    assert (tariffs["ots_eerste_jaar"].bedrag, tariffs["ots_volgend_jaar"].bedrag) == (9417, 8015)
    assert (tariffs["voogdij"].bedrag, tariffs["jeugdreclassering"].bedrag) == (5534, 6598)


@pytest.mark.parametrize(("case", "expected"), [
    (_case(gi=("aansluiten_ondersteunen",)), ["aansluiten_ondersteunen"]),
    (_case(gi=("specialistisch_casemanagement", "nazorg")), ["specialistisch_casemanagement", "uurtarief"]),
    (_case(gi=("informatie_advies",)), ["uurtarief"]),
    (_case(route="A", measure="De kinderrechter sprak een ondertoezichtstelling uit."), ["ots_eerste_jaar"]),
    (_case(route="D", measure="De OTS is met een jaar verlengd."), ["ots_eerste_jaar", "ots_volgend_jaar"]),
    (_case(route="A", measure="De rechter besloot tot voogdij na een gezagsbeëindigende maatregel."), ["voogdij"]),
    (_case(route="B", measure="Hij kreeg jeugdreclassering opgelegd."), ["jeugdreclassering"]),
    (_case(route="B", measure="De rechter sprak een maatregel uit."), ["ots_eerste_jaar"]),
    (_case(route="D"), ["ots_eerste_jaar"]),  # derived from the route
    (_case(route="C"), []),
])
def test_estimate_follows_the_rule(tariffs, case, expected):
    lines = costs.estimate(case, tariffs)
    assert [line.tariff.id for line in lines] == expected
    # amounts come from the tariffs file; the hourly rate is shown for reference, not added
    assert costs.total(lines) == sum(tariffs[i].bedrag for i in expected if i != "uurtarief")


def test_route_derived_line_says_so(tariffs):
    (line,) = costs.estimate(_case(route="D"), tariffs)
    assert "route D" in line.reden


def test_euro_uses_dutch_notation():
    assert costs.euro(9417) == "€ 9.417"
    assert costs.euro(95) == "€ 95"


def _write(tmp_path, body: str):
    path = tmp_path / "t.toml"
    path.write_text(body, encoding="utf-8")
    return path


def _full(tariffs, skip: str = "", extra: str = "") -> str:
    rows = []
    for t in tariffs.values():
        if t.id == skip:
            continue
        rows.append(f'[[tarief]]\nid = "{t.id}"\nomschrijving = "x"\nbedrag = {t.bedrag}\n'
                    f'eenheid = "per jaar"\nbron = "eigen bron"\njaar = 2024\n')
    return "\n".join(rows) + extra


def test_user_tariffs_override(tmp_path, tariffs):
    loaded = costs.load_tariffs(_write(tmp_path, _full(tariffs)))
    assert loaded["voogdij"].bron == "eigen bron" and loaded["voogdij"].jaar == 2024


@pytest.mark.parametrize(("make", "message"), [
    (lambda t: _full(t, skip="voogdij"), "missing tariff ids voogdij"),
    (lambda t: _full(t, extra='[[tarief]]\nid = "voogdij"\nomschrijving = "x"\nbedrag = 1\n'
                              'eenheid = "x"\nbron = "x"\njaar = 2020\n'), "appears twice"),
    (lambda t: '[[tarief]]\nid = "uurtarief"\nbedrag = 95\n', "lacks or has a bad field"),
    (lambda t: "this is = not toml [", "not a valid TOML file"),
])
def test_bad_tariff_files_name_the_problem(tmp_path, tariffs, make, message):
    path = _write(tmp_path, make(tariffs))
    with pytest.raises(LeerwerkplaatsError, match=message) as info:
        costs.load_tariffs(path)
    assert str(path) in str(info.value)


def test_tariffs_are_frozen(tariffs):
    with pytest.raises(dataclasses.FrozenInstanceError):
        tariffs["uurtarief"].bedrag = 1


def test_per_child_and_total_are_labelled_apart_each_with_its_source():
    """Issue 18: "€ 28.251 per jeugdige" was the total for three children under a per-child label."""
    import io
    from html.parser import HTMLParser

    from docx import Document
    from test_handouts_fixtures import measure_case

    from leerwerkplaats.handouts import Renderer

    files, _ = Renderer.build().case_files(measure_case(), ("html", "docx"), ("trainer",))

    class Text(HTMLParser):
        parts: list[str] = []

        def handle_data(self, data):
            self.parts.append(data)

    parser = Text()
    parser.parts = []
    parser.feed(files["trainer.html"].decode())
    html = " ".join(" ".join(parser.parts).split())
    doc = Document(io.BytesIO(files["trainer.docx"]))
    word = " ".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    source = "bron: Gemeente Groningen, gepubliceerde tarieven jeugdbescherming, 2016"
    for text in (html, word):
        assert f"€ 9.417 per jeugdige, eerste jaar ({source})" in text
        assert f"totaal voor 3 jeugdigen: € 28.251 (3 × € 9.417; {source})" in text
        assert "€ 28.251 per jeugdige" not in text
