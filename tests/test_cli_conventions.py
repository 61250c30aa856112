"""CLI conventions (issue 8, deliverable 5): help, stdin/stdout, --json, --quiet, exit codes, loud failures."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from leerwerkplaats.cli import main
from leerwerkplaats.cli.common import EXIT_INTERRUPTED, EXIT_NOTHING_RAN, EXIT_USAGE, EXIT_WITHHELD
from leerwerkplaats.run import pipeline

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "corpus_sample" / "gold.jsonl"


def all_commands(group: click.Group = main, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from all_commands(command, (*prefix, name))


def invoke(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


@pytest.mark.parametrize("path", [p for p, _ in all_commands()], ids=" ".join)
def test_every_command_has_help_without_rest_markup(path):
    result = invoke(*path, "--help")
    assert result.exit_code == 0 and "Usage" in result.output
    assert not re.search(r"``|:(class|func|mod|meth|data):`", result.output), path


def test_the_exit_codes_are_distinct_and_documented():
    codes = {EXIT_NOTHING_RAN, EXIT_USAGE, EXIT_WITHHELD, EXIT_INTERRUPTED}
    assert len(codes) == 4 and EXIT_USAGE == click.UsageError.exit_code
    helptext = invoke("--help").output
    for code in codes:
        assert f"{code} " in helptext
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(f"`{code}`" in readme for code in codes)


def test_option_names_agree_across_commands():
    seen: dict[str, set[str]] = {}
    for _, command in all_commands():
        for param in command.params:
            if isinstance(param, click.Option):
                seen.setdefault(param.name, set()).add(tuple(sorted(param.opts)))
    # import --from and export --to: the direction is the point
    disagree = {name: opts for name, opts in seen.items() if len(opts) > 1 and name != "fmt"}
    assert disagree == {}
    outs = {o for _, c in all_commands() for p in c.params if isinstance(p, click.Option) for o in p.opts
            if o.startswith("--out")}
    assert outs == {"--out"}


def test_missing_dependency_fails_loudly(tmp_path, monkeypatch, fakes):
    monkeypatch.setitem(sys.modules, "rich.progress", None)
    result = invoke("corpus", "check", GOLD)
    assert result.exit_code in (0, 1)  # check needs no rich
    cases = tmp_path / "in"
    cases.mkdir()
    (cases / "a.txt").write_text("tekst\n", encoding="utf-8")
    monkeypatch.setattr(pipeline, "default_engines", fakes.fake_engines)
    result = invoke("run", cases, "-o", tmp_path / "uit", "--formats", "html")
    assert result.exit_code == 1 and "needs the Python package 'rich'" in result.output
    assert "Traceback" not in result.output


def test_corpus_stats_json_and_stdin():
    result = CliRunner().invoke(main, ["corpus", "stats", "-", "--json"], input=GOLD.read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["files"] == 60 and set(data["pii_spans"]) >= {"PERSOON", "BSN"}


def test_corpus_export_to_stdout(tmp_path):
    result = CliRunner().invoke(main, ["corpus", "export", "--to", "doccano", str(GOLD), "-o", "-", "-q"])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 60 and result.stderr == ""


def test_run_json_on_stdout_messages_on_stderr(tmp_path, monkeypatch, fakes):
    monkeypatch.setattr(pipeline, "default_engines", fakes.fake_engines)
    cases = tmp_path / "in"
    cases.mkdir()
    for name, text in fakes.CASES.items():
        (cases / name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(cases), "-o", str(tmp_path / "uit"), "--formats", "html", "--json"])
    assert result.exit_code == EXIT_WITHHELD
    data = json.loads(result.stdout)  # nothing but the JSON on stdout
    assert data["done"] == 2 and data["withheld"] == 1 and data["exit_code"] == EXIT_WITHHELD
    assert [c["case"] for c in data["cases"]] == ["casus-001", "casus-002", "casus-003"]
    assert "Tags per group" in result.stderr and "withheld, no output" in result.stderr


def test_quiet_leaves_only_failures(tmp_path, monkeypatch, fakes):
    monkeypatch.setattr(pipeline, "default_engines", fakes.fake_engines)
    cases = tmp_path / "in"
    cases.mkdir()
    for name, text in fakes.CASES.items():
        (cases / name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(cases), "-o", str(tmp_path / "uit"), "--formats", "html", "-q"])
    assert result.exit_code == EXIT_WITHHELD
    assert result.stdout == "" and result.stderr.strip().splitlines() == [
        f"withheld, no output: {cases / 'kapot.txt'}: pseudonymisation failed: could not be pseudonymised safely"]


def test_pseudonymise_reads_stdin_and_writes_stdout(monkeypatch, fakes):
    monkeypatch.setattr(pipeline, "default_engines", fakes.fake_engines)
    result = CliRunner().invoke(main, ["pseudonymise", "-", "-o", "-", "-q"], input="Sanne de Vries belde.\n")
    assert result.exit_code == 0, result.output
    assert result.stdout == "Lotte Bakker belde.\n"


def test_pseudonymise_json_summary(tmp_path, monkeypatch, fakes):
    monkeypatch.setattr(pipeline, "default_engines", fakes.fake_engines)
    cases = tmp_path / "in"
    cases.mkdir()
    (cases / "a.txt").write_text("Sanne de Vries belde.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["pseudonymise", str(cases), "-o", str(tmp_path / "uit"), "--json",
                                       "--no-review-report"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["command"] == "pseudonymise" and data["done"] == 1 and data["pii_replaced"] == {"PERSOON": 1}


def test_bad_usage_is_click_exit_code(tmp_path):
    assert invoke("run", tmp_path, "-o", tmp_path / "x", "--formats", "odt").exit_code == EXIT_USAGE
    assert invoke("pseudonymise", "-", "-o", "-", "--style", "kleur").exit_code == EXIT_USAGE
