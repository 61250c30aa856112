"""The ``run`` orchestration: read → pseudonymise → tag → render, in parallel workers.

Each worker builds its pseudonymiser, tagger and renderer once (in the pool
initializer) and then handles whole files. A file either ends with handouts
written from pseudonymised text, or with a reason and no handouts (fail
closed). The library (``index.html`` with a card per case and
``library.jsonl`` with the tagged, pseudonymised records the ``sessie`` command
reads) is written in the parent from the results.

Nothing under the output folder holds a key or a review report; review findings
(short strings without case text) only reach the summary.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from leerwerkplaats.core import schema
from leerwerkplaats.core.cases import CaseFields, PseudonymisedCase, RawCase, Tag, TaggedCase
from leerwerkplaats.core.errors import LeerwerkplaatsError, PseudonymisationError, ReadError
from leerwerkplaats.core.records import PiiSpan
from leerwerkplaats.handouts import CASE_FILES, FORMATS, Renderer, safe_name, write_files
from leerwerkplaats.reading.readers import read_case_file, read_jsonl_cases

log = logging.getLogger(__name__)

STAGES: tuple[str, ...] = ("read", "pseudonymise", "tag", "render")


@dataclass(frozen=True)
class RunOptions:
    """Settings of one run; picklable, passed to every worker."""

    out_dir: Path
    formats: tuple[str, ...] = FORMATS
    seed: int = 0
    style: str = "names"
    strict: bool = False
    jobs: int = 1
    select: tuple[str, ...] = ()
    templates: str | None = None
    tarieven: str | None = None
    model: str | None = None
    want_key: bool = False


@dataclass
class FileResult:
    """What happened to one case file. ``reason`` never carries case text."""

    name: str
    source: str
    ok: bool = False
    selected: bool = True
    reason: str = ""
    pii: dict[str, int] = field(default_factory=dict)
    groups: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    findings: tuple[str, ...] = ()
    setup_error: bool = False
    payload: dict[str, Any] | None = field(default=None, repr=False)
    #: The re-identification record (originals!) when a key was asked for; memory only, never logged.
    key_record: dict[str, Any] | None = field(default=None, repr=False)


@dataclass
class RunReport:
    results: list[FileResult]
    wall: float = 0.0
    startup: float = 0.0
    library_seconds: dict[str, float] = field(default_factory=dict)
    library_written: bool = False

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if not r.ok]


@dataclass(frozen=True)
class Job:
    """One unit of work: a case file path, a record already read, or a tagged payload."""

    name: str
    source: str
    path: str | None = None
    raw: RawCase | None = None
    payload: dict[str, Any] | None = None


def default_engines(options: RunOptions) -> tuple[Any, Any]:
    """The real pseudonymiser and tagger (heavy: once per worker)."""
    from leerwerkplaats.privacy.pseudonymise import Pseudonymiser
    from leerwerkplaats.tagging.tagger import Tagger

    return Pseudonymiser.build(seed=options.seed, style=options.style), Tagger.load(options.model)


# ---------------------------------------------------------------- payloads (picklable TaggedCase)

def to_payload(tagged: TaggedCase) -> dict[str, Any]:
    """A TaggedCase as plain data, to cross process boundaries."""
    tag = lambda t: (t.start, t.end, t.label, t.score, tuple(t.cues))  # noqa: E731
    return {"name": tagged.case.name, "text": tagged.case.text,
            "replaced": [(s.start, s.end, s.type) for s in tagged.case.replaced],
            "residual": list(tagged.case.residual), "review_note": tagged.case.review_note,
            "tags": [tag(t) for t in tagged.tags],
            "ruled_out": [tag(t) for t in tagged.ruled_out], "model": tagged.model,
            "fields": {**tagged.fields.to_json(), "why": dict(tagged.fields.why)}}


def from_payload(data: dict[str, Any]) -> TaggedCase:
    """Inverse of :func:`to_payload`."""
    case = PseudonymisedCase(data["name"], data["text"], tuple(PiiSpan(*s) for s in data["replaced"]),
                             tuple(data["residual"]), data.get("review_note", ""))
    f = data["fields"]
    fields = CaseFields(f.get("clientroute", "onbekend"), tuple(f.get("partijen", ())),
                        f.get("onveiligheid", "onbekend"), tuple(f.get("gi_inzet", ())), f.get("why", {}))
    return TaggedCase(case, tuple(Tag(*t) for t in data["tags"]), fields,
                      tuple(Tag(*t) for t in data["ruled_out"]), data.get("model", ""))


# ---------------------------------------------------------------- selection

def check_select(values: Iterable[str]) -> tuple[str, ...]:
    """Validate ``--select`` values: a label id (``trigger:…``, ``bouwsteen:…``) or ``route:X``."""
    out = []
    for value in values:
        kind, _, rest = value.partition(":")
        if kind == "route" and rest in schema.CLIENTROUTES:
            out.append(value)
        elif value in schema.LABELS:
            out.append(value)
        else:
            raise ValueError(f"--select {value!r}: use a label id such as trigger:vechtscheiding "
                             f"or a route such as route:D")
    return tuple(out)


def selected(tagged: TaggedCase, select: tuple[str, ...]) -> bool:
    """True when no selection is given or the case matches any of it."""
    if not select:
        return True
    labels = tagged.labels
    return any(tagged.fields.clientroute == s[6:] if s.startswith("route:") else s in labels for s in select)


# ---------------------------------------------------------------- worker side

_STATE: dict[str, Any] = {}


def init_worker(options: RunOptions, engines: Callable[[RunOptions], tuple[Any, Any]] | None) -> None:
    """Pool initializer: build the heavy things once per worker."""
    t0 = time.perf_counter()
    _STATE.clear()
    _STATE["options"] = options
    try:
        _STATE["renderer"] = Renderer.build(options.templates, options.tarieven)
        if engines is not None:
            _STATE["pseudonymiser"], _STATE["tagger"] = engines(options)
    except LeerwerkplaatsError as exc:  # reported by the first job, then the run stops
        _STATE["setup_error"] = str(exc)
    except Exception as exc:
        _STATE["setup_error"] = f"could not build the pseudonymiser or tagger ({exc.__class__.__name__})"
    _STATE["startup"] = time.perf_counter() - t0  # reported once, with this worker's first file


def _tag_counts(tagged: TaggedCase) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for t in tagged.tags:
        lab = schema.LABELS.get(t.label)
        counts[lab.group if lab else "onbekend"] += 1
    return dict(counts)


def _prepare(job: Job, result: FileResult) -> TaggedCase:
    """Read, pseudonymise and tag; raises on any failure."""
    if job.payload is not None:
        return from_payload(job.payload)
    options: RunOptions = _STATE["options"]
    t0 = time.perf_counter()
    raw = job.raw if job.raw is not None else read_case_file(job.path)
    raw = dataclasses.replace(raw, name=job.name)
    t1 = time.perf_counter()
    ps = _STATE["pseudonymiser"]
    if options.want_key:
        from leerwerkplaats.privacy.keyfile import entries_for

        outcome = ps.run(raw)
        pcase, result.key_record = outcome.case, entries_for(outcome)
    else:
        pcase = ps.pseudonymise(raw)
    if not isinstance(pcase, PseudonymisedCase):
        raise PseudonymisationError(job.name, "the pseudonymiser returned no pseudonymised case")
    result.findings = tuple(ps.review(pcase))
    t2 = time.perf_counter()
    result.seconds.update(read=t1 - t0, pseudonymise=t2 - t1)
    result.pii = pcase.pii_counts
    if options.strict and result.findings:
        raise PseudonymisationError(job.name, f"review found {len(result.findings)} residual risk(s) (--strict)")
    tagged = _STATE["tagger"].tag(pcase)
    result.seconds["tag"] = time.perf_counter() - t2
    return tagged


def process(job: Job) -> FileResult:
    """Handle one job in a worker; never raises, never lets case text into the result's reason."""
    options: RunOptions = _STATE["options"]
    result = FileResult(job.name, job.source)
    if "setup_error" in _STATE:
        result.reason, result.setup_error = _STATE["setup_error"], True
        return result
    if "startup" in _STATE and options.jobs > 1:
        result.seconds["startup"] = _STATE.pop("startup")
    folder = options.out_dir / safe_name(job.name)
    try:
        tagged = _prepare(job, result)
        # the pseudonymised case carries a safe name: a file named after a family is renamed
        folder = options.out_dir / safe_name(tagged.case.name)
        result.groups = _tag_counts(tagged)
        if not selected(tagged, options.select):
            result.ok, result.selected, result.key_record = True, False, None
            return result
        files, seconds = _STATE["renderer"].case_files(tagged, options.formats)
        write_files(folder, files)
        result.seconds.update({f"render_{k}": v for k, v in seconds.items()})
        result.ok, result.payload = True, to_payload(tagged)
    except ReadError as exc:
        result.reason = f"cannot read: {exc.reason}"
    except PseudonymisationError as exc:
        result.reason = f"pseudonymisation failed: {exc.reason}"
    except LeerwerkplaatsError as exc:
        result.reason = str(exc)
    except Exception as exc:  # a bug must not stop the other files, nor leak text via its message
        log.debug("unexpected %s for %s", exc.__class__.__name__, job.name)
        result.reason = f"unexpected error ({exc.__class__.__name__}); run with -v and report it"
    if not result.ok:
        result.key_record = None
        for name in CASE_FILES:  # fail closed: no stale handout from an earlier run stays behind
            (folder / name).unlink(missing_ok=True)
    return result


# ---------------------------------------------------------------- parent side

def plan_jobs(paths: list[Path]) -> tuple[list[Job], list[FileResult]]:
    """Jobs for the discovered files (JSONL records expanded); unique names; unreadable JSONL as results."""
    jobs: list[Job] = []
    failed: list[FileResult] = []
    seen: Counter[str] = Counter()

    def unique(name: str) -> str:
        key = safe_name(name)
        seen[key] += 1
        return name if seen[key] == 1 else f"{name}-{seen[key]}"

    for path in paths:
        if path.suffix.lower() == ".jsonl":
            try:
                for raw in read_jsonl_cases(path):
                    jobs.append(Job(unique(raw.name), raw.source, raw=raw))
            except ReadError as exc:
                failed.append(FileResult(path.stem, str(path), reason=f"cannot read: {exc.reason}"))
        else:
            jobs.append(Job(unique(path.stem), str(path), path=str(path)))
    return jobs, failed


def _checked(result: FileResult) -> FileResult:
    """Stop the run when a worker could not even be set up (no model, bad templates)."""
    if result.setup_error:
        raise LeerwerkplaatsError(result.reason)
    return result


def run(jobs: list[Job], options: RunOptions, engines: Callable | None = default_engines,
        on_result: Callable[[FileResult], None] | None = None, pre_failed: list[FileResult] | None = None,
        on_start: Callable[[int], None] | None = None) -> RunReport:
    """Process ``jobs`` with ``options.jobs`` workers, then write the library (index and records).

    ``engines`` builds ``(pseudonymiser, tagger)`` per worker (``None`` when all
    jobs carry tagged payloads). ``on_result`` is called in the parent per file.
    """
    t_start = time.perf_counter()
    results: list[FileResult] = list(pre_failed or [])
    workers = max(1, min(options.jobs, len(jobs) or 1))
    if workers == 1:
        init_worker(options, engines)
        startup = time.perf_counter() - t_start
        if on_start:
            on_start(len(jobs))
        for job in jobs:
            results.append(_checked(process(job)))
            if on_result:
                on_result(results[-1])
    else:
        with ProcessPoolExecutor(workers, initializer=init_worker, initargs=(options, engines)) as pool:
            futures = [pool.submit(process, job) for job in jobs]  # all submitted before any display starts
            startup = 0.0
            if on_start:
                on_start(len(jobs))
            try:
                for fut in as_completed(futures):
                    results.append(_checked(fut.result()))
                    if on_result:
                        on_result(results[-1])
            except LeerwerkplaatsError:
                for fut in futures:
                    fut.cancel()
                raise
    results.sort(key=lambda r: (r.name, r.source))
    report = RunReport(results, startup=startup)
    done = [from_payload(r.payload) for r in results if r.ok and r.payload is not None]
    if done:
        from leerwerkplaats.run import library

        t0 = time.perf_counter()
        renderer = _STATE["renderer"] if workers == 1 else Renderer.build(options.templates, options.tarieven)
        files = renderer.library_files(done, options.formats, failed=len(report.failed))
        files[library.LIBRARY_FILE] = library.dumps(done)
        write_files(options.out_dir, files)
        report.library_seconds = {"html": time.perf_counter() - t0}
        report.library_written = True
    report.wall = time.perf_counter() - t_start
    return report


def key_records(report: RunReport) -> dict[str, dict[str, Any]]:
    """Case name → key record, for the cases that got handouts."""
    return {r.name: r.key_record for r in report.results if r.ok and r.selected and r.key_record}


def stage_totals(report: RunReport) -> dict[str, float]:
    """Seconds per stage summed over files (and so over workers), render split per format."""
    totals: Counter[str] = Counter()
    for r in report.results:
        for key, value in r.seconds.items():
            totals[key] += value
    for key, value in report.library_seconds.items():
        totals[f"render_{key}"] += value
    return dict(totals)


def default_jobs() -> int:
    """One worker per core, at most four (each holds a spaCy pipeline and a model)."""
    return max(1, min(os.cpu_count() or 1, 4))
