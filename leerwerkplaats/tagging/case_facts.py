"""The facts of a case that the case fields and the costs are both read from.

One set of facts per tagged case, so a handout cannot say one thing in the
fields and another in the costs: whether the text *asserts* or *denies* acute
danger, which child-protection measures were imposed and for how many children,
when the GI first worked alongside, and which chain partners are named.

Every fact is read clause by clause and negation-aware: "er is geen sprake van
acute onveiligheid" denies acute danger; "het verzoek tot een OTS werd
afgewezen" is no measure. All functions are pure over the (pseudonymised)
text and the tags, so :mod:`leerwerkplaats.tagging.case_fields` and
:mod:`leerwerkplaats.handouts.costs` compute the same facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from leerwerkplaats.core.cases import Tag
from leerwerkplaats.core.records import PiiSpan

_ACUTE = re.compile(r"\bacu(?:ut|te)\b[\w ]{0,25}?(?:onveilig\w*|gevaar|dreiging|situatie)|\bacuut\b|"
                    r"direct gevaar|onmiddellijk gevaar|spoedmachtiging|spoedverzoek|spoedeisend\w*|"
                    r"voorlopige ondertoezichtstelling|\bvots\b|crisismaatregel", re.I)
#: One of these is in every match of _ACUTE (same flags): a quick test before the slow pattern.
_ACUTE_WORD = re.compile(r"acu|gevaar|spoed|ondertoezichtstelling|vots|crisismaatregel", re.I)
#: Ends a clause inside a sentence.
_CLAUSE_END = re.compile(r"[,;:()—–]|\s-\s|\b(?:maar|want|omdat|terwijl|hoewel|doordat|zodat|waardoor|"
                         r"echter|wel|toch|daarentegen|dus)\b", re.I)
#: A negation that governs the cue when it stands within a few words before it ("geen sprake van acute ...").
_NEG_BEFORE = re.compile(r"\b(?:geen|niet|nooit|zonder|niets|noch)\b(?:\W+\w+){0,4}\W*$", re.I)
#: ... or right after it ("acuut gevaar is er niet", "een OTS bleek niet nodig").
_NEG_AFTER = re.compile(r"^\W*(?:(?:is|was|zijn|waren|bleek|bleken|lijkt|leek|werd|wordt|kwam|komt)\W+"
                        r"(?:er\W+|het\W+|toen\W+|nu\W+){0,2})?(?:niet|geen|nooit)\b", re.I)
#: A rejection anywhere in the clause ("het verzoek tot een OTS werd afgewezen").
_REJECTED = re.compile(r"\b(?:afgewezen|afwijz\w*|wees\b.*\baf|ingetrokken|uitgesloten|ontbr\w*|"
                       r"niet nodig|niet aan de orde|geen sprake)\b", re.I)
_HYPOTHETICAL = re.compile(r"^\s*(?:mocht|mochten|indien|stel|ingeval)\b|\b(?:zou|zouden|eventuele?|"
                           r"overweeg\w*)\b", re.I)

MEASURE_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("voogdij", re.compile(r"voogdij|gezagsbe[eë]indig|gezag\w* (?:beëindig|ontnom)", re.I)),
    ("jeugdreclassering", re.compile(r"jeugdreclassering", re.I)),
    ("ots", re.compile(r"ondertoezichtstelling|\bv?ots\b|onder toezicht", re.I)),
)
_EXTENSION = re.compile(r"verleng", re.I)

_NUMBERS = {"twee": 2, "beide": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8}
_CHILD_WORDS = r"(?:kinderen|jeugdigen|minderjarigen|jongens|meisjes|broers|zussen|broertjes|zusjes|zonen|dochters)"
_COUNT = re.compile(rf"\b(?:alle\s+)?(twee|drie|vier|vijf|zes|zeven|acht|[2-8])\s+(?:de\s+)?(?:\w+\s+)?{_CHILD_WORDS}\b"
                    rf"|\balle\s+(twee|drie|vier|vijf|zes|zeven|acht|[2-8])\b|\b(beide)\b"
                    rf"|\b(tweeling)\b", re.I)
_PLURAL = re.compile(rf"\b(?:de|alle|haar|zijn|hun)\s+{_CHILD_WORDS}\b", re.I)
_TITLE_BEFORE = re.compile(r"(?:mw|mevr|dhr|hr|mevrouw|meneer|de heer|moeder|vader|stiefvader|stiefmoeder|"
                           r"oma|opa|partner|gezinsvoogd|jeugdbeschermer|rechter|advocaat)\.?\s*$", re.I)


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Character bounds of the clause of ``text`` (one sentence) around ``text[start:end]``."""
    left = 0
    for m in _CLAUSE_END.finditer(text, 0, start):
        left = m.end()
    m = _CLAUSE_END.search(text, end)
    return left, (m.start() if m else len(text))


def asserted(sentence: str, start: int, end: int) -> str:
    """``"asserted"``, ``"denied"`` or ``"hypothetical"``: how the sentence speaks of ``sentence[start:end]``.

    Denied when, in the same clause, a negation stands within five words before
    the cue or four after it, or the clause rejects it (afgewezen, ingetrokken,
    niet nodig, geen sprake); hypothetical when the clause or the sentence is a
    condition or a possibility (mocht, indien, zou, eventueel, overwegen).
    """
    left, right = clause_bounds(sentence, start, end)
    clause, before, after = sentence[left:right], sentence[left:start], sentence[end:right]
    if _NEG_BEFORE.search(before) or _NEG_AFTER.search(after) or _REJECTED.search(clause):
        return "denied"
    if _HYPOTHETICAL.search(clause) or _HYPOTHETICAL.match(sentence):
        return "hypothetical"
    return "asserted"


@dataclass(frozen=True)
class Acute:
    """What the text says about acute danger."""

    asserted: tuple[str, ...] = ()  # the cue words of clauses that assert it
    denied: tuple[str, ...] = ()  # the cue words of clauses that deny it


def acute(text: str, sentence_spans: Sequence[tuple[int, int]]) -> Acute:
    """Acute danger asserted or denied, clause by clause."""
    yes, no = [], []
    for s, e in sentence_spans:
        piece = text[s:e]
        if not _ACUTE_WORD.search(piece):
            continue  # no word that every alternative of _ACUTE needs: it cannot match
        for m in _ACUTE.finditer(piece):
            how = asserted(piece, m.start(), m.end())
            if how == "asserted":
                yes.append(m.group(0))
            elif how == "denied":
                no.append(m.group(0))
    return Acute(tuple(yes), tuple(no))


@dataclass(frozen=True)
class Measure:
    """A child-protection measure the text says was imposed, with the number of children it covers."""

    kind: str  # "ots", "voogdij", "jeugdreclassering"
    start: int
    children: int
    extended: bool = False
    children_why: str = "één kind genoemd"


def _children(piece: str, offset: int, pii: Sequence[PiiSpan], file_count: int | None) -> tuple[int, str]:
    m = _COUNT.search(piece)
    if m:
        word = next(g for g in m.groups() if g).lower()
        n = 2 if word in ("beide", "tweeling") else _NUMBERS.get(word) or int(word)
        return n, f"{n} kinderen genoemd ({m.group(0).strip()})"
    names = []
    for span in pii:
        if span.type == "PERSOON" and offset <= span.start and span.end <= offset + len(piece):
            before = piece[:span.start - offset]
            if not _TITLE_BEFORE.search(before):
                names.append(span)
    if len(names) >= 2:
        between = [piece[a.end - offset:b.start - offset] for a, b in zip(names, names[1:])]
        if all(re.fullmatch(r"\s*(?:,|en|&)\s*", gap) for gap in between):
            return len(names), f"{len(names)} kinderen bij naam genoemd"
    if _PLURAL.search(piece):
        if file_count:
            return file_count, f"'de kinderen': {file_count} kinderen volgens het dossier"
        return 2, "'de kinderen' zonder aantal: minstens 2 gerekend"
    return 1, "één kind genoemd"


def file_children(text: str) -> int | None:
    """The number of children the file states ("gezin met drie kinderen"), if it says so."""
    m = re.search(rf"\b(twee|drie|vier|vijf|zes|zeven|acht|[2-8])\s+(?:\w+\s+)?{_CHILD_WORDS}\b", text, re.I)
    if not m:
        return None
    word = m.group(1).lower()
    return _NUMBERS.get(word) or int(word)


def measures(text: str, tags: Sequence[Tag], pii: Sequence[PiiSpan] = ()) -> tuple[Measure, ...]:
    """The measures named, not denied, in the spans tagged ``bouwsteen:maatregel``, one per kind.

    A ``maatregel`` tag that names no kind counts as an OTS (the most common
    measure); a tag whose every measure word is denied ("het verzoek tot een OTS
    werd afgewezen") is no measure. The number of children is the largest the
    tagged spans name for that kind.
    """
    file_count = file_children(text)
    found: dict[str, Measure] = {}
    for tag in sorted(tags, key=lambda t: t.start):
        if tag.label != "bouwsteen:maatregel":
            continue
        piece = text[tag.start:tag.end]
        kinds_here: list[tuple[str, int]] = []
        denied_only = False
        for kind, pattern in MEASURE_KINDS:
            hits = list(pattern.finditer(piece))
            if not hits:
                continue
            states = [asserted(piece, m.start(), m.end()) for m in hits]
            if "asserted" in states:
                kinds_here.append((kind, tag.start + hits[states.index("asserted")].start()))
            else:
                denied_only = True
        if not kinds_here and not denied_only:
            kinds_here.append(("ots", tag.start))
        for kind, start in kinds_here:
            n, why = _children(piece, tag.start, pii, file_count)
            ext = kind == "ots" and bool(_EXTENSION.search(piece))
            old = found.get(kind)
            if old is None:
                found[kind] = Measure(kind, start, n, ext, why)
            else:
                best_n, best_why = (n, why) if n > old.children else (old.children, old.children_why)
                found[kind] = Measure(kind, old.start, best_n, old.extended or ext, best_why)
    return tuple(found[k] for k, _ in MEASURE_KINDS if k in found)
