"""Parse Dutch date mentions and write them back shifted, in the same notation.

Every date of one case file moves by the same number of days, so the intervals
between events (a week between signal and home visit) survive pseudonymisation.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from leerwerkplaats.core.dutch import MONTH_ABBR, MONTHS, WEEKDAY_ABBR, WEEKDAYS
from leerwerkplaats.core.dutch import MONTH_ABBR_OUT as ABBR_OUT

_WRITTEN = re.compile(
    r"(?i)^(?:(?P<wd>[a-z]+)(?P<wdsep>\.?,? ))?(?P<d>\d{1,2})(?P<suf>e|ste|de)? (?P<mon>[a-z]+)(?P<mdot>\.?)"
    r"(?:(?P<ysep> ?'?)(?P<y>\d{4}|\d{2}))?$"
)
_NUMERIC = re.compile(
    r"(?i)^(?:(?P<wd>[a-z]+)(?P<wdsep>\.?,? ))?(?P<d>\d{1,2})(?P<s1>[-/.])(?P<m>\d{1,2})(?:(?P<s2>[-/.])(?P<yap>'?)(?P<y>\d{4}|\d{2}))?$"
)
_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})$")


@dataclass(frozen=True)
class DateMention:
    """A parsed date and how it was written."""

    date: dt.date
    form: str  # "written" | "numeric" | "iso"
    parts: dict
    has_year: bool


def parse(surface: str, default_year: int) -> DateMention | None:
    """Parse one date span; ``None`` when it is not a date this module can rewrite."""
    s = " ".join(surface.split())  # a PDF may break a date over two lines
    for form, rx in (("iso", _ISO), ("numeric", _NUMERIC), ("written", _WRITTEN)):
        m = rx.match(s)
        if not m:
            continue
        g = m.groupdict()
        try:
            if form == "written":
                mon = g["mon"].lower()
                month = MONTHS.index(mon) + 1 if mon in MONTHS else MONTH_ABBR.get(mon)
                if month is None:
                    return None
            else:
                month = int(g["m"])
            year = _year(g.get("y"), default_year)
            date = dt.date(year, month, int(g["d"]))
        except (ValueError, TypeError):
            return None
        if g.get("wd") and g["wd"].lower() not in WEEKDAYS + WEEKDAY_ABBR:
            return None
        return DateMention(date, form, g, bool(g.get("y")))
    return None


def _year(text: str | None, default: int) -> int:
    if not text:
        return default
    year = int(text)
    return year + (2000 if year < 50 else 1900) if len(text) == 2 else year


def _case_like(template: str, word: str) -> str:
    if template.isupper() and len(template) > 1:
        return word.upper()
    return word.capitalize() if template[:1].isupper() else word


def render(mention: DateMention, new: dt.date) -> str:
    """Write ``new`` in the notation of ``mention``."""
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
        month_word = ABBR_OUT[new.month - 1]
        if mon.lower() == "sept" and new.month == 9:
            month_word = "sept"
    out += f"{day}{g.get('suf') or ''} {_case_like(mon, month_word)}{g['mdot']}"
    if g.get("y"):
        out += g["ysep"] + (str(new.year) if len(g["y"]) == 4 else f"{new.year % 100:02d}")
    return out


def typical_year(surfaces: list[str]) -> int:
    """The most common year among dates that give one (for dates written without a year)."""
    years: dict[int, int] = {}
    for s in surfaces:
        m = parse(s, 1)
        if m and m.has_year:
            years[m.date.year] = years.get(m.date.year, 0) + 1
    return max(years, key=lambda y: (years[y], y)) if years else 2020
