"""Words and marks of a case text with their offsets, and the closed word classes around names.

Titles (``mw.``, ``dhr.``), roles (``moeder``, ``jeugdbeschermer``), interfixes
(``van``, ``de``) and mail cue words tell the name recognisers where a name
starts or ends; they are closed lists of Dutch, not lexicon entries.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

#: Words (with inner hyphens and apostrophes: "O'Neill"), the particle "'t" as one word, numbers, marks.
TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+|['’][^\W\d_]{2,})*\.?|(?<![\w'’])['’]t(?![\w'’])|\d+|\S")
INTERFIXES = frozenset({"van", "de", "der", "den", "het", "ter", "ten", "te", "'t", "’t", "el", "al", "ben", "bin",
                        "da", "dos", "do", "di", "le", "la", "du", "des", "von", "abu", "ibn", "van't"})
TITLES = frozenset({"mw", "mevr", "mevrouw", "dhr", "meneer", "mr", "dr", "drs", "ir", "juf", "meester",
                    "mej", "mvr", "hr", "fam", "familie", "gezin", "zr", "br", "prof"})
ROLES = frozenset("""moeder vader zoon dochter oma opa tante oom broer broertje zus zusje stiefvader stiefmoeder
partner vriend vriendin ex ex-partner ex-man ex-vrouw buurvrouw buurman neef nicht baby kind jongen meisje
jongere pleegmoeder pleegvader pleegouder grootmoeder grootvader collega gezinsvoogd jeugdbeschermer casemanager
wijkagent leerkracht mentor ib'er ib-er huisarts jeugdarts jeugdverpleegkundige gezinscoach gezinsbegeleider
gedragswetenschapper orthopedagoog psycholoog psychiater regisseur casusregisseur medewerker teamleider manager
leerplichtambtenaar consulent hulpverlener begeleider coach advocaat raadsonderzoeker zorgcoördinator bewindvoerder
verloskundige kraamverzorgster docent directeur notulist voorzitter contactpersoon behandelaar therapeut
jongerenwerker schoolmaatschappelijk werker trajectbegeleider ambulant""".split())
#: Titles written as abbreviations: only their full stop is not a sentence end ("mw. Jansen";
#: "met het gezin. Daarna" and "met meneer. Toen" end a sentence).
ABBREVIATED_TITLES = frozenset({"mw", "mevr", "dhr", "mr", "dr", "drs", "ir", "mej", "mvr", "hr", "fam", "zr", "br",
                                "prof"})
CUE_WORDS_BEFORE = frozenset({"van:", "aan:", "cc:", "namens", "beste", "hoi", "hallo", "dag", "geachte", "lieve"})
_INITIAL = re.compile(r"(?:[A-Z]\.){1,4}|[A-Z][a-z]?\.(?:-?[A-Z]\.)*")


class Tok(NamedTuple):
    """A word or mark of the text with its offsets (a tuple: tens of thousands are made per file)."""

    text: str
    start: int
    end: int

    @property
    def bare(self) -> str:
        return self.text.rstrip(".")


def tokens(text: str) -> list[Tok]:
    return [Tok(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)]


def is_capitalised(tok: Tok) -> bool:
    """A capital first letter and not all capitals (``Sanne``, not ``GGZ``)."""
    t = tok.text
    return t[:1].isupper() and t[:1].isalpha() and not (t.isupper() and len(t) > 1)


def is_initial(tok: Tok) -> bool:
    """``J.``, ``J.P.``, ``Th.``."""
    return tok.text.endswith(".") and _INITIAL.fullmatch(tok.text) is not None


def gap_ok(text: str, a: Tok, b: Tok) -> bool:
    """May ``a`` and ``b`` belong to one name: no line break and no sentence end between them."""
    return "\n" not in text[a.end:b.start] and not (a.text.endswith(".") and not is_initial(a) and a.bare.lower() not in ABBREVIATED_TITLES)


def titled_abbrev(token: str) -> bool:
    """``mw.``, ``dhr.``: a title whose period does not end a sentence."""
    return token.rstrip(".").lower() in ABBREVIATED_TITLES


@lru_cache(maxsize=4096)
def is_common_word(word: str) -> bool:
    """Very common Dutch words: a role or title followed by one of these is not a name."""
    return word.lower() in {"de", "het", "een", "die", "dat", "deze", "dit", "zijn", "haar", "hun", "ook", "niet", "wel",
                            "al", "nog", "was", "is", "heeft", "had", "wil", "kan", "moet", "gaf", "zegt", "vertelt",
                            "en", "of", "maar", "dan", "als", "omdat", "want", "gaat", "komt", "geeft", "vindt"}
