"""Institutions (``INSTELLING``): schools, day care, GP practices, clubs, churches, employers.

Three ways a case file names one: after a type word ("OBS De Regenboog",
"huisartsenpraktijk Meijer", "Transportbedrijf Van Dijk"), before it ("Het
Duinrand College", "Al-Nour moskee"), or as a capitalised article mid-sentence
("bij De Kompas"). The head words are kept here once; the surrogates use them
to keep the type of an institution (:func:`type_prefix`).
"""

from __future__ import annotations

import re

from presidio_analyzer import EntityRecognizer, RecognizerResult
from spacy.lang.nl.stop_words import STOP_WORDS

from leerwerkplaats.privacy.lexicon import Lexicon, is_word, shared_lexicon
from leerwerkplaats.privacy.recognisers import LANG
from leerwerkplaats.privacy.tokens import INTERFIXES, ROLES, TITLES

ABBREVIATIONS = frozenset("""obs cbs pcbs rkbs ikc kc sbo so vso bso kdv psz bs rkvv rksv vv sv gv hc kv zv kbs csg sg
osg rsg isg pcc roc mbo""".split())
#: Words that say "the name of an institution follows": "OBS De Regenboog", "huisartsenpraktijk Meijer".
HEAD_WORDS = frozenset("""basisschool school scholengemeenschap lyceum gymnasium college kinderdagverblijf
kinderopvang peuterspeelzaal peuteropvang gastouderbureau huisartsenpraktijk huisartspraktijk huisartsenpost praktijk
gezondheidscentrum apotheek ziekenhuis tandartspraktijk voetbalvereniging sportvereniging korfbalvereniging hockeyclub
zwemvereniging judoschool sportschool kerk kerkgemeente moskee parochie stichting zorgboerderij dagbesteding woongroep
kliniek zorgaanbieder jeugdhulpaanbieder opvoedpoli buurthuis wijkcentrum jongerencentrum speeltuin""".split())
#: Compound words that name a kind of institution by their ending: "Transportbedrijf", "Stadsziekenhuis", "GGZ-praktijk".
COMPOUND_SUFFIXES = ("bedrijf", "stichting", "centrum", "zorg", "school", "praktijk", "vereniging", "hulp", "opvang",
                     "kliniek", "voering", "groep", "corporatie", "dienst", "diensten", "winkel", "partners", "poli",
                     "erij", "bouw", "fabriek", "punt", "ziekenhuis", "kwekerij")
_HEADS_BY_LENGTH = "|".join(sorted(ABBREVIATIONS | HEAD_WORDS, key=len, reverse=True))
#: The same heads as one pattern, for matching the start of a known institution name.
INSTELLING_HEAD = re.compile(r"(?<![\w-])(?i:" + _HEADS_BY_LENGTH + r")(?![\w-])")
#: The type part at the start of an institution's name, with one word before it ("Christelijke basisschool ").
_TYPE_PREFIX = re.compile(
    r"(?i)^((?:[\w-]*\s)?(?:" + _HEADS_BY_LENGTH + r"|[\w-]*(?:" + "|".join(COMPOUND_SUFFIXES) + r"))\b\s)"
)
HEAD_WORD = re.compile(r"(?<![\w-])[A-Za-zé][A-Za-zé]*(?:-[A-Za-zé]+)?(?=[ \t])")
_INSTITUTION_NAME = re.compile(
    r"[ \t]['\"‘“]?((?:(?:[A-Z0-9][\w'’&.-]*|de|het|van|der|den|'t|en|&|op|aan)(?:[ \t]|\n(?=[A-Z])|$|(?=[\n,.;:)'\"’”]))){1,6})"
)
#: Institutions named before their type word: "Het Duinrand College", "Al-Nour moskee", "Betuws Lyceum".
INSTELLING_TAIL = re.compile(
    r"(?<![\w-])((?:(?:Het|De|'t)[ \t])?(?:[A-Z][\w'’-]+[ \t]){1,3}"
    r"(?:College|Lyceum|Collegium|Gymnasium|Scholengemeenschap|Academie|Ziekenhuis|moskee|Moskee|kerk|Kerk|"
    r"kerkgemeenschap|Kerkgemeenschap|Services|Diensten|Groep|B\.V\.|BV)(?:[ \t][A-Z][a-z]+(?=[ \t]*[,.;:)\n]))?)(?![\w-])"
)


def is_head_word(word: str) -> bool:
    """A type word or abbreviation, or a compound that ends in one ("Transportbedrijf")."""
    word = word.lower()
    return word in HEAD_WORDS or word in ABBREVIATIONS or (len(word) > 5 and word.endswith(COMPOUND_SUFFIXES))


def type_prefix(surface: str) -> str:
    """The type part an institution's name starts with ("OBS ", "Huisartsenpraktijk "), or ``""``."""
    m = _TYPE_PREFIX.match(surface)
    if not m or m.end() == len(surface):  # the whole name is a type prefix: "Duinrand Ziekenhuis"
        return ""
    head = m.group(1)
    first = head.split()[0]
    if len(head.split()) > 1 and not is_head_word(first) and not is_word(first):
        return ""  # the word before the type is a name, not an adjective ("Duinrand Ziekenhuis …")
    return head


class InstitutionRecogniser(EntityRecognizer):
    """Named institutions, found by their type word or a capitalised article."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or shared_lexicon()
        super().__init__(supported_entities=["INSTELLING"], supported_language=LANG, name="InstitutionRecogniser")

    def load(self) -> None:  # the lexicon is loaded once and shared
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        if "INSTELLING" not in entities:
            return []
        heads = [(m.start(), m.end()) for m in HEAD_WORD.finditer(text) if is_head_word(m.group())]
        out = [r for start, end in heads if (r := self._after_head(text, start, end))]
        return out + self._by_article(text) + self._by_tail(text)

    def _after_head(self, text: str, head_start: int, head_end: int) -> RecognizerResult | None:
        """The name after a type word: "OBS De Regenboog", "huisartsenpraktijk Meijer"."""
        rest = text[head_end:head_end + 80]
        n = _INSTITUTION_NAME.match(rest)
        if not n:
            return None
        words = n.group(1).split()
        while words and (words[-1].lower() in INTERFIXES or words[-1] in {"en", "&", "op", "aan"}):
            words.pop()
        words = [w if re.fullmatch(r"(?:[A-Z][a-z]?\.)+|Zn\.|B\.V\.", w) else w.rstrip(".,") for w in words]
        if not words or not words[0][:1].isupper():
            return None
        if all(w.lower() in self.lexicon.allow or w.lower() in STOP_WORDS for w in words):
            return None
        start_name = head_end + n.start(1)
        span = re.match(r"[ \t\n]*".join(re.escape(w) for w in words), text[start_name:])
        if not span:
            return None
        return RecognizerResult("INSTELLING", head_start, start_name + span.end(), 0.75)

    def _by_article(self, text: str) -> list[RecognizerResult]:
        out = []
        # Mid-sentence "De Kompas", "Het Trefpunt": Dutch articles are capitalised only inside names
        for m in re.finditer(r"(?<=[a-z0-9,;:|] )(?:De|Het|'t) [A-Z][a-z]+(?:[ -][A-Z][a-z]+)?(?![\w-])", text):
            head = m.group().split()[1]
            before = text[max(0, m.start() - 14):m.start()].lower().split()
            if head in self.lexicon.names.last or head.lower() in self.lexicon.allow or (before and before[-1].rstrip(".") in TITLES | ROLES):
                continue
            out.append(RecognizerResult("INSTELLING", m.start(), m.end(), 0.6))
        return out

    def _by_tail(self, text: str) -> list[RecognizerResult]:
        out = []
        allow = self.lexicon.allow
        for m in INSTELLING_TAIL.finditer(text):
            words = [w for w in m.group(1).split() if w not in {"Het", "De", "'t"}]
            if len(words) < 2:
                continue
            if not all(w.lower() in allow or w.lower() in STOP_WORDS for w in words[:-1]):
                out.append(RecognizerResult("INSTELLING", m.start(1), m.end(1), 0.7))
        return out
