"""The types a case passes through: raw → pseudonymised → tagged → rendered.

Raw text and pseudonymised text live in different types, so a template or a
classifier cannot be handed raw text by mistake:

- :class:`RawCase` holds a case file as read. Only the pseudonymiser reads its text.
- :class:`PseudonymisedCase` holds text that came out of the pseudonymiser (or a
  library/prediction line marked so, whose residual check passed). Only the
  pseudonymiser and the case codec build one.
- :class:`ResearchText` holds the text of an annotated corpus record that a
  researcher tags or scores as it is (``predict`` without ``--pseudonymise``,
  ``compare``). The tagger accepts it; the handouts refuse it.

Every type here pickles, so a tagged case crosses process boundaries as itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from leerwerkplaats.core.records import PiiSpan

__all__ = ["RawCase", "PseudonymisedCase", "ResearchText", "Tag", "CaseFields", "TaggedCase"]


@dataclass(frozen=True)
class RawCase:
    """The raw text of one case file. Holds personal data: never log or render it."""

    name: str  # stem of the file or id of the record; used for output names
    source: str  # path of the file it came from
    text: str
    #: What the reader changed, for the user (e.g. control characters removed); never case text.
    notes: tuple[str, ...] = ()

    def __repr__(self) -> str:  # keeps raw text out of tracebacks and logs
        return f"RawCase(name={self.name!r}, source={self.source!r}, chars={len(self.text)})"


@dataclass(frozen=True)
class PseudonymisedCase:
    """A case whose personal data has been replaced. Safe to tag and render.

    ``replaced`` holds the spans of the pseudonyms in ``text`` (offsets into the
    pseudonymised text), never the original values.
    """

    name: str
    text: str
    replaced: tuple[PiiSpan, ...] = ()
    #: Residual-risk findings of the review pass (types only, for reporting).
    residual: tuple[str, ...] = ()
    #: Set when no person approved the pseudonymisation; handouts print it on their first page.
    review_note: str = ""

    @property
    def pii_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for span in self.replaced:
            counts[span.type] = counts.get(span.type, 0) + 1
        return counts



@dataclass(frozen=True)
class ResearchText:
    """The text of an annotated corpus record, tagged or scored as it is (research only, never rendered).

    It may hold personal data as far as the toolkit knows, so it is not a
    :class:`PseudonymisedCase`: the handouts refuse it.
    """

    name: str
    text: str
    replaced: tuple[PiiSpan, ...] = ()

    def __repr__(self) -> str:
        return f"ResearchText(name={self.name!r}, chars={len(self.text)})"


@dataclass(frozen=True)
class Tag:
    """One tagged span: ``label`` on ``text[start:end]`` with a score and the cues that weighed most."""

    start: int
    end: int
    label: str
    score: float
    cues: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseFields:
    """Case-level fields (ANNOTATION.md §4) derived from the tags; ``why`` says which rule decided each."""

    clientroute: str = "onbekend"
    partijen: tuple[str, ...] = ()
    onveiligheid: str = "onbekend"
    gi_inzet: tuple[str, ...] = ()
    why: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "why", MappingProxyType(dict(self.why)))

    def __reduce__(self):  # a MappingProxyType does not pickle; the plain dict does
        return (CaseFields, (self.clientroute, self.partijen, self.onveiligheid, self.gi_inzet, dict(self.why)))

    def to_json(self) -> dict[str, object]:
        return {
            "clientroute": self.clientroute,
            "partijen": list(self.partijen),
            "onveiligheid": self.onveiligheid,
            "gi_inzet": list(self.gi_inzet),
        }


@dataclass(frozen=True)
class TaggedCase:
    """A case with its tags and case fields; rendered only when ``case`` is a :class:`PseudonymisedCase`."""

    case: PseudonymisedCase | ResearchText
    tags: tuple[Tag, ...]
    fields: CaseFields
    #: Spans the context step recognised as ruled-out concerns (shown as such to trainers).
    ruled_out: tuple[Tag, ...] = ()
    model: str = ""
    #: What a trainer corrected (``session --corrections``), in the order applied: a case field
    #: (``clientroute``, ``onveiligheid``, ``partijen``, ``gi_inzet``), ``verwijder:<label>`` or
    #: ``voeg_toe:<label>:<line>``. Empty for a case as the model tagged it.
    corrections: tuple[str, ...] = ()

    @property
    def labels(self) -> frozenset[str]:
        return frozenset(t.label for t in self.tags)
