"""The one JSONL reader: corpus, prediction and raw-record files (ANNOTATION.md §5).

``-`` reads standard input. A bad line raises :class:`CorpusError` naming the file and
line, never its content.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

from leerwerkplaats.core.cases import RawCase
from leerwerkplaats.core.errors import CorpusError, ReadError
from leerwerkplaats.core.records import CaseRecord
from leerwerkplaats.reading.readers import JSONL_MAX_BYTES, read_text_file


def json_lines(path: str | Path, max_bytes: int = JSONL_MAX_BYTES) -> Iterator[tuple[int, Any]]:
    """Yield ``(line number, parsed JSON)`` for each non-empty line."""
    text = read_text_file(path, max_bytes)
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            yield lineno, json.loads(line)
        except json.JSONDecodeError as exc:
            raise CorpusError(f"{path}:{lineno}: not valid JSON ({exc.msg} at column {exc.colno})") from None


def numbered_records(path: str | Path, max_bytes: int = JSONL_MAX_BYTES) -> Iterator[tuple[int, CaseRecord]]:
    """Yield ``(line number, record)`` for each non-empty line."""
    for lineno, obj in json_lines(path, max_bytes):
        try:
            yield lineno, CaseRecord.from_json(obj)
        except CorpusError as exc:
            raise CorpusError(f"{path}:{lineno}: {exc}") from None


def iter_records(path: str | Path) -> Iterator[CaseRecord]:
    """Yield the records of a JSONL file."""
    for _, record in numbered_records(path):
        yield record


def read_jsonl_cases(path: str | Path, max_bytes: int = JSONL_MAX_BYTES) -> Iterator[RawCase]:
    """The ``id`` and ``text`` of each record as raw cases (a bad line is a :class:`ReadError`)."""
    try:
        for lineno, record in numbered_records(path, max_bytes):
            yield RawCase(record.id, f"{path}:{lineno}", record.text)
    except CorpusError as exc:
        raise ReadError(path, str(exc).removeprefix(f"{path}:")) from None
