"""The README opens with the two commands a newcomer runs; they must name real commands and options."""

import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from leerwerkplaats.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"


def _blocks() -> list[str]:
    return re.findall(r"```bash\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_readme_opens_with_setup_and_test_commands():
    first, second = _blocks()[:2]
    assert "pip install" in first and "leerwerkplaats run corpus_sample" in first
    assert "pytest" in second


def test_every_leerwerkplaats_command_in_the_readme_exists_with_its_options():
    text = README.read_text(encoding="utf-8")
    lines = re.findall(r"(?:^\$ |&& \.venv/bin/)(leerwerkplaats [^\n`|]+)", text, flags=re.M)
    assert len(lines) >= 5
    runner = CliRunner()
    for line in lines:
        words = shlex.split(line.split("#")[0])[1:]
        path = [w for w in words[:2] if not w.startswith("-") and w in _command_names(words)]
        result = runner.invoke(main, [*path, "--help"])
        assert result.exit_code == 0, line
        for option in (w.split("=")[0] for w in words if w.startswith("--")):
            assert option in result.output, f"{option} not an option of: {line}"


def _command_names(words: list[str]) -> set[str]:
    names = set(main.commands)
    for command in main.commands.values():
        names |= set(getattr(command, "commands", {}))
    return names


def test_every_command_has_help():
    runner = CliRunner()
    for name, command in main.commands.items():
        subcommands = list(getattr(command, "commands", {})) or [None]
        for sub in subcommands:
            args = [name] + ([sub] if sub else []) + ["--help"]
            result = runner.invoke(main, args)
            assert result.exit_code == 0 and "Usage" in result.output, args


def test_readme_names_both_lanes_and_ci_runs_the_whole_suite():
    commands = _blocks()[1].splitlines()
    assert commands == ['.venv/bin/python -m pytest -q -m "not slow"', ".venv/bin/python -m pytest -q"]
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert commands[1] in ci  # the whole suite, no marker filter
