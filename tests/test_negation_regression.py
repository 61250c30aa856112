"""Regression: a cue in a negated / ruled-out / hypothetical sentence is never tagged as the trigger.

Runs the shipped default model over ``tests/data/negation_regression.jsonl``
(lines ``{"text", "cue_label", "kind", "expected"}``). Known failures, if any,
are listed by text in :data:`KNOWN_FAILURES` so a fix shows up as an XPASS.

Rows of kind ``positive`` are controls: plain, affirmative sentences of the
same kinds (a real divorce conflict, real violence, a real safety plan) whose
``cue_label`` must be found, so a tagger that tags nothing cannot pass. The
controls the model misses are listed in :data:`KNOWN_MISSES`; the test fails
on a new miss and on a listed one that is now found.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Mapping

import pytest

from leerwerkplaats.core.cases import CaseFields, PseudonymisedCase, TaggedCase

DATA = Path(__file__).parent / "data" / "negation_regression.jsonl"
ROWS = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
POSITIVE = "positive"
CONTROLS = [row for row in ROWS if row["kind"] == POSITIVE]
NOT_TRIGGERS = [(i, row) for i, row in enumerate(ROWS) if row["kind"] != POSITIVE]
KNOWN_FAILURES: frozenset[str] = frozenset()
#: Positive controls the shipped model misses (measured 2026-12-02, model 0.1.0+c98ea982.s0).
KNOWN_MISSES: frozenset[str] = frozenset({
    "Vader geeft toe dat hij Mila een harde klap heeft gegeven.",  # an admission: "geeft toe dat" outweighs "klap"
})


def tag_rows(tagger, rows) -> dict[str, TaggedCase]:
    """Text → tagged case, for every row, in one ``tag_many`` call."""
    cases = [PseudonymisedCase(f"r{i}", row["text"]) for i, row in enumerate(rows)]
    return {row["text"]: t for row, t in zip(rows, tagger.tag_many(cases))}


def control_failures(tagged: Mapping[str, TaggedCase], controls=CONTROLS) -> list[str]:
    """What is wrong with the positive controls: new misses, and listed misses that are now found."""
    missed = {row["text"] for row in controls if row["cue_label"] not in tagged[row["text"]].labels}
    return ([f"missed: {row['cue_label']} in {row['text']!r}" for row in controls
             if row["text"] in missed - KNOWN_MISSES]
            + [f"now found, remove from KNOWN_MISSES: {text!r}" for text in sorted(KNOWN_MISSES - missed)])


@pytest.fixture(scope="module")
def tagged(tagger):
    return tag_rows(tagger, ROWS)


def test_file_is_large_enough():
    assert len(NOT_TRIGGERS) >= 40
    assert {"negated", "ruled_out", "hypothetical"} <= {row["kind"] for row in ROWS}
    assert len(set(r["text"] for r in CONTROLS) - KNOWN_MISSES) >= 12
    assert all(row["cue_label"] in row["expected"] for row in CONTROLS)
    assert KNOWN_MISSES <= {row["text"] for row in CONTROLS}


@pytest.mark.parametrize("row", [row for _, row in NOT_TRIGGERS], ids=[f"{r['kind']}-{i}" for i, r in NOT_TRIGGERS])
def test_cue_is_not_tagged_as_trigger(tagged, row):
    if row["text"] in KNOWN_FAILURES:
        pytest.xfail("known failure")
    assert row["cue_label"] not in tagged[row["text"]].labels


def test_ruled_out_rows_mostly_become_ontkrachtend(tagged):
    rows = [r for r in ROWS if r["kind"] == "ruled_out"]
    hits = sum("trigger:ontkrachtend_signaal" in tagged[r["text"]].labels for r in rows)
    assert hits >= 0.7 * len(rows)


def test_positive_controls_are_found(tagged):
    assert control_failures(tagged) == []


class NullTagger:
    """Tags nothing: passes every 'not tagged' row, so only the controls can catch it."""

    def tag_many(self, cases):
        return [TaggedCase(case, (), CaseFields()) for case in cases]


def test_a_tagger_that_tags_nothing_fails_the_controls():
    tagged = tag_rows(NullTagger(), ROWS)
    failures = control_failures(tagged)
    assert len([f for f in failures if f.startswith("missed: ")]) == len(set(r["text"] for r in CONTROLS) - KNOWN_MISSES)
    assert len(failures) >= 12
    assert all(row["cue_label"] not in tagged[row["text"]].labels for _, row in NOT_TRIGGERS)  # the rest would pass
