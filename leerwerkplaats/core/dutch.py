"""Closed word classes of Dutch that several stages need: gender words.

The surrogate chooser and the mention linker read the gender words from here.
Month and weekday names belong to the date grammar, :mod:`leerwerkplaats.core.dates`.
"""

from __future__ import annotations

#: Titles and kinship or role words that tell a person's gender when they stand before the name.
FEMALE_WORDS = frozenset({
    "mw", "mevr", "mevrouw", "mvr", "mej", "juf", "moeder", "oma", "tante", "zus", "zusje", "dochter", "vriendin",
    "buurvrouw", "stiefmoeder", "pleegmoeder", "grootmoeder", "meisje",
})
MALE_WORDS = frozenset({
    "dhr", "meneer", "heer", "hr", "meester", "vader", "opa", "oom", "broer", "broertje", "zoon", "vriend",
    "buurman", "stiefvader", "pleegvader", "grootvader", "jongen",
})
