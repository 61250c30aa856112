"""The word lists the name, place and institution recognisers share, loaded once.

:class:`Lexicon` answers "what kind of word is this capitalised token": a known
first or last name, a place, an ordinary Dutch word, an allow-listed phrase, or
unknown. The recognisers each get the same instance (see
:func:`leerwerkplaats.privacy.analyzer.build_analyzer`).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from leerwerkplaats.privacy import wordlists
from leerwerkplaats.privacy.tokens import TITLES, Tok

_APOSTROPHE_NAME = re.compile(r"[A-Z]['’][A-Z][a-zà-ÿ]+")


@lru_cache(maxsize=65536)
def is_word(word: str) -> bool:
    """True when ``word`` (any case) is an ordinary Dutch word, compounds included."""
    vocab = wordlists.dutch_vocabulary()
    w = word.lower().strip(".")
    if w in vocab or len(w) <= 2:
        return True
    if "-" in w:
        parts = w.split("-")
        return any(p and p in vocab and p == word.split("-")[parts.index(p)] for p in parts[1:]) or all(is_word(p) for p in parts if p)
    for i in range(4, len(w) - 3):
        head, tail = w[:i], w[i:]
        if len(tail) >= 4 and tail in vocab and (head in vocab or (head[-1] in "se" and head[:-1] in vocab)):
            return True
    return False


class Lexicon:
    """Names, places, the allow-list and the Dutch vocabulary, with the phrase indexes built once."""

    def __init__(self) -> None:
        self.names = wordlists.names()
        self.places = wordlists.places()
        self.allow = wordlists.allowlist()
        self.place_phrases = {tuple(p.split()) for p in self.places if " " in p}
        self.allow_lengths: dict[str, set[int]] = {}
        for phrase in self.allow:
            words = phrase.split()
            self.allow_lengths.setdefault(words[0], set()).add(len(words))
        self.place_starts = {p[0] for p in self.place_phrases}
        self.max_place = max(len(p) for p in self.place_phrases)

    def kind(self, tok: Tok) -> str:
        """``allow``, ``word``, ``place``, ``place?``, ``name``, ``name?`` or ``unknown`` (``?``: also a word)."""
        word = tok.bare
        low = word.lower()
        if low in self.allow or low in TITLES:
            return "allow"
        if "-" in word:
            pieces = word.split("-")
            if any(p[:1].islower() for p in pieces[1:]):
                return "word"  # MEE-consulent, VT-rapport
            if pieces[0] in self.places or word in self.places:
                return "place"  # Emmen-Noord, Zaandam-Oost, Sittard-Geleen
            if all(p in self.names.first or p in self.names.last for p in pieces):
                return "name"  # Gerrit-Jan, Bert-Jan
            return "word" if all(is_word(p) for p in pieces) else "unknown"
        if _APOSTROPHE_NAME.fullmatch(word):
            return "name"  # O'Neill, D'Souza, N'Diaye: no Dutch word is written so
        exact = low in wordlists.dutch_vocabulary()
        if word in self.places:
            return "place?" if exact else "place"
        if word in self.names.first or word in self.names.last:
            return "name?" if exact else "name"
        return "word" if is_word(word) else "unknown"

    def allowed_phrase(self, toks: list[Tok], i: int) -> int:
        """Length in tokens of the allow-listed phrase starting at ``toks[i]``, or 0."""
        lengths = self.allow_lengths.get(toks[i].bare.lower())
        if not lengths:
            return 0
        for length in sorted(lengths, reverse=True):
            if i + length <= len(toks):
                phrase = " ".join(t.bare for t in toks[i:i + length]).lower()
                if phrase in self.allow and (length > 1 or toks[i].text[:1].isupper()):
                    return length
        return 0

    def place_phrase(self, toks: list[Tok], i: int) -> int:
        """Length in tokens of the multi-word place name starting at ``toks[i]``, or 0."""
        if toks[i].text not in self.place_starts:
            return 0
        for length in range(min(self.max_place, len(toks) - i), 1, -1):
            words = [t.text for t in toks[i:i + length - 1]] + [toks[i + length - 1].bare]  # "Den Haag." ends a sentence
            if tuple(words) in self.place_phrases:
                return length
        return 0


@cache
def shared_lexicon() -> Lexicon:
    """The one lexicon of this process (word lists are read once)."""
    return Lexicon()
