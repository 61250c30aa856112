"""Issue 9: the kinds of miss and false hit seen on files nobody wrote the rules for.

Each line of ``data/pii_unseen_cases.jsonl`` is one named kind, written from the
issue's own examples: every occurrence of each ``pii`` text must be covered, no
``keep`` text may be touched. Kinds still missed are listed by name in
:data:`KNOWN_FAILURES`; the test fails when one of them starts to pass, so the
list only shrinks.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from leerwerkplaats.privacy.analyzer import analyse

CASES = [json.loads(line) for line in (Path(__file__).parent / "data" / "pii_unseen_cases.jsonl")
         .read_text(encoding="utf-8").splitlines() if line.strip()]
#: Kinds the rules do not yet get right (measured 2026-12-02).
KNOWN_FAILURES: set[str] = {
    "child-first-names-without-surname",  # "Sevda" at a sentence start, never with a title or role
    "club-without-type-word",  # "bij Blauw-Wit": left to the statistical recogniser (issue 9, deliverable 1)
}


def problems(analyzer, case: dict) -> list[str]:
    text = case["text"]
    covered = [False] * len(text)
    for f in analyse(analyzer, text):
        covered[f.start:f.end] = [True] * (f.end - f.start)
    out = []
    for item in case["pii"]:
        for m in re.finditer(r"(?<!\w)" + re.escape(item["text"]) + r"(?!\w)", text):
            if not all(covered[m.start():m.end()]):
                out.append(f"missed {item['type']} {item['text']!r} at {m.start()}")
    for word in case["keep"]:
        for m in re.finditer(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text):
            if any(covered[m.start():m.end()]):
                out.append(f"replaced {word!r} at {m.start()}")
    return out


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_unseen_kind(pseudonymiser, case):
    found = problems(pseudonymiser.analyzer, case)
    if case["name"] in KNOWN_FAILURES:
        assert found, "fixed: remove it from KNOWN_FAILURES"
    else:
        assert found == []


def test_known_failures_are_named_cases():
    assert KNOWN_FAILURES <= {c["name"] for c in CASES}


def test_whole_file_consistency_in_any_capitalisation(pseudonymiser):
    from leerwerkplaats.core.cases import RawCase

    text = "Jeugdbeschermer Anouk Meijering belde.\nMEIJERING kwam niet; later mailde anouk meijering\nopnieuw."
    out = pseudonymiser.pseudonymise(RawCase("c", "c.txt", text)).text
    assert "meijering" not in out.lower() and "anouk" not in out.lower()


def test_residual_check_is_case_insensitive_and_crosses_line_breaks(pseudonymiser):
    from leerwerkplaats.core.cases import PseudonymisedCase, RawCase
    from leerwerkplaats.core.errors import PseudonymisationError
    from leerwerkplaats.privacy.pseudonymise import KeyEntry, PseudonymisationResult

    raw = RawCase("c", "c.txt", "x")
    for leftover in ("ANOUK MEIJERING", "Anouk\nMeijering", "anouk meijering"):
        case = PseudonymisedCase("c", "Lisa Jansen belde. Later " + leftover + ".")
        result = PseudonymisationResult(case, (KeyEntry(0, 11, "PERSOON", "Anouk Meijering"),), 14)
        with pytest.raises(PseudonymisationError):
            pseudonymiser.verify(raw, result)


def test_date_shift_is_whole_weeks_and_small(pseudonymiser):
    from leerwerkplaats.core.cases import RawCase

    for i in range(12):
        result = pseudonymiser.run(RawCase(f"c{i}", "c.txt", "Kerst: woensdag 25 december 2019 bij oma."))
        assert result.date_shift_days % 7 == 0 and 14 <= abs(result.date_shift_days) <= 28
        assert "woensdag" in result.case.text


def test_phone_surrogate_keeps_notation_and_is_valid(pseudonymiser):
    import phonenumbers

    from leerwerkplaats.core.cases import RawCase

    for number in ("0031 6 38815631", "+31 6 3881 5631", "06-38815631", "071 - 514 97 33"):
        out = pseudonymiser.pseudonymise(RawCase("c", "c.txt", f"Bel moeder op {number} graag.")).text
        new = out[len("Bel moeder op "):-len(" graag.")]
        assert new != number and re.sub(r"\d", "0", new) == re.sub(r"\d", "0", number)
        assert phonenumbers.is_valid_number(phonenumbers.parse(new, "NL")), new


def test_institution_surrogate_keeps_a_space_and_drops_the_name(pseudonymiser):
    from leerwerkplaats.core.cases import RawCase

    out = pseudonymiser.pseudonymise(RawCase("c", "c.txt", "Opname in het Duinrand Ziekenhuis na de val.")).text
    assert "Duinrand" not in out and not re.search(r"[a-z][A-Z]", out)
