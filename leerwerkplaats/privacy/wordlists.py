"""Word lists the recognisers use, all from installed packages or shipped data.

- person names: Faker's person providers (MIT), Dutch and many other locales,
  since the families in Dutch case files have names of many origins;
- places: Faker's ``nl_NL`` city list plus our own ``data/places_extra.txt``;
- Dutch vocabulary: the lemma tables of ``spacy-lookups-data`` (MIT) without the
  names and places they list as nouns, used to tell a name that is also an
  ordinary word (Roos, Storm, Visser) from a plain name (Emma, Daan);
- the allow-list of chain partners, roles and methods: ``data/allowlist.txt``.

Everything is read once and cached; nothing is fetched.
"""

from __future__ import annotations

import importlib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.lang.nl.stop_words import STOP_WORDS
from spacy.util import load_language_data, registry

_NAME_LOCALES = (
    "nl_NL", "nl_BE", "tr_TR", "pl_PL", "fr_FR", "de_DE", "en_US", "en_GB", "es_ES", "pt_BR",
    "pt_PT", "it_IT", "ro_RO", "hr_HR", "cs_CZ", "sk_SK", "hu_HU", "id_ID", "sw", "ha_NG",
    "ig_NG", "en_NG", "yo_NG", "fr_DZ", "az_AZ", "sq_AL", "bs_BA", "sl_SI", "lt_LT", "lv_LV",
    "da_DK", "sv_SE", "no_NO", "fi_FI", "es_MX", "en_IN", "en_PK", "tw_GH", "zu_ZA", "uz_UZ",
)


def _latin(word: str) -> bool:
    return all(ch.isascii() or unicodedata.category(ch).startswith("L") and ord(ch) < 0x250 for ch in word)


def _provider_attr(locale: str, attr: str) -> list[str]:
    try:
        module = importlib.import_module(f"faker.providers.person.{locale}")
    except ImportError:
        return []
    value = getattr(module.Provider, attr, ())
    if isinstance(value, dict):  # some locales weight names in an OrderedDict
        value = list(value)
    return [v for v in value if isinstance(v, str)]


@dataclass(frozen=True)
class NameLists:
    first_male: frozenset[str]
    first_female: frozenset[str]
    first: frozenset[str]
    last: frozenset[str]


@lru_cache(maxsize=1)
def names() -> NameLists:
    """First and last names from Faker's person providers, Latin script only."""
    male: set[str] = set()
    female: set[str] = set()
    last: set[str] = set()
    for loc in _NAME_LOCALES:
        male.update(_provider_attr(loc, "first_names_male"))
        female.update(_provider_attr(loc, "first_names_female"))
        last.update(_provider_attr(loc, "last_names"))
    extra = _data_lines("names_extra.txt")
    for line in extra:
        kind, _, name = line.partition(":")
        {"m": male, "v": female, "a": last}.get(kind.strip(), set()).add(name.strip())
    def clean(words: set[str]) -> frozenset[str]:
        out = set()
        for w in words:
            for part in w.replace("-", " ").split():
                if len(part) >= 2 and part[0].isupper() and _latin(part):
                    out.add(part)
        return frozenset(out)
    m, f = clean(male), clean(female)
    return NameLists(m, f, m | f, clean(last))


@lru_cache(maxsize=1)
def places() -> frozenset[str]:
    """Dutch place names (municipalities, towns, villages) and a few neighbourhoods."""
    module = importlib.import_module("faker.providers.address.nl_NL")
    out = set(module.Provider.cities)
    out.update(_data_lines("places_extra.txt"))
    return frozenset(out)


@lru_cache(maxsize=1)
def street_suffixes() -> tuple[str, ...]:
    module = importlib.import_module("faker.providers.address.nl_NL")
    extra = ("straat", "laan", "weg", "plein", "gracht", "kade", "singel", "dreef", "dijk", "hof",
             "pad", "steeg", "markt", "ring", "baan", "erf", "plantsoen", "wal", "haven", "park",
             "allee", "boulevard", "vliet", "vaart", "zoom", "brink", "oord", "akker", "weide",
             "straatweg", "dwarsstraat", "kwartier", "hoek", "polder", "burcht", "rode", "donk")
    return tuple(sorted({s.lower() for s in module.Provider.street_suffixes} | set(extra), key=len, reverse=True))


def _lemma_tables() -> tuple[dict, dict, dict]:
    """spacy-lookups-data's Dutch ``lemma_lookup``, ``lemma_index`` and ``lemma_exc``.

    Found through spaCy's lookups registry and read with ``load_language_data`` rather
    than ``spacy.lookups.load_lookups``, whose tables keep only hashes of their keys:
    the word forms are the keys.
    """
    data = registry.lookups.get("nl")
    lookup, index, exceptions = (load_language_data(data[t]) for t in ("lemma_lookup", "lemma_index", "lemma_exc"))
    return lookup, index, exceptions


@lru_cache(maxsize=1)
def lemma_vocabulary() -> frozenset[str]:
    """Every lower-case word form and lemma of the lemma tables, proper nouns included.

    The statistical recogniser's ``voc`` feature was learnt on this set
    (:mod:`leerwerkplaats.privacy.pii_features`); the rules use :func:`dutch_vocabulary`.
    """
    lookup, index, exceptions = _lemma_tables()
    words = set(lookup) | set(lookup.values()) | set(STOP_WORDS) | set(_data_lines("words_extra.txt"))
    for table in exceptions.values():
        for form, lemmas in table.items():
            words.add(form)
            words.update(lemmas)
    for lemmas in index.values():
        words.update(lemmas)
    return frozenset(w.lower() for w in words)


#: Endings of a name's own forms ("Daantje", "Eva's"): they show nothing about being an ordinary word.
_NAME_FORM_ENDINGS = ("tje", "tjes", "je", "jes", "ke", "kes", "'s", "’s")


@lru_cache(maxsize=1)
def dutch_vocabulary() -> frozenset[str]:
    """Lower-case ordinary Dutch words: the lemma tables without their proper nouns.

    The tables list first names and towns as nouns ("emma", "daan", "sterre" and
    hundreds of places), so a child called Emma read as the word "emma". A word
    that is also on the name or place lists stays only with evidence that Dutch
    uses it as a word: it is a stop word or one of ``words_extra.txt``, another
    part of speech than a noun, an inflected form of another lemma ("beste",
    "oude"), or it has inflected forms of its own ("rozen" for roos, "stormen"
    for storm).
    """
    lookup, index, exceptions = _lemma_tables()
    forms: dict[str, set[str]] = {}
    for form, lemma in lookup.items():
        if form != lemma and not form.endswith(_NAME_FORM_ENDINGS):
            forms.setdefault(lemma, set()).add(form)
    for table in exceptions.values():
        for form, lemmas in table.items():
            for lemma in lemmas:
                if form != lemma and not form.endswith(_NAME_FORM_ENDINGS):
                    forms.setdefault(lemma, set()).add(form)
    other_parts = set().union(*(lemmas for pos, lemmas in index.items() if pos != "noun"))
    irregular = set().union(*(table.keys() for table in exceptions.values()))  # "beste", "oude", "doe"
    sure = set(STOP_WORDS) | {w.lower() for w in _data_lines("words_extra.txt")} | irregular

    def ordinary(word: str) -> bool:
        return word in sure or word in other_parts or word in forms or lookup.get(word, word) != word

    people = names()
    proper = {w.lower() for w in people.first | people.last | places()}
    return frozenset(w for w in lemma_vocabulary() if w not in proper or ordinary(w))


@lru_cache(maxsize=1)
def allowlist() -> frozenset[str]:
    """Lower-cased words and phrases that are never personal data."""
    module = importlib.import_module("faker.providers.address.nl_NL")
    regions = {p.lower() for p in module.Provider.provinces} - {"groningen", "utrecht"}  # also cities
    return frozenset(line.lower() for line in _data_lines("allowlist.txt")) | regions


def _data_lines(name: str) -> list[str]:
    try:
        text = resources.files("leerwerkplaats.data").joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
