"""The review session: the batch, what the model found in each file, and the reviewer's edits.

The analyzer runs once per file when the session loads; an edit stores a
decision and re-applies all decisions to the cached spans, then replaces again
(no analysis), which keeps an edit well under the 300 ms the reviewer may wait.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from leerwerkplaats.review import adapter
from leerwerkplaats.review import decisions as dec
from leerwerkplaats.review.store import WITHHOLD_REASONS, Decision, ReviewStore

STATUS_NAMES = {"new": "nieuw", "in_review": "in behandeling", "approved": "goedgekeurd",
                "withheld": "achtergehouden", "changed": "gewijzigd na beoordeling", "error": "onleesbaar"}


class ReviewError(Exception):
    """A request the session refuses (unknown file, bad offsets, approving an unsafe file); no case text."""


@dataclass
class Entry:
    """One file of the batch with what the analyzer found in it (offsets only)."""

    fid: str
    source: adapter.Source
    model: list[dec.Span] = field(default_factory=list)
    residual: list[str] = field(default_factory=list)
    key: str = ""  # the store's key of the file (HMAC of its relative path); the fid is its start

    @property
    def name(self) -> str:
        return self.source.relative


class ReviewSession:
    """The files under one input folder and their review decisions.

    Parameters
    ----------
    input_dir
        The folder with the raw case files; the store lives in a hidden folder in it.
    pseudonymiser
        Built once (heavy); the review shows what ``run`` with the same seed would write.
    reviewer
        The name stored with every decision.
    """

    def __init__(self, input_dir: Path, pseudonymiser, reviewer: str, store: ReviewStore | None = None):
        self.input_dir = Path(input_dir)
        self.pseudonymiser = pseudonymiser
        self.reviewer = reviewer
        self.store = store or ReviewStore.open_for(self.input_dir)
        self.entries: dict[str, Entry] = {}
        self.ready = threading.Event()
        self.load_seconds = 0.0
        self._lock = threading.RLock()

    # ------------------------------------------------------------ loading
    def load(self) -> ReviewSession:
        """Read every file and find its personal data once (the slow part)."""
        t0 = time.perf_counter()
        try:
            for source in adapter.load_sources(self.input_dir):
                key = self.store.file_key(source.relative)  # moves an old store's rows to the new key
                entry = Entry(key[:16], source, key=key)
                if source.raw is not None:
                    try:
                        entry.model = adapter.model_spans(self.pseudonymiser, source.raw.text)
                        entry.residual = self._residual(entry)
                    except Exception as exc:  # the other files go on; the reason names no text
                        entry.source = dataclasses.replace(source, raw=None,
                                                           error=f"analysis failed ({exc.__class__.__name__})")
                self.entries[entry.fid] = entry
        finally:
            self.load_seconds = time.perf_counter() - t0
            self.ready.set()  # the queue never waits for ever, even after a failure
        return self

    def _residual(self, entry: Entry) -> list[str]:
        result, _ = adapter.pseudonymise_spans(self.pseudonymiser, entry.source.raw, self.spans(entry))
        return adapter.residual_findings(self.pseudonymiser, result)

    def entry(self, fid: str) -> Entry:
        entry = self.entries.get(fid)
        if entry is None or entry.source.raw is None:
            raise ReviewError("unknown or unreadable file")
        return entry

    # ------------------------------------------------------------ reading
    def decisions(self, entry: Entry) -> list[Decision]:
        return self.store.decisions(entry.key, entry.source.sha256)

    def spans(self, entry: Entry) -> list[dec.Span]:
        return dec.apply(entry.model, self.decisions(entry))

    def status(self, entry: Entry) -> str:
        if entry.source.raw is None:
            return "error"
        return self.store.status(entry.key, entry.source.sha256).status

    def queue(self) -> list[dict]:
        """One row per file: doubted files first, then new and in-review ones, then by name."""
        rows = []
        order = {"changed": 0, "in_review": 1, "new": 2, "withheld": 3, "approved": 4, "error": 5}
        for entry in self.entries.values():
            status = self.status(entry)
            spans = self.spans(entry) if entry.source.raw is not None else []
            change = dec.changes(entry.model, spans)
            rows.append({
                "fid": entry.fid, "name": entry.name, "status": status, "status_name": STATUS_NAMES[status],
                "doubts": len(entry.residual), "counts": Counter(s.type for s in spans),
                "added": sum(change.added.values()), "removed": sum(change.removed.values()),
                "error": entry.source.error,
            })
        rows.sort(key=lambda r: (-min(r["doubts"], 1), order[r["status"]], -r["doubts"], r["name"]))
        return rows

    def view(self, fid: str) -> dict:
        """Original and pseudonymised text with their spans, for the file view."""
        entry = self.entry(fid)
        raw = entry.source.raw
        spans = self.spans(entry)
        result, warning = adapter.pseudonymise_spans(self.pseudonymiser, raw, spans)
        stat = self.store.status(entry.key, entry.source.sha256)
        change = dec.changes(entry.model, spans)
        return {
            "fid": fid, "name": entry.name, "status": stat.status, "status_name": STATUS_NAMES[stat.status],
            "reason": WITHHOLD_REASONS.get(stat.reason, ""), "reviewer": stat.reviewer,
            "original": raw.text, "pseudonymised": result.case.text,
            "spans": [{"start": s.start, "end": s.end, "type": s.type, "origin": s.origin,
                       "accepted": s.accepted} for s in spans],
            "replaced": [{"start": r.start, "end": r.end, "type": r.type} for r in result.case.replaced],
            "warning": warning, "doubts": entry.residual,
            "added": dict(change.added), "removed": dict(change.removed),
        }

    # ------------------------------------------------------------ edits
    def _span_at(self, entry: Entry, start: int, end: int) -> dec.Span:
        for s in self.spans(entry):
            if s.start == start and s.end == end:
                return s
        raise ReviewError("no span at these offsets")

    def _same_surface(self, entry: Entry, span: dec.Span) -> list[dec.Span]:
        text = entry.source.raw.text
        surface = " ".join(text[span.start:span.end].split()).lower()
        return [s for s in self.spans(entry) if " ".join(text[s.start:s.end].split()).lower() == surface]

    def add(self, fid: str, start: int, end: int, kind: str, whole_batch: bool = False) -> int:
        """Mark a missed span and every occurrence of its words in the file (or batch); returns how many."""
        self._check_type(kind)
        entry = self.entry(fid)
        text = entry.source.raw.text
        if not (0 <= start < end <= len(text)):
            raise ReviewError("offsets outside the text")
        start, end = dec.trim(text, start, end)
        if end - start < 2 or end - start > 200:
            raise ReviewError("select between 2 and 200 characters")
        surface = text[start:end]
        targets = [e for e in self.entries.values() if e.source.raw is not None] if whole_batch else [entry]
        total = 0
        with self._lock:
            for target in targets:
                found = dec.occurrences(target.source.raw.text, surface)
                if target is entry and (start, end) not in found:
                    found.append((start, end))  # a selection inside a word still counts where it was made
                if found:
                    self.store.add(target.key, target.source.sha256,
                                   [Decision(s, e, kind, "add") for s, e in found], self.reviewer)
                    total += len(found)
        return total

    def remove(self, fid: str, start: int, end: int) -> int:
        """Drop a false positive, with every span of the same words in the file."""
        entry = self.entry(fid)
        with self._lock:
            targets = self._same_surface(entry, self._span_at(entry, start, end))
            added = [(s.start, s.end) for s in targets if s.origin == "added"]
            model = [Decision(s.start, s.end, s.type, "remove") for s in targets if s.origin == "model"]
            if added:
                self.store.delete(entry.key, entry.source.sha256, added, ("add", "retype", "accept"),
                                  self.reviewer)
            if model:
                self.store.add(entry.key, entry.source.sha256, model, self.reviewer)
        return len(targets)

    def retype(self, fid: str, start: int, end: int, kind: str) -> int:
        """Change the type of a span and of every span of the same words in the file."""
        self._check_type(kind)
        entry = self.entry(fid)
        with self._lock:
            targets = self._same_surface(entry, self._span_at(entry, start, end))
            offsets = [(s.start, s.end) for s in targets]
            self.store.delete(entry.key, entry.source.sha256, offsets, ("retype",), self.reviewer)
            self.store.add(entry.key, entry.source.sha256,
                           [Decision(s, e, kind, "retype") for s, e in offsets], self.reviewer)
        return len(targets)

    def accept(self, fid: str, start: int, end: int) -> None:
        """Mark one span as checked."""
        entry = self.entry(fid)
        span = self._span_at(entry, start, end)
        with self._lock:
            self.store.delete(entry.key, entry.source.sha256, [(start, end)], ("accept",), self.reviewer)
            self.store.add(entry.key, entry.source.sha256,
                           [Decision(span.start, span.end, span.type, "accept")], self.reviewer)

    def set_status(self, fid: str, status: str, reason: str = "") -> None:
        """Approve or withhold a file (approval needs a file ``run`` would not withhold)."""
        entry = self.entry(fid)
        if status == "approved":
            spans = self.spans(entry)
            _, warning = adapter.pseudonymise_spans(self.pseudonymiser, entry.source.raw, spans)
            if warning:
                raise ReviewError(f"cannot approve: {warning}")
        try:
            self.store.set_status(entry.key, entry.source.sha256, status, self.reviewer, reason)
        except ValueError as exc:
            raise ReviewError(str(exc)) from None
        entry.residual = self._residual(entry)

    @staticmethod
    def _check_type(kind: str) -> None:
        if kind not in adapter.PII_TYPES:
            raise ReviewError("unknown PII type")

    # ------------------------------------------------------------ export
    def export(self, path: Path) -> tuple[int, dec.Changes]:
        """Write the approved files as ANNOTATION.md §5 records; return their count and the changes."""
        text, count, changes, _ = self.export_text()
        adapter.write_text_atomic(Path(path), text, mode=0o600)
        return count, changes

    def export_text(self) -> tuple[str, int, dec.Changes, list[tuple[str, int, int]]]:
        """The approved files as ANNOTATION.md §5 lines, their count, what the reviewers changed, and per file.

        Each line carries ``"review": {"added": {type: n}, "removed": {type: n}}``: the mentions the
        reviewer added (the model's misses) and removed (over-redaction), so the miss rate on real
        files can be followed in use. The per-file list is ``(file, added, removed)``.
        """
        lines = []
        per_file: list[tuple[str, int, int]] = []
        added: Counter = Counter()
        removed: Counter = Counter()
        retyped: Counter = Counter()
        for entry in sorted(self.entries.values(), key=lambda e: e.name):
            if self.status(entry) != "approved":
                continue
            spans = self.spans(entry)
            change = dec.changes(entry.model, spans)
            added.update(change.added)
            removed.update(change.removed)
            retyped.update(change.retyped)
            record = {"id": entry.source.raw.name, "text": entry.source.raw.text,
                      "pii": [{"start": s.start, "end": s.end, "type": s.type} for s in spans], "spans": [],
                      "review": {"added": dict(sorted(change.added.items())),
                                 "removed": dict(sorted(change.removed.items()))}}
            lines.append(json.dumps(record, ensure_ascii=False) + "\n")
            per_file.append((entry.name, sum(change.added.values()), sum(change.removed.values())))
        return "".join(lines), len(lines), dec.Changes(added, removed, retyped), per_file
