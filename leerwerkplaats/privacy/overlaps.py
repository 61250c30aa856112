"""From overlapping recogniser results to one non-overlapping list of findings."""

from __future__ import annotations

from dataclasses import dataclass

from presidio_analyzer import RecognizerResult

from leerwerkplaats.core import schema


@dataclass(frozen=True)
class Finding:
    """One stretch of personal data: offsets into the analysed text, its type and score."""

    start: int
    end: int
    type: str
    score: float


#: When two results of the same length overlap, the more specific type wins.
_PRIORITY = {t: i for i, t in enumerate(
    ["EMAIL", "URL", "IBAN", "BSN", "TELEFOON", "DOSSIERNUMMER", "KENTEKEN", "POSTCODE", "DATUM",
     "ADRES", "INSTELLING", "PERSOON", "PLAATS"])}


def resolve(results: list[RecognizerResult], threshold: float) -> list[Finding]:
    """Keep results above ``threshold`` and resolve overlaps: longer wins, then type priority, then score."""
    kept = sorted(
        (r for r in results if r.score >= threshold and r.entity_type in schema.PII_TYPES),
        key=lambda r: (-(r.end - r.start), _PRIORITY.get(r.entity_type, 99), -r.score, r.start),
    )
    taken: list[Finding] = []
    occupied = bytearray(max((r.end for r in kept), default=0))
    for r in kept:
        if any(occupied[r.start:r.end]):
            continue
        occupied[r.start:r.end] = b"\x01" * (r.end - r.start)
        taken.append(Finding(r.start, r.end, r.entity_type, r.score))
    return sorted(taken, key=lambda f: f.start)
