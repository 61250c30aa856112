"""Nothing lost, nothing leaked (issue 10): output folders, hostile inputs, exits of private data.

The folder cases run the real CLI (fake pseudonymiser and tagger, so no model is
needed) against temporary folders and compare checksums of everything that was
there before.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from leerwerkplaats.cli import main
from leerwerkplaats.core.errors import ReadError
from leerwerkplaats.core.output_folder import MANIFEST, OutputFolder
from leerwerkplaats.reading import readers
from leerwerkplaats.run import pipeline

ROOT = Path(__file__).resolve().parents[1]


def checksums(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def invoke(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)




# ---------------------------------------------------------------- 1. output folders that cannot hurt

@pytest.mark.parametrize("command", ["run", "pseudonymise"])
def test_output_inside_the_input_is_refused_and_nothing_changes(readable_cases, command):
    before = checksums(readable_cases)
    for out in (readable_cases, readable_cases / "uit"):
        result = invoke(command, readable_cases, "-o", out, "--no-review-report" if command == "pseudonymise" else "-q")
        assert result.exit_code == 1 and "inside the input" in result.output
    assert checksums(readable_cases) == before and not (readable_cases / "uit").exists()


@pytest.mark.parametrize("command", ["run", "pseudonymise"])
def test_a_folder_with_other_files_is_refused_untouched(readable_cases, tmp_path, command):
    out = tmp_path / "uit"
    out.mkdir()
    for name in ("deelnemers.html", "trainer.docx", "casus-001.txt", "notities.txt"):
        (out / name).write_text("van de gebruiker", encoding="utf-8")
    before = checksums(out)
    result = invoke(command, readable_cases, "-o", out, *(["--no-review-report"] if command == "pseudonymise" else []))
    assert result.exit_code == 1 and "did not write" in result.output
    assert checksums(out) == before


def test_rerun_replaces_only_its_own_files_and_keeps_others(readable_cases, tmp_path):
    out = tmp_path / "uit"
    assert invoke("run", readable_cases, "-o", out, "--formats", "html").exit_code == 0
    manifest = json.loads((out / MANIFEST).read_text())
    listed = {f["path"] for f in manifest["files"]}
    assert listed == set(checksums(out)) - {MANIFEST}
    assert all(f["sha256"] == checksums(out)[f["path"]] for f in manifest["files"])
    (out / "mijn-aantekeningen.txt").write_text("blijft", encoding="utf-8")
    (readable_cases / "een.txt").unlink()
    assert invoke("run", readable_cases, "-o", out, "--formats", "html").exit_code == 0
    assert (out / "mijn-aantekeningen.txt").read_text() == "blijft"
    assert not (out / "casus-001").exists()  # een.txt's case went, as the manifest allowed
    assert (out / "casus-002").exists()  # the others keep their names: nothing renumbered


def test_same_stems_do_not_collide(tmp_path, monkeypatch, fakes):
    monkeypatch.setattr(pipeline, "default_engines", fakes.fake_engines)
    cases = tmp_path / "in"
    (cases / "sub").mkdir(parents=True)
    texts = {"a.txt": "Gesprek een.\n", "a.md": "Gesprek twee.\n", "a-2.txt": "Gesprek drie.\n",
             "sub/a.txt": "Gesprek vier.\n"}
    for name, text in texts.items():
        (cases / name).write_text(text, encoding="utf-8")
    out = tmp_path / "uit"
    result = invoke("pseudonymise", cases, "-o", out, "--no-review-report")
    assert result.exit_code == 0, result.output
    written = sorted(p.read_text() for p in out.glob("casus-*.txt"))
    assert written == sorted(texts.values())


def test_a_second_run_into_a_locked_folder_stops(readable_cases, tmp_path):
    out = tmp_path / "uit"
    with OutputFolder(out, [readable_cases], "test"):
        result = invoke("run", readable_cases, "-o", out, "--formats", "html")
    assert result.exit_code == 1 and "another leerwerkplaats run" in result.output
    assert [p.name for p in out.iterdir() if not p.name.startswith(".")] == []


def test_a_failed_run_leaves_the_folder_as_it_was(readable_cases, tmp_path, monkeypatch):
    out = tmp_path / "uit"
    assert invoke("run", readable_cases, "-o", out, "--formats", "html").exit_code == 0
    before = checksums(out)

    def boom(options):
        raise pipeline.LeerwerkplaatsError("no model")

    monkeypatch.setattr(pipeline, "default_engines", boom)
    assert invoke("run", readable_cases, "-o", out, "--formats", "html").exit_code == 1
    assert checksums(out) == before and not [p for p in out.iterdir() if p.name.startswith(".")]


def test_output_names_never_come_from_file_names(tmp_path, monkeypatch, fakes):
    monkeypatch.setattr(pipeline, "default_engines", fakes.fake_engines)
    cases = tmp_path / "in"
    cases.mkdir()
    (cases / "dossier_Jansen_Petra.txt").write_text("Gesprek met moeder.\n", encoding="utf-8")
    for command in ("run", "pseudonymise"):
        out = tmp_path / command
        assert invoke(command, cases, "-o", out, "--formats" if command == "run" else "--seed", "html" if command == "run" else "1",
                      *(["--no-review-report"] if command == "pseudonymise" else [])).exit_code == 0
        names = " ".join(str(p.relative_to(out)) for p in out.rglob("*"))
        assert "Jansen" not in names and "Petra" not in names and "casus-001" in names


# ---------------------------------------------------------------- 2. inputs read safely

def test_symlinks_and_special_files_are_skipped_with_a_line(readable_cases, tmp_path):
    secret = tmp_path / "buiten.txt"
    secret.write_text("Geheime regel van Zwartkop\n", encoding="utf-8")
    (readable_cases / "link.txt").symlink_to(secret)
    (readable_cases / "map").symlink_to(tmp_path, target_is_directory=True)
    os.mkfifo(readable_cases / "pijp.txt")
    out = tmp_path / "uit"
    result = invoke("run", readable_cases, "-o", out, "--formats", "html")
    assert result.exit_code == 3
    assert "link.txt: cannot read: is a symbolic link" in result.output
    assert "map: cannot read: is a symbolic link" in result.output
    assert "pijp.txt: cannot read: is a special file" in result.output
    assert not any(b"Zwartkop" in p.read_bytes() for p in out.rglob("*") if p.is_file())


def _docx_bomb(path: Path, unpacked: int) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<" + b"a" * unpacked + b">")
    path.write_bytes(buffer.getvalue())


def test_docx_that_unpacks_too_large_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "bom.docx"
    _docx_bomb(path, readers.DOCX_MAX_UNPACKED + 1)
    assert path.stat().st_size < 1_000_000
    monkeypatch.setattr("docx.Document", lambda *a, **k: pytest.fail("the document was read"))
    with pytest.raises(ReadError, match="unpacks to more than 50 MB; not read"):
        readers.read_case_file(path)


def test_character_limit_is_stated_in_characters(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_CHARS", 1000)
    path = tmp_path / "lang.txt"
    path.write_text("é" * 1001, encoding="utf-8")  # 2002 bytes, 1001 characters
    with pytest.raises(ReadError, match=r"1,001 characters; the limit is 1,000 characters"):
        readers.read_case_file(path)


def test_text_over_a_million_characters_is_pseudonymised_and_tagged():
    from leerwerkplaats.privacy.engine import build_tokeniser_pipeline
    from leerwerkplaats.tagging.nlp import build_nlp

    text = "Moeder belde de school. " * 45_000  # 1.08 million characters
    assert len(text) > 1_000_000
    assert len(build_tokeniser_pipeline()(text)) > 0
    assert len(build_nlp(context=False, parties=False)(text)) > 0


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "utf-32-le"])
def test_utf16_and_utf32_with_bom_are_text(tmp_path, codec):
    import codecs

    bom = {"utf-16": b"", "utf-32": b"", "utf-16-be": codecs.BOM_UTF16_BE, "utf-32-le": codecs.BOM_UTF32_LE}[codec]
    path = tmp_path / "a.txt"
    path.write_bytes(bom + "Één gezin in Zwolle\r\n".encode(codec))
    assert readers.read_case_file(path).text == "Één gezin in Zwolle\n"


def test_nul_and_control_characters_are_removed_with_the_reason(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(("Gesprek met moeder.\n" * 4000).encode() + b"\x00\x07 verder\n")
    raw = readers.read_case_file(path)
    assert "\x00" not in raw.text and "\x07" not in raw.text and raw.text.endswith(" verder\n")
    assert raw.notes == ("2 control character(s) (such as NUL) removed",)


def test_nul_after_64k_does_not_break_docx_rendering(readable_cases, tmp_path):
    (readable_cases / "nul.txt").write_bytes(("Gesprek met moeder.\n" * 4000).encode() + b"\x00 OTS\n")
    out = tmp_path / "uit"
    result = invoke("run", readable_cases, "-o", out, "--formats", "docx")
    assert result.exit_code == 0, result.output
    assert "control character(s) (such as NUL) removed" in result.output


# ---------------------------------------------------------------- 3. privacy at every exit

def test_handouts_refuses_raw_predictions(tmp_path):
    raw = {"id": "x", "text": "Sanne de Vries sloeg het kind.", "spans": [], "case": {}}
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps(raw) + "\n", encoding="utf-8")
    result = invoke("handouts", pred, "-o", tmp_path / "uit", "--formats", "html")
    assert result.exit_code == 1 and "not marked as pseudonymised" in result.output
    assert not (tmp_path / "uit").exists() or not any((tmp_path / "uit").rglob("*.html"))


def test_reidentified_files_are_private(readable_cases, tmp_path, monkeypatch):
    from leerwerkplaats.privacy import keyfile

    monkeypatch.setenv("LEERWERKPLAATS_PASSPHRASE", "geheim")
    text = "Lotte Bakker belde.\n"
    (tmp_path / "casus-001.txt").write_text(text, encoding="utf-8")
    record = {"sha256": keyfile.text_hash(text), "entries": [[0, 12, "PERSOON", "Sanne de Vries"]]}
    keyfile.write_key(tmp_path / "k.key", {"casus-001": record}, "geheim")
    result = invoke("reidentify", tmp_path / "casus-001.txt", "--key", tmp_path / "k.key", "-o", tmp_path / "terug")
    assert result.exit_code == 0, result.output
    assert "holds 1 case(s): casus-001" in result.output
    back = tmp_path / "terug" / "casus-001.txt"
    assert back.read_text() == "Sanne de Vries belde.\n" and back.stat().st_mode & 0o077 == 0


def test_raw_predict_output_is_private(tmp_path):
    pytest.importorskip("presidio_analyzer")
    data = tmp_path / "in.jsonl"
    data.write_text(json.dumps({"id": "a", "text": "Sanne de Vries belde 06-12345678."}) + "\n", encoding="utf-8")
    result = invoke("predict", data, "-o", tmp_path / "pred.jsonl", "--pii-only", "-q")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "pred.jsonl").stat().st_mode & 0o077 == 0


def test_log_filter_keeps_library_messages_out(capsys):
    from leerwerkplaats.cli.common import configure_logging

    configure_logging(2)
    try:
        logging.getLogger("presidio-analyzer").debug("context words: %s", "Sanne de Vries 123456782")
        logging.getLogger("spacy").warning("token %s", "Sanne")
        logging.getLogger("fontTools.subset").warning("glyph of %s dropped", "Sanne")
        logging.getLogger("leerwerkplaats.run.pipeline").debug("built the pipeline")
    finally:
        configure_logging(0)
    err = capsys.readouterr().err
    assert "Sanne" not in err and "123456782" not in err
    assert "presidio-analyzer: (message withheld" in err and "built the pipeline" in err


def test_vv_writes_no_case_text(tmp_path):
    """The real pseudonymiser at -vv, in a fresh process: no name or BSN on stderr."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Mevrouw Sanne de Vries, BSN 123456782, belde op 06-12345678.\n",
                                           encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "leerwerkplaats", "-vv", "pseudonymise", str(tmp_path / "in"),
                           "-o", str(tmp_path / "uit"), "--no-review-report"],
                          capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "DEBUG" in proc.stderr
    for secret in ("Sanne", "Vries", "123456782", "12345678"):
        assert secret not in proc.stderr


# ---------------------------------------------------------------- 4. interrupts and workers

SLOW = '''
import sys, time
from pathlib import Path
from leerwerkplaats.cli import main
from leerwerkplaats.run import pipeline
sys.path.insert(0, str(Path({root!r}) / "tests"))
from conftest import fake_engines

def slow_engines(options):
    ps, tagger = fake_engines(options)
    class Slow:
        def tag(self, case):
            time.sleep(8)
            return tagger.tag(case)
    return ps, Slow()

pipeline.default_engines = slow_engines
main()
'''


def _start_slow_run(tmp_path: Path, files: int = 12) -> tuple[subprocess.Popen, Path]:
    cases = tmp_path / "in"
    cases.mkdir()
    for i in range(files):
        (cases / f"{i:02d}.txt").write_text("Gesprek met moeder.\n", encoding="utf-8")
    script = tmp_path / "slow.py"
    script.write_text(SLOW.format(root=str(ROOT)), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script), "run", str(cases), "-o", str(tmp_path / "uit"),
                             "--formats", "html", "-j", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=tmp_path, start_new_session=True,
                            # a test runner started in the background passes SIGINT on as ignored
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 120
    while time.time() < deadline and not list((tmp_path / "uit").glob(".leerwerkplaats-staging-*/casus-*")):
        time.sleep(0.2)
    return proc, tmp_path / "uit"


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def test_ctrl_c_stops_within_seconds_and_says_interrupted(tmp_path):
    proc, out = _start_slow_run(tmp_path)
    workers = _children(proc.pid)
    t0 = time.time()
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal does: the whole process group
    _, err = proc.communicate(timeout=60)
    # the queue left would take over 40 s more; a shared, loaded test machine needs slack for start and exit
    assert time.time() - t0 < 20
    assert proc.returncode == 130, err[-2000:]
    assert "interrupted:" in err and "of 12 file(s) were finished" in err and "Traceback" not in err
    assert [p.name for p in out.iterdir()] == []  # staging removed, nothing moved into place
    time.sleep(1)
    assert [w for w in workers if Path(f"/proc/{w}").exists()] == []


def test_workers_exit_when_the_parent_is_killed(tmp_path):
    proc, _ = _start_slow_run(tmp_path)
    workers = _children(proc.pid)
    assert workers
    proc.kill()
    proc.wait(timeout=30)
    deadline = time.time() + 10
    while time.time() < deadline and [w for w in workers if Path(f"/proc/{w}").exists()]:
        time.sleep(0.2)
    left = [w for w in workers if Path(f"/proc/{w}").exists()
            and "Z" not in Path(f"/proc/{w}/stat").read_text().split()[2]]
    assert left == []


# ---------------------------------------------------------------- 5. the key works with run

def test_run_key_reidentifies_the_text_of_every_case(readable_cases, tmp_path, monkeypatch, fakes):
    from leerwerkplaats.privacy.pseudonymise import KeyEntry, PseudonymisationResult

    originals = {fake: real for real, fake in fakes.REAL.items()}

    class KeyedFake(fakes.FakePseudonymiser):
        def run(self, raw):
            case = self.pseudonymise(raw)
            entries = [KeyEntry(s.start, s.end, s.type, originals[case.text[s.start:s.end]]) for s in case.replaced]
            return PseudonymisationResult(case, tuple(entries), 0)

    monkeypatch.setattr(pipeline, "default_engines", lambda options: (KeyedFake(), fakes.fake_engines(options)[1]))
    monkeypatch.setenv("LEERWERKPLAATS_PASSPHRASE", "geheim-en-lang-genoeg")
    out = tmp_path / "uit"
    cases_text = {name: (readable_cases / name).read_text() for name in ("een.txt", "twee.txt")}
    (readable_cases / "twee.txt").write_text(cases_text["twee.txt"].replace("Kerkstraat 12", "Sanne de Vries"))
    result = invoke("run", readable_cases, "-o", out, "--formats", "html", "--key", tmp_path / "k.key")
    assert result.exit_code == 0, result.output
    back = invoke("reidentify", out, "--key", tmp_path / "k.key", "-o", tmp_path / "terug")
    assert back.exit_code == 0, back.output
    assert "holds 2 case(s): casus-001, casus-002" in back.output
    assert (tmp_path / "terug" / "casus-001.txt").read_text() == cases_text["een.txt"]
    assert (tmp_path / "terug" / "casus-002.txt").read_text() == (readable_cases / "twee.txt").read_text()


def test_empty_passphrase_without_a_terminal_names_the_variable(readable_cases, tmp_path, monkeypatch):
    monkeypatch.delenv("LEERWERKPLAATS_PASSPHRASE", raising=False)
    result = invoke("run", readable_cases, "-o", tmp_path / "uit", "--key", tmp_path / "k.key", input="")
    assert result.exit_code == 1 and "LEERWERKPLAATS_PASSPHRASE" in result.output


# ---------------------------------------------------------------- 6. quiet, clear output

def test_unexpected_error_names_file_once_without_a_wrong_hint(readable_cases, tmp_path, monkeypatch, fakes):
    class Buggy(fakes.FakeTagger):
        def tag(self, case):
            raise KeyError("Sanne de Vries")

    monkeypatch.setattr(pipeline, "default_engines", lambda options: (fakes.fake_engines(options)[0], Buggy()))
    result = CliRunner().invoke(main, ["run", str(readable_cases), "-o", str(tmp_path / "uit"), "--formats", "html", "-q"])
    assert result.exit_code == 3
    assert result.output.count("een.txt") == 1 and "unexpected error (KeyError)" in result.output
    assert "Sanne" not in result.output and "run with -v" not in result.output


def test_pdf_rendering_logs_nothing_at_default_level(tmp_path):
    from leerwerkplaats.cli.common import configure_logging
    from leerwerkplaats.handouts.pdf import render_pdf

    stream = io.StringIO()
    configure_logging(0)
    handler = next(h for h in logging.getLogger().handlers if getattr(h, "_leerwerkplaats", False))
    handler.setStream(stream)
    render_pdf("<html><body><p>Één gezin, ‘zei’ mw. — ✓</p></body></html>")
    assert stream.getvalue() == ""
