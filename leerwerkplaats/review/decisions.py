"""Apply a reviewer's decisions to the spans the model found: pure functions on offsets.

The model's spans are found once per file; every edit re-applies the decisions
to them, so the pseudonymised view can be rebuilt without running the analyzer
again.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from leerwerkplaats.review.store import Decision

_EDGE = " \t\n\r.,;:!?()[]{}\"'“”‘’«»"


@dataclass(frozen=True)
class Span:
    """A span of personal data in the raw text; ``origin`` is ``model`` or ``added``."""

    start: int
    end: int
    type: str
    origin: str = "model"
    accepted: bool = False


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a selection to the smallest span without surrounding blanks or punctuation."""
    start, end = max(0, start), min(len(text), end)
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def occurrences(text: str, surface: str) -> list[tuple[int, int]]:
    """Every whole-word occurrence of ``surface`` in ``text``, in any capitalisation, any white space."""
    words = surface.split()
    if not words:
        return []
    pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)"
    return [(m.start(), m.end()) for m in re.finditer(pattern, text, re.IGNORECASE)]


def apply(model: list[Span], decisions: list[Decision]) -> list[Span]:
    """The spans after the decisions: removals dropped, types changed, additions in (they win overlaps)."""
    removed = {(d.start, d.end) for d in decisions if d.kind == "remove"}
    retyped = {(d.start, d.end): d.type for d in decisions if d.kind == "retype"}
    accepted = {(d.start, d.end) for d in decisions if d.kind == "accept"}
    kept = [s for s in model if (s.start, s.end) not in removed]
    adds = _non_overlapping([Span(d.start, d.end, d.type, "added") for d in decisions if d.kind == "add"])
    out: list[Span] = []
    for a in adds:
        if any(s.start <= a.start and a.end <= s.end for s in kept):
            continue  # already covered by a span the model found
        out.append(a)
    occupied = [(a.start, a.end) for a in out]
    out += [s for s in kept if not any(s.start < e and b < s.end for b, e in occupied)]
    return sorted((Span(s.start, s.end, retyped.get((s.start, s.end), s.type), s.origin,
                        (s.start, s.end) in accepted) for s in out), key=lambda s: s.start)


def _non_overlapping(spans: list[Span]) -> list[Span]:
    taken: list[Span] = []
    for s in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if not any(s.start < t.end and t.start < s.end for t in taken):
            taken.append(s)
    return taken


@dataclass(frozen=True)
class Changes:
    """What the reviewer changed in one file, per PII type (counts only)."""

    added: Counter
    removed: Counter
    retyped: Counter  # keyed "OLD→NEW"


def changes(model: list[Span], final: list[Span]) -> Changes:
    """Compare the model's spans with the reviewed ones."""
    by_offsets = {(s.start, s.end): s for s in final}
    added = Counter(s.type for s in final if s.origin == "added")
    removed: Counter = Counter()
    retyped: Counter = Counter()
    for s in model:
        now = by_offsets.get((s.start, s.end))
        if now is None:
            if not any(f.start < s.end and s.start < f.end for f in final):  # else a changed boundary
                removed[s.type] += 1
        elif now.type != s.type:
            retyped[f"{s.type}→{now.type}"] += 1
    return Changes(added, removed, retyped)
