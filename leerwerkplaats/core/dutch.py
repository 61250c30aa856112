"""Closed word classes of Dutch that several stages need: months, weekdays, gender words.

One place for each: the date recogniser and the date shifter (privacy), the
sentence splitter (tagging) and the line layout (handouts) read the month and
weekday names from here; the surrogate chooser and the mention linker read the
gender words from here.
"""

from __future__ import annotations

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

#: Titles and kinship or role words that tell a person's gender when they stand before the name.
FEMALE_WORDS = frozenset({
    "mw", "mevr", "mevrouw", "mvr", "mej", "juf", "moeder", "oma", "tante", "zus", "zusje", "dochter", "vriendin",
    "buurvrouw", "stiefmoeder", "pleegmoeder", "grootmoeder", "meisje",
})
MALE_WORDS = frozenset({
    "dhr", "meneer", "heer", "hr", "meester", "vader", "opa", "oom", "broer", "broertje", "zoon", "vriend",
    "buurman", "stiefvader", "pleegvader", "grootvader", "jongen",
})
