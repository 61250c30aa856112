"""The ``run`` orchestration: read → pseudonymise → tag → render, in parallel workers.

Each worker builds its pseudonymiser, tagger and renderer once (in the pool
initializer) and then handles whole files. A file either ends with handouts
written from pseudonymised text, or with a reason and nothing of itself (fail
closed). The library (``index.html`` with a card per case and
``library.jsonl`` with the tagged, pseudonymised records the ``sessie`` command
reads) is written in the parent from the results.
``pseudonymise`` runs through the same pipeline with tagging and rendering switched
off (``RunOptions.tag``): it writes the pseudonymised text only.

Cases get neutral names in input order (``casus-001``, ...), never a file name
that could hold a family name. ``out_dir`` is the staging folder of an
:class:`~leerwerkplaats.core.output_folder.OutputFolder`. Nothing under it holds a
key or a review report; those stay in memory (``FileResult``) until the CLI
writes them elsewhere.

Workers ignore Ctrl-C and exit when the parent dies; the parent cancels queued
work and stops them on Ctrl-C (:class:`Interrupted`).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import signal
import threading
import time
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from leerwerkplaats.core import schema
from leerwerkplaats.core.cases import PseudonymisedCase, RawCase, TaggedCase
from leerwerkplaats.core.convert import from_payload, to_payload
from leerwerkplaats.core.errors import LeerwerkplaatsError, PseudonymisationError, ReadError
from leerwerkplaats.core.io_atomic import write_text_atomic
from leerwerkplaats.handouts import FORMATS, Renderer, write_files
from leerwerkplaats.reading.jsonl import read_jsonl_cases
from leerwerkplaats.reading.readers import read_case_file

log = logging.getLogger(__name__)

STAGES: tuple[str, ...] = ("read", "pseudonymise", "tag", "render")


class Interrupted(LeerwerkplaatsError):
    """The run was stopped by Ctrl-C; ``finished`` of ``total`` files were done."""

    def __init__(self, finished: int, total: int):
        self.finished, self.total = finished, total
        super().__init__(f"interrupted: {finished} of {total} file(s) were finished")


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
    #: False: pseudonymise only, write ``<case>.txt`` (the ``pseudonymise`` command).
    tag: bool = True
    #: Keep the review-report rows (original text!) in the result, for the ``pseudonymise`` command.
    review_rows: bool = False


@dataclass
class FileResult:
    """What happened to one case file. ``reason`` and ``notes`` never carry case text."""

    name: str
    source: str
    ok: bool = False
    selected: bool = True
    reason: str = ""
    notes: tuple[str, ...] = ()
    pii: dict[str, int] = field(default_factory=dict)
    groups: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    findings: tuple[str, ...] = ()
    setup_error: bool = False
    payload: dict[str, Any] | None = field(default=None, repr=False)
    #: The re-identification record (originals!) when a key was asked for; memory only, never logged.
    key_record: dict[str, Any] | None = field(default=None, repr=False)
    #: Review-report rows (originals!) when asked for; memory only, never logged.
    review: list[dict] | None = field(default=None, repr=False)


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
    """The real pseudonymiser and tagger (heavy: once per worker); no tagger when ``options.tag`` is off."""
    from leerwerkplaats.privacy.pseudonymise import Pseudonymiser

    pseudonymiser = Pseudonymiser.build(seed=options.seed, style=options.style)
    if not options.tag:
        return pseudonymiser, None
    from leerwerkplaats.tagging.tagger import Tagger

    return pseudonymiser, Tagger.load(options.model)


def withhold_reason(findings: Iterable[str], strict: bool) -> str | None:
    """The one ``--strict`` decision: a reason to withhold the file, or ``None``."""
    findings = list(findings)
    if not (strict and findings):
        return None
    return (f"withheld (--strict): the review found {len(findings)} residual risk(s): "
            + "; ".join(findings[:5]) + ("; ..." if len(findings) > 5 else ""))


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


def _watch_parent(parent: int) -> None:
    """Exit this worker as soon as its parent is gone (killed, crashed)."""
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(1)


def init_worker(options: RunOptions, engines: Callable[[RunOptions], tuple[Any, Any]] | None,
                parent: int | None = None) -> None:
    """Pool initializer: build the heavy things once per worker.

    In a worker process (``parent`` given) Ctrl-C is left to the parent, and a
    watchdog thread ends the worker when the parent dies.
    """
    t0 = time.perf_counter()
    if parent is not None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    _STATE.clear()
    _STATE["options"] = options
    try:
        if options.tag:
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


def _pseudonymise(job: Job, result: FileResult) -> PseudonymisedCase:
    """Read and pseudonymise; raises on any failure, including the ``--strict`` decision."""
    options: RunOptions = _STATE["options"]
    t0 = time.perf_counter()
    raw = job.raw if job.raw is not None else read_case_file(job.path)
    raw = dataclasses.replace(raw, name=job.name)
    result.notes = raw.notes
    t1 = time.perf_counter()
    ps = _STATE["pseudonymiser"]
    if options.want_key or options.review_rows:
        outcome = ps.run(raw)
        pcase = outcome.case
        if options.want_key:
            from leerwerkplaats.privacy.keyfile import entries_for

            result.key_record = entries_for(outcome)
        if options.review_rows:
            from leerwerkplaats.privacy.review_report import rows_for

            result.review = rows_for(raw.text, outcome)
    else:
        pcase = ps.pseudonymise(raw)
    if not isinstance(pcase, PseudonymisedCase):
        raise PseudonymisationError(job.name, "the pseudonymiser returned no pseudonymised case")
    if pcase.name != job.name:  # the neutral name is the pipeline's to give
        pcase = dataclasses.replace(pcase, name=job.name)
    result.findings = tuple(ps.residual(pcase))
    result.seconds.update(read=t1 - t0, pseudonymise=time.perf_counter() - t1)
    result.pii = pcase.pii_counts
    reason = withhold_reason(result.findings, options.strict)
    if reason:
        raise PseudonymisationError(job.name, reason)
    return pcase


def _prepare(job: Job, result: FileResult) -> TaggedCase:
    """Read, pseudonymise and tag; raises on any failure."""
    if job.payload is not None:
        return from_payload(job.payload)
    pcase = _pseudonymise(job, result)
    t2 = time.perf_counter()
    tagged = _STATE["tagger"].tag(pcase)
    result.seconds["tag"] = time.perf_counter() - t2
    return tagged


def _handle(job: Job, result: FileResult, folder: Path) -> None:
    options: RunOptions = _STATE["options"]
    if not options.tag:
        pcase = _pseudonymise(job, result)
        write_text_atomic(options.out_dir / f"{job.name}.txt", pcase.text)
        result.ok = True
        return
    tagged = _prepare(job, result)
    result.groups = _tag_counts(tagged)
    if not selected(tagged, options.select):
        result.ok, result.selected, result.key_record = True, False, None
        return
    files, seconds = _STATE["renderer"].case_files(tagged, options.formats)
    if options.want_key:  # the text the key re-identifies (the handouts carry line numbers)
        files[f"{job.name}.txt"] = tagged.case.text.encode("utf-8")
    write_files(folder, files)
    result.seconds.update({f"render_{k}": v for k, v in seconds.items()})
    result.ok, result.payload = True, to_payload(tagged)


def process(job: Job) -> FileResult:
    """Handle one job in a worker; never raises, never lets case text into the result's reason."""
    options: RunOptions = _STATE["options"]
    result = FileResult(job.name, job.source)
    if "setup_error" in _STATE:
        result.reason, result.setup_error = _STATE["setup_error"], True
        return result
    if "startup" in _STATE and options.jobs > 1:
        result.seconds["startup"] = _STATE.pop("startup")
    folder = options.out_dir / job.name
    try:
        _handle(job, result, folder)
    except ReadError as exc:
        result.reason = f"cannot read: {exc.reason}"
    except PseudonymisationError as exc:
        result.reason = f"pseudonymisation failed: {exc.reason}"
    except LeerwerkplaatsError as exc:
        result.reason = str(exc)
    except Exception as exc:  # a bug must not stop the other files, nor leak text via its message
        log.debug("unexpected %s for %s", exc.__class__.__name__, job.name)
        result.reason = (f"unexpected error ({exc.__class__.__name__}); this is a bug: please report it "
                         "with the output of 'leerwerkplaats --version'")
    if not result.ok:  # fail closed: nothing of a failed file stays in the staging folder
        result.key_record = result.review = None
        shutil.rmtree(folder, ignore_errors=True)
        (options.out_dir / f"{job.name}.txt").unlink(missing_ok=True)
    return result


# ---------------------------------------------------------------- parent side

def case_names(count: int) -> list[str]:
    """Neutral, unique case names in input order: ``casus-001`` ... (wider when needed)."""
    width = max(3, len(str(count)))
    return [f"casus-{i:0{width}d}" for i in range(1, count + 1)]


def plan_jobs(paths: list[Path]) -> tuple[list[Job], list[FileResult]]:
    """Jobs for the discovered files (JSONL records expanded), named neutrally; unreadable JSONL as results."""
    planned: list[tuple[str, str | None, RawCase | None]] = []
    failed: list[FileResult] = []
    for path in paths:
        if str(path) == "-":  # standard input is read here, in the parent
            try:
                raw = read_case_file(path)
                planned.append((raw.source, None, raw))
            except ReadError as exc:
                failed.append(FileResult("-", "standard input", reason=f"cannot read: {exc.reason}"))
        elif path.suffix.lower() == ".jsonl":
            try:
                planned += [(raw.source, None, raw) for raw in read_jsonl_cases(path)]
            except ReadError as exc:
                failed.append(FileResult("-", str(path), reason=f"cannot read: {exc.reason}"))
        else:
            planned.append((str(path), str(path), None))
    names = case_names(len(planned))
    jobs = [Job(name, source, path=p, raw=raw) for name, (source, p, raw) in zip(names, planned)]
    return jobs, failed


def payload_jobs(tagged: list[TaggedCase], source: str) -> list[Job]:
    """Jobs carrying tagged payloads (``handouts``), named neutrally like any other run."""
    names = case_names(len(tagged))
    return [Job(name, f"{source}:{t.case.name}", payload=to_payload(dataclasses.replace(
        t, case=dataclasses.replace(t.case, name=name)))) for name, t in zip(names, tagged)]


def _checked(result: FileResult) -> FileResult:
    """Stop the run when a worker could not even be set up (no model, bad templates)."""
    if result.setup_error:
        raise LeerwerkplaatsError(result.reason)
    return result


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Cancel queued work and end the workers now (they ignore Ctrl-C)."""
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        if proc.is_alive():
            proc.terminate()
    for proc in processes:
        proc.join(timeout=5)


def _run_parallel(jobs, options, engines, workers, results, on_result, on_start) -> None:
    pool = ProcessPoolExecutor(workers, initializer=init_worker, initargs=(options, engines, os.getpid()))
    try:
        pending = {pool.submit(process, job) for job in jobs}  # all submitted before any display starts
        if on_start:
            on_start(len(jobs))
        while pending:
            done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            for fut in done:
                results.append(_checked(fut.result()))
                if on_result:
                    on_result(results[-1])
    except BaseException:
        _stop_pool(pool)
        raise
    pool.shutdown(wait=True)


def run(jobs: list[Job], options: RunOptions, engines: Callable | None = default_engines,
        on_result: Callable[[FileResult], None] | None = None, pre_failed: list[FileResult] | None = None,
        on_start: Callable[[int], None] | None = None) -> RunReport:
    """Process ``jobs`` with ``options.jobs`` workers, then write the library (index and records).

    ``engines`` builds ``(pseudonymiser, tagger)`` per worker (``None`` when all
    jobs carry tagged payloads). ``on_result`` is called in the parent per file.
    Ctrl-C raises :class:`Interrupted` once the workers are stopped.
    """
    t_start = time.perf_counter()
    results: list[FileResult] = list(pre_failed or [])
    workers = max(1, min(options.jobs, len(jobs) or 1))
    startup = 0.0
    try:
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
            _run_parallel(jobs, options, engines, workers, results, on_result, on_start)
    except KeyboardInterrupt:
        raise Interrupted(len(results) - len(pre_failed or []), len(jobs)) from None
    results.sort(key=lambda r: (r.name, r.source))
    report = RunReport(results, startup=startup)
    done = [from_payload(r.payload) for r in results if r.ok and r.payload is not None]
    if done and options.tag:
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
    """Case name → key record, for the cases that got output."""
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
