"""Plausible Dutch replacements for each PII type, consistent within one file.

A :class:`SurrogateBook` is made per case file with its own seeded random source.
It hands out one pseudonym per real identifier, reuses it for every variant of
that identifier, and never hands out a value that occurs in the file itself.
"""

from __future__ import annotations

import random
import re
import string

import phonenumbers
from faker import Faker
from stdnum import iban

from leerwerkplaats.core.dutch import FEMALE_WORDS, MALE_WORDS
from leerwerkplaats.privacy import wordlists
from leerwerkplaats.privacy.institutions import is_head_word, type_prefix
from leerwerkplaats.privacy.recognisers import bsn_is_valid
from leerwerkplaats.privacy.tokens import INTERFIXES

_INSTITUTION_NAMES = (
    "De Regenboog", "De Wegwijzer", "Het Kompas", "De Vlinder", "De Horizon", "De Bron", "Het Baken", "De Zonnebloem",
    "De Linde", "Het Anker", "De Meander", "De Klimop", "Het Palet", "De Toermalijn", "De Windroos", "Het Startpunt",
    "De Boomgaard", "De Sterrenkijker", "Het Speelkwartier", "De Pionier", "Het Kabouterhuis", "De Eik", "De Tamboerijn",
)
_PLATE_LETTERS = "BDFGHJKLNPRSTVXZ"


class SurrogateBook:
    """Pseudonyms for one case file.

    Parameters
    ----------
    rng
        The file's random source (seeded by the caller).
    forbidden
        Lower-cased words and values of the original file that a pseudonym may not be.
    tags
        Write ``[PERSOON-1]``-style tags instead of readable pseudonyms.
    """

    def __init__(self, rng: random.Random, forbidden: set[str], tags: bool = False, values: set[str] = frozenset()):
        self.rng = rng
        self.faker = Faker("nl_NL")
        self.faker.seed_instance(rng.getrandbits(32))
        self.forbidden = forbidden
        self.forbidden_compact = {re.sub(r"\W", "", v.lower()) for v in values}
        self.tags = tags
        self.memo: dict[tuple[str, str], str] = {}
        self.used: set[str] = set()
        self.counters: dict[str, int] = {}
        lists = wordlists.names()
        self.female, self.male = lists.first_female, lists.first_male

    # -- bookkeeping ---------------------------------------------------------
    def _fresh(self, make, wordwise: bool) -> str:
        """A value not used before in this file and not occurring in the original file.

        For names (``wordwise``) no word of the pseudonym may occur in the file; for
        numbers and addresses the whole value may not.
        """
        for _ in range(200):
            value = make()
            low = value.lower()
            if low in self.used or re.sub(r"\W", "", low) in self.forbidden_compact:
                continue
            if wordwise and any(w in self.forbidden for w in re.findall(r"\w+", low) if len(w) > 2 and w not in INTERFIXES):
                continue
            self.used.add(low)
            return value
        raise RuntimeError("no fresh pseudonym could be made")

    def _memo(self, kind: str, key: str, make) -> str:
        slot = (kind, key)
        if slot not in self.memo:
            if self.tags:
                self.counters[kind] = self.counters.get(kind, 0) + 1
                self.memo[slot] = f"[{kind}-{self.counters[kind]}]"
            else:
                self.memo[slot] = self._fresh(make, kind in {"voornaam", "achternaam", "PLAATS"})
        return self.memo[slot]

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
        def make() -> str:
            if gender == "v":
                return self.faker.first_name_female()
            if gender == "m":
                return self.faker.first_name_male()
            return self.faker.first_name()
        return self._memo("voornaam", original.lower(), make)

    def surname(self, original: str) -> str:
        """A surname; one word where the original is one word ("Yilmaz" → "Bakker", not "van Doorn")."""
        key = " ".join(w for w in original.lower().split())
        single = len(key.split()) == 1

        def make() -> str:
            for _ in range(100):
                name = self.faker.last_name()
                if not single or " " not in name:
                    return name
            return name
        return self._memo("achternaam", key, make)

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
        make = getattr(self, f"_make_{kind.lower()}", None)
        if make is None:
            return self._memo(kind, key, lambda: f"[{kind}]")
        return self._memo(kind, key, lambda: make(surface))

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

    def _make_plaats(self, surface: str) -> str:
        return self.faker.city()

    def _make_adres(self, surface: str) -> str:
        if surface.lower().startswith(("postbus", "antwoordnummer")):
            return surface.split()[0] + " " + str(self.rng.randint(100, 9999))
        m = re.search(r"\s(\d+.*)$", surface)
        number = self._digits(m.group(1)) if m else ""
        street = self.faker.street_name()
        while street.lower() in self.forbidden:
            street = self.faker.street_name()
        return f"{street} {number}".strip()

    def _make_instelling(self, surface: str) -> str:
        head = type_prefix(surface)
        words = surface.split()
        if not head and len(words) > 1 and is_head_word(words[-1]):  # named before its type: "Duinrand Ziekenhuis"
            names = [n for n in _INSTITUTION_NAMES if n.split()[-1].lower() not in self.forbidden] or ["De Linde"]
            return f"{self.rng.choice(names)} {words[-1]}"
        names = [n for n in _INSTITUTION_NAMES if n.split()[-1].lower() not in self.forbidden] or ["De Linde"]
        return f"{head}{self.rng.choice(names)}".strip()

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


__all__ = ["SurrogateBook", "title_gender"]
