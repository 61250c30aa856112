"""Fictional case files for the review tests: a nickname the analyzer misses, in three spellings."""

from __future__ import annotations

from pathlib import Path

MISSED = "Wolk"
CASES = {
    "huisbezoek.txt": (
        "Verslag huisbezoek 12 maart 2023\n\n"
        "Aanwezig: mw. Sanne de Vries (moeder), dhr. Okke Brandsma (gezinscoach).\n"
        "Moeder vertelt dat Wolk weer slecht slaapt. Wolk is acht jaar en zit in groep 5.\n"
        "Volgens moeder praat wolk thuis nauwelijks; op school noemen ze hem WOLK.\n"
        "De gezinscoach spreekt af dat hij volgende week Wolk op school bezoekt.\n"
        "Moeder is bereikbaar op 06-12345678.\n"
    ),
    "overleg.txt": (
        "Overleg wijkteam 3 april 2023\n\n"
        "Okke Brandsma bespreekt het gezin met de gedragswetenschapper.\n"
        "Er zijn zorgen over de nachtrust van Wolk en over de schulden van moeder.\n"
        "Afgesproken: Sanne de Vries wordt uitgenodigd voor een gesprek.\n"
    ),
}


def make_cases(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in CASES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def case_strings() -> list[str]:
    """Strings of the fictional files that must never reach a store, log or URL."""
    return [MISSED, "Sanne de Vries", "Okke Brandsma", "06-12345678", "Brandsma", "nachtrust", "huisbezoek"]
