"""The one case codec: a :class:`TaggedCase` as a JSON line, and back.

Library lines (``LIB/library.jsonl``) and prediction files (``predict``) have one
shape: ANNOTATION.md §5 (``id``, ``text``, ``pii``, ``spans`` with ``score``,
``case``) plus the keys the handouts need (``cues`` per span, ``ruled_out``,
``why`` in ``case``, ``residual``, ``review_note``, ``model``) and the marker
``"pseudonymised": true`` on the text of a :class:`PseudonymisedCase` only. A
case a trainer corrected also carries ``"gecorrigeerd": true`` and the list
``correcties`` (what was changed; see ``TaggedCase.corrections``).

Reading goes through :meth:`CaseRecord.from_json`, so a line gets its NFC and
offset checks before it becomes a case. :func:`decode` refuses a line without
the marker: handouts are never rendered from raw text. Across processes a
tagged case travels as itself (every case type pickles), so there is no other
serialisation.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Iterable, Mapping

from leerwerkplaats.core import schema
from leerwerkplaats.core.cases import CaseFields, PseudonymisedCase, ResearchText, Tag, TaggedCase
from leerwerkplaats.core.errors import CorpusError
from leerwerkplaats.core.records import CaseRecord, PiiSpan

log = logging.getLogger(__name__)

#: The marker a line of pseudonymised text carries (ANNOTATION.md §5 allows extra keys).
PSEUDONYMISED = "pseudonymised"
#: The marker of a line a trainer corrected (``session --corrections``), with the list ``correcties``.
CORRECTED = "gecorrigeerd"


def _span(t: Tag) -> dict[str, Any]:
    return {"start": t.start, "end": t.end, "label": t.label, "score": round(float(t.score), 4),
            "cues": list(t.cues)}


def encode(tagged: TaggedCase, *, pii: Iterable[PiiSpan] | None = None, split: str | None = None,
           training: bool = False) -> dict[str, Any]:
    """One line for a tagged case; ``pii`` defaults to the pseudonyms of a pseudonymised case.

    The marker is set only when the text came out of the pseudonymiser
    (:class:`PseudonymisedCase`); a :class:`ResearchText` line has none.
    ``training`` keeps ``case`` to the ANNOTATION.md §4 fields (no ``why``), so
    the line is training data that ``corpus check`` accepts.
    """
    case = tagged.case
    if not isinstance(case, PseudonymisedCase | ResearchText):
        raise TypeError("encode takes a TaggedCase of a PseudonymisedCase or a ResearchText")
    spans = case.replaced if pii is None and isinstance(case, PseudonymisedCase) else (pii or ())
    obj: dict[str, Any] = {"id": case.name}
    if split is not None:
        obj["split"] = split
    obj.update({"text": case.text, "pii": [s.to_json() for s in sorted(spans)],
                "spans": [_span(t) for t in tagged.tags],
                "case": tagged.fields.to_json() if training else {**tagged.fields.to_json(),
                                                                  "why": dict(tagged.fields.why)},
                "ruled_out": [_span(t) for t in tagged.ruled_out], "model": tagged.model})
    if isinstance(case, PseudonymisedCase):
        obj.update({PSEUDONYMISED: True, "residual": list(case.residual), "review_note": case.review_note})
    if tagged.corrections:  # a trainer fixed facts: training data a person checked
        obj.update({CORRECTED: True, "correcties": list(tagged.corrections)})
    return obj


def dumps(cases: Iterable[TaggedCase], *, training: bool = False) -> bytes:
    """JSON Lines bytes, one line per case, in the order given (deterministic); ``training``: see :func:`encode`."""
    lines = [json.dumps(encode(t, training=training), ensure_ascii=False, sort_keys=True) for t in cases]
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def fields_from_json(case: Mapping[str, Any] | None) -> CaseFields:
    """Case fields from the ``case`` object of a line; values outside the schema are left out."""
    case = case or {}
    return CaseFields(
        clientroute=str(case.get("clientroute", "onbekend")),
        partijen=tuple(p for p in case.get("partijen", ()) if p in schema.PARTIJEN),
        onveiligheid=str(case.get("onveiligheid", "onbekend")),
        gi_inzet=tuple(g for g in case.get("gi_inzet", ()) if g in schema.GI_INZET),
        why=dict(case.get("why") or {}),
    )


def _tags(items: Any, record: CaseRecord, key: str) -> tuple[Tag, ...]:
    if not isinstance(items, list):
        raise CorpusError(f"record {record.id}: '{key}' is not a list")
    out = []
    n = len(record.text)
    for s in items:
        try:
            score = s.get("score")
            tag = Tag(int(s["start"]), int(s["end"]), str(s["label"]), 1.0 if score is None else float(score),
                      tuple(str(c) for c in s.get("cues") or ()))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise CorpusError(f"record {record.id}: malformed '{key}' span ({exc.__class__.__name__})") from None
        if not 0 <= tag.start < tag.end <= n:
            raise CorpusError(f"record {record.id}: a '{key}' span lies outside the text")
        if tag.label in schema.LABELS:
            out.append(tag)
    if len(out) < len(items):
        log.warning("record %s: %d span(s) with unknown labels left out", record.id, len(items) - len(out))
    return tuple(out)


def decode(obj: Any, *, model: str = "") -> TaggedCase:
    """A tagged, pseudonymised case from one parsed line; raises :class:`CorpusError` (messages name keys, never text).

    ``model`` names the source when the line does not (a prediction file).
    """
    record = CaseRecord.from_json(obj)  # NFC and offset checks
    if record.extra.get(PSEUDONYMISED) is not True:
        raise CorpusError(f"record {record.id} is not marked as pseudonymised (\"{PSEUDONYMISED}\": true); "
                          "handouts are only made from pseudonymised text: make the file with "
                          "'leerwerkplaats run' or 'leerwerkplaats predict --pseudonymise'")
    residual = record.extra.get("residual") or []
    if not isinstance(residual, list):
        raise CorpusError(f"record {record.id}: 'residual' is not a list")
    case = PseudonymisedCase(record.id, record.text, tuple(PiiSpan(s.start, s.end, s.type) for s in record.pii),
                             tuple(str(r) for r in residual), str(record.extra.get("review_note") or ""))
    corrections = record.extra.get("correcties") or []
    if not isinstance(corrections, list):
        raise CorpusError(f"record {record.id}: 'correcties' is not a list")
    return TaggedCase(case, _tags(obj.get("spans") or [], record, "spans"), fields_from_json(record.case),
                      _tags(record.extra.get("ruled_out") or [], record, "ruled_out"),
                      str(record.extra.get("model") or model), tuple(str(c) for c in corrections))


def to_case_record(tagged: TaggedCase, *, pii: Iterable[PiiSpan] | None = None, split: str | None = None) -> CaseRecord:
    """A tagged case as a :class:`CaseRecord`, for scoring (through the same line shape)."""
    return CaseRecord.from_json(encode(tagged, pii=pii, split=split))
