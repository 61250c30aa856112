"""Load, validate and summarise corpora in the JSONL format of ANNOTATION.md §5."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from leerwerkplaats.core import schema
from leerwerkplaats.core.io_atomic import write_text_or_stdout
from leerwerkplaats.core.records import CaseRecord
from leerwerkplaats.reading.jsonl import iter_records


def load(path: str | Path) -> list[CaseRecord]:
    """Read every record of a JSONL corpus."""
    return list(iter_records(path))


def dumps(records: Iterable[CaseRecord]) -> str:
    """Records as JSONL text, one record per line."""
    return "".join(json.dumps(r.to_json(), ensure_ascii=False) + "\n" for r in records)


def dump(records: Iterable[CaseRecord], path: str | Path) -> None:
    """Write records as JSONL, atomically (``-``: standard output); the commands go through their output policy."""
    write_text_or_stdout(path, dumps(records))


def _quote(text: str, start: int, end: int, width: int = 40) -> str:
    piece = text[start:end]
    if len(piece) > width:
        piece = piece[: width - 1] + "…"
    return json.dumps(piece, ensure_ascii=False)


def problems(record: CaseRecord) -> list[str]:
    """Every way ``record`` breaks the contract, one precise message each (empty if none)."""
    out: list[str] = []
    text = record.text

    def at(span, what: str) -> None:
        out.append(f"record {record.id}, offset {span.start}-{span.end} {_quote(text, span.start, span.end)}: {what}")

    for span in record.pii:
        if span.type not in schema.PII_TYPES:
            at(span, f"unknown PII type {span.type!r}")
    for span in record.spans:
        if span.label not in schema.LABELS:
            at(span, f"unknown label {span.label!r}")
    for span in (*record.pii, *record.spans):
        if text[span.start].isspace():
            at(span, "span starts inside whitespace")
        if text[span.end - 1].isspace():
            at(span, "span ends inside whitespace")
    if record.split is not None and record.split not in schema.SPLITS:
        out.append(f"record {record.id}: unknown split {record.split!r} (use one of {', '.join(schema.SPLITS)})")
    for key, value in (record.case or {}).items():
        if key not in schema.CASE_FIELDS:
            out.append(f"record {record.id}: unknown case field {key!r}")
            continue
        allowed, is_list = schema.CASE_FIELDS[key]
        values = value if is_list and isinstance(value, list) else [value]
        if is_list and not isinstance(value, list):
            out.append(f"record {record.id}: case field {key!r} must be a list")
        for v in values:
            if v not in allowed:
                out.append(f"record {record.id}: case field {key!r} has unknown value {v!r}")
    return out


def check(records: Iterable[CaseRecord]) -> list[str]:
    """Validate a whole corpus: every record, plus unique ids."""
    out: list[str] = []
    seen: set[str] = set()
    for record in records:
        if record.id in seen:
            out.append(f"record {record.id}: duplicate id")
        seen.add(record.id)
        out.extend(problems(record))
    return out


@dataclass(frozen=True)
class Stats:
    """Counts over a corpus, as the datasheet shows them."""

    files: int
    words: int
    splits: Counter
    formats: Counter
    label_spans: Counter
    label_files: Counter
    pii_spans: Counter
    case_values: dict[str, Counter]


def stats(records: Iterable[CaseRecord]) -> Stats:
    """Count files, words, spans per label and PII type, and case-field values."""
    records = list(records)
    label_spans: Counter = Counter()
    label_files: Counter = Counter()
    pii: Counter = Counter()
    case_values: dict[str, Counter] = {key: Counter() for key in schema.CASE_FIELDS}
    for r in records:
        label_spans.update(s.label for s in r.spans)
        label_files.update({s.label for s in r.spans})
        pii.update(s.type for s in r.pii)
        for key, value in (r.case or {}).items():
            if key in case_values:
                case_values[key].update(value if isinstance(value, list) else [value])
    return Stats(
        files=len(records),
        words=sum(len(r.text.split()) for r in records),
        splits=Counter(r.split or "-" for r in records),
        formats=Counter(r.extra.get("format", "-") for r in records),
        label_spans=label_spans,
        label_files=label_files,
        pii_spans=pii,
        case_values=case_values,
    )


def stats_json(st: Stats) -> dict:
    """The counts as plain JSON data (every label and PII type, zeros included)."""
    return {
        "files": st.files, "words": st.words, "splits": dict(sorted(st.splits.items())),
        "formats": dict(sorted(st.formats.items())),
        "pii_spans": {t: st.pii_spans[t] for t in schema.PII_TYPES},
        "labels": {lab.id: {"group": lab.group, "spans": st.label_spans[lab.id], "files": st.label_files[lab.id]}
                   for lab in schema.ALL_LABELS},
        "case_values": {k: dict(sorted(v.items())) for k, v in st.case_values.items()},
    }


def stats_markdown(st: Stats) -> str:
    """The count tables as Markdown, for the datasheet."""
    lines = [
        f"Files: {st.files} · words: {st.words:,} · split: "
        + ", ".join(f"{k} {v}" for k, v in sorted(st.splits.items()))
        + " · formats: " + ", ".join(f"{k} {v}" for k, v in sorted(st.formats.items())),
        "",
        "| PII type | spans |", "|---|---:|",
    ]
    lines += [f"| `{t}` | {st.pii_spans[t]} |" for t in schema.PII_TYPES]
    lines += ["", "| label | group | spans | files |", "|---|---|---:|---:|"]
    lines += [
        f"| `{lab.id}` | {lab.group} | {st.label_spans[lab.id]} | {st.label_files[lab.id]} |"
        for lab in schema.ALL_LABELS
    ]
    for key, counter in st.case_values.items():
        allowed, _ = schema.CASE_FIELDS[key]
        lines += ["", f"| {key} | files |", "|---|---:|"]
        lines += [f"| `{v}` | {counter[v]} |" for v in allowed]
    return "\n".join(lines) + "\n"
