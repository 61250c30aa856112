"""Places (``PLAATS``) that need no sentence context: in capitals in headings, and ``'s-`` names.

Places in running text are told from person names by the same judgement of a
capitalised word sequence (:mod:`leerwerkplaats.privacy.person_names`), since
"Best", "Hoorn" or "Elst" are names and places alike; :data:`PLACE_CONTEXT`
holds the words that make a place of one.
"""

from __future__ import annotations

import re

from presidio_analyzer import EntityRecognizer, RecognizerResult

from leerwerkplaats.privacy.lexicon import Lexicon, shared_lexicon
from leerwerkplaats.privacy.recognisers import LANG
from leerwerkplaats.privacy.tokens import tokens

PLACE_CONTEXT = frozenset({"in", "te", "uit", "naar", "wijk", "buurt", "gemeente", "rechtbank", "regio", "omgeving",
                           "jgt", "team", "wijkteam", "buurtteam", "locatie", "vestiging", "dorp", "stadsdeel",
                           "richting", "bij", "rond", "nabij", "woonachtig", "wonend"})
_S_PLACES = {"Hertogenbosch", "Gravenhage", "Gravendeel", "Heerenberg"}
_COMPASS = r"(?:Noord|Zuid|Oost|West|Noordoost|Noordwest|Zuidoost|Zuidwest|Centrum)"
#: A district of a place: "Zwolle Zuid", "Delft-Noord".
_DISTRICT = re.compile(rf"(?<![\w-])([A-Z][\w'’]+(?:[ \t][A-Z][\w'’]+)?)[ \t-]{_COMPASS}(?![\w-])")
#: "Capelle a/d IJssel", "Alphen a/d Rijn": the a/d form is a place name whatever the words.
_AAN_DE = re.compile(r"(?<![\w-])[A-Z][\w'’]+[ \t]a/d[ \t][A-Z][\w'’]+(?![\w-])")
#: A district named after a local team: "Ouder- en Kindteam Noordwest", "OKT Zuidoost". A bare compass point
#: ("team Noord", "wijkteam Oost", "team Centrum") is the team's working area and stays (ANNOTATION.md §1).
_TEAM_DISTRICT = re.compile(r"(?i:team|okt|jgt|wijkteam|buurtteam|gebiedsteam|kindteam|jeugdteam)[ \t]"
                            r"((?:Noord|Zuid)(?:oost|west))(?![\w-])")
#: Compass points that name a working area, not a place, when they stand alone.
COMPASS_AREAS = frozenset({"noord", "oost", "zuid", "west", "centrum", "midden"})


class PlaceRecogniser(EntityRecognizer):
    """Places in capitals ("GEBIEDSTEAM HEERENVEEN-ZUID") and ``'s-Hertogenbosch``-style names."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or shared_lexicon()
        super().__init__(supported_entities=["PLAATS"], supported_language=LANG, name="PlaceRecogniser")

    def load(self) -> None:  # the lexicon is loaded once and shared
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        if "PLAATS" not in entities:
            return []
        places = self.lexicon.places
        out = []
        for t in tokens(text):
            if len(t.text) >= 3 and t.text.isupper():
                titled = "-".join(p.capitalize() for p in t.bare.split("-"))
                if titled in places or titled.split("-")[0] in places:
                    out.append(RecognizerResult("PLAATS", t.start, t.start + len(t.bare), 0.7))
        for m in _DISTRICT.finditer(text):
            if m.group(1) in places:
                out.append(RecognizerResult("PLAATS", m.start(), m.end(), 0.85))
        for m in _AAN_DE.finditer(text):
            out.append(RecognizerResult("PLAATS", m.start(), m.end(), 0.85))
        for m in _TEAM_DISTRICT.finditer(text):
            out.append(RecognizerResult("PLAATS", m.start(1), m.end(1), 0.7))
        for m in re.finditer(r"(?<![\w])['’]s-[A-Z][a-z]+", text):
            if m.group().replace("’", "'") in places or m.group()[3:] in _S_PLACES:
                out.append(RecognizerResult("PLAATS", m.start(), m.end(), 0.8))
        return out
