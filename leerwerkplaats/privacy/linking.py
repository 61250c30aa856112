"""Other mentions of what was found once with confidence, anywhere in the same file.

A person named in full (``Sanne de Vries``) is caught after as ``Sanne``, ``De
Vries`` or ``mw. de Vries``; a place or institution named once is caught at
every other occurrence and in its shorter forms (``OBS De Kompas`` → ``De Kompas``);
a nickname in brackets after a person is that person too.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from spacy.lang.nl.stop_words import STOP_WORDS

from leerwerkplaats.privacy import wordlists
from leerwerkplaats.privacy.institutions import INSTELLING_HEAD
from leerwerkplaats.privacy.lexicon import is_word
from leerwerkplaats.privacy.overlaps import Finding
from leerwerkplaats.privacy.tokens import INTERFIXES, TITLES

_NICKNAME = re.compile(r"[ \t]?\(([A-Z][a-zA-Z]{1,15})\)")


def link_mentions(text: str, found: list[tuple[int, int, str, float]], min_score: float = 0.7) -> list[tuple[int, int, str, float]]:
    """Find the other mentions of people already named with confidence in this file.

    A first name mentioned once in full (``Sanne de Vries``) is caught everywhere
    after as ``Sanne``, ``De Vries`` or ``mw. de Vries``, including names that are
    also ordinary words, in any capitalisation and across a line break (an
    ordinary word only as written or in capitals: "Roos", "ROOS", not "roos").
    """
    parts: set[str] = set()
    surnames: set[str] = set()
    for start, end, kind, score in found:
        if kind != "PERSOON" or score < min_score:
            continue
        words = text[start:end].replace("\n", " ").split()
        for w in words:
            w = w.strip(".,;:()")
            if len(w) >= 2 and w[0].isupper() and not re.fullmatch(r"(?:[A-Z]\.?)+", w) and w.lower() not in INTERFIXES \
                    and w.lower() not in STOP_WORDS and w.lower() not in TITLES:
                parts.add(w)
        tail = [w for w in words if not re.fullmatch(r"(?:[A-Z]\.)+", w)]
        for k in range(1, len(tail)):
            if tail[k - 1].lower() in INTERFIXES:
                surnames.add(" ".join(tail[k - 1:]))
                break
    patterns = sorted(surnames, key=len, reverse=True) + sorted(parts, key=len, reverse=True)
    if not patterns:
        return []
    alternatives = "|".join(r"\s+".join(_any_case(w) for w in p.split()) for p in patterns)
    rx = re.compile(r"(?<![\w-])(?:" + alternatives + r")(?![\w-])")
    return [(m.start(), m.end(), "PERSOON", 0.7) for m in rx.finditer(text)]


def _any_case(word: str) -> str:
    """``word`` in any capitalisation, unless it is also an ordinary word ("Roos"): then as written or in capitals."""
    if word.lower() in INTERFIXES or not is_word(word):
        return "(?i:" + re.escape(word) + ")"
    return "(?:" + re.escape(word) + "|" + re.escape(word.upper()) + ")"


def nicknames(text: str, findings: list[Finding]) -> list[RecognizerResult]:
    """A name or initials in brackets right after a person: ``J.W. ter Veld (Jasper)``, ``G. de Jongh (GdJ)``."""
    out = []
    allow = wordlists.allowlist()
    for f in findings:
        if f.type != "PERSOON":
            continue
        m = _NICKNAME.match(text, f.end)
        if not m or m.group(1).lower() in allow:
            continue
        token = m.group(1)
        initials = re.fullmatch(r"[A-Z][a-z]?[A-Z]{1,3}", token) is not None
        if initials or token in wordlists.names().first or not is_word(token):
            out.append(RecognizerResult("PERSOON", m.start(1), m.end(1), 0.75))
    return out


def variants(surface: str, kind: str) -> list[str]:
    """Shorter forms of an identifier that name the same thing on their own.

    ``OBS De Kompas`` is also ``De Kompas``; ``Emmen-Noord`` also ``Emmen``.
    """
    out = []
    if kind == "INSTELLING":
        m = INSTELLING_HEAD.match(surface)
        rest = surface[m.end():].strip() if m else ""
        words = rest.split()
        if len(rest) >= 4 and rest[:1].isupper() and (len(words) > 1 or not is_word(rest)):
            out.append(rest)
    if kind == "PLAATS" and "-" in surface:
        head = surface.split("-")[0]
        if head in wordlists.places():
            out.append(head)
    return out


def same_surface(text: str, findings: list[Finding]) -> list[RecognizerResult]:
    """Every other occurrence of an identifier found once (a place named twice is a place twice)."""
    kinds: dict[str, str] = {}
    for f in findings:
        if f.end - f.start >= 3:
            surface = text[f.start:f.end]
            kinds.setdefault(surface, f.type)
            for part in variants(surface, f.type):
                kinds.setdefault(part, f.type)
    if not kinds:
        return []
    by_key = {" ".join(s.lower().split()): kind for s, kind in kinds.items()}
    alternatives = "|".join(r"\s+".join(_any_case(w) for w in s.split()) for s in sorted(kinds, key=len, reverse=True))
    rx = re.compile(r"(?<![\w-])(?:" + alternatives + r")(?!\w)")
    return [RecognizerResult(by_key.get(" ".join(m.group().lower().split()), "PERSOON"), m.start(), m.end(), 0.7)
            for m in rx.finditer(text)]
