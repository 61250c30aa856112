"""Every call from the review step into the rest of the package, in one place.

Reading case files, the pseudonymiser, the command line and the ``run`` and
``pseudonymise`` commands are reached from here only, so the review package
moves with a few import lines when the rest of the package does.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from leerwerkplaats.core.cases import RawCase
from leerwerkplaats.core.errors import PseudonymisationError, ReadError
from leerwerkplaats.core.io_atomic import write_text_atomic
from leerwerkplaats.core.schema import PII_TYPES
from leerwerkplaats.privacy.analyzer import Finding
from leerwerkplaats.privacy.pseudonymise import PseudonymisationResult, Pseudonymiser
from leerwerkplaats.reading.jsonl import read_jsonl_cases
from leerwerkplaats.reading.readers import discover, read_case_file
from leerwerkplaats.review import decisions as dec
from leerwerkplaats.review.store import STORE_DIR, STORE_NAME, WITHHOLD_REASONS, ReviewStore

__all__ = ["PII_TYPES", "PseudonymisationError", "RawCase", "write_text_atomic",
           "Source", "load_sources", "build_pseudonymiser", "model_spans", "pseudonymise_spans",
           "residual_findings", "decisions_step", "ReviewGate", "review_engines"]


@dataclass(frozen=True)
class Source:
    """One case file (or JSONL record) of the batch: where it is, its content hash, its text."""

    relative: str  # path relative to the input folder, ``path:line`` for a JSONL record
    raw: RawCase | None
    sha256: str
    error: str = ""  # why it could not be read (no case text)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_sources(input_dir: Path) -> list[Source]:
    """Every case file under ``input_dir``, read; unreadable ones with their reason."""
    input_dir = Path(input_dir)
    out: list[Source] = []
    for path in discover([input_dir]):
        relative = path.relative_to(input_dir).as_posix()
        try:
            if path.suffix.lower() == ".jsonl":
                for raw in read_jsonl_cases(path):
                    line = raw.source.rsplit(":", 1)[1]
                    out.append(Source(f"{relative}:{line}", raw, _sha256(raw.text.encode("utf-8"))))
                continue
            raw = read_case_file(path)
            out.append(Source(relative, raw, _sha256(path.read_bytes())))
        except ReadError as exc:
            out.append(Source(relative, None, "", exc.reason))
    return out


def build_pseudonymiser(seed: int = 0, style: str = "names") -> Pseudonymiser:
    """The pseudonymiser the review shows (the same output as ``run`` with this seed and style).

    It remembers each file's date shift, so re-replacing a file after an edit is quick.
    """
    return Pseudonymiser.build(seed=seed, style=style)


def model_spans(pseudonymiser: Pseudonymiser, text: str) -> list[dec.Span]:
    """The spans the analyzer finds in the raw text (the slow step: once per file)."""
    return [_span(f) for f in pseudonymiser.find(text)]


def _span(finding: Finding) -> dec.Span:
    return dec.Span(finding.start, finding.end, finding.type)


def _finding(span: dec.Span) -> Finding:
    return Finding(span.start, span.end, span.type, 1.0)


def pseudonymise_spans(pseudonymiser: Pseudonymiser, raw: RawCase,
                       spans: list[dec.Span]) -> tuple[PseudonymisationResult, str]:
    """Pseudonymise with these spans (no analysis); the second value is why the file would be withheld."""
    result = pseudonymiser.replace(raw, [_finding(s) for s in spans])
    try:
        pseudonymiser.verify(raw, result)
    except PseudonymisationError as exc:
        return result, exc.reason
    return result, ""


def residual_findings(pseudonymiser: Pseudonymiser, result: PseudonymisationResult) -> list[str]:
    """What the lower-threshold pass still doubts in the pseudonymised text (types and lines only)."""
    return pseudonymiser.residual(result.case)


def decisions_step(decisions: list) -> Callable[[list[Finding]], list[Finding]]:
    """The pseudonymiser's ``adjust`` step for these review decisions (:func:`.decisions.apply`)."""
    def adjust(findings: list[Finding]) -> list[Finding]:
        return [_finding(s) for s in dec.apply([_span(f) for f in findings], decisions)]
    return adjust


# ---------------------------------------------------------------- run and pseudonymise

def _locate(source: str) -> tuple[Path, str, str] | None:
    """The store folder, relative source and content hash of a case's source, if a review store covers it."""
    path, line = Path(source), ""
    if not path.is_file() and ":" in source:
        head, _, tail = source.rpartition(":")
        path, line = Path(head), tail
    if not path.is_file():
        return None
    path = path.resolve()
    for base in path.parents:
        if (base / STORE_DIR / STORE_NAME).is_file():
            relative = path.relative_to(base).as_posix()
            return base, relative + (f":{line}" if line else ""), "" if line else _sha256(path.read_bytes())
    return None


#: On the first page of every handout of a file no person approved.
NOTE_UNREVIEWED = ("De pseudonimisering van deze casus is niet door een tweede persoon gecontroleerd "
                   "(leerwerkplaats review). Lees de tekst na op herleidbare gegevens voordat je hem uitdeelt.")


class ReviewGate:
    """Wraps a pseudonymiser so it applies the review store's decisions to what the analyzer finds.

    A file withheld in review is refused; with ``require_review`` so is every file
    that is not approved for its current content. Files without decisions go to
    the wrapped pseudonymiser unchanged.
    """

    def __init__(self, inner, require_review: bool = False):
        self.inner = inner
        self.require_review = require_review
        self._stores: dict[Path, ReviewStore] = {}

    def __getattr__(self, name):  # residual, find, safe_name, ... as the wrapped one has them
        return getattr(self.inner, name)

    def _store(self, base: Path) -> ReviewStore:
        if base not in self._stores:
            self._stores[base] = ReviewStore.open_for(base)
        return self._stores[base]

    def review_state(self, raw: RawCase) -> tuple[str, list]:
        """``(status, decisions)`` of this case in the review store covering it (``new`` if none)."""
        found = _locate(raw.source)
        if found is None:
            return "new", []
        base, relative, sha = found
        store = self._store(base)
        key = store.file_key(relative)
        sha = sha or _sha256(raw.text.encode("utf-8"))
        status = store.status(key, sha)
        if status.status == "withheld":
            return "withheld:" + WITHHOLD_REASONS.get(status.reason, status.reason), []
        return status.status, store.decisions(key, sha)

    def _gate(self, raw: RawCase) -> tuple[list, str]:
        status, decisions = self.review_state(raw)
        if status.startswith("withheld:"):
            raise PseudonymisationError(raw.name, "withheld in review: " + status.split(":", 1)[1])
        if self.require_review and status != "approved":
            raise PseudonymisationError(raw.name, "not approved in review (leerwerkplaats review)"
                                        + ("; the file changed after review" if status == "changed" else ""))
        return decisions, "" if status == "approved" else NOTE_UNREVIEWED

    def run(self, raw: RawCase) -> PseudonymisationResult:
        decisions, note = self._gate(raw)
        result = self.inner.run(raw, adjust=decisions_step(decisions)) if decisions else self.inner.run(raw)
        return dataclasses.replace(result, case=dataclasses.replace(result.case, review_note=note))

    def pseudonymise(self, raw: RawCase):
        decisions, note = self._gate(raw)
        if decisions:  # fails closed inside ``run``, like the wrapped pseudonymiser
            case = self.inner.run(raw, adjust=decisions_step(decisions)).case
        else:
            case = self.inner.pseudonymise(raw)
        return dataclasses.replace(case, review_note=note)


def _gated_engines(engines, require_review: bool, options):
    pseudonymiser, tagger = engines(options)
    return ReviewGate(pseudonymiser, require_review), tagger


def review_engines(engines, require_review: bool = False):
    """``run``'s per-worker factory ``engines`` with the pseudonymiser behind a :class:`ReviewGate` (picklable)."""
    return functools.partial(_gated_engines, engines, require_review)
