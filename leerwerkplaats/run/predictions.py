"""Prediction files (ANNOTATION.md §5) as jobs for the handouts command.

The text of a prediction file is taken as already pseudonymised
(:meth:`PseudonymisedCase.trusted`): the command's help says so.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from leerwerkplaats.core import schema
from leerwerkplaats.core.cases import CaseFields, PseudonymisedCase, Tag, TaggedCase
from leerwerkplaats.core.errors import CorpusError, LeerwerkplaatsError
from leerwerkplaats.core.records import CaseRecord
from leerwerkplaats.reading.readers import read_text_file

log = logging.getLogger(__name__)


def tagged_from_record(record: CaseRecord, model: str) -> TaggedCase:
    """A TaggedCase from one prediction record; labels outside the schema are left out."""
    case = record.case or {}
    fields = CaseFields(
        clientroute=str(case.get("clientroute", "onbekend")),
        partijen=tuple(p for p in case.get("partijen", ()) if p in schema.PARTIJEN),
        onveiligheid=str(case.get("onveiligheid", "onbekend")),
        gi_inzet=tuple(g for g in case.get("gi_inzet", ()) if g in schema.GI_INZET),
    )
    tags = tuple(Tag(s.start, s.end, s.label, 1.0 if s.score is None else s.score)
                 for s in record.spans if s.label in schema.LABELS)
    if len(tags) < len(record.spans):
        log.warning("record %s: %d span(s) with unknown labels left out", record.id, len(record.spans) - len(tags))
    label = str(record.extra.get("model") or model)
    return TaggedCase(PseudonymisedCase.trusted(record.id, record.text), tags, fields, (), label)


def load_predictions(path: Path) -> list[TaggedCase]:
    """Every record of a prediction file as a TaggedCase."""
    text = read_text_file(path)
    out = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = CaseRecord.from_json(json.loads(line))
        except json.JSONDecodeError:
            raise LeerwerkplaatsError(f"{path}:{lineno}: not valid JSON") from None
        except CorpusError as exc:
            raise LeerwerkplaatsError(f"{path}:{lineno}: {exc}") from None
        out.append(tagged_from_record(record, f"voorspellingen uit {path.name}"))
    if not out:
        raise LeerwerkplaatsError(f"{path}: no records")
    return out


def payload_jobs(path: Path) -> list:
    """Pipeline jobs carrying tagged payloads, one per record."""
    from leerwerkplaats.run.pipeline import Job, to_payload

    return [Job(t.case.name, f"{path}:{t.case.name}", payload=to_payload(t)) for t in load_predictions(path)]
