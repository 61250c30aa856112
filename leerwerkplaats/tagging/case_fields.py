"""Case-level fields (ANNOTATION.md §4) from the tags, each with the rule that decided it.

The rules are written down in ``docs/tagging.md``; each field's ``why`` names
the rule that fired, in Dutch, so a trainer can check it against the file.
The facts they read (acute danger asserted or denied, measures imposed,
parties named) come from :mod:`leerwerkplaats.tagging.case_facts`, the same
facts the costs are computed from, so fields and costs cannot disagree.
"""

from __future__ import annotations

import re
from typing import Sequence

from leerwerkplaats.core import schema
from leerwerkplaats.core.cases import CaseFields, Tag
from leerwerkplaats.tagging import case_facts
from leerwerkplaats.tagging.features import Sentence

_ALONGSIDE = re.compile(r"aansl[ou]i|sluit .{0,20}aan|sloot .{0,20}aan|meel[oi]|loopt .{0,10}mee|liep .{0,10}mee|ondersteun", re.I)
_SCM = re.compile(r"specialistisch casemanagement", re.I)
_INFO = re.compile(r"consult|advies|adviseer|sparren|meedenk|informatie en advies", re.I)
_AFTERCARE = re.compile(r"nazorg|bereikbaar|terugvalmogelijkheid", re.I)
_GI_WORDS = re.compile(r"\bGI\b|jeugdbeschermer|gezinsvoogd|jeugdbescherming|\bJB\w*\b|William Schrikker|\bWSS\b", re.I)

#: Chain partners implied by a building block, whatever the wording: a measure is pronounced by a
#: court and carried out by a GI; the GI works alongside. A melding implies no party: a party the
#: text never names is not listed (the tag may be wrong, the text is not).
IMPLIED_PARTIES: dict[str, tuple[str, ...]] = {
    "bouwsteen:maatregel": ("gi", "rechtbank"),
    "bouwsteen:samen_optrekken_gi": ("gi",),
}


def _first(tags: Sequence[Tag], label: str) -> int | None:
    starts = [t.start for t in tags if t.label == label]
    return min(starts) if starts else None


def _sentence_text(text: str, tags: Sequence[Tag], label: str) -> list[str]:
    return [text[t.start:t.end] for t in tags if t.label == label]


def _onveiligheid(tags: Sequence[Tag], text: str, sentences: Sequence[Sentence],
                  measures: Sequence[case_facts.Measure]) -> tuple[str, str]:
    labels = {t.label for t in tags}
    spans = [(s.start, s.end) for s in sentences if "hypothetical" not in s.kinds]
    said = case_facts.acute(text, spans)
    if said.asserted:
        return "acuut", f"de tekst spreekt van acute onveiligheid of een spoedmaatregel ({said.asserted[0]})"
    if "bouwsteen:crisisinterventie" in labels and not said.denied:
        return "acuut", "een acute interventie (crisisdienst, huisverbod, spoedhulp) is getagd"
    family = [lab for lab in labels if schema.LABELS.get(lab) and schema.LABELS[lab].group == "gezin"]
    denied = f"; de tekst zegt dat er geen acuut gevaar is ({said.denied[0]})" if said.denied else ""
    if family:
        return "structureel", f"signalen in het gezin ({len(family)} labels), geen acute onveiligheid{denied}"
    if measures:
        return "structureel", f"een kinderbeschermingsmaatregel zonder acute onveiligheid{denied}"
    if any(schema.LABELS.get(lab) and schema.LABELS[lab].group == "proces" for lab in labels):
        return "onbekend", "alleen signalen in de hulpverlening, geen signalen in het gezin" + denied
    return "geen", "geen signalen van onveiligheid getagd" + denied


def _gi_inzet(tags: Sequence[Tag], text: str) -> tuple[tuple[str, ...], str]:
    found: dict[str, str] = {}
    for piece in _sentence_text(text, tags, "bouwsteen:consultatie"):
        if _GI_WORDS.search(piece) and _INFO.search(piece):
            found.setdefault("informatie_advies", "consultatie bij de GI getagd")
    alongside = _sentence_text(text, tags, "bouwsteen:samen_optrekken_gi")
    for piece in alongside:
        if _ALONGSIDE.search(piece):
            found.setdefault("aansluiten_ondersteunen", "de GI sluit aan / loopt mee (samen optrekken)")
    if _SCM.search(text) and any(t.label == "bouwsteen:samen_optrekken_gi" or t.label == "bouwsteen:regie" for t in tags):
        found.setdefault("specialistisch_casemanagement", "specialistisch casemanagement genoemd bij regie/samen optrekken")
    if alongside and not {"aansluiten_ondersteunen", "specialistisch_casemanagement"} & set(found):
        # samen optrekken is GI-inzet zonder maatregel, ook als de vorm niet is genoemd
        found["aansluiten_ondersteunen"] = "samen optrekken met de GI getagd (vorm niet genoemd: aansluiten en ondersteunen)"
    for piece in _sentence_text(text, tags, "bouwsteen:afschaling_nazorg"):
        if _GI_WORDS.search(piece) and _AFTERCARE.search(piece):
            found.setdefault("nazorg", "de GI blijft bereikbaar voor nazorg")
    values = tuple(v for v in schema.GI_INZET if v in found)
    why = "; ".join(f"{v}: {found[v]}" for v in values) or "geen GI-inzet zonder maatregel getagd"
    return values, why


def _clientroute(tags: Sequence[Tag], measures: Sequence[case_facts.Measure], onveiligheid: str,
                 gi_inzet: Sequence[str]) -> tuple[str, str]:
    measure = min((m.start for m in measures), default=None)
    alongside = _first(tags, "bouwsteen:samen_optrekken_gi")
    if measure is not None and alongside is not None and alongside < measure:
        return "D", "eerst samen optrekken met de GI zonder maatregel, daarna toch een maatregel"
    if measure is not None:
        if onveiligheid == "acuut":
            return "A", "direct een maatregel bij acute onveiligheid: werken zonder maatregel kon niet"
        return "B", "direct een maatregel zonder acute onveiligheid: werken zonder maatregel was mogelijk geweest"
    if alongside is not None:
        return "C", "de GI trok op zonder maatregel en er volgde geen maatregel"
    if gi_inzet:
        return "C", "GI-inzet zonder maatregel en geen maatregel getagd"
    if any(t.label == "bouwsteen:maatregel" for t in tags):
        return "onbekend", "maatregel getagd, maar de tekst zegt dat die er niet kwam"
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
    measures = case_facts.measures(text, tags)
    found = set(parties)
    implied = []
    for tag in tags:
        if tag.label == "bouwsteen:maatregel" and not measures:
            continue  # every measure the tag names is denied
        for party in IMPLIED_PARTIES.get(tag.label, ()):
            if party not in found:
                found.add(party)
                implied.append(f"{party} (uit {tag.label})")
    partijen = tuple(p for p in schema.PARTIJEN if p in found)
    onveiligheid, why_onv = _onveiligheid(tags, text, sentences, measures)
    gi_inzet, why_gi = _gi_inzet(tags, text)
    route, why_route = _clientroute(tags, measures, onveiligheid, gi_inzet)
    why_part = "genoemd in de tekst (niet ontkend of hypothetisch)"
    if implied:
        why_part += "; afgeleid: " + ", ".join(implied)
    return CaseFields(route, partijen, onveiligheid, gi_inzet, {
        "clientroute": why_route, "partijen": why_part, "onveiligheid": why_onv, "gi_inzet": why_gi,
    })
