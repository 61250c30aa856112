"""Chain partners (ANNOTATION.md §4) recognised from names, abbreviations and roles.

``de gezinsvoogd`` → ``gi``; ``VT`` → ``veilig_thuis``; ``MEE`` (capitals) →
``mee`` but *loopt mee* is no party. Patterns are data, in
``leerwerkplaats/data/cues_parties.json``.

The ``lwp_parties`` component sets ``doc.spans["lwp_parties"]`` (``label_`` the
party id) and ``doc._.lwp_parties``: the sorted party ids mentioned outside a
negated or hypothetical context (a Raad "die niet nodig was" is not involved).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from leerwerkplaats.core import schema
from leerwerkplaats.tagging.clause_context import doc_views
from leerwerkplaats.tagging.cues import Hit, PatternMatcher, TokenView, party_cues

_NOT_INVOLVED = frozenset({"negated", "hypothetical", "historical_other"})


@lru_cache(maxsize=None)
def _matcher() -> PatternMatcher:
    cues = party_cues()
    unknown = set(cues) - set(schema.PARTIJEN)
    if unknown:
        raise ValueError(f"unknown party ids in cues_parties.json: {sorted(unknown)}")
    return PatternMatcher(cues)


def find_parties(tokens: Sequence[TokenView]) -> list[Hit]:
    """Party mentions in a token sequence, longest match first at each position, no overlaps."""
    hits = _matcher().find(tokens)
    out: list[Hit] = []
    end = -1
    for hit in hits:  # sorted by start, longest first
        if hit.start >= end:
            out.append(hit)
            end = hit.end
    return out


def ensure_extensions() -> None:
    """Register ``doc._.lwp_parties`` once."""
    if not Doc.has_extension("lwp_parties"):
        Doc.set_extension("lwp_parties", default=())


class PartiesComponent:
    """spaCy component: find chain partners."""

    def __init__(self, nlp: Language, name: str):
        ensure_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        spans = [Span(doc, h.start, h.end, label=h.key) for h in find_parties(doc_views(doc))]
        doc.spans["lwp_parties"] = spans
        involved = set()
        for span in spans:
            kinds = {t._.lwp_context for t in span} if Token.has_extension("lwp_context") else set()
            if not kinds & _NOT_INVOLVED:
                involved.add(span.label_)
        doc._.lwp_parties = tuple(p for p in schema.PARTIJEN if p in involved)
        return doc


@Language.factory("lwp_parties", assigns=["doc._.lwp_parties", "doc.spans"], requires=["token.lemma"])
def make_parties(nlp: Language, name: str) -> PartiesComponent:
    """Factory for the ``lwp_parties`` component."""
    return PartiesComponent(nlp, name)
