"""Plausible Dutch replacements for each PII type, consistent within one file.

A :class:`SurrogateBook` is made per case file. It hands out one pseudonym per
real identifier and reuses it for every variant of that identifier. Three rules
hold for every pseudonym:

- **never the original, nor a guess away from it**: no word of a pseudonym name,
  place, street or institution shares a stem with an original of the file
  (neither is a prefix of the other, for words of three letters or more, any
  case), so ``Bos`` never becomes ``Bosman``; no value is one of the file;
- **like for like**: a foreign city for a foreign city, a Dutch one otherwise;
  an institution keeps its type word once;
- **stable**: each identifier draws from its own random source, seeded by the
  file's seed and the identifier's normalised text; clashes between identifiers
  are settled in an order fixed by those texts, not by where they stand in the
  file, so adding or removing one span leaves the others' pseudonyms as they were.

The name pools never run out: after Faker's Dutch lists come other locales'
lists, then double names built from them.
"""

from __future__ import annotations

import hashlib
import importlib
import random
import re
import string
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache

import phonenumbers
from faker import Faker
from stdnum import iban

from leerwerkplaats.core.dutch import FEMALE_WORDS, MALE_WORDS
from leerwerkplaats.privacy import wordlists
from leerwerkplaats.privacy.institutions import is_head_word, type_prefix
from leerwerkplaats.privacy.recognisers import bsn_is_valid
from leerwerkplaats.privacy.tokens import INTERFIXES, TITLES

_INSTITUTION_NAMES = (
    "De Regenboog", "De Wegwijzer", "Het Kompas", "De Vlinder", "De Horizon", "De Bron", "Het Baken", "De Zonnebloem",
    "De Linde", "Het Anker", "De Meander", "De Klimop", "Het Palet", "De Toermalijn", "De Windroos", "Het Startpunt",
    "De Boomgaard", "De Sterrenkijker", "Het Speelkwartier", "De Pionier", "Het Kabouterhuis", "De Eik", "De Tamboerijn",
    "De Vuurtoren", "Het Klaverblad", "De Kameleon", "De Wilgenhoek", "Het Zwaluwnest", "De Notenkraker", "De Ploeg",
)
_PLATE_LETTERS = "BDFGHJKLNPRSTVXZ"
#: Kinds whose pseudonyms are words that must share no stem with an original of the file.
_WORDWISE = frozenset({"voornaam", "achternaam", "PLAATS", "ADRES", "INSTELLING"})
#: Kinds whose originals give the stems a pseudonym must avoid.
NAMED_TYPES = frozenset({"PERSOON", "PLAATS", "ADRES", "INSTELLING"})
#: Locales whose first names widen the pool once the Dutch list is used up (Latin script, read in Dutch).
_EXTRA_NAME_LOCALES = ("nl_BE", "de_DE", "en_GB", "fr_FR", "da_DK", "sv_SE", "no_NO", "it_IT", "es_ES", "pt_PT",
                       "pl_PL", "tr_TR", "cs_CZ", "fi_FI", "en_US")
#: Locales whose city lists stand in for a foreign city (Latin script; "Gdańsk" → "Wismar").
_FOREIGN_CITY_LOCALES = ("pl_PL", "de_DE", "de_AT", "de_CH", "cs_CZ", "da_DK", "fi_FI", "ro_RO", "sv_SE",
                         "pt_PT", "hr_HR", "sk_SK", "sl_SI")
#: Before a one-word mention, these make a place of it: "in Gdańsk", "uit Assen".
PLACE_PREPOSITIONS = frozenset({"in", "te", "uit", "naar", "nabij", "richting", "woonachtig", "wonend"})
#: Words of an original too common to steer a pseudonym away from.
_NEUTRAL = INTERFIXES | TITLES | {"het", "sint", "nieuw", "oud", "noord", "zuid", "oost", "west"}
_ARTICLE_BEFORE = re.compile(r"(?i)(?:^|\W)(?:de|het|'t|’t|van|der|den|ter|ten)\s+$")


def _latin_names(locale: str, attr: str, module: str = "person") -> list[str]:
    try:
        provider = importlib.import_module(f"faker.providers.{module}.{locale}").Provider
    except ImportError:
        return []
    value = getattr(provider, attr, ())
    words = list(value) if isinstance(value, dict) else [v for v in value if isinstance(v, str)]
    return [w for w in words if re.fullmatch(r"[A-Z][a-zà-öø-ÿ]+(?:-[A-Z][a-zà-öø-ÿ]+)?", w)]


@lru_cache(maxsize=1)
def _first_pools() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Per gender (``"v"``, ``"m"``, ``""``): the Dutch first names, then those of other locales."""
    out = {}
    for gender, attr in (("v", "first_names_female"), ("m", "first_names_male")):
        dutch = tuple(dict.fromkeys(_latin_names("nl_NL", attr)))
        wider = tuple(dict.fromkeys(n for loc in _EXTRA_NAME_LOCALES for n in _latin_names(loc, attr)
                                    if n not in dutch and len(n) <= 10))
        out[gender] = (dutch, wider)
    out[""] = (out["v"][0] + out["m"][0], out["v"][1] + out["m"][1])
    return out


@lru_cache(maxsize=1)
def _surnames() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Dutch surnames of one word, then of several ("van Dijk")."""
    names = _latin_names("nl_NL", "last_names") + [n for n in _all_last_nl() if " " in n]
    return tuple(dict.fromkeys(n for n in names if " " not in n)), tuple(dict.fromkeys(n for n in names if " " in n))


def _all_last_nl() -> list[str]:
    provider = importlib.import_module("faker.providers.person.nl_NL").Provider
    return [n for n in provider.last_names if isinstance(n, str)]


@lru_cache(maxsize=1)
def _foreign_cities() -> dict[str, tuple[str, ...]]:
    """Per locale, its city names that are not Dutch places."""
    dutch = wordlists.places()
    out = {}
    for loc in _FOREIGN_CITY_LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.address.{loc}").Provider
        except ImportError:
            continue
        cities = [c for c in getattr(provider, "cities", ()) if c not in dutch and _latin_text(c)]
        if cities:
            out[loc] = tuple(dict.fromkeys(cities))
    return out


def _latin_text(text: str) -> bool:
    return all(ch.isascii() or ch.isalpha() and ord(ch) < 0x250 for ch in text)


@lru_cache(maxsize=1)
def _dutch_cities() -> tuple[str, ...]:
    provider = importlib.import_module("faker.providers.address.nl_NL").Provider
    return tuple(dict.fromkeys(provider.cities))


def foreign_locale(place: str) -> str | None:
    """The locale whose city list holds ``place`` when it is not a Dutch place; else ``None``."""
    if place in wordlists.places():
        return None
    for loc, cities in _foreign_cities().items():
        if place in cities:
            return loc
    if re.search(r"[ąćęłńśźżőűøåčřšžğş]", place.lower()):  # letters no Dutch place has
        return next(iter(_foreign_cities()), None)
    return None


def is_place(surface: str) -> bool:
    """A Dutch place or a city of another locale's list."""
    return surface in wordlists.places() or foreign_locale(surface) is not None


def _stems(text: str) -> set[str]:
    """The words of ``text`` that count for the stem rule: three letters or more, lower case."""
    return {w for w in re.findall(r"[^\W\d_]+", text.lower()) if len(w) >= 3 and w not in _NEUTRAL}


def shares_stem(candidate: str, originals: set[str]) -> bool:
    """Whether a word of ``candidate`` equals, extends or is extended by one of ``originals``."""
    return any(c.startswith(o) or o.startswith(c) for c in _stems(candidate) for o in originals)


class SurrogateBook:
    """Pseudonyms for one case file.

    Parameters
    ----------
    seed
        The file's seed (the pseudonymiser's seed and the file's name); each identifier's
        random source is derived from it and the identifier's normalised text.
    forbidden
        Lower-cased words of the original file that no word of a pseudonym name may be.
    tags
        Write ``[PERSOON-1]``-style tags instead of readable pseudonyms.
    values
        The original identifiers of the file: no pseudonym equals one, and no pseudonym
        name shares a stem with a word of one (see :func:`shares_stem`).
    named
        The originals whose words count for the stem rule (names, places, streets,
        institutions); ``None`` takes all of ``values``.
    """

    def __init__(self, seed: str, forbidden: set[str], tags: bool = False,
                 values: set[str] | frozenset[str] = frozenset(), named: set[str] | frozenset[str] | None = None):
        self.seed = seed
        self.faker = Faker("nl_NL")
        self.rng = random.Random(seed)
        self.forbidden = forbidden
        self.forbidden_compact = {re.sub(r"\W", "", v.lower()) for v in values}
        self.originals: set[str] = set().union(*(_stems(v) for v in (values if named is None else named)))
        self.tags = tags
        self.memo: dict[tuple[str, str], str] = {}
        self.used: set[str] = set()
        self.counters: dict[str, int] = {}
        self._pending: dict[tuple[str, str], Callable[[], str]] | None = None
        lists = wordlists.names()
        self.female, self.male = lists.first_female, lists.first_male

    # -- bookkeeping ---------------------------------------------------------
    @contextmanager
    def collecting(self) -> Iterator[None]:
        """Gather the identifiers of a first pass over the file, then settle them all at once.

        Settling in an order fixed by the identifiers' texts (not their places in the file)
        is what keeps one pseudonym from depending on which other spans the file has.
        """
        self._pending = {}
        try:
            yield
        finally:
            pending, self._pending = self._pending, None
        slots = list(pending) if self.tags else sorted(pending, key=_slot_order)
        for slot in slots:
            self._settle(slot, pending[slot])

    def _fresh(self, kind: str, make: Callable[[], str]) -> str:
        """A value not used before in this file and not near an original of it."""
        wordwise = kind in _WORDWISE
        for _ in range(5000):
            value = make()
            low = value.lower()
            compact = re.sub(r"\W", "", low)
            invented = self._invented(kind, value)
            claim = f"{kind}:{invented.lower()}" if wordwise and invented else low
            if low in self.used or claim in self.used or compact in self.forbidden_compact:
                continue
            if wordwise and (shares_stem(invented, self.originals) or any(w in self.forbidden for w in re.findall(
                    r"[^\W\d_]+", invented.lower()) if len(w) > 2 and w not in INTERFIXES)):
                continue
            self.used.update((low, claim))
            return value
        raise RuntimeError("no fresh pseudonym could be made")

    @staticmethod
    def _invented(kind: str, value: str) -> str:
        """The part of a pseudonym that was made up (an institution's or street's type word is kept)."""
        if kind == "INSTELLING":
            name = value[len(type_prefix(value)):].split()
            return " ".join(name[:-1] if len(name) > 1 and is_head_word(name[-1]) else name)
        if kind == "ADRES":  # the street; "Postbus" is kept, only its number is new
            return "" if value.lower().startswith(("postbus", "antwoordnummer")) else re.sub(r"\s\d.*$", "", value)
        return value

    def _slot_rng(self, kind: str, key: str) -> random.Random:
        rng = random.Random(f"{self.seed}|{kind}|{key}")
        self.faker.seed_instance(rng.getrandbits(32))
        return rng

    def _settle(self, slot: tuple[str, str], make: Callable[[], str]) -> str:
        kind, key = slot
        if slot not in self.memo:
            if self.tags:
                self.counters[kind] = self.counters.get(kind, 0) + 1
                self.memo[slot] = f"[{kind}-{self.counters[kind]}]"
            else:
                self.rng = self._slot_rng(kind, key)
                self.memo[slot] = self._fresh(kind, make)
        return self.memo[slot]

    def _memo(self, kind: str, key: str, make: Callable[[], str]) -> str:
        slot = (kind, key)
        if self._pending is not None:  # first pass: gather, settle later
            self._pending.setdefault(slot, make)
            return "Xxx"
        return self._settle(slot, make)

    def _escalating(self, pools: tuple[tuple[str, ...], ...], join: str = "-", tries: int = 40) -> Callable[[], str]:
        """A maker that draws from each pool in turn, ``tries`` times each, then builds double names.

        Called again and again by :meth:`_fresh` for one identifier, it never runs dry: after
        the lists come pairs from them (``Anna-Sofie``, ``Bakker-Mulder``).
        """
        pools = tuple(p for p in pools if p)
        calls = [0]

        def make() -> str:
            n, calls[0] = calls[0], calls[0] + 1
            if n < tries * len(pools):
                return self.rng.choice(pools[n // tries])
            return f"{self.rng.choice(pools[-1])}{join}{self.rng.choice(pools[0] + pools[-1])}"
        return make

    # -- people ----------------------------------------------------------------
    def gender(self, first: str, hint: str | None) -> str | None:
        if hint:
            return hint
        if first in self.female and first not in self.male:
            return "v"
        if first in self.male and first not in self.female:
            return "m"
        return None

    def first_name(self, original: str, gender: str | None) -> str:
        return self._memo("voornaam", original.lower(), self._escalating(_first_pools()[gender or ""]))

    def surname(self, original: str) -> str:
        """A surname; one word where the original is one word ("Yilmaz" → "Bakker", not "van Doorn")."""
        key = " ".join(w for w in original.lower().split())
        single, several = _surnames()
        pools = (single,) if len(key.split()) == 1 else (single + several,)
        return self._memo("achternaam", key, self._escalating(pools))

    def person(self, surface: str, role: dict[str, str], gender_hint: str | None) -> str:
        """Replace one person mention, keeping its shape (initials, interfix, order, case)."""
        if self.tags:
            key = role.get(surface.lower(), surface.lower())
            return self._memo("PERSOON", key, lambda: "")
        if "," in surface:  # inverted Outlook name: "Jansen, Petra"
            last, _, first = surface.partition(",")
            return f"{self.person(last.strip(), role, gender_hint)}, {self.person(first.strip(), role, gender_hint)}"
        words = surface.split()
        out: list[str] = []
        i = 0
        while i < len(words):
            w = words[i]
            if re.fullmatch(r"(?:[A-Z]\.)+|[A-Z][a-z]?\.", w):
                out.append(self._initials(w, role))
                i += 1
                continue
            if w.lower() in INTERFIXES and i + 1 < len(words):
                rest = " ".join(words[i:])
                rest_key = rest.strip()
                if re.fullmatch(r"(?:\w+ )+[A-Z]\.", rest_key):  # "de V." → surname initial
                    new = self.surname(role.get("initial-surname:" + rest_key[-2], rest_key))
                    out.append(_match_case(rest, new.split()[-1][0] + "."))
                else:
                    out.append(_match_case(rest, self.surname(rest)))
                break
            kind = role.get(w.lower(), "first" if i == 0 and len(words) > 1 else role.get(w.lower(), "last" if i > 0 else "first"))
            if kind == "first":
                out.append(self.first_name(w, self.gender(w, gender_hint)))
            else:
                out.append(_match_case(w, self.surname(w)))
            i += 1
        return " ".join(out)

    def _initials(self, initials: str, role: dict[str, str]) -> str:
        letters = re.findall(r"[A-Z]", initials)
        new = []
        for letter in letters:
            first = role.get("initial:" + letter)
            name = self.memo.get(("voornaam", first)) if first else None
            new.append((name or self._memo("initiaal", letter, lambda: self.rng.choice(string.ascii_uppercase)))[0] + ".")
        return "".join(new)

    # -- other types ---------------------------------------------------------
    def replace(self, kind: str, surface: str) -> str:
        key = re.sub(r"\W", "", surface).lower() if kind not in {"PLAATS", "INSTELLING", "ADRES"} else surface.lower()
        if self.tags:
            return self._memo(kind, key, lambda: "")
        if kind == "PLAATS":
            return self._memo(kind, key, self._place_maker(surface))
        if kind == "INSTELLING":
            return self._memo(kind, key, self._institution_maker(surface))
        make = getattr(self, f"_make_{kind.lower()}", None)
        if make is None:
            return self._memo(kind, key, lambda: f"[{kind}]")
        return self._memo(kind, key, lambda: make(surface))

    def place_part(self, prefix: str, surface: str) -> str:
        """The rest of a place whose first word stands outside the span: "Ter" + "Apel" → "Aar"."""
        whole = f"{prefix} {surface}"
        kin = tuple(p[len(prefix) + 1:] for p in sorted(wordlists.places()) if p.startswith(prefix + " ") and p != whole)
        if self.tags or not kin:
            return self.replace("PLAATS", surface)
        return self._memo("PLAATS", whole.lower(), self._escalating((kin, _dutch_cities()), join=" "))

    def _digits(self, surface: str, keep: int = 0) -> str:
        out, seen = [], 0
        for ch in surface:
            if ch.isdigit():
                seen += 1
                out.append(ch if seen <= keep else str(self.rng.randint(0, 9)))
            else:
                out.append(ch)
        return "".join(out)

    def _make_bsn(self, surface: str) -> str:
        while True:
            candidate = self._digits(surface)
            digits = re.sub(r"\D", "", candidate)
            if digits[0] != "0" and bsn_is_valid(digits):
                return candidate

    def _make_telefoon(self, surface: str) -> str:
        """Same notation, new digits after the country, area or mobile prefix; a valid number (phonenumbers)."""
        digits = re.sub(r"\D", "", surface)
        keep = 4 if surface.startswith("+31") or surface.startswith("0031") else 2 if digits.startswith("06") else 3
        if surface.startswith("+") and not surface.startswith("+31"):
            keep = 4
        if surface.startswith("0031"):
            keep = 5
        candidate = self._digits(surface, keep)
        for _ in range(50):
            if _phone_valid(candidate) and candidate != surface:
                return candidate
            candidate = self._digits(surface, keep)
        return candidate

    def _make_email(self, surface: str) -> str:
        user = self.faker.user_name()
        return f"{user}@{self.faker.free_email_domain()}"

    def _make_iban(self, surface: str) -> str:
        compact = re.sub(r"\s", "", surface).upper()
        bank = compact[4:8] if compact.startswith("NL") else "INGB"
        account = "".join(str(self.rng.randint(0, 9)) for _ in range(10))
        new = "NL" + iban.calc_check_digits(f"NL00{bank}{account}") + bank + account
        return " ".join(new[i:i + 4] for i in range(0, len(new), 4)) if " " in surface else new

    def _make_postcode(self, surface: str) -> str:
        letters = "".join(self.rng.choice("ABCEGHJKLMNPRTVWXZ") for _ in range(2))
        return f"{self.rng.randint(1000, 9999)}{' ' if ' ' in surface else ''}{letters}"

    def _place_maker(self, surface: str) -> Callable[[], str]:
        """A city of the original's country when it is a foreign city, else a Dutch one."""
        loc = foreign_locale(surface)
        foreign = _foreign_cities()
        if loc is not None:
            others = tuple(c for other, cities in foreign.items() if other != loc for c in cities)
            return self._escalating((foreign[loc], others))
        return self._escalating((_dutch_cities(),))

    def _make_adres(self, surface: str) -> str:
        if surface.lower().startswith(("postbus", "antwoordnummer")):
            return surface.split()[0] + " " + str(self.rng.randint(100, 9999))
        m = re.search(r"\s(\d+.*)$", surface)
        number = self._digits(m.group(1)) if m else ""
        street = self.faker.street_name()
        return f"{street} {number}".strip()

    def _institution_maker(self, surface: str) -> Callable[[], str]:
        """A made-up name with the original's type word, once: "OBS De Linde", "Het Anker College"."""
        head = type_prefix(surface)
        words = surface.split()
        tail = words[-1] if not head and len(words) > 1 and is_head_word(words[-1]) else ""  # "Duinrand Ziekenhuis"
        names = self._escalating((_INSTITUTION_NAMES, _institution_variants(), _institution_compounds()), join=" ")

        def make() -> str:
            name = names()
            return f"{name} {tail}" if tail else f"{head}{name}".strip()
        return make

    def _make_dossiernummer(self, surface: str) -> str:
        return self._digits(surface)

    def _make_kenteken(self, surface: str) -> str:
        return "".join(
            self.rng.choice(_PLATE_LETTERS) if ch.isalpha() else str(self.rng.randint(0, 9)) if ch.isdigit() else ch
            for ch in surface
        )

    def _make_url(self, surface: str) -> str:
        m = re.match(r"(?i)((?:https?://)?(?:www\.|m\.)?[\w.-]+\.\w+/)", surface)
        return (m.group(1) if m else "https://example.nl/") + self.faker.user_name()


@lru_cache(maxsize=1)
def _institution_variants() -> tuple[str, ...]:
    """More names once the short list is used up: "De Linde Noord", "Het Anker Centrum"."""
    return tuple(f"{n} {part}" for part in ("Noord", "Zuid", "Oost", "West", "Centrum") for n in _INSTITUTION_NAMES)


@lru_cache(maxsize=1)
def _institution_compounds() -> tuple[str, ...]:
    """A pool that never runs dry, for a long file whose words rule out the short lists: "De Brinkhof", "Het Veenhuis"."""
    from faker.providers.person.nl_NL import Provider as DutchPeople

    lasts = sorted({n for n in DutchPeople.last_names if n.isalpha() and n[:1].isupper() and 3 <= len(n) <= 9})
    return tuple(f"{article} {name}{end}" for name in lasts for article, end in (("De", "hof"), ("Het", "huis")))


def _slot_order(slot: tuple[str, str]) -> str:
    """A fixed, text-independent order in which identifiers claim their pseudonyms."""
    return hashlib.sha256("|".join(slot).encode("utf-8")).hexdigest()


def drop_article(before: str, name: str) -> str:
    """``name`` without its leading article when the text just before has one ("het Het Anker")."""
    first, _, rest = name.partition(" ")
    if rest and first.lower() in {"de", "het", "'t"} and _ARTICLE_BEFORE.search(before):
        return rest
    return name


def _phone_valid(number: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(number, "NL"))
    except phonenumbers.NumberParseException:
        return False


def _match_case(template: str, word: str) -> str:
    """Give ``word`` the case of ``template``'s first letter (``De Vries`` vs ``de Vries``)."""
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    if template[:1].islower() and word.split()[0].lower() in INTERFIXES:
        return word[:1].lower() + word[1:]
    return word


def title_gender(before: str) -> str | None:
    """Gender told by a title or role just before a name."""
    words = re.findall(r"[\w'-]+", before.lower())[-2:]
    for w in reversed(words):
        if w in FEMALE_WORDS:
            return "v"
        if w in MALE_WORDS:
            return "m"
    return None


__all__ = ["NAMED_TYPES", "PLACE_PREPOSITIONS", "SurrogateBook", "drop_article", "foreign_locale", "is_place", "shares_stem", "title_gender"]
