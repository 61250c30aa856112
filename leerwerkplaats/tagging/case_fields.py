"""Case-level fields (ANNOTATION.md §4) from the tags, each with the rule that decided it.

The rules are written down in ``docs/tagging.md``; each field's ``why`` names
the rule that fired, in Dutch, so a trainer can check it against the file.
"""

from __future__ import annotations

import re
from typing import Sequence

from leerwerkplaats.core import schema
from leerwerkplaats.core.cases import CaseFields, Tag
from leerwerkplaats.tagging.features import Sentence

_ACUTE = re.compile(r"acu(?:u)?te? (?:onveilig|gevaar|dreiging)|acuut onveilig|direct gevaar|spoedmachtiging|"
                    r"spoedverzoek|voorlopige ondertoezichtstelling|\bvots\b", re.I)
_NOT_ACUTE = re.compile(r"geen acute|niet acuut|geen direct gevaar", re.I)
_ALONGSIDE = re.compile(r"aansl[ou]i|sluit .{0,20}aan|sloot .{0,20}aan|meel[oi]|loopt .{0,10}mee|liep .{0,10}mee|ondersteun", re.I)
_SCM = re.compile(r"specialistisch casemanagement", re.I)
_INFO = re.compile(r"consult|advies|adviseer|sparren|meedenk|informatie en advies", re.I)
_AFTERCARE = re.compile(r"nazorg|bereikbaar|terugvalmogelijkheid", re.I)
_GI_WORDS = re.compile(r"\bGI\b|jeugdbeschermer|gezinsvoogd|jeugdbescherming|\bJB\w*\b|William Schrikker|\bWSS\b", re.I)

#: Chain partners implied by a building block, whatever the wording.
IMPLIED_PARTIES: dict[str, tuple[str, ...]] = {
    "bouwsteen:melding_veilig_thuis": ("veilig_thuis",),
    "bouwsteen:maatregel": ("gi", "rechtbank"),
    "bouwsteen:samen_optrekken_gi": ("gi",),
}


def _first(tags: Sequence[Tag], label: str) -> int | None:
    starts = [t.start for t in tags if t.label == label]
    return min(starts) if starts else None


def _sentence_text(text: str, tags: Sequence[Tag], label: str) -> list[str]:
    return [text[t.start:t.end] for t in tags if t.label == label]


def _onveiligheid(tags: Sequence[Tag], text: str, sentences: Sequence[Sentence]) -> tuple[str, str]:
    labels = {t.label for t in tags}
    if "bouwsteen:crisisinterventie" in labels:
        return "acuut", "een acute interventie (crisisdienst, huisverbod, spoedhulp) is getagd"
    for s in sentences:
        piece = text[s.start:s.end]
        if _ACUTE.search(piece) and not _NOT_ACUTE.search(piece) and not s.kinds & {"negated", "hypothetical"}:
            return "acuut", "de tekst spreekt van acute onveiligheid of een spoedmaatregel"
    family = [lab for lab in labels if schema.LABELS.get(lab) and schema.LABELS[lab].group == "gezin"]
    if family:
        return "structureel", f"signalen in het gezin ({len(family)} labels), geen acute interventie"
    if any(schema.LABELS.get(lab) and schema.LABELS[lab].group == "proces" for lab in labels):
        return "onbekend", "alleen signalen in de hulpverlening, geen signalen in het gezin"
    return "geen", "geen signalen van onveiligheid getagd"


def _gi_inzet(tags: Sequence[Tag], text: str) -> tuple[tuple[str, ...], str]:
    found: dict[str, str] = {}
    for piece in _sentence_text(text, tags, "bouwsteen:consultatie"):
        if _GI_WORDS.search(piece) and _INFO.search(piece):
            found.setdefault("informatie_advies", "consultatie bij de GI getagd")
    for piece in _sentence_text(text, tags, "bouwsteen:samen_optrekken_gi"):
        if _ALONGSIDE.search(piece):
            found.setdefault("aansluiten_ondersteunen", "de GI sluit aan / loopt mee (samen optrekken)")
    if _SCM.search(text) and any(t.label == "bouwsteen:samen_optrekken_gi" or t.label == "bouwsteen:regie" for t in tags):
        found.setdefault("specialistisch_casemanagement", "specialistisch casemanagement genoemd bij regie/samen optrekken")
    for piece in _sentence_text(text, tags, "bouwsteen:afschaling_nazorg"):
        if _GI_WORDS.search(piece) and _AFTERCARE.search(piece):
            found.setdefault("nazorg", "de GI blijft bereikbaar voor nazorg")
    values = tuple(v for v in schema.GI_INZET if v in found)
    why = "; ".join(f"{v}: {found[v]}" for v in values) or "geen GI-inzet zonder maatregel getagd"
    return values, why


def _clientroute(tags: Sequence[Tag], onveiligheid: str) -> tuple[str, str]:
    measure = _first(tags, "bouwsteen:maatregel")
    alongside = _first(tags, "bouwsteen:samen_optrekken_gi")
    if measure is not None and alongside is not None and alongside < measure:
        return "D", "eerst samen optrekken met de GI zonder maatregel, daarna toch een maatregel"
    if measure is not None:
        if onveiligheid == "acuut":
            return "A", "direct een maatregel bij acute onveiligheid: werken zonder maatregel kon niet"
        return "B", "direct een maatregel zonder acute onveiligheid: werken zonder maatregel was mogelijk geweest"
    if alongside is not None:
        return "C", "de GI trok op zonder maatregel en er volgde geen maatregel"
    return "onbekend", "geen maatregel en geen samen optrekken met de GI getagd"


def derive(text: str, tags: Sequence[Tag], sentences: Sequence[Sentence], parties: Sequence[str]) -> CaseFields:
    """Derive the case fields from the tags, the sentences and the parties mentioned.

    Parameters
    ----------
    text
        The (pseudonymised) case text the tags point into.
    tags
        The trigger and building-block tags.
    sentences
        The sentence features (context kinds per sentence).
    parties
        Party ids mentioned outside a negated or hypothetical context.
    """
    found = set(parties)
    implied = []
    for tag in tags:
        for party in IMPLIED_PARTIES.get(tag.label, ()):
            if party not in found:
                found.add(party)
                implied.append(f"{party} (uit {tag.label})")
    partijen = tuple(p for p in schema.PARTIJEN if p in found)
    onveiligheid, why_onv = _onveiligheid(tags, text, sentences)
    gi_inzet, why_gi = _gi_inzet(tags, text)
    route, why_route = _clientroute(tags, onveiligheid)
    if route == "onbekend" and gi_inzet:
        route, why_route = "C", "GI-inzet zonder maatregel en geen maatregel getagd"
    why_part = "genoemd in de tekst (niet ontkend of hypothetisch)"
    if implied:
        why_part += "; afgeleid: " + ", ".join(implied)
    return CaseFields(route, partijen, onveiligheid, gi_inzet, {
        "clientroute": why_route, "partijen": why_part, "onveiligheid": why_onv, "gi_inzet": why_gi,
    })
