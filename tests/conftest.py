"""Shared fixtures. Heavy objects are built once per session.

Test lanes: ``pytest -m "not slow"`` is the fast lane for the edit-test loop;
plain ``pytest`` runs everything (CI does). A test is marked ``slow`` at
collection (:func:`pytest_collection_modifyitems`) when

- it uses, directly or through another fixture, one of :data:`SLOW_FIXTURES`
  (the real tagger model);
- it drives a browser (the ``browser`` marker);
- it is named in :data:`SLOW_BY_NAME`;

and by hand, with ``@pytest.mark.slow`` or a module ``pytestmark``, where the test
does the slow thing itself: PDF layout (WeasyPrint), the wheel build, a fresh
Python process, training a model, the whole sample through the real pseudonymiser,
soak-sized input.
"""

from __future__ import annotations

import re
import socket
from pathlib import Path
from types import SimpleNamespace

import pytest

from leerwerkplaats.core.cases import CaseFields, PseudonymisedCase, Tag, TaggedCase
from leerwerkplaats.core.errors import PseudonymisationError
from leerwerkplaats.core.records import PiiSpan

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpus_sample"

#: Fixtures that load or train something heavy (the real tagger; a model fitted for the test); every test that uses one is slow.
SLOW_FIXTURES: frozenset[str] = frozenset({"tagger", "tiny_model_dir"})

#: Slow tests of modules whose bodies are being changed on another branch (issue 16), marked
#: here rather than by a decorator in the file. test name → why it is slow. Move a line to a
#: ``@pytest.mark.slow`` on the test once that work has landed; tests/test_lanes.py checks the names.
SLOW_BY_NAME: dict[str, dict[str, str]] = {
    "test_safety.py": {
        "test_text_over_a_million_characters_is_pseudonymised_and_tagged": "soak-sized input",
        "test_nul_after_64k_does_not_break_docx_rendering": "soak-sized input: a 4,000-line case rendered",
        "test_vv_writes_no_case_text": "a CLI run in a fresh Python process",
        "test_ctrl_c_stops_within_seconds_and_says_interrupted": "a CLI run in a fresh Python process",
        "test_workers_exit_when_the_parent_is_killed": "a CLI run in a fresh Python process",
        "test_pdf_rendering_logs_nothing_at_default_level": "PDF layout",
    },
}


def is_slow(item: pytest.Item) -> bool:
    """The rule of the module docstring, for one collected test."""
    if item.get_closest_marker("slow") or item.get_closest_marker("browser"):
        return True
    if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    return getattr(item, "originalname", item.name) in SLOW_BY_NAME.get(item.path.name, {})


def pytest_collection_modifyitems(config, items):
    for item in items:
        if is_slow(item) and not item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def gold():
    from leerwerkplaats.reading import corpus

    return corpus.load(SAMPLE / "gold.jsonl")


@pytest.fixture(scope="session")
def pseudonymiser():
    from leerwerkplaats.privacy.pseudonymise import Pseudonymiser

    return Pseudonymiser.build(seed=7)


@pytest.fixture(scope="session")
def tagger():
    """The real tagger: ``$LEERWERKPLAATS_MODEL`` or the shipped default model (seconds to load)."""
    from leerwerkplaats.tagging.tagger import Tagger

    return Tagger.load()


# ---------------------------------------------------------------- fake engines for CLI tests (no models)

REAL = {"Sanne de Vries": "Lotte Bakker", "06-12345678": "06-00000000", "Kerkstraat 12": "Dorpsweg 3"}
CASES = {
    "een.txt": "Sanne de Vries belde op 06-12345678.\nVader sloeg het kind.\nDe OTS werd uitgesproken.\n",
    "twee.txt": "Gesprek met moeder aan de Kerkstraat 12.\nEr is sprake van een vechtscheiding.\n",
    "kapot.txt": "FAIL Sanne de Vries\n",
}
EEN, KAPOT, TWEE = "casus-001", "casus-002", "casus-003"  # neutral names in input order
RULES = {"sloeg": "trigger:fysiek_geweld", "Gesprek": "bouwsteen:gesprek_gezin",
         "vechtscheiding": "trigger:vechtscheiding", "OTS": "bouwsteen:maatregel"}


class FakePseudonymiser:
    def pseudonymise(self, raw):
        if "FAIL" in raw.text:
            raise PseudonymisationError(raw.name, "could not be pseudonymised safely")
        text, spans = raw.text, []
        for real, fake in REAL.items():
            if real in text:
                text = text.replace(real, fake)
                spans.append(PiiSpan(text.index(fake), text.index(fake) + len(fake), "PERSOON"))
        return PseudonymisedCase(raw.name, text, tuple(spans))

    def run(self, raw):
        from leerwerkplaats.privacy.pseudonymise import PseudonymisationResult

        case = self.pseudonymise(raw)
        return PseudonymisationResult(case, (), 0, tuple(self.residual(case)))

    threshold = 0.5

    def find(self, text):
        from leerwerkplaats.privacy.analyzer import Finding

        return [Finding(m.start(), m.end(), "PERSOON", 0.9) for m in re.finditer("Sanne de Vries", text)]

    def residual(self, case, threshold=0.3):
        if threshold >= self.threshold:  # the trust check of handouts/session: real names only
            return [f"PERSOON at line {i}" for i, line in enumerate(case.text.split("\n"), 1) if "Sanne" in line]
        return ["PERSOON at line 1"] if "Lotte" in case.text else []


class FakeTagger:
    def tag(self, case):
        tags, pos = [], 0
        for line in case.text.split("\n"):
            for cue, label in RULES.items():
                if cue in line:
                    tags.append(Tag(pos, pos + len(line), label, 0.9, (cue,)))
            pos += len(line) + 1
        route = "D" if "OTS" in case.text else "C"
        return TaggedCase(case, tuple(tags), CaseFields(clientroute=route, partijen=("gi",)), (), "fake 1")


def fake_engines(options):
    """A stand-in for ``pipeline.default_engines``: the fake pseudonymiser and tagger."""
    return FakePseudonymiser(), FakeTagger()


@pytest.fixture
def fakes() -> SimpleNamespace:
    """The fakes for CLI tests: ``fakes.fake_engines`` (patch it over ``pipeline.default_engines``),
    ``fakes.CASES`` (file name → text; the pseudonymiser refuses ``kapot.txt``), ``fakes.REAL``
    (real value → surrogate), ``fakes.EEN``/``KAPOT``/``TWEE`` (their neutral names),
    ``fakes.FakePseudonymiser`` and ``fakes.FakeTagger`` (to subclass or patch)."""
    return SimpleNamespace(REAL=REAL, CASES=CASES, EEN=EEN, KAPOT=KAPOT, TWEE=TWEE, RULES=RULES,
                           FakePseudonymiser=FakePseudonymiser, FakeTagger=FakeTagger, fake_engines=fake_engines)


@pytest.fixture
def cases_dir(tmp_path, monkeypatch, fakes):
    """``tmp_path/in`` with the three fake case files, and the fake engines patched over the real ones.

    The fake pseudonymiser refuses ``kapot.txt``, so a run over this folder ends with exit code 3.
    """
    from leerwerkplaats.run import pipeline

    monkeypatch.setattr(pipeline, "default_engines", fakes.fake_engines)
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in fakes.CASES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def readable_cases(cases_dir):
    """:func:`cases_dir` without ``kapot.txt``: every file gets output."""
    (cases_dir / "kapot.txt").unlink()
    return cases_dir


@pytest.fixture
def library(cases_dir, tmp_path):
    """``tmp_path/lib``: the library ``run`` makes of :func:`cases_dir` (two cases; kapot.txt withheld)."""
    from click.testing import CliRunner

    from leerwerkplaats.cli import main

    lib = tmp_path / "lib"
    result = CliRunner().invoke(main, ["run", str(cases_dir), "-o", str(lib), "--formats", "html", "-j", "1"],
                                catch_exceptions=False)
    assert result.exit_code == 3, result.output  # kapot.txt is withheld by the fake
    return lib


# ---------------------------------------------------------------- guards

@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a network connection fails the test."""

    def guard(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", guard)
    monkeypatch.setattr(socket, "create_connection", guard)
    monkeypatch.setattr(socket, "getaddrinfo", guard)

