"""Tokens and token features of the statistical PII recogniser (a CRF over IO tags).

The same code serves training (:mod:`leerwerkplaats.research.pii_training`) and
recognition (:mod:`leerwerkplaats.privacy.statistical`), so both see one tokenisation
and one feature set.

The features describe the shape of a word and of its neighbours (two either side),
never a list of names: capitalisation, digits and punctuation, suffixes, whether the
word is an ordinary Dutch word, and the identity of the neighbouring words. A word's
own identity is a feature only for words the training corpus uses outside personal
data (see :func:`token_features`), so the model cannot learn names by heart and has
to read them from their context: ``gesprek met X``, ``bsn X:``, ``vader X``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from functools import lru_cache

from leerwerkplaats.privacy import wordlists

#: Initials with their dots ("J.W.", "K."), then words joined by inner marks
#: ("06-12345678", "12-03-2019", "s.devries@hotmail.com", "Emmen-Noord", "O'Brien"),
#: then any other single character. Tokens never cross white space.
TOKEN = re.compile(
    r"(?:[A-Z]\.){1,4}(?![^\W_])"
    r"|[^\W_](?:[^\W_]|[-./@+_&]+(?=[^\W_])|['’](?=[^\W\d_]{2}))*"
    r"|\S"
)
#: Written into a model's meta.json; a model trained on other features is refused.
FEATURES_VERSION = 1
#: How far the context reaches, in tokens, either side.
WINDOW = (-2, -1, 1, 2)
BOUNDARY = "<L>"  # stands for the line's edge in the neighbour features


def tokenise(line: str) -> list[tuple[int, int]]:
    """Start and end offsets of the tokens of one line."""
    return [m.span() for m in TOKEN.finditer(line)]


def line_tokens(text: str) -> list[tuple[int, list[tuple[int, int]]]]:
    """``(line start, token offsets within the line)`` for every line of ``text`` that has tokens."""
    out = []
    pos = 0
    for line in text.split("\n"):
        offsets = tokenise(line)
        if offsets:
            out.append((pos, offsets))
        pos += len(line) + 1
    return out


def _shape(word: str, cap: int) -> str:
    """``Xxxxx`` for ``Sanne``, ``dd-dd-dddd`` for a date; runs longer than ``cap`` are cut at ``cap``."""
    out: list[str] = []
    last, run = "", 0
    for ch in word:
        c = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        if c == last:
            run += 1
            if run > cap:
                continue
        else:
            last, run = c, 1
        out.append(c)
    return "".join(out)


@lru_cache(maxsize=1)
def _vocabulary() -> frozenset[str]:
    return wordlists.lemma_vocabulary()  # the set the shipped model was trained with


def _own(word: str, known: Callable[[str], bool]) -> list[str]:
    low = word.lower()
    feats = ["s=" + _shape(word, 4), "c=" + _shape(word, 1)]
    if known(low):
        feats.append("w=" + low)
    if word[:1].isalpha():
        feats.append("voc" if low.rstrip(".") in _vocabulary() else "oov")
        if len(word) >= 5:
            feats += ["x3=" + low[-3:], "x4=" + low[-4:]]
        elif len(word) >= 3:
            feats.append("x3=" + low[-3:])
        n = len(word)
        feats.append("n=" + ("1" if n == 1 else "2" if n == 2 else "3" if n == 3 else "4" if n <= 5 else "6" if n <= 8 else "9"))
    return feats


def _near(word: str, known: Callable[[str], bool]) -> list[str]:
    low = word.lower()
    feats = ["c=" + _shape(word, 1)]
    if known(low):
        feats.append("w=" + low)
    if word[:1].isalpha():
        feats.append("voc" if low.rstrip(".") in _vocabulary() else "oov")
    return feats


class FeatureMaker:
    """Feature lists for the tokens of a line, cached per word.

    ``known`` says which lower-cased words may stand as themselves in the features.
    In training it is the corpus' own vocabulary outside personal data; in
    recognition every word may (a word the model never saw has no weight).
    """

    def __init__(self, known: Collection[str] | None = None, cache_size: int = 200_000):
        self._known: Callable[[str], bool] = (lambda w: True) if known is None else known.__contains__
        self._own = lru_cache(maxsize=cache_size)(self._own_uncached)
        self._near = lru_cache(maxsize=cache_size)(self._near_uncached)

    def _own_uncached(self, word: str) -> tuple[str, ...]:
        return tuple(_own(word, self._known))

    def _near_uncached(self, word: str, offset: int) -> tuple[str, ...]:
        prefix = f"{offset:+d}"
        if word == BOUNDARY:
            return (prefix + BOUNDARY,)
        return tuple(prefix + f for f in _near(word, self._known))

    def line(self, words: list[str]) -> list[list[str]]:
        """One feature list per word of a line."""
        n = len(words)
        own, near = self._own, self._near
        out = []
        for i, word in enumerate(words):
            feats = list(own(word))
            for offset in WINDOW:
                j = i + offset
                feats += near(words[j] if 0 <= j < n else BOUNDARY, offset)
            if i == 0:
                feats.append("first")
            out.append(feats)
        return out
