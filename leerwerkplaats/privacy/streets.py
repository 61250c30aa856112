"""Street addresses (``ADRES``): street + number, ``Postbus 12``, and a bare street after "aan de"."""

from __future__ import annotations

import re

from presidio_analyzer import EntityRecognizer, RecognizerResult

from leerwerkplaats.privacy import wordlists
from leerwerkplaats.privacy.lexicon import Lexicon, is_word, shared_lexicon
from leerwerkplaats.privacy.recognisers import LANG

#: Street words that are a street name on their own ("Laan van Meerdervoort"), never dropped as sentence words.
_STREET_WORDS = ("Laan", "Plein", "Hof", "Kade", "Singel", "Dijk", "Weg", "Park", "Markt", "Brink", "Ring")


def _street_pattern() -> re.Pattern[str]:
    # each suffix is checked once at the end of the word (possessive match, then a look-behind)
    suffixes = "|".join(f"(?<={re.escape(s)})" for s in wordlists.street_suffixes())
    return re.compile(
        r"(?<![\w-])(?:(?:[A-Z][\w'’.-]*|van|de|der|den|het|'t|op|aan|ter|ten)[ \t]){0,4}"
        rf"[A-Z][\w'’-]*+(?:{suffixes})"
        r"(?:[ \t]\d{1,5}(?:[ \t]?-[ \t]?(?:\d{1,4}|[IVX]{1,4}|hs|bis|[A-Za-z](?![\w]))|[ \t]?[a-zA-Z]{1,2}(?![\w])|[ \t](?:bis|hs|huis|I{1,3}|bg|rood|zw))?)?(?![\w-])"
        r"|(?<![\w-])(?:Postbus|Antwoordnummer)[ \t]\d{1,6}"
        r"|(?<![\w-])[A-Z][\w'’-]+(?:[ \t][A-Za-z][\w'’-]+){0,3}[ \t]\d{1,5}(?:[a-zA-Z]{1,2}|-[\dA-Za-z]{1,4})?(?=,?[ \t]*\n?[ \t]*[1-9]\d{3} ?[A-Z]{2}(?![\w]))"
        rf"|(?<![\w-])(?:{'|'.join(_STREET_WORDS)})[ \t](?:(?:van|de|der|den|het|'t|op|aan)[ \t])*"
        r"[A-Z][\w'’-]*(?:[ \t]\d{1,5}[a-zA-Z]?)?(?![\w-])"
    )


class StreetRecogniser(EntityRecognizer):
    """Streets with or without a house number; a bare street only after "aan de", "in de" and the like."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or shared_lexicon()
        super().__init__(supported_entities=["ADRES"], supported_language=LANG, name="StreetRecogniser")

    def load(self) -> None:
        self._street = _street_pattern()

    def analyze(self, text, entities, nlp_artifacts=None):
        if "ADRES" not in entities:
            return []
        allow = self.lexicon.allow
        suffixes = wordlists.street_suffixes()
        out = []
        for m in self._street.finditer(text):
            words = m.group().split()
            start = m.start()
            # drop sentence words before the street name ("Adres: Bij Statenweg 4" → "Statenweg 4")
            while len(words) > 1 and not words[1][:1].isdigit() and (words[0].lower() in allow or (
                    is_word(words[0]) and not any(words[0].lower().endswith(x) for x in suffixes)
                    and words[0] not in {*_STREET_WORDS, "Jan", "Burgemeester", "Van", "De"})):
                start = text.index(words[1], start + len(words[0]))
                words = words[1:]
            span = text[start:m.end()]
            has_number = bool(re.search(r"\d", span))
            lead = text[max(0, start - 12):start].lower()
            if not has_number and not re.search(r"(?:aan|in|op|vanaf|naar|via|uit|van|bij|langs) de[ \t]$", lead):
                continue
            if not has_number and (is_word(span) or span.lower() in allow or " " in span and all(w.lower() in allow or is_word(w) for w in span.split())):
                continue
            out.append(RecognizerResult("ADRES", start, m.end(), 0.85 if has_number else 0.5))
        return out
