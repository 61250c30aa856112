"""Person names (``PERSOON``) from capitalised word sequences and mail headers.

A Dutch case file names people after titles (``mw.``, ``dhr.``), roles
(``moeder Sanne``, ``jeugdbeschermer Karin Mulder``), in e-mail headers and
signatures, and with an age (``Daan (8)``). A word that is also an ordinary
Dutch word (Roos, Storm, Visser) counts as a name only with such context, or
when the same file names that person elsewhere (:mod:`leerwerkplaats.privacy.linking`).

One judgement decides what a capitalised sequence is, so it may also return a
place: "Best" after "in" is a place, after "mw." a person.
"""

from __future__ import annotations

import re

from presidio_analyzer import EntityRecognizer, RecognizerResult
from spacy.lang.nl.stop_words import STOP_WORDS

from leerwerkplaats.privacy import wordlists
from leerwerkplaats.privacy.institutions import ABBREVIATIONS, is_head_word
from leerwerkplaats.privacy.lexicon import Lexicon, is_word, shared_lexicon
from leerwerkplaats.privacy.places import COMPASS_AREAS, PLACE_CONTEXT
from leerwerkplaats.privacy.recognisers import LANG
from leerwerkplaats.privacy.tokens import (
    CUE_WORDS_BEFORE,
    INTERFIXES,
    ROLES,
    TITLES,
    Tok,
    gap_ok,
    is_capitalised,
    is_common_word,
    is_initial,
    titled_abbrev,
    tokens,
)

_DATE_PREFIX = re.compile(r"[\d/.\-– ]+")
_AGED = re.compile(r"[ \t]?\([ \t]?(?:\d{1,2}|geb|moeder|vader|zoon|dochter)")
_POSTCODE_BEFORE = re.compile(r"\d{4} ?[A-Z]{2},?[ \t]*$")
_HEADER = re.compile(r"(?mi)^[ \t]*(?:van|aan|cc|bcc|from|to)[ \t]*:[ \t]*(.+)$")
_INVERTED = re.compile(r"(?<![\w])((?:[A-Z][\w'’-]+|van|de|der|den|ter|ten|el|al)(?:[ \t](?:[A-Z][\w'’-]+|van|de|der|den|ter|ten|el|al))*,[ \t][A-Z][\w'’-]+(?:[ \t](?:van|de|der|den|ter|ten))*)(?=[ \t]*(?:<|;|$|\())", re.M)


#: A lowercase name after "bsn" or a role, as in quick notes and mail: "bsn milan 123…", "vader dion:".
_LOWER_AFTER = re.compile(r"(?<![\w-])(?:bsn|" + "|".join(sorted((r for r in ROLES if r.isalpha()), key=len, reverse=True))
                          + r")[ \t]+([a-zà-ÿ][a-zà-ÿ'’-]{1,20})(?=[ \t]*:|[ \t]+\d)")
#: Titles that read as "of whom" before "van": "het gezin van Emir", "de juf van Noah".
_OF_WHOM = frozenset({"gezin", "familie", "juf", "meester"})
_PARTICLE = r"(?:van|de|der|den|ter|ten|te|het|'t|’t|in|op|la|le|du|da|dos|von)"
#: A title and a surname that starts with a lower-case particle, no first name: "mevrouw van der Berg", "dhr. de Groot".
_TITLED_PARTICLE = re.compile(
    r"(?<![\w-])(?i:" + "|".join(sorted(TITLES - _OF_WHOM, key=len, reverse=True)) + r"|de[ \t]+heer)\.?[ \t]+"
    rf"((?:{_PARTICLE}[ \t]+)+[A-Z][\w'’]+(?:-[A-Z][\w'’]+)?)"
)
#: Initials written without dots before a surname: "PJ de Vries", "JW van Dam", "M de Boer", "AC Jansen".
_BARE_INITIALS = re.compile(rf"(?<![\w.&/-])([A-Z]{{1,3}})[ \t]+((?:{_PARTICLE}[ \t]+)*)([A-Z][a-zà-ÿ][\w'’]*(?:-[A-Z][\w'’]+)?)")
#: An inverted name in capitals on a line of its own, as in a file header: "JANSEN, PIETER", "Cliënt: VAN DAM, S."
_INVERTED_CAPS = re.compile(
    r"(?m)^[ \t]*(?:[^\W\d][\w ]{0,20}:[ \t]*)?"
    r"((?:(?:VAN|DE|DER|DEN|TER|TEN|'T)[ \t]+)*[A-Z][A-Z'’-]+(?:[ \t][A-Z][A-Z'’-]+)?,[ \t]*[A-Z][A-Z'’-]*\.?(?:[ \t][A-Z][A-Z'’-]+)?)[ \t]*$"
)
_CAPS_PARTICLES = frozenset({"VAN", "DE", "DER", "DEN", "TER", "TEN", "'T", "EL", "AL"})
#: A party referred to by initials only, as rulings do: "de moeder (hierna: K.)".
_DEFINED_INITIALS = re.compile(r"(?i:hierna(?:[ \t]+te[ \t]+noemen)?)[ \t]*:?[ \t]*((?:[A-Z]\.){1,3})")
#: Capitals before a name that are an abbreviation, not initials ("VT Hollands Midden", "OTS de Vries").
_NOT_INITIALS = frozenset("""VT GI JGT OKT CJG AMK RVK OTS VOTS GGZ MEE BJZ SO VSO PO VO MBO HBO WO LVB RK JBT WMO NL
BV NV VOF CV EN OF IK HET DE EEN AAN IN OP TE MET VAN BSN IBAN VOG MDO VTO IB ZAT ZT""".split())
#: A role right after a name, as in a list of those present: "A. Kroeze, moeder".
_ROLE_AFTER = re.compile(r",[ \t]*(?:" + "|".join(sorted((r for r in ROLES if r.isalpha()), key=len, reverse=True))
                         + r")\b")
_POSTCODE_DIGITS = re.compile(r"\d{4}[ \t]?$")
_ARTICLE_BEFORE = re.compile(r"(?i:\b(?:de|het|een|dit|deze|die|dat|zijn|haar|hun|ons|onze|uw))[ \t]+$")
#: A chain agency with its region, whose place stays: "AMK Groningen", "Bureau Jeugdzorg Drenthe".
_CHAIN_BEFORE = frozenset({"amk", "jeugdzorg", "thuis", "ombudsman", "jeugdbescherming"})
#: A list letter or Roman numeral with its full stop, at the start of a line: "A.", "B.", "I.", "V.".
_LIST_MARK = re.compile(r"[A-HIVX]\.")


class PersonNameRecogniser(EntityRecognizer):
    """Names of people; places where the same sequence reads as a place in its context."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or shared_lexicon()
        super().__init__(supported_entities=["PERSOON", "PLAATS"], supported_language=LANG, name="PersonNameRecogniser")

    def load(self) -> None:  # the lexicon is loaded once and shared
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        toks = tokens(text)
        out = self._sequences(text, toks) + self._headers(text) + self._lowercase(text) + self._capitals(text, toks)
        out += self._defined_initials(text) + self._titled_particles(text) + self._bare_initials(text)
        out += self._inverted_capitals(text) + self._unknown_capitals(text, toks)
        return [r for r in out if r.entity_type in entities]

    def _headers(self, text: str) -> list[RecognizerResult]:
        """Inverted Outlook names in mail headers: ``Van: Jansen, Petra <p.jansen@...>``."""
        out = []
        for line in _HEADER.finditer(text):
            for m in _INVERTED.finditer(line.group(1)):
                start = line.start(1) + m.start(1)
                out.append(RecognizerResult("PERSOON", start, start + len(m.group(1).rstrip()), 0.9))
        return out

    def _lowercase(self, text: str) -> list[RecognizerResult]:
        out = []
        for m in _LOWER_AFTER.finditer(text):
            word = m.group(1)
            if not is_word(word) or word.capitalize() in self.lexicon.names.first:
                out.append(RecognizerResult("PERSOON", m.start(1), m.end(1), 0.8))
        return out

    def _capitals(self, text: str, toks: list[Tok]) -> list[RecognizerResult]:
        """A name in capitals, in a heading or running text: "GESPREKSVERSLAG LOTTE MEIJERING", "met SANNE DE VRIES"."""
        out = []
        lex = self.lexicon
        for k, a in enumerate(toks[:-1]):
            if not (len(a.text) >= 3 and a.text.isupper() and a.text.isalpha() and a.text.capitalize() in lex.names.first):
                continue
            if a.text.lower() in lex.allow:
                continue
            j = k + 1
            while j < len(toks) - 1 and toks[j].text in _CAPS_PARTICLES and toks[j].end < toks[j + 1].start:
                j += 1
            b = toks[j]
            if not (b.text.isupper() and len(b.text) >= 2 and b.text[0].isalpha()) or "\n" in "".join(t.text for t in toks[k:j + 1]):
                continue
            low = b.bare.lower()
            if low in lex.allow or low in STOP_WORDS or low in ROLES or low in TITLES:
                continue
            surname = b.bare.capitalize() in lex.names.last or low not in wordlists.dutch_vocabulary()
            line_start, line_end = text.rfind("\n", 0, a.start) + 1, text.find("\n", b.end)
            running = any(c.islower() for c in text[line_start:line_end if line_end >= 0 else len(text)])
            if surname or j > k + 1 or not is_word(a.text) or running:
                out.append(RecognizerResult("PERSOON", a.start, b.start + len(b.bare), 0.8))
        return out

    def _unknown_capitals(self, text: str, toks: list[Tok]) -> list[RecognizerResult]:
        """Words in capitals in running text, not all Dutch words: "met SEVDA VLASBLOEM", "SEVDA VAN HOFSTEDE"."""
        out = []
        lex = self.lexicon
        done = -1
        for k in [k for k, t in enumerate(toks[:-1]) if len(t.text) >= 4 and t.text.isupper() and t.text.isalpha()]:
            if k <= done:
                continue
            j = k + 1
            while j < len(toks) - 1 and toks[j].text in _CAPS_PARTICLES:
                j += 1
            pair = (toks[k], toks[j])
            if not (len(pair[1].text) >= 4 and pair[1].text.isalpha() and pair[1].text.isupper()):
                continue
            if "\n" in text[pair[0].end:pair[1].start] or not all(sum(c in "AEIOUY" for c in t.text) >= 2 for t in pair):
                continue
            low = [t.text.lower() for t in pair]
            if any(w in lex.allow or w in STOP_WORDS or w in ROLES or w.capitalize() in lex.places for w in low):
                continue
            if all(is_word(w) for w in low):
                continue
            line_start, line_end = text.rfind("\n", 0, pair[0].start) + 1, text.find("\n", pair[1].end)
            if any(c.islower() for c in text[line_start:line_end if line_end >= 0 else len(text)]):
                out.append(RecognizerResult("PERSOON", pair[0].start, pair[1].end, 0.75))
                done = j
        return out

    def _inverted_capitals(self, text: str) -> list[RecognizerResult]:
        """``JANSEN, PIETER`` on a line of its own: a known first name after the comma, or a known surname before it."""
        out = []
        lex = self.lexicon
        for m in _INVERTED_CAPS.finditer(text):
            surname, _, given = m.group(1).partition(",")
            first = given.split()[0].rstrip(".").capitalize() if given.split() else ""
            last = surname.split()[-1].capitalize()
            if (first in lex.names.first and first.lower() not in lex.allow) or (len(first) == 1 and not is_word(last)) \
                    or (last in lex.names.last and not is_word(last)):
                out.append(RecognizerResult("PERSOON", m.start(1), m.end(1), 0.85))
        return out

    def _titled_particles(self, text: str) -> list[RecognizerResult]:
        """A surname with a lower-case particle after a title: "mevrouw van der Berg" (the title stays outside)."""
        out = []
        for m in _TITLED_PARTICLE.finditer(text):
            last = m.group(1).split()[-1]
            low = last.lower()
            if low in self.lexicon.allow or low in ROLES or low in TITLES:
                continue  # "Meneer de Voorzitter"
            out.append(RecognizerResult("PERSOON", m.start(1), m.end(1), 0.9))
        return out

    def _bare_initials(self, text: str) -> list[RecognizerResult]:
        """Initials without dots before a surname: "PJ de Vries"; one letter only with a particle ("M de Boer")."""
        out = []
        lex = self.lexicon
        for m in _BARE_INITIALS.finditer(text):
            initials, particles, last = m.group(1), m.group(2), m.group(3)
            if initials.lower() in lex.allow or initials.lower() in ABBREVIATIONS or initials in _NOT_INITIALS:
                continue
            if _POSTCODE_DIGITS.search(text, max(0, m.start() - 6), m.start()):
                continue  # "3972 NT Driebergen": the letters of a postcode
            if _ARTICLE_BEFORE.search(text, max(0, m.start() - 12), m.start()):
                continue  # "het BSN van Hoop", "de MDO van Sanne": an abbreviation with an article
            if last.lower() in lex.allow or last.lower() in ROLES or is_head_word(last):
                continue
            # a surname that is a plain word ("MDO Verslag") needs a particle; a compound may be one ("Akkerboom")
            if particles or (len(initials) >= 2 and (last in lex.names.last or last.lower() not in wordlists.dutch_vocabulary())
                             and last not in lex.places):
                out.append(RecognizerResult("PERSOON", m.start(), m.end(), 0.8))
        return out

    def _defined_initials(self, text: str) -> list[RecognizerResult]:
        out = []
        for m in _DEFINED_INITIALS.finditer(text):
            rx = re.compile(r"(?<![\w.])" + re.escape(m.group(1)) + r"(?![\w])")
            out += [RecognizerResult("PERSOON", n.start(), n.end(), 0.85) for n in rx.finditer(text)]
        return out

    def _sequences(self, text: str, toks: list[Tok]) -> list[RecognizerResult]:
        out: list[RecognizerResult] = []
        lex = self.lexicon
        i, n = 0, len(toks)
        while i < n:
            tok = toks[i]
            if not (is_capitalised(tok) or is_initial(tok)):
                i += 1
                continue
            skip = lex.allowed_phrase(toks, i)
            if skip:
                i += skip
                continue
            place_len = lex.place_phrase(toks, i)
            if place_len:
                last = toks[i + place_len - 1]
                out.append(RecognizerResult("PLAATS", tok.start, last.start + len(last.bare), 0.8))
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
            if parts and not gap_ok(text, parts[-1], t):
                break
            if parts and self.lexicon.allowed_phrase(toks, j):
                break
            nxt = toks[j + 1] if j + 1 < len(toks) else None
            if is_initial(t) or (is_capitalised(t) and t.bare.lower() not in INTERFIXES and self.lexicon.kind(t) != "allow"):
                parts.append(t)
            elif t.text.lower() in INTERFIXES and nxt and (is_capitalised(nxt) or nxt.text.lower() in INTERFIXES) and gap_ok(text, t, nxt):
                parts.append(t)
            elif t.text == "-" and parts and nxt and is_capitalised(nxt) and nxt.start == t.end and t.start == parts[-1].end:
                parts.append(t)
            else:
                break
            j += 1
        return parts

    def _judge(self, text: str, toks: list[Tok], i: int, parts: list[Tok]) -> RecognizerResult | None:
        kind = self.lexicon.kind
        places = self.lexicon.places
        prev = toks[i - 1].text.lower().rstrip(".") if i > 0 else ""
        prev2 = toks[i - 2].text.lower() if i > 1 else ""
        line_start = text.rfind("\n", 0, parts[0].start) + 1
        before = text[line_start:parts[0].start].strip()
        sentence_start = not before or before[-1] in ".!?:•*-–>|" or _DATE_PREFIX.fullmatch(before) is not None
        list_item = not before or before[-1] in "•*-–>|(" or _DATE_PREFIX.fullmatch(before) is not None
        titled = prev in TITLES or (prev == "heer" and prev2 == "de")
        prev_ends_sentence = i > 0 and toks[i - 1].text.endswith((".", "!", "?")) and not titled_abbrev(toks[i - 1].text)
        roled = not prev_ends_sentence and (prev in ROLES or (prev2 in ROLES and prev in {",", "("}))
        if prev_ends_sentence:
            titled = False
        header = prev in CUE_WORDS_BEFORE or before.lower().startswith(("van:", "aan:", "cc:", "from:", "to:"))
        # Words before a name or place are not part of it ("Sociaal Team Dalfsen", "Gezinscoach Jeroen")
        while len(parts) > 1 and not is_initial(parts[0]) and kind(parts[0]) in {"word", "allow"} \
                and kind(parts[1]) in {"place", "name", "unknown"} and parts[1].text.lower() not in INTERFIXES:
            prev = parts[0].bare.lower()
            titled = titled or prev in TITLES
            roled = roled or prev in ROLES
            parts = parts[1:]
            sentence_start = False
        # A capitalised first word at a sentence start is often just a word ("Bij", "Melding")
        while len(parts) > 1 and sentence_start and not titled and not is_initial(parts[0]) and kind(parts[0]) in {"word", "allow"}:
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
        kinds = ["initial" if is_initial(p) else kind(p) for p in words]
        start, end = parts[0].start, parts[-1].end
        if text[end - 1] == "." and not is_initial(parts[-1]):
            end -= 1
        after = text[end:end + 8]
        aged = bool(_AGED.match(after) or (is_initial(parts[0]) and _ROLE_AFTER.match(text, end)))
        line_end = text.find("\n", end)
        alone = not before and not text[end:line_end if line_end >= 0 else len(text)].strip(" ,")
        strong = titled or roled or header or aged
        if list_item and parts[0] is toks[i] and _LIST_MARK.fullmatch(parts[0].text) and not strong \
                and all(k in {"word", "allow"} or w.bare.lower() in STOP_WORDS for k, w in zip(kinds[1:], words[1:])):
            return None  # a list letter or numeral before ordinary words: "A. Een gesprek", "I. Feiten"
        nameish = sum(k in {"name", "unknown", "initial"} for k in kinds)
        maybe = sum(k in {"name?", "place?"} for k in kinds)
        if all(k == "allow" for k in kinds):
            return None
        if prev == "regio" and all(k in {"place", "place?", "word", "allow"} for k in kinds):
            return None  # a region used as a working area: "in de regio Utrecht werken wij"
        if (prev.endswith("team") or prev in {"okt", "jgt"}) and all(w.bare.lower() in COMPASS_AREAS for w in words):
            return None  # the working area of a team: "team Noord", "wijkteam Oost"
        if prev in _CHAIN_BEFORE and all(k in {"place", "place?", "allow"} for k in kinds):
            return None  # the region of a chain agency: "AMK Groningen"
        postcode_before = bool(_POSTCODE_BEFORE.search(text, max(0, start - 12), start))
        place_context = prev in PLACE_CONTEXT or prev.endswith("team")
        if all(kind(w) in {"place", "place?"} or w.bare in places for w in words) and (place_context or postcode_before) and not titled:
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
