"""Cue lexicons as data, and a small token-pattern matcher over them.

The lexicons live in ``leerwerkplaats/data/cues_*.json``: label cues (from
ANNOTATION.md §2–3 and the train split), context cues (ConText-style) and
chain-partner names. A pattern is a space-separated token sequence:

- ``stem*`` matches any token that starts with ``stem``;
- a token with capitals (``VT``, ``MEE``) matches the surface case-sensitively,
  so the abbreviation ``MEE`` is not the word *mee*;
- any other token matches the lowercased surface or the lemma.

The matcher is pure Python over token tuples, so it is testable without spaCy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, Mapping, Sequence

_PREFIX_KEY = 3


@dataclass(frozen=True)
class TokenView:
    """What the matcher needs of one token."""

    text: str
    lower: str
    lemma: str


@dataclass(frozen=True)
class Hit:
    """A pattern of ``key`` matched tokens ``start``..``end`` (exclusive)."""

    key: str
    start: int
    end: int
    pattern: str


def _spec_matches(spec: str, tok: TokenView) -> bool:
    if spec.endswith("*"):
        stem = spec[:-1]
        if stem != stem.lower():
            return tok.text.startswith(stem)
        return tok.lower.startswith(stem) or tok.lemma.startswith(stem)
    if spec != spec.lower():
        return tok.text == spec
    return tok.lower == spec or tok.lemma == spec


class PatternMatcher:
    """Match many token patterns, each belonging to a key (a label, a party, a cue kind).

    Parameters
    ----------
    patterns
        Mapping of key to pattern strings. Keys starting with ``_`` are ignored
        (room for comments in the data files).
    """

    def __init__(self, patterns: Mapping[str, Iterable[str]]):
        self._exact: dict[str, list[tuple[str, tuple[str, ...], str]]] = {}
        self._prefix: dict[str, list[tuple[str, tuple[str, ...], str]]] = {}
        #: one-token lowercase patterns: a lookup of the token's lowercase form or lemma is the whole match
        self._single: dict[str, list[tuple[str, str]]] = {}
        self.keys: tuple[str, ...] = tuple(k for k in patterns if not k.startswith("_"))
        for key in self.keys:
            for pattern in patterns[key]:
                specs = tuple(pattern.split())
                if not specs:
                    continue
                first = specs[0]
                entry = (key, specs, pattern)
                if len(specs) == 1 and first == first.lower() and not first.endswith("*"):
                    self._single.setdefault(first, []).append((key, pattern))
                elif first.endswith("*"):
                    stem = first[:-1].lower()
                    if len(stem) < _PREFIX_KEY:
                        raise ValueError(f"prefix pattern {pattern!r} of {key!r} is too short")
                    self._prefix.setdefault(stem[:_PREFIX_KEY], []).append(entry)
                else:
                    self._exact.setdefault(first.lower(), []).append(entry)

    def _candidates(self, tok: TokenView) -> list[tuple[str, tuple[str, ...], str]]:
        out = list(self._exact.get(tok.lower, ()))
        if tok.lemma != tok.lower:
            out += self._exact.get(tok.lemma, ())
        out += self._prefix.get(tok.lower[:_PREFIX_KEY], ())
        if tok.lemma[:_PREFIX_KEY] != tok.lower[:_PREFIX_KEY]:
            out += self._prefix.get(tok.lemma[:_PREFIX_KEY], ())
        return out

    def find(self, tokens: Sequence[TokenView]) -> list[Hit]:
        """Every match in ``tokens``, sorted by start, longest first; duplicates removed."""
        hits: set[Hit] = set()
        n = len(tokens)
        single, exact, prefix = self._single, self._exact, self._prefix
        for i, tok in enumerate(tokens):
            lower, lemma = tok.lower, tok.lemma
            for key, pattern in single.get(lower, ()):
                hits.add(Hit(key, i, i + 1, pattern))
            if lemma != lower:
                for key, pattern in single.get(lemma, ()):
                    hits.add(Hit(key, i, i + 1, pattern))
            if lower not in exact and lemma not in exact and lower[:_PREFIX_KEY] not in prefix \
                    and lemma[:_PREFIX_KEY] not in prefix:
                continue
            for key, specs, pattern in self._candidates(tok):
                if i + len(specs) > n:
                    continue
                if all(_spec_matches(s, tokens[i + j]) for j, s in enumerate(specs)):
                    hits.add(Hit(key, i, i + len(specs), pattern))
        return sorted(hits, key=lambda h: (h.start, -(h.end - h.start), h.key, h.pattern))


def _load(name: str) -> dict:
    with resources.files("leerwerkplaats.data").joinpath(name).open(encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=None)
def label_cues() -> dict[str, tuple[str, ...]]:
    """The label cue lexicon: label id → patterns."""
    return {k: tuple(v) for k, v in _load("cues_labels.json").items() if not k.startswith("_")}


@lru_cache(maxsize=None)
def context_cues() -> dict:
    """The context cue lexicon (kinds with pre/post/sentence lists, pseudo, terminate)."""
    return {k: v for k, v in _load("cues_context.json").items() if not k.startswith("_")}


@lru_cache(maxsize=None)
def party_cues() -> dict[str, tuple[str, ...]]:
    """The chain-partner lexicon: party id → patterns."""
    return {k: tuple(v) for k, v in _load("cues_parties.json").items() if not k.startswith("_")}


@lru_cache(maxsize=None)
def label_matcher() -> PatternMatcher:
    """A shared matcher over :func:`label_cues`."""
    return PatternMatcher(label_cues())
