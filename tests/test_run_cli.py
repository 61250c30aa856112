"""``leerwerkplaats run`` and ``handouts`` with a fake pseudonymiser and tagger (no models needed)."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from leerwerkplaats.cli import main
from leerwerkplaats.run import pipeline

EEN, KAPOT, TWEE = "casus-001", "casus-002", "casus-003"  # neutral names in input order




def invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def all_text(folder):
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_run_writes_case_files_and_library_and_fails_closed(cases_dir, tmp_path, fakes):
    out = tmp_path / "out"
    result = invoke("run", str(cases_dir), "-o", str(out), "--formats", "html,docx", "-j", "1")
    assert result.exit_code == 3  # kapot.txt failed
    assert sorted(p.name for p in (out / EEN).iterdir()) == [
        "deelnemers.docx", "deelnemers.html", "trainer.docx", "trainer.html"]
    assert (out / "index.html").exists() and (out / "library.jsonl").exists()
    assert not list(out.glob("sessie.*"))  # no session overview for the whole library
    assert not (out / KAPOT).exists()
    for path, data in all_text(out).items():
        for real in fakes.REAL:
            assert real.encode() not in data, f"{real} in {path}"
        assert b"FAIL" not in data
    assert not [p for p in out.rglob("*") if re.search(r"key|sleutel|review|rapport", p.name, re.I)]
    assert not [p for p in out.rglob("*") if re.search(r"een|twee|kapot", p.name)]  # neutral names only
    assert "kapot.txt" in result.output and "could not be pseudonymised safely" in result.output
    assert "PERSOON" in result.output and "Tags per group" in result.output
    for stage in ("read", "pseudonymise", "tag", "render html", "render docx"):
        assert stage in result.output


def test_run_select_route(cases_dir, tmp_path):
    out = tmp_path / "out"
    result = invoke("run", str(cases_dir), "-o", str(out), "--formats", "html", "--select", "route:D")
    assert "1 not selected" in result.output
    assert (out / EEN / "trainer.html").exists() and not (out / TWEE).exists()
    index = (out / "index.html").read_text()
    assert ">Casus 001<" in index and ">Casus 003<" not in index


def test_run_select_label(cases_dir, tmp_path):
    out = tmp_path / "out"
    invoke("run", str(cases_dir), "-o", str(out), "--formats", "html", "--select", "trigger:vechtscheiding")
    assert (out / TWEE / "trainer.html").exists() and not (out / EEN).exists()


def test_run_rejects_unknown_select_and_format(cases_dir, tmp_path):
    assert invoke("run", str(cases_dir), "-o", str(tmp_path), "--select", "trigger:bestaat_niet").exit_code == 2
    assert invoke("run", str(cases_dir), "-o", str(tmp_path), "--formats", "html,odt").exit_code == 2


def test_strict_fails_files_with_review_findings(cases_dir, tmp_path):
    out = tmp_path / "out"
    result = invoke("run", str(cases_dir), "-o", str(out), "--formats", "html", "--strict")
    assert result.exit_code == 3
    assert not (out / EEN / "trainer.html").exists()  # its review found something
    assert (out / TWEE / "trainer.html").exists()
    assert "residual risk" in result.output


def test_summary_names_each_file_the_review_doubts(cases_dir, tmp_path):
    result = invoke("run", str(cases_dir), "-o", str(tmp_path / "out"), "--formats", "html")
    doubted = [line for line in result.output.splitlines() if line.startswith("review doubts: ")]
    assert len(doubted) == 1 and "een.txt: " in doubted[0] and " at line " in doubted[0]


def test_failure_removes_stale_handouts(cases_dir, tmp_path):
    out = tmp_path / "out"
    assert invoke("run", str(cases_dir), "-o", str(out), "--formats", "html").exit_code == 3
    assert (out / TWEE / "trainer.html").exists()
    (cases_dir / "twee.txt").write_text("FAIL nu wel\n", encoding="utf-8")
    assert invoke("run", str(cases_dir), "-o", str(out), "--formats", "html").exit_code == 3
    assert not (out / TWEE).exists()  # made by the earlier run, listed in its manifest: removed


def test_run_is_deterministic(cases_dir, tmp_path):
    invoke("run", str(cases_dir), "-o", str(tmp_path / "a"), "--formats", "html,docx", "--seed", "3")
    invoke("run", str(cases_dir), "-o", str(tmp_path / "b"), "--formats", "html,docx", "--seed", "3")
    a = {p.relative_to(tmp_path / "a"): d for p, d in all_text(tmp_path / "a").items()}
    b = {p.relative_to(tmp_path / "b"): d for p, d in all_text(tmp_path / "b").items()}
    assert a == b


def test_parallel_workers_give_the_same_files(cases_dir, tmp_path):
    invoke("run", str(cases_dir), "-o", str(tmp_path / "one"), "--formats", "html", "-j", "1")
    invoke("run", str(cases_dir), "-o", str(tmp_path / "two"), "--formats", "html", "-j", "2")
    one = {p.relative_to(tmp_path / "one"): d for p, d in all_text(tmp_path / "one").items()}
    two = {p.relative_to(tmp_path / "two"): d for p, d in all_text(tmp_path / "two").items()}
    assert one == two and len(one) == 7  # 2 cases x 2 handouts, index.html, library.jsonl, the manifest


def test_missing_model_stops_with_one_line(tmp_path, monkeypatch):
    from leerwerkplaats.core.errors import ModelError

    def broken(options):
        raise ModelError("models/default: no meta.json; train a model or pass --model")

    monkeypatch.setattr(pipeline, "default_engines", broken)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("tekst", encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(tmp_path / "in"), "-o", str(tmp_path / "o"), "--formats", "html"])
    assert result.exit_code == 1 and "no meta.json" in result.output


def test_key_is_refused_inside_the_output_folder(cases_dir, tmp_path):
    out = tmp_path / "out"
    result = invoke("run", str(cases_dir), "-o", str(out), "--key", str(out / "sleutel.key"))
    assert result.exit_code == 1 and "inside the output folder" in result.output


def test_handouts_from_predictions(tmp_path):
    text = "Vader sloeg het kind & <script>x</script>.\nGesprek met moeder."
    record = {"id": "pred-1", "text": text,
              "spans": [{"start": 0, "end": text.index("\n"), "label": "trigger:fysiek_geweld", "score": 0.7},
                        {"start": text.index("Gesprek"), "end": len(text), "label": "bouwsteen:gesprek_gezin"}],
              "case": {"clientroute": "C", "partijen": ["gi"]}, "pseudonymised": True}
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps(record) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("handouts", str(pred), "-o", str(out), "--formats", "html")
    assert result.exit_code == 0, result.output
    html = (out / "casus-001" / "trainer.html").read_text()
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "voorspellingen uit pred.jsonl" in html
    assert (out / "index.html").exists() and (out / "library.jsonl").exists()


def test_every_command_has_help():
    for command in ("run", "handouts", "sessie"):
        result = invoke(command, "--help")
        assert result.exit_code == 0 and "Example" in result.output
