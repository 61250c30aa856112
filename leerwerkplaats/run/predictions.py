"""Prediction files (ANNOTATION.md §5) as jobs for the handouts command.

Only records marked ``"pseudonymised": true`` (written by ``predict --pseudonymise``)
are accepted: handouts are never rendered from raw text.
"""

from __future__ import annotations

from pathlib import Path

from leerwerkplaats.core.cases import TaggedCase
from leerwerkplaats.core.convert import tagged_from_record
from leerwerkplaats.core.errors import CorpusError, LeerwerkplaatsError
from leerwerkplaats.reading.jsonl import numbered_records


def load_predictions(path: Path) -> list[TaggedCase]:
    """Every record of a prediction file as a TaggedCase; a record without the marker stops the command."""
    name = "standard input" if str(path) == "-" else Path(path).name
    out = []
    for lineno, record in numbered_records(path):
        try:
            out.append(tagged_from_record(record, f"voorspellingen uit {name}"))
        except CorpusError as exc:
            raise LeerwerkplaatsError(f"{path}:{lineno}: {exc}") from None
    if not out:
        raise LeerwerkplaatsError(f"{path}: no records")
    return out


def payload_jobs(path: Path) -> list:
    """Pipeline jobs carrying tagged payloads, one per record, named neutrally."""
    from leerwerkplaats.run.pipeline import payload_jobs as jobs_for

    return jobs_for(load_predictions(path), str(path))
