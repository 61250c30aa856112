"""Immutable records of the JSONL format (ANNOTATION.md §5).

A :class:`CaseRecord` is one line of a corpus or prediction file. Spans check
their own offsets when the record is built, so a record that exists is at least
internally consistent; :mod:`leerwerkplaats.reading.corpus` checks the rest of the contract.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

from leerwerkplaats.core.errors import CorpusError


@dataclass(frozen=True, order=True)
class PiiSpan:
    """A stretch of personal data: ``text[start:end]`` is of PII ``type``."""

    start: int
    end: int
    type: str
    score: float | None = field(default=None, compare=False)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "type": self.type}
        if self.score is not None:
            out["score"] = round(self.score, 4)
        return out


@dataclass(frozen=True, order=True)
class LabelSpan:
    """Evidence for a trigger or building block: ``text[start:end]`` carries ``label``."""

    start: int
    end: int
    label: str
    score: float | None = field(default=None, compare=False)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "label": self.label}
        if self.score is not None:
            out["score"] = round(self.score, 4)
        return out


@dataclass(frozen=True)
class CaseRecord:
    """One case file with its (gold or predicted) annotations."""

    id: str
    text: str
    pii: tuple[PiiSpan, ...] = ()
    spans: tuple[LabelSpan, ...] = ()
    case: Mapping[str, Any] | None = None
    split: str | None = None
    #: Other keys of the JSON line, kept so a round trip loses nothing.
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pii", tuple(sorted(self.pii)))
        object.__setattr__(self, "spans", tuple(sorted(self.spans)))
        if self.case is not None:
            object.__setattr__(self, "case", MappingProxyType(dict(self.case)))
        object.__setattr__(self, "extra", MappingProxyType(dict(self.extra)))
        n = len(self.text)
        for span in (*self.pii, *self.spans):
            if not (0 <= span.start < span.end <= n):
                raise CorpusError(
                    f"record {self.id}: span {span.start}-{span.end} lies outside the text (length {n})"
                )

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> CaseRecord:
        """Build a record from a parsed JSON line; text is NFC-normalised.

        Offsets refer to the NFC text (ANNOTATION.md §5); a text that changes under
        NFC is rejected so offsets cannot silently shift.
        """
        if not isinstance(obj, Mapping):
            raise CorpusError("a line is not a JSON object")
        rid = obj.get("id")
        if not isinstance(rid, str) or not rid:
            raise CorpusError("a record has no string 'id'")
        text = obj.get("text")
        if not isinstance(text, str):
            raise CorpusError(f"record {rid}: 'text' is missing or not a string")
        nfc = unicodedata.normalize("NFC", text)
        if nfc != text and (obj.get("pii") or obj.get("spans")):
            raise CorpusError(f"record {rid}: text is not NFC-normalised, so its offsets are ambiguous")
        try:
            pii = tuple(
                PiiSpan(int(s["start"]), int(s["end"]), str(s["type"]), _score(s))
                for s in obj.get("pii") or ()
            )
            spans = tuple(
                LabelSpan(int(s["start"]), int(s["end"]), str(s["label"]), _score(s))
                for s in obj.get("spans") or ()
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CorpusError(f"record {rid}: malformed span ({exc.__class__.__name__}: {exc})") from None
        case = obj.get("case")
        if case is not None and not isinstance(case, Mapping):
            raise CorpusError(f"record {rid}: 'case' is not an object")
        known = {"id", "text", "pii", "spans", "case", "split"}
        extra = {k: v for k, v in obj.items() if k not in known}
        return cls(rid, nfc, pii, spans, case, obj.get("split"), extra)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id}
        if self.split is not None:
            out["split"] = self.split
        out["text"] = self.text
        out["pii"] = [s.to_json() for s in self.pii]
        out["spans"] = [s.to_json() for s in self.spans]
        if self.case is not None:
            out["case"] = dict(self.case)
        out.update(self.extra)
        return out


def _score(obj: Mapping[str, Any]) -> float | None:
    value = obj.get("score")
    return None if value is None else float(value)
