"""The library page: one card per case, filterable by label and route in the page itself.

Like every handout it is built from :class:`~leerwerkplaats.core.cases.TaggedCase`
only. The filter is a few lines of inline JavaScript over ``data-`` attributes;
the page loads nothing from outside.
"""

from __future__ import annotations

from collections import Counter

from leerwerkplaats.core import schema
from leerwerkplaats.core.cases import TaggedCase
from leerwerkplaats.handouts import view, weergave
from leerwerkplaats.handouts.case_context import NOTE_TAGS

NOTE_LIBRARY = ("Vertrouwelijk. De casussen in deze bibliotheek zijn gepseudonimiseerd: namen, adressen, data en "
                "andere gegevens zijn vervangen. Gebruik ze alleen om sessies voor te bereiden, geef de map niet door "
                "en probeer niet te achterhalen om wie het gaat.")
#: Main signals shown on a card, most tagged sentences first.
CARD_SIGNALS = 4


def card(tagged: TaggedCase, folder: str, formats: tuple[str, ...]) -> dict:
    """What one card shows."""
    tagged = view.check_case(tagged)
    counts = Counter(t.label for t in tagged.tags if t.label in schema.LABELS)
    order = {lab.id: i for i, lab in enumerate(schema.ALL_LABELS)}
    signals = sorted((lab for lab in counts if schema.LABELS[lab].group in ("gezin", "proces")),
                     key=lambda lab: (-counts[lab], order[lab]))
    strengths = [lab for lab in counts if schema.LABELS[lab].group == "krachten"]
    text = tagged.case.text
    fields = tagged.fields
    return {
        "id": tagged.case.name, "title": weergave.case_title(tagged.case.name), "folder": folder,
        "route": fields.clientroute,
        "route_name": weergave.route(fields.clientroute),
        "onveiligheid": fields.onveiligheid,
        "onveiligheid_name": weergave.onveiligheid(fields.onveiligheid),
        "signals": [weergave.label(lab) for lab in signals[:CARD_SIGNALS]],
        "more_signals": max(0, len(signals) - CARD_SIGNALS),
        "strengths": [weergave.label(lab) for lab in sorted(strengths, key=order.get)],
        "missing": [weergave.label(lab.id) for lab in schema.BOUWSTENEN if lab.id not in counts],
        "present_blocks": sum(1 for lab in schema.BOUWSTENEN if lab.id in counts),
        "lines": text.count("\n") + 1, "words": len(text.split()),
        "labels": " ".join(sorted(counts)),
        "parties": [weergave.party(p) for p in fields.partijen],
        "formats": [f for f in ("html", "pdf", "docx") if f in formats],
    }


def library_context(cases: list[TaggedCase], folders: list[str], formats: tuple[str, ...],
                    failed: int = 0) -> dict:
    """The whole library page; ``folders`` are the case folder names, in the order of ``cases``."""
    cards = [card(c, f, formats) for c, f in zip(cases, folders)]
    present = Counter(lab for c in cases for lab in c.labels if lab in schema.LABELS)
    filters = [{"group": weergave.group(g),
                "labels": [(lab.id, weergave.label(lab.id), present[lab.id]) for lab in schema.ALL_LABELS
                           if lab.group == g and present[lab.id]]}
               for g in ("gezin", "proces", "krachten", "bouwsteen")]
    routes = Counter(c.fields.clientroute for c in cases)
    return {
        "title": "Casusbibliotheek leerwerkplaats",
        "note_confidential": NOTE_LIBRARY,
        "note_tags": NOTE_TAGS,
        "models": sorted({c.model for c in cases if c.model}),
        "failed": failed,
        "cards": cards,
        "filters": [f for f in filters if f["labels"]],
        "routes": [(r, weergave.route(r), routes[r]) for r in schema.CLIENTROUTES if routes[r]],
        "total": len(cards),
    }
