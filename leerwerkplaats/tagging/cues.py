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
from functools import lru_cache
from importlib import resources
from typing import Iterable, Mapping, NamedTuple, Sequence

_PREFIX_KEY = 3
#: Token types remembered per matcher before the memory is cleared.
_SEEN_MAX = 200_000


class TokenView(NamedTuple):
    """What the matcher needs of one token (a tuple: hashed and compared in C, it is a key of the matcher's memory)."""

    text: str
    lower: str
    lemma: str


class Hit(NamedTuple):
    """A pattern of ``key`` matched tokens ``start``..``end`` (exclusive)."""

    key: str
    start: int
    end: int
    pattern: str


_Entry = tuple[str, tuple[str, ...], str]
#: What may start at a token: the one-token hits ``(key, pattern)``; the longer patterns whose
#: first token matches it, by their second token where that is plain (``{second: (key, specs
#: after the second, pattern)}``), and the others ``(key, specs after the first, pattern)``.
_Starts = tuple[tuple[tuple[str, str], ...], dict[str, tuple[_Entry, ...]], tuple[_Entry, ...]]
_NOTHING: _Starts = ((), {}, ())


def _plain(spec: str) -> bool:
    """A spec that matches a token's lowercase form or lemma exactly (no prefix, no capitals)."""
    return not spec.endswith("*") and spec == spec.lower()


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
        #: token → what may start there (:meth:`_starts`); a case file repeats its token types
        self._seen: dict[TokenView, _Starts] = {}
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

    def _starts(self, tok: TokenView) -> _Starts:
        """What may start at a token (remembered per token type, see :data:`_Starts`)."""
        found = self._seen.get(tok)
        if found is None:
            ones = [(key, pattern) for key, pattern in self._single.get(tok.lower, ())]
            if tok.lemma != tok.lower:
                ones += self._single.get(tok.lemma, ())
            nexts: dict[str, list[tuple[str, tuple[str, ...], str]]] = {}
            others = []
            for key, specs, pattern in self._candidates(tok):
                if not _spec_matches(specs[0], tok):
                    continue
                if len(specs) == 1:
                    ones.append((key, pattern))
                elif _plain(specs[1]):
                    nexts.setdefault(specs[1], []).append((key, specs[2:], pattern))
                else:
                    others.append((key, specs[1:], pattern))
            found = ((tuple(ones), {k: tuple(v) for k, v in nexts.items()}, tuple(others))
                     if ones or nexts or others else _NOTHING)
            if len(self._seen) >= _SEEN_MAX:  # a bound, not an LRU: token types repeat a lot
                self._seen.clear()
            self._seen[tok] = found
        return found

    def find(self, tokens: Sequence[TokenView]) -> list[Hit]:
        """Every match in ``tokens``, sorted by start, longest first; duplicates removed."""
        hits: set[Hit] = set()
        n = len(tokens)
        seen, starts = self._seen, self._starts
        for i, tok in enumerate(tokens):
            found = seen.get(tok) or starts(tok)
            if found is _NOTHING:  # most tokens
                continue
            ones, nexts, others = found
            for key, pattern in ones:
                hits.add(Hit(key, i, i + 1, pattern))
            if i + 1 == n:
                continue
            nxt = tokens[i + 1]
            if nexts:
                # a plain second token matches the next token's lowercase form or lemma: look both up
                buckets = [nexts.get(nxt.lower, ())]
                if nxt.lemma != nxt.lower:
                    buckets.append(nexts.get(nxt.lemma, ()))
                for bucket in buckets:
                    for key, more, pattern in bucket:
                        end = i + 2 + len(more)
                        if end <= n and all(_spec_matches(s, tokens[i + 2 + j]) for j, s in enumerate(more)):
                            hits.add(Hit(key, i, end, pattern))
            for key, more, pattern in others:
                end = i + 1 + len(more)
                if end <= n and all(_spec_matches(s, tokens[i + 1 + j]) for j, s in enumerate(more)):
                    hits.add(Hit(key, i, end, pattern))
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
