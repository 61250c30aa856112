"""The case library (``run -o LIB``) and the ``sessie`` command that picks contrasting cases from it."""

from __future__ import annotations

import dataclasses
import json

import pytest
from click.testing import CliRunner
from test_handouts_fixtures import TEXT, span, tagged_case

from leerwerkplaats.cli import main
from leerwerkplaats.core import codec
from leerwerkplaats.core.cases import CaseFields, Tag, TaggedCase
from leerwerkplaats.handouts import Renderer, choose, weergave
from leerwerkplaats.run import library

SENTENCE = "Moeder werkt goed mee"


def case(name: str, route: str, *triggers: str) -> TaggedCase:
    """The fixture case with its own route and extra triggers on one sentence."""
    base = tagged_case(name=name)
    start, end = span(TEXT, SENTENCE)
    extra = tuple(Tag(start, end, f"trigger:{t}", 0.7, ("cue",)) for t in triggers)
    fields = CaseFields(route, base.fields.partijen, base.fields.onveiligheid, base.fields.gi_inzet)
    return dataclasses.replace(base, tags=base.tags + extra, fields=fields)


CASES = [
    case("casus-a", "C", "vechtscheiding"),
    case("casus-b", "D", "vechtscheiding", "verslaving_ouder"),
    case("casus-c", "A", "huiselijk_geweld"),
    case("casus-d", "C", "financiele_problemen"),
    case("casus-e", "B", "vechtscheiding", "financiele_problemen"),
    case("casus-f", "D"),
]


@pytest.fixture
def lib(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / library.LIBRARY_FILE).write_bytes(library.dumps(CASES))
    return folder


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_library_index_has_a_card_per_case_and_filters_in_the_page():
    html = Renderer.build().library_files(CASES, ("html", "pdf"))["index.html"].decode()
    for c in CASES:
        assert f">{weergave.case_title(c.case.name)}<" in html and f'href="{c.case.name}/trainer.pdf"' in html
    assert html.count('class="kaart"') == len(CASES)
    assert 'data-route="C"' in html and "trigger:vechtscheiding" in html
    assert "<script>" in html and "src=" not in html  # inline filter, nothing loaded from outside
    assert "&lt;script&gt;" not in html or "alert" not in html  # no case text on the cards
    assert "Ontbrekende bouwstenen" in html and "regels" in html
    assert "bibliotheek zijn gepseudonimiseerd" in html and "Lever de handout" not in html


def test_library_records_round_trip_and_are_marked_pseudonymised():
    line = json.loads(library.dumps(CASES[:1]).decode())
    assert line["pseudonymised"] is True and {"id", "text", "spans", "case", "pii"} <= set(line)
    back = codec.decode(line)
    assert back.tags == CASES[0].tags and back.fields.clientroute == "C"
    assert back.ruled_out == CASES[0].ruled_out


def test_a_library_line_without_the_marker_is_refused(tmp_path):
    line = json.loads(library.dumps(CASES[:1]).decode())
    del line["pseudonymised"]
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / library.LIBRARY_FILE).write_text(json.dumps(line) + "\n", encoding="utf-8")
    result = invoke("sessie", folder, "-o", tmp_path / "out", "--formats", "html")
    assert result.exit_code == 1
    assert "library.jsonl:1" in result.stderr and "pseudonymised" in result.stderr
    assert "Lotte" not in result.stderr  # no case text in the error


def test_not_a_library_gets_one_line(tmp_path):
    (tmp_path / "lib").mkdir()
    result = invoke("sessie", tmp_path / "lib", "-o", tmp_path / "out")
    assert result.exit_code == 1 and "not a library" in result.stderr


@pytest.mark.parametrize("n", [2, 3, 4])
def test_choose_picks_exactly_n_with_routes_c_and_d(n):
    picks = choose.choose(CASES, n)
    names = [p.case.case.name for p in picks]
    assert len(names) == n == len(set(names))
    routes = [p.case.fields.clientroute for p in picks]
    assert "C" in routes and "D" in routes
    assert len(set(routes)) == n  # six cases over four routes: all different up to four
    assert all(p.reason for p in picks)


def test_choose_is_deterministic_and_respects_the_theme():
    assert choose.choose(CASES, 3) == choose.choose(list(reversed(CASES)), 3)
    picks = choose.choose(CASES, 3, themes=("trigger:vechtscheiding",))
    assert {p.case.case.name for p in picks} == {"casus-a", "casus-b", "casus-e"}
    picks = choose.choose(CASES, 2, themes=("route:D",))
    assert {p.case.fields.clientroute for p in picks} == {"D"}


def test_choose_by_hand_and_unknown_names():
    picks = choose.choose(CASES, 3, by_hand=("casus-f",))
    assert picks[0].case.case.name == "casus-f" and "met de hand" in picks[0].reason and len(picks) == 3
    with pytest.raises(ValueError, match="casus-zz"):
        choose.choose(CASES, 2, by_hand=("casus-zz",))


def test_sessie_writes_overview_and_chosen_handouts_with_reasons(lib, tmp_path):
    out = tmp_path / "sessie"
    result = invoke("sessie", lib, "-o", out, "--casussen", 3, "--formats", "html,docx", "-j", 1)
    assert result.exit_code == 0, result.stderr
    chosen = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert len(chosen) == 3
    for name in chosen:
        assert sorted(p.name for p in (out / name).iterdir()) == [
            "deelnemers.docx", "deelnemers.html", "trainer.docx", "trainer.html"]
    html = (out / "sessie.html").read_text()
    assert html.count("Waarom gekozen") == 3 and "route C: werken zonder maatregel lukte" in html
    assert "Terugkoppeling, 3 casussen" in html
    import docx

    word = "\n".join(p.text for p in docx.Document(str(out / "sessie.docx")).paragraphs)
    assert word.count("waarom gekozen") == 3
    for name in chosen:
        assert name in result.stdout


def test_sessie_names_its_theme(lib, tmp_path):
    out = tmp_path / "s"
    result = invoke("sessie", lib, "-o", out, "--casussen", 2, "--thema", "trigger:vechtscheiding",
                    "--formats", "html", "-j", 1)
    assert result.exit_code == 0, result.stderr
    html = (out / "sessie.html").read_text()
    assert "<h1>Sessie: Complexe (vecht)scheiding</h1>" in html and "Thema van deze sessie" in html
    result = invoke("sessie", lib, "-o", out, "--casussen", 2, "--thema", "trigger:vechtscheiding",
                    "--formats", "docx", "-j", 1)
    import docx

    assert "Thema van deze sessie: Complexe (vecht)scheiding" in "\n".join(
        p.text for p in docx.Document(str(out / "sessie.docx")).paragraphs)
    assert len([p for p in out.iterdir() if p.is_dir()]) == 2


def test_sessie_warns_above_four_and_when_too_few_match(lib, tmp_path):
    result = invoke("sessie", lib, "-o", tmp_path / "s", "--casussen", 5, "--formats", "html", "-j", 1)
    assert result.exit_code == 0 and "warning: 5 cases" in result.stderr
    result = invoke("sessie", lib, "-o", tmp_path / "t", "--casussen", 4, "--thema", "route:A",
                    "--formats", "html", "-j", 1)
    assert result.exit_code == 0 and "only 1 of the 6" in result.stderr


def test_sessie_rejects_unknown_theme_and_case(lib, tmp_path):
    assert invoke("sessie", lib, "-o", tmp_path / "s", "--thema", "trigger:bestaat_niet").exit_code == 2
    result = invoke("sessie", lib, "-o", tmp_path / "s", "--case", "casus-zz", "--formats", "html")
    assert result.exit_code == 1 and "casus-zz" in result.stderr


def test_a_new_session_in_the_same_folder_drops_the_handouts_of_cases_no_longer_chosen(lib, tmp_path):
    out = tmp_path / "s"
    invoke("sessie", lib, "-o", out, "--case", "casus-a", "--formats", "html", "-j", 1)
    (out / "notities").mkdir()
    (out / "notities" / "mijn.txt").write_text("eigen aantekening", encoding="utf-8")
    invoke("sessie", lib, "-o", out, "--case", "casus-b", "--formats", "html", "-j", 1)
    assert not (out / "casus-a").exists() and (out / "casus-b" / "trainer.html").exists()
    assert (out / "notities" / "mijn.txt").exists()  # not a handout folder: left alone


def test_only_the_formats_asked_for_are_rendered():
    files, seconds = Renderer.build().case_files(CASES[0], ("docx",))
    assert sorted(files) == ["deelnemers.docx", "trainer.docx"] and set(seconds) == {"docx"}


def test_the_not_reviewed_note_travels_through_the_library_into_the_session(tmp_path):
    unreviewed = dataclasses.replace(CASES[0], case=dataclasses.replace(CASES[0].case, review_note="Niemand keek."))
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / library.LIBRARY_FILE).write_bytes(library.dumps([unreviewed]))
    assert library.load(folder)[0].case.review_note == "Niemand keek."
    result = invoke("sessie", folder, "-o", tmp_path / "s", "--casussen", 1, "--formats", "html", "-j", 1)
    assert result.exit_code == 0, result.stderr
    for audience in ("deelnemers", "trainer"):
        assert "Niemand keek." in (tmp_path / "s" / "casus-a" / f"{audience}.html").read_text()
