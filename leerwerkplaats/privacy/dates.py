"""Parse Dutch date mentions and write them back shifted, in the same notation.

Every date of one case file moves by the same number of days, so the intervals
between events (a week between signal and home visit) survive pseudonymisation.
The grammar (month names, notations, writing a date again) is
:mod:`leerwerkplaats.core.dates`; this module keeps the pseudonymiser's rule for
a date written without a year: it takes the file's most common year
(:func:`typical_year`), so the shifted bytes stay what they were.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from leerwerkplaats.core import dates as grammar
from leerwerkplaats.core.dates import MONTHS, typical_year

__all__ = ["MONTHS", "DateMention", "parse", "render", "typical_year"]


@dataclass(frozen=True)
class DateMention:
    """A parsed date and how it was written."""

    date: dt.date
    form: str  # "written" | "numeric" | "iso"
    parts: dict
    has_year: bool
    mention: grammar.Mention


def parse(surface: str, default_year: int) -> DateMention | None:
    """Parse one date span; ``None`` when it is not a date this module can rewrite.

    A date without a year is read in ``default_year``.
    """
    mention = grammar.parse(surface)
    if mention is None:
        return None
    date = mention.on(mention.year if mention.year is not None else default_year)
    if date is None:
        return None
    return DateMention(date, mention.form, mention.parts, mention.has_year, mention)


def render(mention: DateMention, new: dt.date) -> str:
    """Write ``new`` in the notation of ``mention``."""
    return grammar.render(mention.mention, new)
