"""Recognisers for names of people, places, institutions and street addresses.

These need more than a pattern: word lists (:mod:`leerwerkplaats.privacy.wordlists`) and
the context around a capitalised word. A Dutch case file names people after titles
(``mw.``, ``dhr.``), roles (``moeder Sanne``, ``jeugdbeschermer Karin Mulder``), in
e-mail headers and signatures, and with an age (``Daan (8)``). A word that is also
an ordinary Dutch word (Roos, Storm, Visser) counts as a name only with such
context, or when the same file names that person elsewhere (see :func:`link_mentions`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from presidio_analyzer import EntityRecognizer, RecognizerResult
from spacy.lang.nl.stop_words import STOP_WORDS

from leerwerkplaats.privacy import wordlists
from leerwerkplaats.privacy.recognisers import LANG

TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+|['’][^\W\d_]{2,})*\.?|\d+|\S")
INTERFIXES = frozenset({"van", "de", "der", "den", "het", "ter", "ten", "te", "'t", "el", "al", "ben", "bin",
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
CUE_WORDS_BEFORE = frozenset({"van:", "aan:", "cc:", "namens", "beste", "hoi", "hallo", "dag", "geachte", "lieve"})
PLACE_CONTEXT = frozenset({"in", "te", "uit", "naar", "wijk", "buurt", "gemeente", "rechtbank", "regio", "omgeving",
                           "jgt", "team", "wijkteam", "buurtteam", "locatie", "vestiging", "dorp", "stadsdeel",
                           "richting", "bij", "rond", "nabij", "woonachtig", "wonend"})
_ABBREVIATIONS = frozenset("""obs cbs pcbs rkbs ikc kc sbo so vso bso kdv psz bs rkvv rksv vv sv gv hc kv zv kbs csg sg
osg rsg isg pcc roc mbo""".split())
#: Words that say "the name of an institution follows": "OBS De Regenboog", "huisartsenpraktijk Meijer".
_HEAD_WORDS = frozenset("""basisschool school scholengemeenschap lyceum gymnasium college kinderdagverblijf
kinderopvang peuterspeelzaal peuteropvang gastouderbureau huisartsenpraktijk huisartspraktijk huisartsenpost praktijk
gezondheidscentrum apotheek ziekenhuis tandartspraktijk voetbalvereniging sportvereniging korfbalvereniging hockeyclub
zwemvereniging judoschool sportschool kerk kerkgemeente moskee parochie stichting zorgboerderij dagbesteding woongroep
kliniek zorgaanbieder jeugdhulpaanbieder opvoedpoli buurthuis wijkcentrum jongerencentrum speeltuin""".split())
#: Compound words that name a kind of institution by their ending: "Transportbedrijf", "Stadsziekenhuis", "GGZ-praktijk".
COMPOUND_SUFFIXES = ("bedrijf", "stichting", "centrum", "zorg", "school", "praktijk", "vereniging", "hulp", "opvang",
                     "kliniek", "voering", "groep", "corporatie", "dienst", "diensten", "winkel", "partners", "poli",
                     "erij", "bouw", "fabriek", "punt", "ziekenhuis", "kwekerij")
#: The same heads as one pattern, for matching the start of a known institution name.
INSTELLING_HEAD = re.compile(
    r"(?<![\w-])(?i:" + "|".join(sorted(_ABBREVIATIONS | _HEAD_WORDS, key=len, reverse=True)) + r")(?![\w-])"
)
HEAD_WORD = re.compile(r"(?<![\w-])[A-Za-zé][A-Za-zé]*(?:-[A-Za-zé]+)?(?=[ \t])")
_INSTITUTION_NAME = re.compile(
    r"[ \t]['\"‘“]?((?:(?:[A-Z0-9][\w'’&.-]*|de|het|van|der|den|'t|en|&|op|aan)(?:[ \t]|\n(?=[A-Z])|$|(?=[\n,.;:)'\"’”]))){1,6})"
)
_DATE_PREFIX = re.compile(r"[\d/.\-– ]+")
_AGED = re.compile(r"[ \t]?\([ \t]?(?:\d{1,2}|geb|moeder|vader|zoon|dochter)")
_POSTCODE_BEFORE = re.compile(r"\d{4} ?[A-Z]{2},?[ \t]*$")
_INITIAL = re.compile(r"(?:[A-Z]\.){1,4}|[A-Z][a-z]?\.(?:-?[A-Z]\.)*")
#: Institutions named before their type word: "Het Duinrand College", "Al-Nour moskee", "Betuws Lyceum".
INSTELLING_TAIL = re.compile(
    r"(?<![\w-])((?:(?:Het|De|'t)[ \t])?(?:[A-Z][\w'’-]+[ \t]){1,3}"
    r"(?:College|Lyceum|Collegium|Gymnasium|Scholengemeenschap|Academie|Ziekenhuis|moskee|Moskee|kerk|Kerk|"
    r"kerkgemeenschap|Kerkgemeenschap|Services|Diensten|Groep|B\.V\.|BV)(?:[ \t][A-Z][a-z]+(?=[ \t]*[,.;:)\n]))?)(?![\w-])"
)


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


@lru_cache(maxsize=65536)
def is_word(word: str) -> bool:
    """True when ``word`` (any case) is an ordinary Dutch word, compounds included."""
    vocab = wordlists.dutch_vocabulary()
    w = word.lower().strip(".")
    if w in vocab or len(w) <= 2:
        return True
    if "-" in w:
        parts = w.split("-")
        return any(p and p in vocab and p == word.split("-")[parts.index(p)] for p in parts[1:]) or all(is_word(p) for p in parts if p)
    for i in range(4, len(w) - 3):
        head, tail = w[:i], w[i:]
        if len(tail) >= 4 and tail in vocab and (head in vocab or (head[-1] in "se" and head[:-1] in vocab)):
            return True
    return False


def _cap(tok: Tok) -> bool:
    t = tok.text
    return t[:1].isupper() and t[:1].isalpha() and not (t.isupper() and len(t) > 1)


def _initial(tok: Tok) -> bool:
    return tok.text.endswith(".") and _INITIAL.fullmatch(tok.text) is not None


def _gap_ok(text: str, a: Tok, b: Tok) -> bool:
    return "\n" not in text[a.end:b.start] and not (a.text.endswith(".") and not _initial(a) and a.bare.lower() not in TITLES)


class NameRecogniser(EntityRecognizer):
    """Person names (``PERSOON``), places (``PLAATS``), institutions (``INSTELLING``) and streets (``ADRES``)."""

    def __init__(self) -> None:
        super().__init__(
            supported_entities=["PERSOON", "PLAATS", "INSTELLING", "ADRES"], supported_language=LANG,
            name="NameRecogniser",
        )

    def load(self) -> None:
        self.names = wordlists.names()
        self.places = wordlists.places()
        self.allow = wordlists.allowlist()
        self.place_phrases = {tuple(p.split()) for p in self.places if " " in p}
        self.allow_lengths: dict[str, set[int]] = {}
        for phrase in self.allow:
            words = phrase.split()
            self.allow_lengths.setdefault(words[0], set()).add(len(words))
        self.place_starts = {p[0] for p in self.place_phrases}
        self.max_place = max(len(p) for p in self.place_phrases)
        # each suffix is checked once at the end of the word (possessive match, then a look-behind)
        suffixes = "|".join(f"(?<={re.escape(s)})" for s in wordlists.street_suffixes())
        self._street = re.compile(
            r"(?<![\w-])(?:(?:[A-Z][\w'’.-]*|van|de|der|den|het|'t|op|aan|ter|ten)[ \t]){0,4}"
            rf"[A-Z][\w'’-]*+(?:{suffixes})"
            r"(?:[ \t]\d{1,5}(?:[ \t]?-[ \t]?(?:\d{1,4}|[IVX]{1,4}|hs|bis)|[ \t]?[a-zA-Z]{1,2}(?![\w])|[ \t](?:bis|hs|huis|I{1,3}|bg|rood|zw))?)?(?![\w-])"
            r"|(?<![\w-])(?:Postbus|Antwoordnummer)[ \t]\d{1,6}"
            r"|(?<![\w-])[A-Z][\w'’-]+(?:[ \t][A-Za-z][\w'’-]+){0,3}[ \t]\d{1,5}(?:[a-zA-Z]{1,2}|-[\dA-Za-z]{1,4})?(?=,?[ \t]*\n?[ \t]*[1-9]\d{3} ?[A-Z]{2}(?![\w]))"
            r"|(?<![\w-])(?:Laan|Plein|Hof|Kade|Singel|Dijk|Weg|Park|Markt|Brink|Ring)[ \t](?:(?:van|de|der|den|het|'t|op|aan)[ \t])*"
            r"[A-Z][\w'’-]*(?:[ \t]\d{1,5}[a-zA-Z]?)?(?![\w-])"
        )

    # -- classification of one capitalised token ------------------------------------
    def kind(self, tok: Tok) -> str:
        word = tok.bare
        low = word.lower()
        if low in self.allow or low in TITLES:
            return "allow"
        if "-" in word:
            pieces = word.split("-")
            if any(p[:1].islower() for p in pieces[1:]):
                return "word"  # MEE-consulent, VT-rapport
            if pieces[0] in self.places or word in self.places:
                return "place"  # Emmen-Noord, Zaandam-Oost, Sittard-Geleen
            if all(p in self.names.first or p in self.names.last for p in pieces):
                return "name"  # Gerrit-Jan, Bert-Jan
            return "word" if all(is_word(p) for p in pieces) else "unknown"
        exact = low in wordlists.dutch_vocabulary()
        if word in self.places:
            return "place?" if exact else "place"
        if word in self.names.first or word in self.names.last:
            return "name?" if exact else "name"
        return "word" if is_word(word) else "unknown"

    def analyze(self, text, entities, nlp_artifacts=None):
        toks = tokens(text)
        out = self._streets(text) + self._institutions(text) + self._names_and_places(text, toks) + self._headers(text)
        return [r for r in out if r.entity_type in entities]

    HEADER = re.compile(r"(?mi)^[ \t]*(?:van|aan|cc|bcc|from|to)[ \t]*:[ \t]*(.+)$")
    INVERTED = re.compile(r"(?<![\w])((?:[A-Z][\w'’-]+|van|de|der|den|ter|ten|el|al)(?:[ \t](?:[A-Z][\w'’-]+|van|de|der|den|ter|ten|el|al))*,[ \t][A-Z][\w'’-]+(?:[ \t](?:van|de|der|den|ter|ten))*)(?=[ \t]*(?:<|;|$|\())", re.M)

    def _headers(self, text: str) -> list[RecognizerResult]:
        """Inverted Outlook names in mail headers: ``Van: Jansen, Petra <p.jansen@...>``."""
        out = []
        for line in self.HEADER.finditer(text):
            for m in self.INVERTED.finditer(line.group(1)):
                start = line.start(1) + m.start(1)
                out.append(RecognizerResult("PERSOON", start, start + len(m.group(1).rstrip()), 0.9))
        return out

    def _streets(self, text: str) -> list[RecognizerResult]:
        out = []
        for m in self._street.finditer(text):
            words = m.group().split()
            start = m.start()
            # drop sentence words before the street name ("Adres: Bij Statenweg 4" → "Statenweg 4")
            while len(words) > 1 and not words[1][:1].isdigit() and (words[0].lower() in self.allow or (
                    is_word(words[0]) and not any(words[0].lower().endswith(x) for x in wordlists.street_suffixes())
                    and words[0] not in {"Laan", "Plein", "Hof", "Kade", "Singel", "Dijk", "Weg", "Park", "Markt", "Brink", "Ring", "Jan", "Burgemeester", "Van", "De"})):
                start = text.index(words[1], start + len(words[0]))
                words = words[1:]
            span = text[start:m.end()]
            has_number = bool(re.search(r"\d", span))
            lead = text[max(0, start - 12):start].lower()
            if not has_number and not re.search(r"(?:aan|in|op|vanaf|naar|via|uit|van|bij|langs) de[ \t]$", lead):
                continue
            if not has_number and (is_word(span) or span.lower() in self.allow or " " in span and all(w.lower() in self.allow or is_word(w) for w in span.split())):
                continue
            out.append(RecognizerResult("ADRES", start, m.end(), 0.85 if has_number else 0.5))
        return out

    def _institutions(self, text: str) -> list[RecognizerResult]:
        heads = []
        for m in HEAD_WORD.finditer(text):
            word = m.group().lower()
            if word in _HEAD_WORDS or word in _ABBREVIATIONS or (len(word) > 5 and word.endswith(COMPOUND_SUFFIXES)):
                heads.append((m.start(), m.end()))
        out = [r for start, end in heads if (r := self._institution_after(text, start, end))]
        out += self._institutions_by_article(text) + self._institutions_by_tail(text)
        return out

    def _institution_after(self, text: str, head_start: int, head_end: int) -> RecognizerResult | None:
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
        if all(w.lower() in self.allow or w.lower() in STOP_WORDS for w in words):
            return None
        start_name = head_end + n.start(1)
        span = re.match(r"[ \t\n]*".join(re.escape(w) for w in words), text[start_name:])
        if not span:
            return None
        return RecognizerResult("INSTELLING", head_start, start_name + span.end(), 0.75)

    def _institutions_by_article(self, text: str) -> list[RecognizerResult]:
        out = []
        # Mid-sentence "De Kompas", "Het Trefpunt": Dutch articles are capitalised only inside names
        for m in re.finditer(r"(?<=[a-z0-9,;:|] )(?:De|Het|'t) [A-Z][a-z]+(?:[ -][A-Z][a-z]+)?(?![\w-])", text):
            head = m.group().split()[1]
            before = text[max(0, m.start() - 14):m.start()].lower().split()
            if head in self.names.last or head.lower() in self.allow or (before and before[-1].rstrip(".") in TITLES | ROLES):
                continue
            out.append(RecognizerResult("INSTELLING", m.start(), m.end(), 0.6))
        return out

    def _institutions_by_tail(self, text: str) -> list[RecognizerResult]:
        out = []
        for m in INSTELLING_TAIL.finditer(text):
            words = [w for w in m.group(1).split() if w not in {"Het", "De", "'t"}]
            if len(words) < 2:
                continue
            if not all(w.lower() in self.allow or w.lower() in STOP_WORDS for w in words[:-1]):
                out.append(RecognizerResult("INSTELLING", m.start(1), m.end(1), 0.7))
        return out

    def _upper_places(self, toks: list[Tok]) -> list[RecognizerResult]:
        """Places in capitals, as in headings: "EINDVERSLAG GEBIEDSTEAM HEERENVEEN-ZUID"."""
        out = []
        for t in toks:
            if len(t.text) >= 3 and t.text.isupper():
                titled = "-".join(p.capitalize() for p in t.bare.split("-"))
                if titled in self.places or titled.split("-")[0] in self.places:
                    out.append(RecognizerResult("PLAATS", t.start, t.start + len(t.bare), 0.7))
        return out

    def _names_and_places(self, text: str, toks: list[Tok]) -> list[RecognizerResult]:
        out: list[RecognizerResult] = self._upper_places(toks)
        for m in re.finditer(r"(?<![\w])['’]s-[A-Z][a-z]+", text):
            if m.group().replace("’", "'") in self.places or m.group()[3:] in {"Hertogenbosch", "Gravenhage", "Gravendeel", "Heerenberg"}:
                out.append(RecognizerResult("PLAATS", m.start(), m.end(), 0.8))
        i, n = 0, len(toks)
        while i < n:
            tok = toks[i]
            if not (_cap(tok) or _initial(tok)):
                i += 1
                continue
            skip = self._allowed_phrase(toks, i)
            if skip:
                i += skip
                continue
            place_len = self._place_phrase(toks, i)
            if place_len:
                out.append(RecognizerResult("PLAATS", tok.start, toks[i + place_len - 1].end, 0.8))
                i += place_len
                continue
            parts = self._sequence(text, toks, i)
            j = i + len(parts)
            while parts and (parts[-1].text.lower() in INTERFIXES or parts[-1].text == "-"):
                parts.pop()
            if parts:
                result = self._judge(text, toks, i, parts)
                if result:
                    out.append(result)
            i = max(j, i + 1)
        return out

    def _sequence(self, text: str, toks: list[Tok], i: int) -> list[Tok]:
        parts: list[Tok] = []
        j = i
        while j < len(toks):
            t = toks[j]
            if parts and not _gap_ok(text, parts[-1], t):
                break
            if parts and self._allowed_phrase(toks, j):
                break
            nxt = toks[j + 1] if j + 1 < len(toks) else None
            if _initial(t) or (_cap(t) and t.bare.lower() not in INTERFIXES and self.kind(t) != "allow"):
                parts.append(t)
            elif t.text.lower() in INTERFIXES and nxt and (_cap(nxt) or nxt.text.lower() in INTERFIXES) and _gap_ok(text, t, nxt):
                parts.append(t)
            elif t.text == "-" and parts and nxt and _cap(nxt) and nxt.start == t.end and t.start == parts[-1].end:
                parts.append(t)
            else:
                break
            j += 1
        return parts

    def _allowed_phrase(self, toks: list[Tok], i: int) -> int:
        lengths = self.allow_lengths.get(toks[i].bare.lower())
        if not lengths:
            return 0
        for length in sorted(lengths, reverse=True):
            if i + length <= len(toks):
                phrase = " ".join(t.bare for t in toks[i:i + length]).lower()
                if phrase in self.allow and (length > 1 or toks[i].text[:1].isupper()):
                    return length
        return 0

    def _place_phrase(self, toks: list[Tok], i: int) -> int:
        if toks[i].text not in self.place_starts:
            return 0
        for length in range(min(self.max_place, len(toks) - i), 1, -1):
            if tuple(t.text for t in toks[i:i + length]) in self.place_phrases:
                return length
        return 0

    def _judge(self, text: str, toks: list[Tok], i: int, parts: list[Tok]) -> RecognizerResult | None:
        prev = toks[i - 1].text.lower().rstrip(".") if i > 0 else ""
        prev2 = toks[i - 2].text.lower() if i > 1 else ""
        line_start = text.rfind("\n", 0, parts[0].start) + 1
        before = text[line_start:parts[0].start].strip()
        sentence_start = not before or before[-1] in ".!?:•*-–>|" or _DATE_PREFIX.fullmatch(before) is not None
        titled = prev in TITLES or (prev == "heer" and prev2 == "de")
        prev_ends_sentence = i > 0 and toks[i - 1].text.endswith((".", "!", "?")) and not titled_abbrev(toks[i - 1].text)
        roled = not prev_ends_sentence and (prev in ROLES or (prev2 in ROLES and prev in {",", "("}))
        if prev_ends_sentence:
            titled = False
        header = prev in CUE_WORDS_BEFORE or before.lower().startswith(("van:", "aan:", "cc:", "from:", "to:"))
        # Words before a name or place are not part of it ("Sociaal Team Dalfsen", "Gezinscoach Jeroen")
        while len(parts) > 1 and not _initial(parts[0]) and self.kind(parts[0]) in {"word", "allow"} \
                and self.kind(parts[1]) in {"place", "name", "unknown"} and parts[1].text.lower() not in INTERFIXES:
            prev = parts[0].bare.lower()
            titled = titled or prev in TITLES
            roled = roled or prev in ROLES
            parts = parts[1:]
            sentence_start = False
        # A capitalised first word at a sentence start is often just a word ("Bij", "Melding")
        while len(parts) > 1 and sentence_start and not titled and not _initial(parts[0]) and self.kind(parts[0]) in {"word", "allow"}:
            prev, titled = parts[0].bare.lower(), parts[0].bare.lower() in TITLES
            roled = roled or prev in ROLES
            parts = parts[1:]
            while parts and parts[0].text.lower() in INTERFIXES and parts[0].text.islower():
                parts = parts[1:]
            sentence_start = False
        if not parts:
            return None
        words = [p for p in parts if p.bare.lower() not in INTERFIXES and p.text != "-"]
        if not words:
            return None
        kinds = ["initial" if _initial(p) else self.kind(p) for p in words]
        start, end = parts[0].start, parts[-1].end
        if text[end - 1] == "." and not _initial(parts[-1]):
            end -= 1
        after = text[end:end + 8]
        aged = bool(_AGED.match(after))
        line_end = text.find("\n", end)
        alone = not before and not text[end:line_end if line_end >= 0 else len(text)].strip(" ,")
        strong = titled or roled or header or aged
        nameish = sum(k in {"name", "unknown", "initial"} for k in kinds)
        maybe = sum(k in {"name?", "place?"} for k in kinds)
        if all(k == "allow" for k in kinds):
            return None
        postcode_before = bool(_POSTCODE_BEFORE.search(text, max(0, start - 12), start))
        place_context = prev in PLACE_CONTEXT or prev.endswith("team")
        if all(self.kind(w) in {"place", "place?"} or w.bare in self.places for w in words) and (place_context or postcode_before) and not titled:
            return RecognizerResult("PLAATS", start, end, 0.8)
        if all(k in {"place", "place?"} for k in kinds) and not strong:
            if all(k == "place" for k in kinds) or prev in PLACE_CONTEXT:
                return RecognizerResult("PLAATS", start, end, 0.75)
            return None
        if kinds[0] in {"unknown", "name?", "word"} and len(words) == 1 and prev in {"wijk", "buurt", "dorp", "stadsdeel"}:
            return RecognizerResult("PLAATS", start, end, 0.7)
        if strong and (nameish or maybe or (kinds[0] == "word" and not is_common_word(words[0].bare))):
            return RecognizerResult("PERSOON", start, end, 0.9)
        if "name" in kinds and (len(words) > 1 or not sentence_start or not is_word(words[0].bare)):
            return RecognizerResult("PERSOON", start, end, 0.8)
        if len(words) >= 2 and nameish + maybe >= max(1, len(words) - 1) and kinds[0] != "word":
            return RecognizerResult("PERSOON", start, end, 0.75)
        if alone and len(words) >= 2 and nameish + maybe == len(words):
            return RecognizerResult("PERSOON", start, end, 0.75)
        if kinds == ["unknown"]:
            return RecognizerResult("PERSOON", start, end, 0.35 if sentence_start else 0.5)
        if kinds == ["place?"] and prev in PLACE_CONTEXT:
            return RecognizerResult("PLAATS", start, end, 0.6)
        return None


def titled_abbrev(token: str) -> bool:
    """``mw.``, ``dhr.``: a title whose period does not end a sentence."""
    return token.rstrip(".").lower() in TITLES


@lru_cache(maxsize=4096)
def is_common_word(word: str) -> bool:
    """Very common Dutch words: a role or title followed by one of these is not a name."""
    return word.lower() in {"de", "het", "een", "die", "dat", "deze", "dit", "zijn", "haar", "hun", "ook", "niet", "wel",
                            "al", "nog", "was", "is", "heeft", "had", "wil", "kan", "moet", "gaf", "zegt", "vertelt",
                            "en", "of", "maar", "dan", "als", "omdat", "want", "gaat", "komt", "geeft", "vindt"}


def link_mentions(text: str, found: list[tuple[int, int, str, float]], min_score: float = 0.7) -> list[tuple[int, int, str, float]]:
    """Find the other mentions of people already named with confidence in this file.

    A first name mentioned once in full (``Sanne de Vries``) is caught everywhere
    after as ``Sanne``, ``De Vries`` or ``mw. de Vries``, including names that are
    also ordinary words.
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
    alternatives = "|".join(
        r"\s".join(("(?i:" + re.escape(w) + ")") if w.lower() in INTERFIXES else re.escape(w) for w in p.split())
        for p in patterns
    )
    rx = re.compile(r"(?<![\w-])(?:" + alternatives + r")(?![\w-])")
    return [(m.start(), m.end(), "PERSOON", 0.7) for m in rx.finditer(text)]
