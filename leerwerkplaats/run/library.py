"""The case library on disk: ``LIB/library.jsonl`` (tagged, pseudonymised records) and ``LIB/index.html``.

``run`` writes the library; ``sessie`` reads it back and never sees a raw file.
Each line of ``library.jsonl`` has the ANNOTATION.md §5 shape (``id``,
``text``, ``pii``, ``spans`` with ``score``, ``case``) plus what the handouts
need (``pseudonymised``, ``model``, ``ruled_out``, cues per span, ``why``, and
``review_note`` when no person approved the pseudonymisation, so the session's
handouts say so as the library's do).
A line without ``"pseudonymised": true`` is refused (fail closed): the text
of a library must never be raw.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

from leerwerkplaats.core.cases import PseudonymisedCase, Tag, TaggedCase
from leerwerkplaats.core.convert import PSEUDONYMISED, fields_from_json
from leerwerkplaats.core.errors import LeerwerkplaatsError
from leerwerkplaats.core.records import PiiSpan

LIBRARY_FILE = "library.jsonl"
INDEX_FILE = "index.html"
#: The marker every library record carries: its text is pseudonymised (the same key as prediction records).
MARKER = PSEUDONYMISED


class BadRecord(ValueError):
    """A library line that breaks the contract; the message names keys, never text."""


def _span(t: Tag) -> dict[str, Any]:
    return {"start": t.start, "end": t.end, "label": t.label, "score": round(float(t.score), 4),
            "cues": list(t.cues)}


def to_record(tagged: TaggedCase) -> dict[str, Any]:
    """One library line for a tagged case (pseudonymised text only)."""
    if not isinstance(tagged.case, PseudonymisedCase):
        raise TypeError("the library holds only pseudonymised cases")
    case = tagged.case
    return {"id": case.name, "text": case.text, MARKER: True,
            "pii": [{"start": s.start, "end": s.end, "type": s.type} for s in case.replaced],
            "spans": [_span(t) for t in tagged.tags],
            "case": {**tagged.fields.to_json(), "why": dict(tagged.fields.why)},
            "ruled_out": [_span(t) for t in tagged.ruled_out],
            "residual": list(case.residual), "review_note": case.review_note, "model": tagged.model}


def _tag(obj: dict[str, Any]) -> Tag:
    return Tag(int(obj["start"]), int(obj["end"]), str(obj["label"]), float(obj.get("score", 1.0)),
               tuple(obj.get("cues", ())))


def from_record(obj: dict[str, Any]) -> TaggedCase:
    """Inverse of :func:`to_record`; raises :class:`BadRecord` (or ``KeyError``/``TypeError``/``ValueError``)."""
    if obj.get(MARKER) is not True:
        raise BadRecord(f"not marked {MARKER!r}: only pseudonymised text belongs in a library")
    text = obj["text"]
    if not isinstance(text, str):
        raise BadRecord("text is not a string")
    n = len(text)
    tags = tuple(_tag(s) for s in obj.get("spans", ()))
    ruled = tuple(_tag(s) for s in obj.get("ruled_out", ()))
    for t in tags + ruled:
        if not 0 <= t.start < t.end <= n:
            raise BadRecord("a span lies outside the text")
    fields = fields_from_json(obj.get("case"))
    case = PseudonymisedCase(str(obj["id"]), text,
                             tuple(PiiSpan(int(p["start"]), int(p["end"]), str(p["type"])) for p in obj.get("pii", ())),
                             tuple(obj.get("residual", ())), str(obj.get("review_note", "")))
    return TaggedCase(case, tags, fields, ruled, str(obj.get("model", "")))


def dumps(cases: Iterable[TaggedCase]) -> bytes:
    """``library.jsonl`` bytes, one line per case, in the order given (deterministic)."""
    lines = [json.dumps(to_record(t), ensure_ascii=False, sort_keys=True) for t in cases]
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def load(lib_dir: Path) -> list[TaggedCase]:
    """Every case of a library folder; one clear error naming the file (and line) otherwise."""
    path = Path(lib_dir) / LIBRARY_FILE
    if not path.is_file():
        raise LeerwerkplaatsError(f"{lib_dir}: not a library (no {LIBRARY_FILE}); "
                                  f"make one with: leerwerkplaats run CASES/ -o {lib_dir}")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LeerwerkplaatsError(f"{path}: cannot read ({exc.__class__.__name__})") from None
    out: list[TaggedCase] = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            out.append(from_record(json.loads(line)))
        except json.JSONDecodeError:
            raise LeerwerkplaatsError(f"{path}:{lineno}: not valid JSON") from None
        except (ValueError, KeyError, TypeError) as exc:  # messages name keys, never case text
            detail = str(exc) if isinstance(exc, BadRecord) else f"{exc.__class__.__name__}"
            raise LeerwerkplaatsError(f"{path}:{lineno}: not a library record ({detail})") from None
    if not out:
        raise LeerwerkplaatsError(f"{path}: the library holds no cases")
    return out
