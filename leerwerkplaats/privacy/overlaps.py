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


#: Types found by their shape: a span of words that runs onto their line gives way to them.
IDENTIFIERS = frozenset({"EMAIL", "URL", "IBAN", "BSN", "TELEFOON", "DOSSIERNUMMER", "KENTEKEN", "POSTCODE"})
_WORD_TYPES = frozenset({"INSTELLING", "PERSOON", "PLAATS", "ADRES"})


def cut_at_lines(results: list[RecognizerResult], text: str) -> list[RecognizerResult]:
    """Cut a word span that crosses a line break and overlaps an identifier back to the line before it.

    An institution at the end of a letterhead line reads on into the next line
    ("Kinderdagverblijf Het Bolwerk\nT 071 512 34 56"); being longer, it would win
    the overlap and swallow the phone number or postcode, or part of it.
    """
    idents = [r for r in results if r.entity_type in IDENTIFIERS]
    if not idents:
        return results
    out = []
    for r in results:
        if r.entity_type in _WORD_TYPES and "\n" in text[r.start:r.end]:
            for ident in idents:
                if ident.start < r.end and r.start < ident.end:
                    cut = text.rfind("\n", r.start, max(ident.start, r.start))
                    if cut < 0:
                        continue
                    end = len(text[r.start:cut].rstrip()) + r.start
                    r = RecognizerResult(r.entity_type, r.start, end, r.score, r.analysis_explanation,
                                         r.recognition_metadata)
            if r.end <= r.start:
                continue
        out.append(r)
    return out


def resolve(results: list[RecognizerResult], threshold: float, text: str | None = None) -> list[Finding]:
    """Keep results above ``threshold`` and resolve overlaps: longer wins, then type priority, then score.

    With ``text``, word spans are first cut back before an identifier on a later line (:func:`cut_at_lines`).
    """
    results = [r for r in results if r.score >= threshold and r.entity_type in schema.PII_TYPES]
    if text is not None:
        results = cut_at_lines(results, text)
    kept = sorted(
        results,
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
