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
Python process, the whole sample through the real pseudonymiser, soak-sized input.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpus_sample"

#: Fixtures that load something heavy; every test that uses one is slow.
SLOW_FIXTURES: frozenset[str] = frozenset({"tagger"})

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


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a network connection fails the test."""

    def guard(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", guard)
    monkeypatch.setattr(socket, "create_connection", guard)
    monkeypatch.setattr(socket, "getaddrinfo", guard)


# TEMPORARY shim until the shared fakes move here (lanes branch)
@pytest.fixture
def fakes():
    import tests.test_run_cli as fakes_module

    return fakes_module
