"""Record ↔ case conversion, in one place.

A :class:`TaggedCase` crosses process boundaries as a plain *payload* dict
(:func:`to_payload` / :func:`from_payload`) and is written to or read from the
JSONL format as a :class:`CaseRecord` (:func:`to_record` / :func:`tagged_from_record`).

A record whose text came out of the pseudonymiser carries the marker
``"pseudonymised": true``; :func:`tagged_from_record` refuses a record without it,
so raw predictions can never be rendered.
"""

from __future__ import annotations

import logging
from typing import Any, Iterable

from leerwerkplaats.core import schema
from leerwerkplaats.core.cases import CaseFields, PseudonymisedCase, Tag, TaggedCase
from leerwerkplaats.core.errors import CorpusError
from leerwerkplaats.core.records import CaseRecord, LabelSpan, PiiSpan

log = logging.getLogger(__name__)

#: The key of the marker a record of pseudonymised text carries (ANNOTATION.md §5 allows extra keys).
PSEUDONYMISED = "pseudonymised"


# ---------------------------------------------------------------- payloads (picklable TaggedCase)

def to_payload(tagged: TaggedCase) -> dict[str, Any]:
    """A TaggedCase as plain data, to cross process boundaries."""
    tag = lambda t: (t.start, t.end, t.label, t.score, tuple(t.cues))
    return {"name": tagged.case.name, "text": tagged.case.text,
            "replaced": [(s.start, s.end, s.type) for s in tagged.case.replaced],
            "residual": list(tagged.case.residual), "review_note": tagged.case.review_note,
            "tags": [tag(t) for t in tagged.tags],
            "ruled_out": [tag(t) for t in tagged.ruled_out], "model": tagged.model,
            "fields": {**tagged.fields.to_json(), "why": dict(tagged.fields.why)}}


def from_payload(data: dict[str, Any]) -> TaggedCase:
    """Inverse of :func:`to_payload`."""
    case = PseudonymisedCase(data["name"], data["text"], tuple(PiiSpan(*s) for s in data["replaced"]),
                             tuple(data["residual"]), data.get("review_note", ""))
    return TaggedCase(case, tuple(Tag(*t) for t in data["tags"]), fields_from_json(data["fields"]),
                      tuple(Tag(*t) for t in data["ruled_out"]), data.get("model", ""))


# ---------------------------------------------------------------- JSONL records

def fields_from_json(case: dict[str, Any] | None) -> CaseFields:
    """Case fields from the ``case`` object of a record; values outside the schema are left out."""
    case = case or {}
    return CaseFields(
        clientroute=str(case.get("clientroute", "onbekend")),
        partijen=tuple(p for p in case.get("partijen", ()) if p in schema.PARTIJEN),
        onveiligheid=str(case.get("onveiligheid", "onbekend")),
        gi_inzet=tuple(g for g in case.get("gi_inzet", ()) if g in schema.GI_INZET),
        why=dict(case.get("why") or {}),
    )


def to_record(name: str, text: str, tags: Iterable[Tag], fields: CaseFields, *, split: str | None = None,
              pii: Iterable[PiiSpan] = (), pseudonymised: bool = False) -> CaseRecord:
    """A prediction record (ANNOTATION.md §5) from tags and case fields."""
    extra = {PSEUDONYMISED: True} if pseudonymised else {}
    return CaseRecord(name, text, tuple(pii), tuple(LabelSpan(t.start, t.end, t.label, t.score) for t in tags),
                      fields.to_json(), split, extra)


def tagged_to_record(tagged: TaggedCase, *, pseudonymised: bool) -> CaseRecord:
    """A TaggedCase as a prediction record; ``pseudonymised`` only when its text came from the pseudonymiser."""
    return to_record(tagged.case.name, tagged.case.text, tagged.tags, tagged.fields,
                     pseudonymised=pseudonymised)


def tagged_from_record(record: CaseRecord, model: str) -> TaggedCase:
    """A TaggedCase from one prediction record; refuses a record not marked as pseudonymised.

    Labels outside the schema are left out (with a log line that names the record, never its text).
    """
    if record.extra.get(PSEUDONYMISED) is not True:
        raise CorpusError(f"record {record.id} is not marked as pseudonymised (\"{PSEUDONYMISED}\": true); "
                          "handouts are only made from pseudonymised text: make the file with "
                          "'leerwerkplaats predict --pseudonymise'")
    tags = tuple(Tag(s.start, s.end, s.label, 1.0 if s.score is None else s.score)
                 for s in record.spans if s.label in schema.LABELS)
    if len(tags) < len(record.spans):
        log.warning("record %s: %d span(s) with unknown labels left out", record.id, len(record.spans) - len(tags))
    label = str(record.extra.get("model") or model)
    return TaggedCase(PseudonymisedCase.trusted(record.id, record.text), tags, fields_from_json(record.case),
                      (), label)
