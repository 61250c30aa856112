"""Issue 18, item 7: the trainer's check page, the corrections file and its export as training data.

CLI tests with the fake pseudonymiser and tagger (the ``fakes`` fixture), as in
tests/test_one_road.py: they test the command, not the model.
"""

from __future__ import annotations

import html
import io
import json
import re

import docx
import pytest
from click.testing import CliRunner

from leerwerkplaats.cli import main
from leerwerkplaats.core import codec
from leerwerkplaats.handouts import weergave

EEN, TWEE = "casus-001", "casus-003"  # fakes: een.txt (route D, OTS on line 3), twee.txt (route C)




def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def session(library, out, *extra, formats="html"):
    return invoke("session", library, "-o", out, "--case", EEN, "--case", TWEE, "--formats", formats, "-j", "1",
                  *extra)


def library_cases(library):
    lines = (library / "library.jsonl").read_text(encoding="utf-8").splitlines()
    return {c.case.name: c for c in (codec.decode(json.loads(line)) for line in lines)}


def check_rows(page: str) -> list[str]:
    """The rows of the check page, as plain text (tags stripped, entities unescaped)."""
    section = page[page.index('id="h-controle"'):page.index('id="h-sleutel"')]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", section, re.S)
    return [html.unescape(" ".join(re.sub(r"<[^>]+>", " ", r).split())) for r in rows]


def corrections(tmp_path, body: str):
    path = tmp_path / "correcties.toml"
    path.write_text(body, encoding="utf-8")
    return path


def one_line_error(result) -> bool:
    return "Traceback" not in result.output and result.output.count("Error:") == 1 \
        and len(result.output.strip().splitlines()) == 1


# ---------------------------------------------------------------- the check page

def test_check_page_lists_every_tag_with_its_line_and_quote(library, tmp_path):
    out = tmp_path / "sessie"
    assert session(library, out).exit_code == 0
    for name, tagged in library_cases(library).items():
        rows = check_rows((out / name / "trainer.html").read_text(encoding="utf-8"))
        assert tagged.tags
        for tag in tagged.tags:
            line = tagged.case.text.count("\n", 0, tag.start) + 1
            quote = " ".join(tagged.case.text[tag.start:tag.end].split())
            assert any(weergave.label(tag.label) in r and f"r. {line}: “{quote}”" in r for r in rows), \
                (name, tag.label, rows)


def test_check_page_gives_route_level_parties_costs_and_says_when_no_line_carries_a_fact(library, tmp_path):
    out = tmp_path / "sessie"
    assert session(library, out).exit_code == 0
    rows = check_rows((out / EEN / "trainer.html").read_text(encoding="utf-8"))
    route = next(r for r in rows if r.startswith(weergave.field("clientroute")))
    assert weergave.route("D") in route and "r. 3: “De OTS werd uitgesproken.”" in route
    assert any(r.startswith(weergave.field("onveiligheid")) for r in rows)
    # the fake tagger claims the GI as a party; the text never names it: derived from the measure's line
    party = next(r for r in rows if r.startswith(weergave.field("partijen")))
    assert weergave.party("gi") in party and "r. 3" in party
    assert any("Ondertoezichtstelling" in r or "OTS" in r.split("r. ")[0] for r in rows)  # the measure's cost
    rows_twee = check_rows((out / TWEE / "trainer.html").read_text(encoding="utf-8"))
    party = next(r for r in rows_twee if r.startswith(weergave.field("partijen")))
    assert "geen regel gevonden" in party  # twee.txt names no GI and has no tag that implies one


def test_check_page_is_in_the_word_handout(library, tmp_path):
    out = tmp_path / "sessie"
    assert session(library, out, formats="docx").exit_code == 0
    doc = docx.Document(io.BytesIO((out / EEN / "trainer.docx").read_bytes()))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert weergave.data()["controle"]["titel"] in headings
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert any("r. 2: “Vader sloeg het kind.”" in c for c in cells)


# ---------------------------------------------------------------- corrections

def test_a_corrected_route_changes_the_overview_and_the_check_page_says_so(library, tmp_path):
    before = tmp_path / "voor"
    assert session(library, before).exit_code == 0
    assert "Route A" not in (before / "sessie.html").read_text(encoding="utf-8")
    path = corrections(tmp_path, f'[{TWEE}]\nclientroute = "A"\nonveiligheid = "acuut"\n')
    out = tmp_path / "sessie"
    result = session(library, out, "--corrections", path)
    assert result.exit_code == 0, result.output
    assert "Route A" in (out / "sessie.html").read_text(encoding="utf-8")
    rows = check_rows((out / TWEE / "trainer.html").read_text(encoding="utf-8"))
    route = next(r for r in rows if r.startswith(weergave.field("clientroute")))
    assert weergave.route("A") in route and "gecorrigeerd door de trainer" in route
    tag_rows = [r for r in rows if weergave.label("trigger:vechtscheiding") in r]
    assert tag_rows and all("gecorrigeerd" not in r for r in tag_rows)  # only what was corrected is marked
    trainer = (out / TWEE / "trainer.html").read_text(encoding="utf-8")
    assert "omdat de markeringen laten zien: gecorrigeerd" not in trainer  # the field sentence says it in words


def test_corrections_remove_and_add_labels_before_the_pick(library, tmp_path):
    path = corrections(tmp_path, f'[{TWEE}]\nverwijder = ["trigger:vechtscheiding"]\n'
                                 f'voeg_toe = [{{label = "trigger:verslaving_ouder", regel = 1}}]\n')
    out = tmp_path / "sessie"
    result = invoke("session", library, "-o", out, "--count", "1", "--theme", "trigger:verslaving_ouder",
                    "--formats", "html", "-j", "1", "--corrections", path)
    assert result.exit_code == 0, result.output
    assert f"{TWEE}:" in result.output  # the theme found the label the trainer added
    rows = check_rows((out / TWEE / "trainer.html").read_text(encoding="utf-8"))
    added = next(r for r in rows if weergave.label("trigger:verslaving_ouder") in r)
    assert "r. 1: “Gesprek met moeder" in added and "gecorrigeerd door de trainer" in added
    removed = next(r for r in rows if weergave.label("trigger:vechtscheiding") in r)
    assert "verwijderd door de trainer" in removed and "r. 2" not in removed


@pytest.mark.parametrize("body, named", [
    ('[casus-999]\nclientroute = "A"\n', "[casus-999]"),
    (f'[{TWEE}]\nclientroute = "E"\n', "clientroute = 'E'"),
    (f'[{TWEE}]\nonveiligheid = "hoog"\n', "onveiligheid = 'hoog'"),
    (f'[{TWEE}]\npartijen = ["buurman"]\n', "partijen = 'buurman'"),
    (f'[{TWEE}]\ngi_inzet = "nazorg"\n', "gi_inzet must be a list"),
    (f'[{TWEE}]\nverwijder = ["trigger:onzin"]\n', "trigger:onzin"),
    (f'[{TWEE}]\nverwijder = ["trigger:fysiek_geweld"]\n', "not tagged in this case"),
    (f'[{TWEE}]\nvoeg_toe = [{{label = "trigger:verslaving_ouder", regel = 99}}]\n', "line 99 does not exist"),
    (f'[{TWEE}]\nvoeg_toe = [{{label = "trigger:verslaving_ouder", regel = 3}}]\n', "line 3 is empty"),
    (f'[{TWEE}]\nvoeg_toe = [{{label = "trigger:verslaving_ouder"}}]\n', "voeg_toe"),
    (f'[{TWEE}]\nvoeg_toe = [{{label = "trigger:vechtscheiding", regel = 2}}]\n', "line 2 is already tagged"),
    (f'[{TWEE}]\nroute = "A"\n', "unknown entry 'route'"),
    (f'[{TWEE}\nclientroute = "A"\n', "not a valid TOML file"),
    ("", "holds no corrections"),
])
def test_a_bad_corrections_file_gives_one_line_naming_the_file_and_the_entry(library, tmp_path, body, named):
    path = corrections(tmp_path, body)
    out = tmp_path / "sessie"
    result = session(library, out, "--corrections", path)
    assert result.exit_code == 1 and one_line_error(result), result.output
    assert str(path) in result.output and named in result.output, result.output
    assert not out.exists() or not any(p for p in out.iterdir() if not p.name.startswith("."))


def test_the_sample_corrections_file_in_docs_is_valid():
    from pathlib import Path

    from leerwerkplaats.run import corrections as corrections_mod

    loaded = corrections_mod.load(Path(__file__).resolve().parents[1] / "docs" / "correcties-voorbeeld.toml")
    assert [c.case for c in loaded] == ["casus-004", "casus-016"]


# ---------------------------------------------------------------- export as training data

def test_export_writes_corrected_cases_as_annotation_lines_that_corpus_check_accepts(library, tmp_path):
    path = corrections(tmp_path, f'[{TWEE}]\nclientroute = "D"\npartijen = ["lokaal_team", "gi"]\n'
                                 f'voeg_toe = [{{label = "bouwsteen:maatregel", regel = 2}}]\n')
    export = tmp_path / "gecorrigeerd.jsonl"
    result = session(library, tmp_path / "sessie", "--corrections", path, "--export-corrections", export)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in export.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in lines] == [TWEE]  # only the corrected case
    rec = lines[0]
    assert rec["pseudonymised"] is True and rec["gecorrigeerd"] is True
    assert rec["case"]["clientroute"] == "D" and rec["case"]["partijen"] == ["lokaal_team", "gi"]
    added = [s for s in rec["spans"] if s["label"] == "bouwsteen:maatregel"]
    assert [rec["text"][s["start"]:s["end"]] for s in added] == [rec["text"].split("\n")[1].strip()]
    assert rec["text"] == library_cases(library)[TWEE].case.text  # the pseudonymised text of the library
    check = invoke("corpus", "check", export)
    assert check.exit_code == 0, check.output


def test_export_never_replaces_a_foreign_file_and_is_refused_before_any_work(library, tmp_path):
    path = corrections(tmp_path, f'[{TWEE}]\nclientroute = "D"\n')
    export = tmp_path / "mijn-data.jsonl"
    export.write_text("van mij\n", encoding="utf-8")
    out = tmp_path / "sessie"
    result = session(library, out, "--corrections", path, "--export-corrections", export)
    assert result.exit_code == 1 and one_line_error(result), result.output
    assert export.read_text(encoding="utf-8") == "van mij\n" and not out.exists()
    for target in (path, library / "library.jsonl", out / "export.jsonl"):  # an input, inside input or output
        result = session(library, out, "--corrections", path, "--export-corrections", target)
        assert result.exit_code == 1 and one_line_error(result), result.output
    assert path.read_text(encoding="utf-8") == f'[{TWEE}]\nclientroute = "D"\n'


def test_export_needs_a_corrections_file(library, tmp_path):
    result = session(library, tmp_path / "sessie", "--export-corrections", tmp_path / "x.jsonl")
    assert result.exit_code == 2 and "--corrections" in result.output
