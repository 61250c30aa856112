"""Shared fixtures. Heavy objects are built once per session."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpus_sample"


@pytest.fixture(scope="session")
def gold():
    from leerwerkplaats.reading import corpus

    return corpus.load(SAMPLE / "gold.jsonl")


@pytest.fixture(scope="session")
def pseudonymiser():
    from leerwerkplaats.privacy.pseudonymise import Pseudonymiser

    return Pseudonymiser.build(seed=7)


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
