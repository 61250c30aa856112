"""One safe road: each slip of issue 16, tried as a new user would, is refused or harmless.

Every command that writes goes through the one output policy (staging, lock,
manifest, never onto an input); these tests use the fake pseudonymiser and
tagger, so they test the commands, not the models.
"""

from __future__ import annotations

import json
import pickle

import pytest
from click.testing import CliRunner

from leerwerkplaats.cli import main
from leerwerkplaats.core import codec
from leerwerkplaats.core.cases import CaseFields, PseudonymisedCase, ResearchText, Tag, TaggedCase
from leerwerkplaats.core.errors import CorpusError
from leerwerkplaats.core.output_folder import MANIFEST, OutputFolder
from leerwerkplaats.core.records import PiiSpan

PASSPHRASE = "een lange wachtzin voor de test"


@pytest.fixture(autouse=True)
def passphrase(monkeypatch):
    monkeypatch.setenv("LEERWERKPLAATS_PASSPHRASE", PASSPHRASE)




def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def one_line_error(result) -> bool:
    return "Traceback" not in result.output and result.output.count("Error:") == 1


# ---------------------------------------------------------------- session

def test_session_into_its_own_library_is_refused_and_deletes_nothing(library):
    before = snapshot(library)
    for target in (library, library / "sessie"):
        result = invoke("session", library, "-o", target, "--formats", "html", "-j", "1")
        assert result.exit_code == 1 and one_line_error(result), result.output
        assert "inside the input" in result.output
    assert snapshot(library) == before


def test_session_holding_the_library_is_refused(library):
    result = invoke("session", library, "-o", library.parent, "--formats", "html", "-j", "1")
    assert result.exit_code == 1 and "holds the input" in result.output


def test_session_into_a_folder_with_the_users_files_touches_none(library, tmp_path):
    out = tmp_path / "mijn-sessie"
    own = {"sessie.html": b"mijn eigen overzicht", "oud/trainer.html": b"oud", "casus-0001/trainer.html": b"notities"}
    for rel, data in own.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    result = invoke("sessie", library, "-o", out, "--formats", "html", "-j", "1")
    assert result.exit_code == 1 and "did not write" in result.output
    assert snapshot(out) == own


def test_two_sessions_into_one_folder_meet_the_lock(library, tmp_path):
    out = tmp_path / "sessie"
    with OutputFolder(out, [], "session"):
        result = invoke("session", library, "-o", out, "--formats", "html", "-j", "1")
    assert result.exit_code == 1 and "another leerwerkplaats run" in result.output


def test_session_writes_a_manifest_and_a_rerun_replaces_only_its_own(library, tmp_path):
    out = tmp_path / "sessie"
    assert invoke("session", library, "-o", out, "--formats", "html", "--count", "1", "-j", "1").exit_code == 0
    manifest = json.loads((out / MANIFEST).read_text())
    assert {f["path"] for f in manifest["files"]} == set(snapshot(out)) - {MANIFEST}
    (out / "eigen.txt").write_text("van mij")
    assert invoke("sessie", library, "-o", out, "--formats", "html", "--casussen", "2", "-j", "1").exit_code == 0
    assert (out / "eigen.txt").read_text() == "van mij"


def test_session_json_and_quiet(library, tmp_path):
    result = CliRunner().invoke(main, ["session", str(library), "-o", str(tmp_path / "s"), "--formats", "html",
                                       "-j", "1", "--json", "-q"], catch_exceptions=False)
    data = json.loads(result.stdout)
    assert data["command"] == "session" and data["cases"] and data["exit_code"] == 0
    assert "case(s) chosen" not in result.stdout


def test_session_withholds_a_library_case_with_personal_data_and_picks_another(library, tmp_path):
    lines = (library / "library.jsonl").read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    first["text"] = first["text"].replace("Lotte Bakker", "Sanne de Vries")  # a real name slipped into the library
    (library / "library.jsonl").write_text("\n".join([json.dumps(first)] + lines[1:]) + "\n", encoding="utf-8")
    out = tmp_path / "sessie"
    result = invoke("session", library, "-o", out, "--formats", "html", "--count", "2", "-j", "1")
    assert result.exit_code == 3 and f"withheld, not in the session: {first['id']}" in result.output
    assert "Sanne" not in result.output
    assert all(b"Sanne" not in data for data in snapshot(out).values())


# ---------------------------------------------------------------- keys, reports and single output files

def test_key_on_an_input_is_refused_and_the_input_kept(cases_dir, tmp_path):
    before = snapshot(cases_dir)
    result = invoke("pseudonymise", cases_dir, "-o", tmp_path / "out", "--key", cases_dir / "een.txt",
                    "--no-review-report")
    assert result.exit_code == 1 and one_line_error(result) and "inside the input" in result.output
    assert snapshot(cases_dir) == before and not (tmp_path / "out").exists()


def test_review_report_on_an_input_is_refused(cases_dir, tmp_path):
    before = snapshot(cases_dir)
    result = invoke("pseudonymise", cases_dir, "-o", tmp_path / "out", "--review-report", cases_dir / "twee.txt")
    assert result.exit_code == 1 and one_line_error(result)
    assert snapshot(cases_dir) == before


def test_default_review_report_lies_beside_the_input_folder_not_in_it(cases_dir, tmp_path):
    before = snapshot(cases_dir)
    result = invoke("pseudonymise", cases_dir, "-o", tmp_path / "out")
    assert result.exit_code == 3
    assert snapshot(cases_dir) == before
    assert (tmp_path / "leerwerkplaats-controlerapport.html").exists()


def test_an_existing_key_is_replaced_only_on_request(cases_dir, tmp_path):
    key = tmp_path / "sleutel.key"
    assert invoke("pseudonymise", cases_dir, "-o", tmp_path / "a", "--key", key, "--no-review-report").exit_code == 3
    first = key.read_bytes()
    result = invoke("pseudonymise", cases_dir, "-o", tmp_path / "b", "--key", key, "--no-review-report")
    assert result.exit_code == 1 and "unreadable" in result.output and "--replace-key" in result.output
    assert key.read_bytes() == first and not (tmp_path / "b").exists()
    result = invoke("pseudonymise", cases_dir, "-o", tmp_path / "b", "--key", key, "--replace-key", "--no-review-report")
    assert result.exit_code == 3 and key.read_bytes() != first


def test_key_that_cannot_be_written_commits_nothing(cases_dir, tmp_path):
    out = tmp_path / "out"
    result = invoke("run", cases_dir, "-o", out, "--formats", "html", "--key", "/proc/geen-plek.key")
    assert result.exit_code == 1 and one_line_error(result)
    assert not [p for p in out.rglob("*") if p.is_file()]  # no handouts without the key that was asked for


def test_predict_and_export_never_overwrite_the_gold_file(cases_dir, tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "a", "text": "Vader sloeg het kind.", "pii": [], "spans": []}) + "\n")
    before = gold.read_bytes()
    for args in (("predict", gold, "-o", gold, "--pii-only"),
                 ("corpus", "export", "--to", "doccano", gold, "-o", gold)):
        result = invoke(*args)
        assert result.exit_code == 1 and one_line_error(result), result.output
    assert gold.read_bytes() == before


def test_predict_replaces_its_own_output_but_not_a_foreign_file(cases_dir, tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "a", "text": "Vader sloeg het kind.", "pii": [], "spans": []}) + "\n")
    pred = tmp_path / "pred.jsonl"
    assert invoke("predict", gold, "-o", pred, "--pii-only").exit_code == 0
    assert invoke("predict", gold, "-o", pred, "--pii-only").exit_code == 0  # its own, unchanged: replaced
    pred.write_text(pred.read_text() + "\n")  # a person changed it
    assert invoke("predict", gold, "-o", pred, "--pii-only").exit_code == 1
    foreign = tmp_path / "notities.jsonl"
    foreign.write_text("van mij\n")
    assert invoke("predict", gold, "-o", foreign, "--pii-only").exit_code == 1
    assert foreign.read_text() == "van mij\n"


def test_predict_keeps_record_ids_and_order(cases_dir, tmp_path):
    gold = tmp_path / "gold.jsonl"
    rows = [{"id": i, "text": f"Gesprek {i}.", "pii": [], "spans": []} for i in ("z", "a", "m")]
    gold.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert invoke("predict", gold, "-o", tmp_path / "p.jsonl", "-j", "2").exit_code == 0
    out = [json.loads(line) for line in (tmp_path / "p.jsonl").read_text().splitlines()]
    assert [o["id"] for o in out] == ["z", "a", "m"] and "pseudonymised" not in out[0]


def test_predict_pseudonymise_goes_through_the_review_gate(cases_dir, tmp_path, monkeypatch):
    from leerwerkplaats.review import adapter

    seen = []
    real = adapter.ReviewGate.run

    def spy(self, raw):
        seen.append(raw.name)
        return real(self, raw)

    monkeypatch.setattr(adapter.ReviewGate, "run", spy)
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "a", "text": "Sanne de Vries belde.", "pii": [], "spans": []}) + "\n")
    assert invoke("predict", "--pseudonymise", gold, "-o", tmp_path / "p.jsonl").exit_code == 0
    line = json.loads((tmp_path / "p.jsonl").read_text())
    assert seen == ["a"] and line["pseudonymised"] is True and "Sanne" not in line["text"]
    assert line["review_note"]  # nobody reviewed it: the handouts will say so


# ---------------------------------------------------------------- manifests

def test_a_manifest_pointing_outside_the_folder_deletes_nothing(library, cases_dir, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("blijf")
    absolute = tmp_path / "absolute.txt"
    absolute.write_text("blijf ook")
    manifest = json.loads((library / MANIFEST).read_text())
    manifest["files"] += [{"path": "../victim.txt"}, {"path": str(absolute)}]
    (library / MANIFEST).write_text(json.dumps(manifest))
    result = invoke("run", cases_dir, "-o", library, "--formats", "html", "-j", "1")
    assert result.exit_code == 1 and one_line_error(result)
    assert victim.read_text() == "blijf" and absolute.read_text() == "blijf ook"


def test_a_rerun_with_an_input_fewer_renumbers_nothing(library, cases_dir, fakes):
    twee = snapshot(library / fakes.TWEE)
    (cases_dir / "een.txt").unlink()
    result = invoke("run", cases_dir, "-o", library, "--formats", "html", "-j", "1")
    assert result.exit_code == 3
    assert not (library / fakes.EEN).exists()  # its input is gone
    assert snapshot(library / fakes.TWEE) == twee  # still the same case under the same name


def test_an_edited_output_stops_the_rerun_and_stays(library, cases_dir, fakes):
    edited = library / fakes.TWEE / "trainer.html"
    edited.write_text("mijn aantekeningen", encoding="utf-8")
    (cases_dir / "een.txt").unlink()
    result = invoke("run", cases_dir, "-o", library, "--formats", "html", "-j", "1")
    assert result.exit_code == 1 and one_line_error(result)
    assert str(edited) in result.output and "changed since" in result.output
    assert edited.read_text(encoding="utf-8") == "mijn aantekeningen"
    assert (library / fakes.EEN).exists()  # nothing was done


def test_new_inputs_get_new_numbers(library, cases_dir, fakes):
    (cases_dir / "aaa.txt").write_text("Gesprek met vader.\n", encoding="utf-8")
    assert invoke("run", cases_dir, "-o", library, "--formats", "html", "-j", "1").exit_code == 3
    assert (library / "casus-004").exists()  # after the highest number used before
    manifest = json.loads((library / MANIFEST).read_text())
    assert sorted(manifest["cases"].values()) == ["casus-001", "casus-002", "casus-003", "casus-004"]
    assert not any("een" in k or "txt" in k for k in manifest["cases"])  # content hashes, never names


# ---------------------------------------------------------------- trust no marker

def test_handouts_withhold_raw_text_marked_pseudonymised(cases_dir, tmp_path):
    pred = tmp_path / "pred.jsonl"
    rows = [{"id": "x", "text": "Sanne de Vries belde.\n", "pseudonymised": True, "pii": [], "spans": []},
            {"id": "y", "text": "Lotte Bakker belde.\n", "pseudonymised": True,
             "pii": [{"start": 0, "end": 12, "type": "PERSOON"}], "spans": []}]
    pred.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "out"
    result = invoke("handouts", pred, "-o", out, "--formats", "html", "-j", "1")
    assert result.exit_code == 3 and "still holds what looks like personal data" in result.output
    assert "Sanne" not in result.output
    assert all(b"Sanne" not in data for data in snapshot(out).values())
    assert (out / "casus-002" / "trainer.html").exists()


# ---------------------------------------------------------------- a user's situation is no traceback

@pytest.mark.parametrize("target", ["/proc/nope", "/sys/leerwerkplaats-test"])
def test_impossible_output_folder_is_one_line(library, target):
    result = invoke("session", library, "-o", target, "--formats", "html", "-j", "1")
    assert result.exit_code == 1 and one_line_error(result), result.output


def test_read_only_output_folder_is_one_line(cases_dir, tmp_path, monkeypatch):
    import errno

    from leerwerkplaats.core import output_folder

    real_mkdir = output_folder.Path.mkdir

    def refuse(self, *args, **kwargs):
        if self.name.startswith(output_folder.STAGING_PREFIX):
            raise OSError(errno.EROFS, "Read-only file system")
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(output_folder.Path, "mkdir", refuse)
    result = invoke("run", cases_dir, "-o", tmp_path / "out", "--formats", "html")
    assert result.exit_code == 1 and one_line_error(result) and "read-only" in result.output


def test_vv_names_the_place_of_an_unexpected_error_without_its_message(cases_dir, tmp_path, monkeypatch, fakes):
    def broken(self, case):
        raise ValueError("Sanne de Vries geheim")

    monkeypatch.setattr(fakes.FakeTagger, "tag", broken)
    result = invoke("-vv", "run", cases_dir, "-o", tmp_path / "out", "--formats", "html", "-j", "1")
    assert result.exit_code == 3
    assert "geheim" not in result.output and "Sanne" not in result.output
    assert "unexpected ValueError at test_one_road.py:" in result.output


# ---------------------------------------------------------------- one case type, one codec

def _tagged(case) -> TaggedCase:
    return TaggedCase(case, (Tag(0, 6, "trigger:fysiek_geweld", 0.8, ("sloeg",)),),
                      CaseFields("D", ("gi",), "acuut", (), {"clientroute": "regel 1"}),
                      (Tag(7, 10, "trigger:vechtscheiding", 0.4),), "model 1")


def test_a_tagged_case_pickles_and_round_trips_through_the_codec():
    tagged = _tagged(PseudonymisedCase("casus-001", "Vader sloeg het kind.", (PiiSpan(0, 5, "PERSOON"),),
                                       ("DATUM at line 1 (score 0.40)",), "Niet gecontroleerd."))
    assert pickle.loads(pickle.dumps(tagged)) == tagged
    line = json.loads(codec.dumps([tagged]))
    assert line["pseudonymised"] is True and line["spans"][0]["cues"] == ["sloeg"]
    assert codec.decode(line) == tagged


def test_research_text_is_never_marked_and_never_decoded():
    line = codec.encode(_tagged(ResearchText("a", "Vader sloeg het kind.")))
    assert "pseudonymised" not in line
    with pytest.raises(CorpusError, match="not marked as pseudonymised"):
        codec.decode(line)


@pytest.mark.parametrize("change", [
    {"text": "Cafe\u0301 sloeg", "spans": [{"start": 0, "end": 4, "label": "trigger:fysiek_geweld"}]},
    {"spans": [{"start": 0, "end": 999, "label": "trigger:fysiek_geweld"}]},
    {"ruled_out": [{"start": -1, "end": 2, "label": "trigger:vechtscheiding"}]},
    {"residual": "DATUM"},
])
def test_decode_checks_offsets_and_normal_form(change):
    line = {**codec.encode(_tagged(PseudonymisedCase("c", "Vader sloeg het kind."))), **change}
    with pytest.raises(CorpusError):
        codec.decode(line)


def test_the_handouts_refuse_research_text():
    from leerwerkplaats.handouts import Renderer

    with pytest.raises(TypeError):
        Renderer.build().case_files(_tagged(ResearchText("a", "Vader sloeg het kind.")), ("html",))


# ---------------------------------------------------------------- Ctrl-C and a killed parent during a session

SLOW_SESSION = '''
import sys, time
sys.path.insert(0, {tests!r})
from leerwerkplaats.cli import main
from leerwerkplaats.run import pipeline, session_run
import conftest as fakes

real_task = session_run._task

def slow_task(task):
    time.sleep(8)
    return real_task(task)

session_run._task = slow_task
pipeline.default_engines = fakes.fake_engines
main()
'''


def _start_slow_session(library, tmp_path):
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    script = tmp_path / "slow_session.py"
    script.write_text(SLOW_SESSION.format(tests=str(Path(__file__).parent)), encoding="utf-8")
    out = tmp_path / "sessie"
    proc = subprocess.Popen([sys.executable, str(script), "session", str(library), "-o", str(out), "--count", "2",
                             "--formats", "html", "-j", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 120
    while time.time() < deadline and len(_children(proc.pid)) < 2:
        time.sleep(0.2)
    return proc, out


def _children(pid):
    import subprocess

    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def _alive(pids):
    from pathlib import Path

    return [p for p in pids if Path(f"/proc/{p}").exists()
            and "Z" not in Path(f"/proc/{p}/stat").read_text().split()[2]]


@pytest.mark.slow
def test_ctrl_c_during_a_session_exits_130_and_stops_the_workers(library, tmp_path):
    import os
    import signal
    import time

    proc, out = _start_slow_session(library, tmp_path)
    workers = _children(proc.pid)
    assert workers
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal does
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err[-2000:]
    assert "interrupted:" in err and "Traceback" not in err
    assert not [p for p in out.rglob("*") if p.is_file()]  # nothing put in place
    deadline = time.time() + 10
    while time.time() < deadline and _alive(workers):
        time.sleep(0.2)
    assert _alive(workers) == []


@pytest.mark.slow
def test_session_workers_exit_when_the_parent_is_killed(library, tmp_path):
    import time

    proc, _ = _start_slow_session(library, tmp_path)
    workers = _children(proc.pid)
    assert workers
    proc.kill()
    proc.wait(timeout=30)
    deadline = time.time() + 10
    while time.time() < deadline and _alive(workers):
        time.sleep(0.2)
    assert _alive(workers) == []


@pytest.mark.slow
def test_handouts_withhold_a_hand_made_raw_record_with_the_real_analyzer(tmp_path, monkeypatch):
    """A raw file marked pseudonymised by hand: a name and a valid BSN (11-check) never reach a handout."""
    monkeypatch.setenv("LEERWERKPLAATS_PASSPHRASE", PASSPHRASE)
    text = ("Verslag huisbezoek\nOp 3 maart sprak ik met mevrouw Femke Rijnders (BSN 111222333) over de zorgen.\n"
            "Vader sloeg de kinderen volgens de school.\n")
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps({"id": "x", "text": text, "pseudonymised": True, "pii": [], "spans": []}) + "\n")
    out = tmp_path / "out"
    result = invoke("handouts", pred, "-o", out, "--formats", "html", "-j", "1")
    assert result.exit_code == 3 and "still holds what looks like personal data" in result.output
    assert "Rijnders" not in result.output and "111222333" not in result.output
    assert all(b"Rijnders" not in d and b"111222333" not in d for d in snapshot(out).values()) if out.exists() else True


# ---------------------------------------------------------------- names

def test_every_command_lives_in_a_module_named_for_it():
    """``run_cmd.py`` holds ``run``; a module may hold a second command it names in its first line."""
    import sys

    for name, command in main.commands.items():
        if command.hidden:  # an alias (sessie)
            continue
        module = sys.modules[command.callback.__module__]
        stem = module.__name__.rsplit(".", 1)[1]
        first_line = (module.__doc__ or "").splitlines()[0]
        assert module.__name__.startswith("leerwerkplaats.cli.")
        assert stem == f"{name.replace('-', '_')}_cmd" or f"``{name}``" in first_line.replace("leerwerkplaats ", ""), (
            name, stem)


def test_the_dutch_names_users_type_stay_as_aliases():
    result = CliRunner().invoke(main, ["sessie", "--help"])
    assert result.exit_code == 0 and "--casussen" in result.output and "--thema" in result.output
    assert "sessie" not in CliRunner().invoke(main, ["--help"]).output.split("Commands:")[1]
