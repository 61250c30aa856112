"""One Dutch date grammar: month and weekday names, how dates are written, and which year a yearless date has.

The pseudonymiser (which shifts every date of a file and writes it back in the
same notation), the recognisers, the sentence splitter and the handouts (which
build a timeline) all read dates through this module; no other module holds a
month name.

A :class:`Mention` is one date as written in a text: its offsets, its day,
month and year (``None`` when no year was written), and its notation (``form``
and ``parts``), so it can be written again with another date
(:func:`render`). :func:`resolve` gives every mention of a text a date, taking
the year of a yearless date from the nearest dated context before it, and says
whether that date is sure and what kind of date it is (a report date, a mail
sent, a meeting, or a date in the text).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

MONTHS: tuple[str, ...] = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                           "september", "oktober", "november", "december")
#: Abbreviations as written in case files, with their month number.
MONTH_ABBR: dict[str, int] = {"jan": 1, "feb": 2, "febr": 2, "mrt": 3, "apr": 4, "mei": 5, "jun": 6, "jul": 7,
                              "aug": 8, "sep": 9, "sept": 9, "okt": 10, "nov": 11, "dec": 12}
#: The abbreviation written for each month (1-based through ``[month - 1]``).
MONTH_ABBR_OUT: tuple[str, ...] = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
WEEKDAYS: tuple[str, ...] = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
WEEKDAY_ABBR: tuple[str, ...] = ("ma", "di", "wo", "do", "vr", "za", "zo")

#: Regular-expression alternatives (no group, no flags): full names before abbreviations.
MONTH_ALTERNATIVES = "|".join([*MONTHS, *(a for a in MONTH_ABBR if a not in MONTHS)])
WEEKDAY_ALTERNATIVES = "|".join([*WEEKDAYS, *WEEKDAY_ABBR])

#: A yearless date further than this from its context could belong to either year: it stays unsure.
MAX_GAP_DAYS = 183

# One whole date span (what the recogniser found), in three notations.
_WRITTEN = re.compile(
    r"(?i)^(?:(?P<wd>[a-z]+)(?P<wdsep>\.?,? ))?(?P<d>\d{1,2})(?P<suf>e|ste|de)? (?P<mon>[a-z]+)(?P<mdot>\.?)"
    r"(?:(?P<ysep> ?'?)(?P<y>\d{4}|\d{2}))?$"
)
_NUMERIC = re.compile(
    r"(?i)^(?:(?P<wd>[a-z]+)(?P<wdsep>\.?,? ))?(?P<d>\d{1,2})(?P<s1>[-/.])(?P<m>\d{1,2})"
    r"(?:(?P<s2>[-/.])(?P<yap>'?)(?P<y>\d{4}|\d{2}))?$"
)
_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})$")
_FORMS = (("iso", _ISO), ("numeric", _NUMERIC), ("written", _WRITTEN))

_FULL = "|".join(MONTHS)
_SHORT = "|".join(a for a in MONTH_ABBR if a not in MONTHS)
# A date inside running text (a dot after a full month name ends the sentence, it is no abbreviation): the same notations, bounded so times (10.45) and paths are left alone.
_IN_TEXT = re.compile(
    rf"(?<![\w/.-])(?:(?:{WEEKDAY_ALTERNATIVES})\.?,?[ \t\u00a0])?"  # a weekday on the line before is no part
    rf"(?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[-/.]\d{{1,2}}(?:[-/.]'?(?:\d{{4}}|\d{{2}}))?|"
    rf"\d{{1,2}}(?:e|ste|de)?\s(?:{_FULL}|(?:{_SHORT})\.?)(?:\s'?\d{{4}}|\s'\d{{2}})?)(?![\w/-]|\.\d)", re.I)

_MAIL_SENT = re.compile(r"(?i)^\s*(?:verzonden|verstuurd|sent)\s*:")
_DATE_LINE = re.compile(r"(?i)^\s*(?:datum|date)\s*:")
_MAIL_HEADER = re.compile(r"(?i)^\s*(?:van|from|aan|to|cc|onderwerp|subject)\s*:")
_MEETING = re.compile(r"(?i)\b(?:mdo|\w*overleg|bespreking|vergadering|\w*beraad)\b[^.\n]{0,12}"
                      r"(?:\bd\.?d\.?|\bvan|\bop|:)?\s*$")
_BIRTH = re.compile(r"(?i)\b(?:geb(?:oren|\.|oortedatum)?|geboortedatum)\s*(?:op|:)?\s*$")
# "jl." (jongstleden), "afgelopen", "vorige", "geleden": the date lies before the time of writing
_LOOKS_BACK = re.compile(r"(?i)(?:\bj\.?l\.?(?!\w)|\bafgelopen\b|\bvorige\b|\bgeleden\b)")


@dataclass(frozen=True)
class Mention:
    """One date as written: where, which day and month, the year if one was written, and the notation."""

    surface: str
    start: int
    end: int
    day: int
    month: int
    year: int | None  # as written (two digits made four); ``None``: no year written
    form: str  # "written" | "numeric" | "iso"
    parts: dict = field(compare=False)  # the pieces of the notation, for :func:`render`

    @property
    def has_year(self) -> bool:
        return self.year is not None

    def on(self, year: int) -> dt.date | None:
        """This day and month in ``year`` (``None`` for 29 February in a common year)."""
        try:
            return dt.date(year, self.month, self.day)
        except ValueError:
            return None


@dataclass(frozen=True)
class ResolvedDate:
    """A mention with its date: ``sure`` is false when the year had to be guessed."""

    mention: Mention
    date: dt.date | None  # ``None``: no year written and no dated context at all
    sure: bool
    kind: str  # "rapport" | "mail" | "overleg" | "tekst"


def parse(surface: str, start: int = 0) -> Mention | None:
    """Parse one whole date span; ``None`` when it is no date of this grammar."""
    s = " ".join(surface.split())  # a PDF may break a date over two lines
    for form, rx in _FORMS:
        m = rx.match(s)
        if not m:
            continue
        g = m.groupdict()
        if form == "written":
            mon = g["mon"].lower()
            month = MONTHS.index(mon) + 1 if mon in MONTHS else MONTH_ABBR.get(mon)
            if month is None:
                return None
        else:
            month = int(g["m"])
        year = _year(g.get("y"))
        try:  # a yearless date must exist in some year: 29 February does, in a leap year
            dt.date(year or 2000, month, int(g["d"]))
        except ValueError:
            return None
        if g.get("wd") and g["wd"].lower() not in WEEKDAYS + WEEKDAY_ABBR:
            return None
        return Mention(surface, start, start + len(surface), int(g["d"]), month, year, form, g)
    return None


def _year(text: str | None) -> int | None:
    if not text:
        return None
    year = int(text)
    return year + (2000 if year < 50 else 1900) if len(text) == 2 else year


def find(text: str) -> list[Mention]:
    """The date mentions of a running text, in text order."""
    out = []
    for m in _IN_TEXT.finditer(text):
        mention = parse(m.group(0), m.start())
        if mention is None or (mention.form == "numeric" and mention.year is None and mention.parts["s1"] == "."):
            continue  # 02.10 without a year is a time (om 02.10 uur), not 2 October
        out.append(mention)
    return out


def _case_like(template: str, word: str) -> str:
    if template.isupper() and len(template) > 1:
        return word.upper()
    return word.capitalize() if template[:1].isupper() else word


def render(mention: Mention, new: dt.date) -> str:
    """Write ``new`` in the notation of ``mention`` (a year only where one was written)."""
    g = mention.parts
    out = ""
    if g.get("wd"):
        wd = g["wd"]
        names = WEEKDAYS if wd.lower() in WEEKDAYS else WEEKDAY_ABBR
        out = _case_like(wd, names[new.weekday()]) + g["wdsep"]
    if mention.form == "iso":
        return f"{new.year:04d}-{new.month:02d}-{new.day:02d}"
    day = f"{new.day:02d}" if len(g["d"]) == 2 and mention.form == "numeric" else str(new.day)
    if mention.form == "numeric":
        month = f"{new.month:02d}" if len(g["m"]) == 2 else str(new.month)
        out += f"{day}{g['s1']}{month}"
        if g.get("y"):
            out += g["s2"] + g["yap"] + (str(new.year) if len(g["y"]) == 4 else f"{new.year % 100:02d}")
        return out
    mon = g["mon"]
    if mon.lower() in MONTHS:
        month_word = MONTHS[new.month - 1]
    else:
        month_word = MONTH_ABBR_OUT[new.month - 1]
        if mon.lower() == "sept" and new.month == 9:
            month_word = "sept"
    out += f"{day}{g.get('suf') or ''} {_case_like(mon, month_word)}{g['mdot']}"
    if g.get("y"):
        out += g["ysep"] + (str(new.year) if len(g["y"]) == 4 else f"{new.year % 100:02d}")
    return out


def nl_date(d: dt.date) -> str:
    """``d`` written out in Dutch: *24 november 2021*."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def short_date(d: dt.date) -> str:
    """``d`` with the month abbreviated: *24 nov 2021*."""
    return f"{d.day} {MONTH_ABBR_OUT[d.month - 1]} {d.year}"


# ---------------------------------------------------------------- document types
def _line_around(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def kind(text: str, mention: Mention) -> str:
    """What the date dates: ``mail`` (sent), ``rapport`` (a report's date line), ``overleg`` (a meeting) or ``tekst``.

    A ``Datum:``/``Date:`` line is a mail's only inside a mail header (a
    ``Van:``/``Aan:``/``Onderwerp:`` line within three lines); else it dates a report.
    """
    a, b = _line_around(text, mention.start)
    line = text[a:b]
    if _MAIL_SENT.match(line):
        return "mail"
    if _DATE_LINE.match(line):
        near = text[max(0, _nth_newline_back(text, a, 3)):_nth_newline_forward(text, b, 3)].split("\n")
        return "mail" if any(_MAIL_HEADER.match(x) for x in near) else "rapport"
    if _MEETING.search(text[max(a, mention.start - 40):mention.start]):
        return "overleg"
    return "tekst"


def _nth_newline_back(text: str, pos: int, n: int) -> int:
    for _ in range(n):
        pos = text.rfind("\n", 0, max(pos - 1, 0))
        if pos < 0:
            return 0
    return pos + 1


def _nth_newline_forward(text: str, pos: int, n: int) -> int:
    for _ in range(n):
        nxt = text.find("\n", pos + 1)
        if nxt < 0:
            return len(text)
        pos = nxt
    return pos


# ---------------------------------------------------------------- which year
def _is_birth(text: str, mention: Mention) -> bool:
    a, _ = _line_around(text, mention.start)
    return bool(_BIRTH.search(text[max(a, mention.start - 25):mention.start]))


def _looks_back(text: str, mention: Mention) -> bool:
    a, b = _line_around(text, mention.start)
    return bool(_LOOKS_BACK.search(text[max(a, mention.start - 40):min(b, mention.end + 6)]))


def year_near(mention: Mention, anchor: dt.date, before: bool = False) -> tuple[dt.date, bool]:
    """The date of a yearless ``mention`` nearest to ``anchor``, and whether that is sure.

    The date falls on or after ``anchor`` (on or before it with ``before``), so
    26/11 after 24 November 2021 is 26 November 2021 and 9/1 after December
    2022 is 9 January 2023. A written weekday picks the year it fits. Without
    one, a date more than :data:`MAX_GAP_DAYS` past its context is unsure and
    takes the year nearest to the context, before or after.
    """
    days = [d for d in (mention.on(anchor.year + k) for k in (-1, 0, 1)) if d is not None]
    wd = (mention.parts.get("wd") or "").lower()
    if wd:
        names = WEEKDAYS if wd in WEEKDAYS else WEEKDAY_ABBR
        fits = [d for d in (mention.on(anchor.year + k) for k in range(-3, 4))
                if d is not None and d.weekday() == names.index(wd)]
        if fits:
            best = min(fits, key=lambda d: abs((d - anchor).days))
            return best, abs(best.year - anchor.year) <= 1
    side = [d for d in days if (d <= anchor if before else d >= anchor)]
    best = (max(side) if before else min(side)) if side else None
    if best is not None and abs((best - anchor).days) <= MAX_GAP_DAYS and not wd:
        return best, True
    # far on the expected side (a look back the text does not announce?): the nearest guess, unsure
    return min(days, key=lambda d: abs((d - anchor).days)), False


def resolve(text: str, mentions: list[Mention] | None = None) -> list[ResolvedDate]:
    """Every date mention of ``text`` with its date, whether it is sure, and its kind, in text order.

    A yearless date takes its year from the last sure date before it in the
    text (a mail header included; a date of birth is no context). A yearless
    date before any sure date is placed just before the first sure date after
    it, and is unsure; with no sure date at all it has no date.
    """
    mentions = find(text) if mentions is None else mentions
    out: list[ResolvedDate | None] = []
    waiting: list[int] = []
    anchor: dt.date | None = None
    for m in mentions:
        k = kind(text, m)
        if m.year is not None:
            date = m.on(m.year)
            if _is_birth(text, m):
                out.append(ResolvedDate(m, date, True, k))
                continue
            for i in waiting:  # no context before them: placed before this date, not sure
                out[i] = ResolvedDate(mentions[i], year_near(mentions[i], date, before=True)[0], False,
                                      kind(text, mentions[i]))
            waiting = []
            anchor = date
            out.append(ResolvedDate(m, date, True, k))
        elif anchor is None:
            waiting.append(len(out))
            out.append(ResolvedDate(m, None, False, k))
        else:
            date, sure = year_near(m, anchor, before=_looks_back(text, m))
            out.append(ResolvedDate(m, date, sure, k))
    return [r for r in out if r is not None]


def typical_year(surfaces: list[str]) -> int:
    """The most common year among dates that give one (for dates written without a year)."""
    years: dict[int, int] = {}
    for s in surfaces:
        m = parse(s)
        if m and m.year is not None:
            years[m.year] = years.get(m.year, 0) + 1
    return max(years, key=lambda y: (years[y], y)) if years else 2020
