"""Import and export for doccano (JSONL) and Label Studio (JSON), both directions.

Both tools count offsets in UTF-16 code units (JavaScript strings); our records
count code points after NFC (ANNOTATION.md §5). Every offset is converted, an
offset inside a surrogate pair is an error, and every imported span is checked
against its quoted text where the file has one (Label Studio ``value.text``,
doccano ``quotes`` written by our export or an entity ``text``), and always for
bounds and whitespace at its edges. A mismatch stops the import with the record
id and offset (never the text).

PII types and labels share one tag namespace in the tools: a tag in
:data:`~leerwerkplaats.core.schema.PII_TYPES` is personal data, a tag in
:data:`~leerwerkplaats.core.schema.LABELS` is a trigger or building block.
"""

from __future__ import annotations

import bisect
import json
import unicodedata
from pathlib import Path
from typing import Any, Iterable, Sequence

from leerwerkplaats.core import schema
from leerwerkplaats.core.errors import CorpusError
from leerwerkplaats.core.io_atomic import write_text_or_stdout
from leerwerkplaats.core.records import CaseRecord, LabelSpan, PiiSpan
from leerwerkplaats.reading import corpus
from leerwerkplaats.reading.jsonl import json_lines
from leerwerkplaats.reading.readers import read_text_file

FORMATS = ("doccano", "labelstudio")


class Offsets:
    """Convert between code-point and UTF-16 offsets of one text."""

    def __init__(self, text: str):
        self.text = text
        self.u16 = [0]
        for ch in text:
            self.u16.append(self.u16[-1] + (2 if ord(ch) > 0xFFFF else 1))

    def to_utf16(self, cp: int) -> int:
        """UTF-16 offset of code-point offset ``cp``."""
        return self.u16[cp]

    def from_utf16(self, unit: int, where: str) -> int:
        """Code-point offset of UTF-16 offset ``unit``; raises if it splits a character."""
        i = bisect.bisect_left(self.u16, unit)
        if i >= len(self.u16) or self.u16[i] != unit:
            raise CorpusError(f"{where}: UTF-16 offset {unit} lies inside a character or outside the text")
        return i


def _tag_span(rid: str, start: int, end: int, tag: str, pii: list, spans: list) -> None:
    if tag in schema.PII_TYPES:
        pii.append(PiiSpan(start, end, tag))
    elif tag in schema.LABELS:
        spans.append(LabelSpan(start, end, tag))
    else:
        raise CorpusError(f"record {rid}, offset {start}-{end}: unknown tag {tag!r}")


def _check_quote(rid: str, text: str, start: int, end: int, quote: str | None) -> None:
    if not 0 <= start < end <= len(text):
        raise CorpusError(f"record {rid}: span {start}-{end} lies outside the text (length {len(text)})")
    if quote is not None and unicodedata.normalize("NFC", quote) != text[start:end]:
        raise CorpusError(f"record {rid}, offset {start}-{end}: the quoted text does not match the text there")


def _finish(rid: str, text: str, pii, spans, case, split, extra) -> CaseRecord:
    record = CaseRecord(rid, text, tuple(pii), tuple(spans), case, split, extra)
    found = corpus.problems(record)
    if found:
        raise CorpusError(found[0])
    return record


def _nfc(rid: str, text: Any) -> str:
    if not isinstance(text, str):
        raise CorpusError(f"record {rid}: no text")
    if unicodedata.normalize("NFC", text) != text:
        raise CorpusError(f"record {rid}: text is not NFC-normalised; normalise it in the tool first")
    return text


# --- doccano -------------------------------------------------------------------------

def to_doccano(records: Iterable[CaseRecord]) -> list[dict]:
    """doccano sequence-labelling JSONL objects (UTF-16 offsets, quotes kept for the round trip)."""
    out = []
    for r in records:
        off = Offsets(r.text)
        items = [(s.start, s.end, s.type) for s in r.pii] + [(s.start, s.end, s.label) for s in r.spans]
        obj: dict[str, Any] = {
            "id": r.id, "text": r.text,
            "label": [[off.to_utf16(s), off.to_utf16(e), tag] for s, e, tag in items],
            "quotes": [r.text[s:e] for s, e, _ in items],
        }
        if r.split:
            obj["split"] = r.split
        if r.case is not None:
            obj["case"] = dict(r.case)
        out.append(obj)
    return out


def from_doccano(objs: Iterable[dict]) -> list[CaseRecord]:
    """Records from doccano JSONL objects (``label`` lists or ``entities`` dicts)."""
    out = []
    for n, obj in enumerate(objs, start=1):
        rid = str(obj.get("record_id") or obj.get("id") or f"doccano-{n}")
        text = _nfc(rid, obj.get("text"))
        off = Offsets(text)
        pii: list = []
        spans: list = []
        items: list[tuple[int, int, str, str | None]] = []
        quotes = obj.get("quotes")
        for k, item in enumerate(obj.get("label") or obj.get("labels") or ()):
            if not (isinstance(item, (list, tuple)) and len(item) >= 3):
                raise CorpusError(f"record {rid}: label item {k} is not [start, end, tag]")
            quote = quotes[k] if isinstance(quotes, list) and k < len(quotes) else None
            items.append((int(item[0]), int(item[1]), str(item[2]), quote))
        for ent in obj.get("entities") or ():
            items.append((int(ent["start_offset"]), int(ent["end_offset"]), str(ent["label"]), ent.get("text")))
        for s16, e16, tag, quote in items:
            where = f"record {rid}"
            s, e = off.from_utf16(s16, where), off.from_utf16(e16, where)
            _check_quote(rid, text, s, e, quote)
            _tag_span(rid, s, e, tag, pii, spans)
        known = {"id", "record_id", "text", "label", "labels", "entities", "quotes", "split", "case"}
        extra = {k: v for k, v in obj.items() if k not in known}
        out.append(_finish(rid, text, pii, spans, obj.get("case"), obj.get("split"), extra))
    return out


# --- Label Studio --------------------------------------------------------------------

def to_labelstudio(records: Iterable[CaseRecord]) -> list[dict]:
    """Label Studio tasks with one annotation each (``pii`` and ``label`` control names)."""
    out = []
    for n, r in enumerate(records, start=1):
        off = Offsets(r.text)
        result = []
        items = [(s.start, s.end, s.type, "pii") for s in r.pii] + [(s.start, s.end, s.label, "label") for s in r.spans]
        for k, (s, e, tag, control) in enumerate(items):
            result.append({"id": f"{r.id}-{k}", "from_name": control, "to_name": "text", "type": "labels",
                           "value": {"start": off.to_utf16(s), "end": off.to_utf16(e), "text": r.text[s:e],
                                     "labels": [tag]}})
        data: dict[str, Any] = {"text": r.text, "record_id": r.id}
        if r.split:
            data["split"] = r.split
        if r.case is not None:
            data["case"] = dict(r.case)
        out.append({"id": n, "data": data, "annotations": [{"result": result}]})
    return out


def from_labelstudio(tasks: Sequence[dict]) -> list[CaseRecord]:
    """Records from Label Studio tasks (first non-cancelled annotation of each)."""
    out = []
    for n, task in enumerate(tasks, start=1):
        data = task.get("data") or {}
        rid = str(data.get("record_id") or data.get("id") or f"task-{task.get('id', n)}")
        text = _nfc(rid, data.get("text"))
        off = Offsets(text)
        annotations = [a for a in task.get("annotations") or () if not a.get("was_cancelled")]
        result = annotations[0].get("result", []) if annotations else []
        pii: list = []
        spans: list = []
        case = dict(data["case"]) if isinstance(data.get("case"), dict) else None
        for item in result:
            value = item.get("value") or {}
            if item.get("type") == "choices" and item.get("from_name") in schema.CASE_FIELDS:
                _, is_list = schema.CASE_FIELDS[item["from_name"]]
                choices = list(value.get("choices") or ())
                case = dict(case or {})
                case[item["from_name"]] = choices if is_list else (choices[0] if choices else "onbekend")
                continue
            if "start" not in value or "end" not in value:
                continue
            where = f"record {rid}"
            s, e = off.from_utf16(int(value["start"]), where), off.from_utf16(int(value["end"]), where)
            if "text" not in value:
                raise CorpusError(f"record {rid}, offset {s}-{e}: span has no quoted text to check against")
            _check_quote(rid, text, s, e, value["text"])
            for tag in value.get("labels") or value.get("hypertextlabels") or ():
                _tag_span(rid, s, e, str(tag), pii, spans)
        out.append(_finish(rid, text, pii, spans, case, data.get("split"), {}))
    return out


# --- files ---------------------------------------------------------------------------

def import_file(path: str | Path, fmt: str) -> list[CaseRecord]:
    """Read a doccano JSONL or Label Studio JSON export into records."""
    path = Path(path)
    try:
        if fmt == "doccano":
            return from_doccano([obj for _, obj in json_lines(path)])
        if fmt == "labelstudio":
            tasks = json.loads(read_text_file(path))
            return from_labelstudio(tasks if isinstance(tasks, list) else [tasks])
    except json.JSONDecodeError as exc:
        raise CorpusError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    except CorpusError as exc:
        raise CorpusError(f"{path}: {exc}") from None
    raise CorpusError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def export_file(records: Iterable[CaseRecord], path: str | Path, fmt: str) -> None:
    """Write records as doccano JSONL or Label Studio JSON."""
    write_text_or_stdout(path, export_text(records, fmt))


def export_text(records: Iterable[CaseRecord], fmt: str) -> str:
    """Records as doccano JSONL or Label Studio JSON text."""
    if fmt == "doccano":
        text = "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in to_doccano(records))
    elif fmt == "labelstudio":
        text = json.dumps(to_labelstudio(records), ensure_ascii=False, indent=1) + "\n"
    else:
        raise CorpusError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return text
