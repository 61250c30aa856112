"""Generated variants of annotated case files, to teach the PII model what the corpus lacks.

The sample corpus writes names capitalised and in full, dates with a year, house
numbers plain and institutions after their type word. Files seen in practice do
not: ``bsn milan``, ``LOTTE MEIJERING``, ``K.``, ``3/11``, ``Zegerplaslaan 7-C``,
``De Wegwijzer``. Each function here rewrites the gold spans of one text and
returns the new text with its spans moved along; the text outside the spans is
untouched (except :func:`lowercase` and :func:`capital_lines`, which change case
only). Everything is drawn from a ``random.Random`` the caller seeds.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from leerwerkplaats.core.records import PiiSpan
from leerwerkplaats.privacy import wordlists

Spans = tuple[PiiSpan, ...]
Rewrite = Callable[[str, str], str | None]

_INTERFIX = frozenset({"van", "de", "der", "den", "het", "ter", "ten", "te", "'t", "el", "al", "ben", "bin", "da",
                       "dos", "di", "le", "la", "du", "von", "abu", "ibn"})
#: Type words that open an institution's name; a variant drops them ("OBS De Regenboog" → "De Regenboog").
_TYPE_WORD = re.compile(
    r"(?i)^(?:obs|cbs|pcbs|rkbs|ikc|kc|sbo|so|vso|bso|kdv|psz|bs|vv|sv|rkvv|rksv|csg|osg|roc|basisschool|school|"
    r"scholengemeenschap|lyceum|college|kinderdagverblijf|kinderopvang|peuterspeelzaal|peuteropvang|"
    r"huisartsenpraktijk|huisartspraktijk|praktijk|gezondheidscentrum|apotheek|ziekenhuis|tandartspraktijk|"
    r"voetbalvereniging|sportvereniging|hockeyclub|zwemvereniging|kerk|moskee|parochie|stichting|zorgboerderij|"
    r"buurthuis|wijkcentrum|jongerencentrum|ggz-praktijk|woonstichting)\s+"
)
_HOUSE_NUMBER = re.compile(r"(\d{1,5})\s?[a-zA-Z]?$")
_SUFFIXES = ("-C", " bis", "-a", "a", " A", "-2", " hs", "-II", " B", "-bis", "-3hg", " rood", "b", "-1")
_DISTRICTS = ("Noord", "Zuid", "Oost", "West", "Centrum", "Noordwest", "Zuidoost")
_DATE_FORMS = ("{d}/{m}", "{d:02d}-{m:02d}", "{d}-{m}", "{d}/{m:02d}", "{d:02d}/{m:02d}", "{d}-{m:02d}")


@dataclass(frozen=True)
class Pools:
    """Sorted word pools the variants draw from (sorted, so a seed gives the same draw)."""

    first: tuple[str, ...]
    last: tuple[str, ...]
    places: tuple[str, ...]
    nouns: tuple[str, ...]


@lru_cache(maxsize=1)
def pools() -> Pools:
    """First and last names of many origins (Faker), Dutch places, and Dutch nouns for made-up institutions."""
    names = wordlists.names()
    nouns = sorted(w for w in wordlists.dutch_vocabulary() if 5 <= len(w) <= 10 and w.isalpha() and w.isascii())
    return Pools(tuple(sorted(names.first)), tuple(sorted(names.last)), tuple(sorted(wordlists.places())),
                 tuple(nouns))


def rewrite(text: str, spans: Spans, fn: Rewrite) -> tuple[str, Spans]:
    """Replace the span texts for which ``fn(surface, type)`` returns a string; move the other spans along."""
    parts: list[str] = []
    out: list[PiiSpan] = []
    pos = shift = 0
    for s in sorted(spans):
        if s.start < pos:  # overlapping gold: keep the first
            continue
        new = fn(text[s.start:s.end], s.type)
        new = text[s.start:s.end] if not new else new
        parts.append(text[pos:s.start])
        parts.append(new)
        start = s.start + shift
        out.append(PiiSpan(start, start + len(new), s.type))
        shift += len(new) - (s.end - s.start)
        pos = s.end
    parts.append(text[pos:])
    return "".join(parts), tuple(out)


def _same_length_case(text: str, spans: Spans, change: Callable[[str], str]) -> tuple[str, Spans]:
    new = change(text)
    return (new, spans) if len(new) == len(text) else (text, spans)


def lowercase(text: str, spans: Spans, rng: random.Random) -> tuple[str, Spans]:
    """The whole file in lower case, as in e-mail shorthand."""
    return _same_length_case(text, spans, str.lower)


def capital_lines(text: str, spans: Spans, rng: random.Random, share: float = 0.15) -> tuple[str, Spans]:
    """Some lines in CAPITALS, as headings and form fields are."""
    def change(t: str) -> str:
        return "\n".join(line.upper() if rng.random() < share and len(line.upper()) == len(line) else line
                         for line in t.split("\n"))
    return _same_length_case(text, spans, change)


def swap_names(text: str, spans: Spans, rng: random.Random) -> tuple[str, Spans]:
    """Every name word replaced by a first or last name of any origin, the same word the same way throughout."""
    pool = pools()
    mapping: dict[str, str] = {}

    def word(w: str, last: bool) -> str:
        if w.lower() in _INTERFIX or not w[:1].isupper() or w.endswith("."):
            return w
        if w not in mapping:
            mapping[w] = rng.choice(pool.last if last else pool.first)
        return mapping[w]

    def fn(surface: str, kind: str) -> str | None:
        if kind != "PERSOON" or "," in surface:
            return None
        words = surface.split(" ")
        return " ".join(word(w, last=i == len(words) - 1 and i > 0) for i, w in enumerate(words))

    return rewrite(text, spans, fn)


def _initials(surface: str, rng: random.Random) -> str:
    words = surface.split(" ")
    head = words[0][:1].upper() + "."
    if len(words) > 1 and rng.random() < 0.5:
        return head + " " + " ".join(words[1:])
    return head


def person_forms(text: str, spans: Spans, rng: random.Random, weights: tuple[float, ...] = (4, 2, 1, 1)) -> tuple[str, Spans]:
    """Each person written as is, in lower case, in CAPITALS or as initials (one choice per surface)."""
    choice: dict[str, str] = {}

    def fn(surface: str, kind: str) -> str | None:
        if kind != "PERSOON":
            return None
        if surface not in choice:
            form = rng.choices(("keep", "lower", "upper", "initials"), weights)[0]
            choice[surface] = {"keep": surface, "lower": surface.lower(), "upper": surface.upper(),
                               "initials": _initials(surface, rng)}[form]
        return choice[surface]

    return rewrite(text, spans, fn)


def short_dates(text: str, spans: Spans, rng: random.Random, share: float = 0.5) -> tuple[str, Spans]:
    """Dates written without a year: ``3/11``, ``14-06``."""
    def fn(surface: str, kind: str) -> str | None:
        if kind != "DATUM" or rng.random() >= share:
            return None
        return rng.choice(_DATE_FORMS).format(d=rng.randint(1, 28), m=rng.randint(1, 12))

    return rewrite(text, spans, fn)


def address_forms(text: str, spans: Spans, rng: random.Random) -> tuple[str, Spans]:
    """House numbers with a suffix (``7-C``, ``88 bis``), or a bare street name."""
    def fn(surface: str, kind: str) -> str | None:
        m = _HOUSE_NUMBER.search(surface)
        if kind != "ADRES" or not m or surface.startswith(("Postbus", "Antwoordnummer")):
            return None
        if rng.random() < 0.2:
            return surface[:m.start()].rstrip() or None
        return surface[:m.start()] + str(rng.randint(1, 250)) + rng.choice(_SUFFIXES)

    return rewrite(text, spans, fn)


def place_forms(text: str, spans: Spans, rng: random.Random) -> tuple[str, Spans]:
    """Other Dutch places, some with a district (``Zwolle Zuid``, ``Delft-Noord``)."""
    pool = pools()
    mapping: dict[str, str] = {}

    def fn(surface: str, kind: str) -> str | None:
        if kind != "PLAATS":
            return None
        if surface not in mapping:
            new = rng.choice(pool.places)
            if rng.random() < 0.2:
                new += rng.choice((" ", "-")) + rng.choice(_DISTRICTS)
            mapping[surface] = new
        return mapping[surface]

    return rewrite(text, spans, fn)


def institution_forms(text: str, spans: Spans, rng: random.Random) -> tuple[str, Spans]:
    """Institutions without a type word: the name alone, or a made-up one (``De Vlinderhof``, ``Het Anker``)."""
    pool = pools()

    def fn(surface: str, kind: str) -> str | None:
        if kind != "INSTELLING":
            return None
        m = _TYPE_WORD.match(surface)
        if m and len(surface) - m.end() >= 3 and rng.random() < 0.7:
            return surface[m.end():]
        if rng.random() < 0.4:
            noun = rng.choice(pool.nouns).capitalize()
            return rng.choice(("De ", "Het ", "", "'t ")) + noun
        return None

    return rewrite(text, spans, fn)


#: The copies made of each training file, after the file itself: each a chain of rewrites.
RECIPES: dict[str, tuple[Callable, ...]] = {
    "names+forms": (swap_names, person_forms, short_dates, address_forms, institution_forms, place_forms),
    "names+lowercase": (swap_names, address_forms, short_dates, lowercase),
    "names+capitals": (swap_names, person_forms, institution_forms, capital_lines),
}


def variants(text: str, spans: Spans, rng: random.Random) -> list[tuple[str, str, Spans]]:
    """``(recipe, text, spans)`` for each recipe of :data:`RECIPES`, drawn from ``rng``."""
    out = []
    for recipe, steps in RECIPES.items():
        t, s = text, spans
        for step in steps:
            t, s = step(t, s, rng)
        out.append((recipe, t, s))
    return out
