"""A dated event timeline and the regie of one case, read from its pseudonymised text and tags.

Dates are parsed from the pseudonymised text with the one date grammar
(:mod:`leerwerkplaats.core.dates`). The pseudonymiser moves every date of a
file by the same number of days, so the dates are not real but the intervals
between events are. A date written without a year takes its year from the
nearest sure date before it (:func:`leerwerkplaats.core.dates.resolve`); where
that stays unsure the event is shown with "datum onzeker" and no interval is
computed from it (:func:`span_days`, :func:`largest_gap` use sure dates only).

An event is a sentence with a date in it (or a mail sent on a date, or a dated
entry; not a date of birth, a table row, or a date years before the rest of
the file): when, what happened (the building blocks and signals tagged on it, and
the sentence shortened), who acted (the first chain partner named in the
sentence; for a mail, the sender's organisation), and its line.

The regie is read from sentences about regie (tagged ``bouwsteen:regie``,
``bouwsteen:overdracht``, ``trigger:regie_ontbreekt``, or naming *regie*): the
partner named there holds it; where the holder differs from the one before,
the regie changed hands.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from leerwerkplaats.core import dates as grammar
from leerwerkplaats.core import schema
from leerwerkplaats.core.cases import TaggedCase
from leerwerkplaats.handouts import layout, view, weergave

#: At most this many events per case (those with tags first, then in time order).
MAX_EVENTS = 18
#: Dates this many days before the median date of a file are background (dates of birth in a table of
#: family members, an old history), not events of the case: they would squash the time axis.
BACKGROUND_DAYS = 3 * 365
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_REGIE = re.compile(r"\b(?:regie\w*|\w+regie|regievoer\w*)\b", re.I)
_FROM = re.compile(r"^\s*(?:van|from)\s*:", re.I)
_TO = re.compile(r"^\s*(?:aan|to)\s*:", re.I)
_NOT_AN_EVENT = re.compile(r"\b(?:geb(?:oren|\.)|geboortedatum|BSN)\b", re.I)
_FIRST_PERSON = re.compile(r"\b(?:ik|wij|we|mij|ons)\b", re.I)
_SECOND_PERSON = re.compile(r"\b(?:jij|jou|je|jullie|u)\b", re.I)
_SENT = re.compile(r"^\s*(?:verzonden|verstuurd|sent|datum|date)\s*:", re.I)
_SUBJECT = re.compile(r"^\s*(?:onderwerp|subject|betreft)\s*:\s*", re.I)
REGIE_LABELS = ("bouwsteen:regie", "bouwsteen:overdracht", "trigger:regie_ontbreekt")
NOBODY = "niemand (regie ontbreekt)"
UNNAMED = "niet genoemd"
UNSURE = "datum onzeker"


@dataclass(frozen=True)
class Event:
    date: dt.date
    line: int
    what: str  # the sentence, shortened
    labels: tuple[str, ...]  # Dutch names of the building blocks and signals tagged on it
    who: str  # Dutch name of the chain partner that acted, or ""
    surface: str  # the date as written
    sure: bool = True  # False: a yearless date whose year is a guess; ``date`` only orders it


@dataclass(frozen=True)
class RegieStep:
    line: int
    date: dt.date | None
    holder: str
    changed: bool  # the holder differs from the step before
    excerpt: str


def _sentences(line: layout.Line) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of one line."""
    out, pos = [], line.start
    for m in _SENTENCE_END.finditer(line.text):
        out.append((pos, line.start + m.start()))
        pos = line.start + m.end()
    out.append((pos, line.end))
    return [(a, b) for a, b in out if b > a]


def actor(text: str) -> str:
    """Dutch name of the first chain partner named in ``text``, or ``""``."""
    best: tuple[int, str] | None = None
    for party, pattern in view._party_patterns().items():
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), party)
    return weergave.party(best[1]) if best else ""


#: Mail domains often abbreviate the organisation (``jbwest.nl``): the start of a domain part names it.
_DOMAIN_STARTS = (("jeugdbescherming", "gi"), ("jb", "gi"), ("gi", "gi"), ("wss", "gi"), ("wijkteam", "lokaal_team"),
                  ("jgt", "lokaal_team"), ("cjg", "lokaal_team"), ("buurtteam", "lokaal_team"),
                  ("veiligthuis", "veilig_thuis"), ("vt", "veilig_thuis"), ("rvdk", "raad_kinderbescherming"),
                  ("kinderbescherming", "raad_kinderbescherming"), ("politie", "politie"), ("ggz", "ggz"))


def header_actor(line: str) -> str:
    """The partner of a ``Van:``/``Aan:`` line: named in it, else read from the mail domain."""
    named = actor(line)
    if named:
        return named
    for domain in re.findall(r"@([\w.-]+)", line):
        for part in re.split(r"[.-]", domain.lower()):
            for start, party in _DOMAIN_STARTS:
                if part.startswith(start):
                    return weergave.party(party)
    return ""


def _resolve(sentence: str, sender: str, recipient: str) -> str:
    """The partner that acts in a mail sentence: named, else the writer (ik/wij) or the addressee (jij)."""
    named = actor(sentence)
    if named:
        return named
    first = _FIRST_PERSON.search(sentence)
    second = _SECOND_PERSON.search(sentence)
    if first and (not second or first.start() < second.start()):
        return sender
    return recipient if second else ""


def _tag_names(tagged: TaggedCase, start: int, end: int) -> tuple[str, ...]:
    order = {lab.id: i for i, lab in enumerate(schema.ALL_LABELS)}
    labels = {t.label for t in tagged.tags if t.start < end and t.end > start and t.label in schema.LABELS}
    blocks = sorted((lab for lab in labels if lab.startswith("bouwsteen:")), key=order.get)
    rest = sorted((lab for lab in labels if not lab.startswith("bouwsteen:")), key=order.get)
    return tuple(weergave.label(lab) for lab in blocks + rest)


def events(tagged: TaggedCase, limit: int = MAX_EVENTS, prefer_tagged: bool = True) -> list[Event]:
    """The dated events of the case, in date order (then line order).

    Above ``limit`` events the tagged ones are kept first (the trainer's view);
    with ``prefer_tagged=False`` (the participants' view, which must not single
    out tagged sentences) the kept events are spread evenly over the period.
    """
    text = tagged.case.text
    lines = layout.lines(text)
    resolved = grammar.resolve(text)
    fallback = grammar.typical_year([r.mention.surface for r in resolved])
    found: list[Event] = []
    context = _mail_context(text)
    subject_for: dict[int, str] = {}
    for i, ln in enumerate(lines):  # a mail's subject follows its date line
        if _SUBJECT.match(ln.text):
            for back in range(i - 1, max(i - 4, -1), -1):
                subject_for[back] = _SUBJECT.sub("", ln.text).strip()
    for i, ln in enumerate(lines):
        if _FROM.match(ln.text) or _TO.match(ln.text) or ln.kind in ("paginavoet", "leeg", "scheiding"):
            continue
        sender, recipient = context[ln.number]
        header = bool(_SENT.match(ln.text))
        for start, end in _sentences(ln):
            sentence = text[start:end]
            if _NOT_AN_EVENT.search(sentence) or "|" in sentence:  # a table row of family members
                continue
            for r in (r for r in resolved if start <= r.mention.start < end):  # a date may run past a split
                m = r.mention
                date = r.date or m.on(fallback) or m.on(2000)  # no dated context: only orders it
                if header and r.kind == "rapport":
                    what, who = _report_label(lines, i, subject_for.get(i, "")), ""
                elif header:
                    what = f"Mail: {subject_for[i]}" if i in subject_for else "Mail verzonden"
                    who = sender
                else:
                    if len(re.findall(r"[^\W\d]{3,}", sentence.replace(m.surface, ""))) < 2:
                        # a journal line holding only the date (and a time): the entry is the next line
                        nxt = next((x for x in lines[i + 1:i + 3] if x.kind not in ("leeg", "datum")), None)
                        if nxt is not None:
                            start, end = _sentences(nxt)[0]
                            sentence = text[start:end]
                    what, who = view.excerpt(sentence, 120), _resolve(sentence, sender, recipient)
                found.append(Event(date, ln.number, what, _tag_names(tagged, start, end), who, m.surface,
                                   r.sure))
                break  # one event per sentence: its first date
    if found:
        middle = _median([e.date for e in sure(found)] or [e.date for e in found])
        found = [e for e in found if (middle - e.date).days <= BACKGROUND_DAYS]
    seen, unique = set(), []
    for e in found:
        if (e.date, e.line) not in seen:
            seen.add((e.date, e.line))
            unique.append(e)
    unique.sort(key=lambda e: (e.date, e.line))
    if len(unique) > limit and prefer_tagged:  # keep the tagged ones first, then the earliest lines
        keep = sorted(unique, key=lambda e: (not e.labels, e.line))[:limit]
        unique = [e for e in unique if e in keep]
    elif len(unique) > limit:
        step = (len(unique) - 1) / max(limit - 1, 1)
        unique = [unique[round(i * step)] for i in range(limit)]
    return unique


def _median(days: list[dt.date]) -> dt.date:
    return sorted(days)[len(days) // 2]


def _report_label(lines: list[layout.Line], i: int, subject: str) -> str:
    """The label of a report's or letter's ``Datum:`` line.

    A letter names its subject (``Betreft:``); a report its title: the first
    line of the block of lines just above the date line.
    """
    if subject:
        return f"Brief: {subject}"
    block: list[str] = []
    for ln in reversed(lines[max(0, i - 6):i]):
        if not ln.text.strip():
            if block:
                break
            continue
        block.append(ln.text.strip())
    title = next((t for t in reversed(block) if ":" not in t), "")
    return f"Verslag: {title}" if title else "Datum verslag"


def when(e: Event) -> str:
    """The date of an event as the handouts show it: as written, with "datum onzeker" where the year is a guess."""
    return e.surface if e.sure else f"{e.surface} ({UNSURE})"


def sure(evs: list[Event]) -> list[Event]:
    """The events whose date is sure: the only ones an interval may be computed from."""
    return [e for e in evs if e.sure]


def regie(tagged: TaggedCase) -> list[RegieStep]:
    """Who held the regie, in text order, and where it changed hands."""
    text = tagged.case.text
    index = layout.LineIndex(text)
    dated = {e.line: e.date for e in sure(events(tagged, limit=10_000))}
    context = _mail_context(text)
    spans: dict[tuple[int, int], set[str]] = {}
    for t in tagged.tags:
        if t.label in REGIE_LABELS:
            spans.setdefault((t.start, t.end), set()).add(t.label)
    for ln in layout.lines(text):
        for start, end in _sentences(ln):
            if _REGIE.search(text[start:end]) and not any(a < end and b > start for a, b in spans):
                spans[(start, end)] = set()
    steps: list[RegieStep] = []
    previous = None
    for (start, end), labels in sorted(spans.items()):
        sentence = text[start:end]
        line = index.line_of(start)
        before = [n for n in dated if n <= line]
        when = dated[max(before)] if before else None
        sender, recipient = context.get(line, ("", ""))
        holder = NOBODY if labels == {"trigger:regie_ontbreekt"} else (
            _holder(sentence, sender, recipient) or UNNAMED)
        changed = previous is not None and holder not in (previous, UNNAMED) and previous != UNNAMED
        steps.append(RegieStep(line, when, holder, changed, view.excerpt(sentence, 140)))
        if holder != UNNAMED:
            previous = holder
    return steps


def _person(line: str) -> frozenset[str]:
    """The words of the name in a ``Van:``/``Aan:`` line (order-free: ``Amrani, Youssef`` = ``Youssef Amrani``)."""
    body = line.split(":", 1)[1].split("<", 1)[0]
    return frozenset(w.lower() for w in re.findall(r"[^\W\d_]+", body))


def _mail_context(text: str) -> dict[int, tuple[str, str]]:
    """Line number → (sender, addressee) partner of the mail the line is in.

    A partner comes from the header line (name or mail domain), else from an
    earlier header of the same person, else (for the addressee) the sender of
    the mail before: a thread goes back and forth.
    """
    out: dict[int, tuple[str, str]] = {}
    known: dict[frozenset[str], str] = {}
    sender = recipient = previous = ""
    for ln in layout.lines(text):
        if _FROM.match(ln.text) or _TO.match(ln.text):
            who = header_actor(ln.text) or known.get(_person(ln.text), "")
            if who and _person(ln.text):
                known[_person(ln.text)] = who
            if _FROM.match(ln.text):
                previous, sender, recipient = sender or previous, who, ""
            else:
                recipient = who or (previous if previous != sender else "")
        elif ln.kind == "scheiding":
            previous, sender, recipient = sender or previous, "", ""
        out[ln.number] = (sender, recipient)
    return out


def _holder(sentence: str, sender: str, recipient: str) -> str:
    """Who holds the regie in a sentence about regie.

    The partner named after *regie … bij* ("de regie ligt bij de GI"); else the
    partner named nearest before *regie* ("draagt over aan het JGT, dat de regie
    houdt"); else the sentence's subject (named, or *ik*/*jij* in a mail).
    """
    m = _REGIE.search(sentence)
    if m:
        bij = re.search(r"\bbij\b(.*)", sentence[m.end():])
        if bij and _resolve(bij.group(1), sender, recipient):
            return _resolve(bij.group(1), sender, recipient)
        before = _last_actor(sentence[:m.start()])
        if before:
            return before
    return _resolve(sentence, sender, recipient)


def _last_actor(text: str) -> str:
    """Dutch name of the chain partner named last in ``text``, or ``""``."""
    best: tuple[int, str] | None = None
    for party, pattern in view._party_patterns().items():
        for found in pattern.finditer(text):
            if best is None or found.start() > best[0]:
                best = (found.start(), party)
    return weergave.party(best[1]) if best else ""


def span_days(evs: list[Event]) -> int:
    """Days from the first to the last event with a sure date."""
    evs = sure(evs)
    return (evs[-1].date - evs[0].date).days if evs else 0


def largest_gap(evs: list[Event]) -> tuple[Event, Event] | None:
    """The two consecutive events with sure dates furthest apart in time."""
    evs = sure(evs)
    pairs = [(b.date - a.date, a, b) for a, b in zip(evs, evs[1:])]
    if not pairs:
        return None
    _, a, b = max(pairs, key=lambda p: (p[0], -p[1].line))
    return a, b


nl_date = grammar.nl_date
