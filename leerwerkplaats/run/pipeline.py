"""The case pipeline: read → pseudonymise → tag → render, as steps of the one runner.

Every command that handles cases runs here, with the steps it needs
(:attr:`RunOptions.steps`):

========================  ==============================================
``run``                   pseudonymise, tag, render (+ text with a key)
``pseudonymise``          pseudonymise, text
``predict --pseudonymise`` pseudonymise, tag, record
``predict``               find, tag, record (research on corpus text)
``handouts``              verify, render (jobs carry tagged cases)
========================  ==============================================

Workers (:mod:`leerwerkplaats.run.runner`) build the pseudonymiser (behind the
review gate), tagger and renderer once, then handle whole files. A file either
ends with output made from pseudonymised text, or with a reason and nothing of
itself (fail closed). ``verify`` trusts no marker: a tagged case read from a
file is analysed again, and personal data outside its own pseudonyms withholds
it. The library (``index.html`` and ``library.jsonl``) is written in the parent
from the results. ``out_dir`` is the staging folder of an
:class:`~leerwerkplaats.core.output_folder.OutputFolder`; keys and review reports
stay in memory (:class:`FileResult`) until the command stages them elsewhere.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import shutil
import stat
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from leerwerkplaats.core import schema
from leerwerkplaats.core.cases import CaseFields, PseudonymisedCase, RawCase, ResearchText, TaggedCase
from leerwerkplaats.core.codec import encode
from leerwerkplaats.core.errors import LeerwerkplaatsError, PseudonymisationError, ReadError
from leerwerkplaats.core.io_atomic import os_problem, write_text_atomic
from leerwerkplaats.core.records import PiiSpan
from leerwerkplaats.handouts import FORMATS, Renderer, write_files
from leerwerkplaats.reading.jsonl import read_jsonl_cases
from leerwerkplaats.reading.readers import read_case_file
from leerwerkplaats.run.runner import Interrupted, run_tasks, where

log = logging.getLogger(__name__)

STEPS: tuple[str, ...] = ("find", "pseudonymise", "verify", "tag", "text", "render", "record")
RUN_STEPS: tuple[str, ...] = ("pseudonymise", "tag", "render")

__all__ = ["Interrupted", "RunOptions", "FileResult", "RunReport", "Job", "run", "plan_jobs", "tagged_jobs"]


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
    #: Keep the review-report rows (original text!) in the result, for the ``pseudonymise`` command.
    review_rows: bool = False
    #: What each file goes through (:data:`STEPS`); ``run`` by default.
    steps: tuple[str, ...] = RUN_STEPS

    def __post_init__(self) -> None:
        unknown = set(self.steps) - set(STEPS)
        if unknown:
            raise ValueError(f"unknown step(s): {sorted(unknown)}")

    @property
    def tag(self) -> bool:
        return "tag" in self.steps


@dataclass
class FileResult:
    """What happened to one case file. ``reason`` and ``notes`` never carry case text."""

    name: str
    source: str
    order: int = 0
    ok: bool = False
    selected: bool = True
    reason: str = ""
    notes: tuple[str, ...] = ()
    pii: dict[str, int] = field(default_factory=dict)
    groups: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    findings: tuple[str, ...] = ()
    setup_error: bool = False
    #: The tagged case, for the library (pseudonymised text only).
    tagged: TaggedCase | None = field(default=None, repr=False)
    #: The prediction line (``predict``); raw text when the text was not pseudonymised.
    record: dict[str, Any] | None = field(default=None, repr=False)
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
    """One unit of work: a case file path, a record already read, or a tagged case.

    ``key`` identifies the input across runs (a SHA-256 of its content, never a
    file name), so a case keeps its name while its input stays.
    """

    name: str
    source: str
    order: int = 0
    path: str | None = None
    raw: RawCase | None = None
    tagged: TaggedCase | None = None
    key: str = ""


def default_engines(options: RunOptions) -> tuple[Any, Any]:
    """The real pseudonymiser and tagger (heavy: once per worker); ``None`` for what the steps do not need."""
    pseudonymiser = tagger = None
    if {"find", "pseudonymise", "verify"} & set(options.steps):
        from leerwerkplaats.privacy.pseudonymise import Pseudonymiser

        pseudonymiser = Pseudonymiser.build(seed=options.seed, style=options.style)
    if options.tag:
        from leerwerkplaats.tagging.tagger import Tagger

        tagger = Tagger.load(options.model)
    return pseudonymiser, tagger


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


def init_worker(options: RunOptions, engines: Callable[[RunOptions], tuple[Any, Any]] | None) -> None:
    """Build the heavy things once per worker (the runner calls this in each worker, or here for one)."""
    t0 = time.perf_counter()
    _STATE.clear()
    _STATE["options"] = options
    try:
        if "render" in options.steps:
            _STATE["renderer"] = Renderer.build(options.templates, options.tarieven)
        if engines is not None:
            _STATE["pseudonymiser"], _STATE["tagger"] = engines(options)
    except LeerwerkplaatsError as exc:  # reported by the first job, then the run stops
        _STATE["setup_error"] = str(exc)
    except Exception as exc:
        log.debug("set-up failed: %s at %s", exc.__class__.__name__, where(exc))
        _STATE["setup_error"] = f"could not build the pseudonymiser or tagger ({exc.__class__.__name__})"
    _STATE["startup"] = time.perf_counter() - t0  # reported once, with this worker's first file


def _tag_counts(tagged: TaggedCase) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for t in tagged.tags:
        lab = schema.LABELS.get(t.label)
        counts[lab.group if lab else "onbekend"] += 1
    return dict(counts)


def _read(job: Job, result: FileResult) -> RawCase:
    raw = job.raw if job.raw is not None else read_case_file(job.path)
    result.notes = raw.notes
    return dataclasses.replace(raw, name=job.name)


def _pseudonymise(job: Job, result: FileResult) -> PseudonymisedCase:
    """Read and pseudonymise (behind the review gate); raises on any failure, the ``--strict`` decision included."""
    options: RunOptions = _STATE["options"]
    t0 = time.perf_counter()
    raw = _read(job, result)
    t1 = time.perf_counter()
    ps = _STATE["pseudonymiser"]
    outcome = ps.run(raw)
    pcase = outcome.case
    if not isinstance(pcase, PseudonymisedCase):
        raise PseudonymisationError(job.name, "the pseudonymiser returned no pseudonymised case")
    if options.want_key:
        from leerwerkplaats.privacy.keyfile import entries_for

        result.key_record = entries_for(outcome)
    if options.review_rows:
        from leerwerkplaats.privacy.review_report import rows_for

        result.review = rows_for(raw.text, outcome)
    findings = tuple(outcome.residual)
    pcase = dataclasses.replace(pcase, name=job.name, residual=findings)  # the neutral name is the pipeline's
    result.findings = findings
    result.seconds.update(read=t1 - t0, pseudonymise=time.perf_counter() - t1)
    result.pii = pcase.pii_counts
    reason = withhold_reason(findings, options.strict)
    if reason:
        raise PseudonymisationError(job.name, reason)
    return pcase


def _research(job: Job, result: FileResult) -> tuple[ResearchText, tuple[PiiSpan, ...]]:
    """Corpus text as it is, with the personal data found in it (``predict`` without pseudonymising)."""
    raw = _read(job, result)
    t0 = time.perf_counter()
    found = tuple(PiiSpan(f.start, f.end, f.type, f.score) for f in _STATE["pseudonymiser"].find(raw.text))
    result.seconds["find"] = time.perf_counter() - t0
    result.pii = dict(Counter(s.type for s in found))
    return ResearchText(job.name, raw.text), found


def verify_case(pseudonymiser: Any, tagged: TaggedCase) -> str | None:
    """Trust no marker: why a tagged case read from a file may not be rendered, or ``None``.

    Its text is analysed again at the pseudonymiser's own threshold; personal data
    outside the case's own pseudonyms withholds it (types and lines only, no text).
    """
    if not isinstance(tagged.case, PseudonymisedCase):
        return "not pseudonymised text"
    found = pseudonymiser.residual(tagged.case, threshold=pseudonymiser.threshold)
    if not found:
        return None
    return (f"still holds what looks like personal data outside its pseudonyms ({len(found)}: "
            + "; ".join(found[:3]) + ("; ..." if len(found) > 3 else "") + "); not rendered")


def _verify(tagged: TaggedCase) -> None:
    reason = verify_case(_STATE["pseudonymiser"], tagged)
    if reason:
        raise PseudonymisationError(tagged.case.name, reason)


def _handle(job: Job, result: FileResult, folder: Path) -> None:
    options: RunOptions = _STATE["options"]
    steps = options.steps
    pii: tuple[PiiSpan, ...] | None = None
    if job.tagged is not None:
        tagged = job.tagged
        if "verify" in steps:
            _verify(tagged)
    else:
        case: PseudonymisedCase | ResearchText
        if "pseudonymise" in steps:
            case = _pseudonymise(job, result)
        else:
            case, pii = _research(job, result)
        if "text" in steps and "render" not in steps:
            write_text_atomic(options.out_dir / f"{job.name}.txt", case.text)
        if options.tag:
            t0 = time.perf_counter()
            tagged = _STATE["tagger"].tag(case)
            result.seconds["tag"] = time.perf_counter() - t0
        else:
            tagged = TaggedCase(case, (), CaseFields())
    result.groups = _tag_counts(tagged)
    if "record" in steps:
        result.record = encode(tagged, pii=pii)
        if not options.tag:
            result.record.pop("case", None)
        result.ok = True
        return
    if not selected(tagged, options.select):
        result.ok, result.selected, result.key_record = True, False, None
        return
    if "render" in steps:
        files, seconds = _STATE["renderer"].case_files(tagged, options.formats)
        if "text" in steps:  # the text the key re-identifies (the handouts carry line numbers)
            files[f"{job.name}.txt"] = tagged.case.text.encode("utf-8")
        write_files(folder, files)
        result.seconds.update({f"render_{k}": v for k, v in seconds.items()})
    result.ok, result.tagged = True, tagged


def _os_reason(exc: OSError) -> str:
    """One line for a situation of the machine (disk full, read-only, no permission); no case text."""
    return f"{os_problem(exc)} while writing the output; nothing of this file was kept"


def process(job: Job) -> FileResult:
    """Handle one job in a worker; never raises, never lets case text into the result's reason."""
    options: RunOptions = _STATE["options"]
    result = FileResult(job.name, job.source, job.order)
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
    except OSError as exc:
        log.debug("%s at %s for %s", exc.__class__.__name__, where(exc), job.name)
        result.reason = _os_reason(exc)
    except Exception as exc:  # a bug must not stop the other files, nor leak text via its message
        log.debug("unexpected %s at %s for %s", exc.__class__.__name__, where(exc), job.name)
        result.reason = (f"unexpected error ({exc.__class__.__name__}); this is a bug: please report it "
                         "with the output of 'leerwerkplaats -vv --version' and the command you ran")
    if not result.ok:  # fail closed: nothing of a failed file stays in the staging folder
        result.key_record = result.review = result.tagged = result.record = None
        shutil.rmtree(folder, ignore_errors=True)
        (options.out_dir / f"{job.name}.txt").unlink(missing_ok=True)
    return result


# ---------------------------------------------------------------- parent side

def case_name(number: int, width: int) -> str:
    return f"casus-{number:0{width}d}"


def _number(name: str) -> int | None:
    head, _, tail = name.partition("-")
    return int(tail) if head == "casus" and tail.isdigit() else None


def _occurrences(keys: list[str]) -> list[str]:
    """Keys told apart by occurrence (the same content twice is two inputs); empty stays empty."""
    seen: Counter[str] = Counter()
    out = []
    for key in keys:
        out.append(f"{key}#{seen[key]}" if key else "")
        seen[key] += 1
    return out


def name_cases(keys: list[str], previous: dict[str, str] | None = None) -> list[str]:
    """Neutral, unique case names (``casus-001`` ...) for inputs in order.

    An input whose key the previous run named keeps that name; new inputs get
    numbers after the highest one used before, so removing an input renumbers nothing.
    """
    previous = previous or {}
    numbers: list[int | None] = []
    used: set[int] = set()
    for key in _occurrences(keys):
        number = _number(previous[key]) if key in previous else None
        if number is not None and number not in used:
            used.add(number)
            numbers.append(number)
        else:
            numbers.append(None)
    following = max((n for n in map(_number, previous.values()) if n is not None), default=0) + 1
    for i, number in enumerate(numbers):
        if number is None:
            while following in used:
                following += 1
            numbers[i] = following
            used.add(following)
    width = max(3, len(str(max(used, default=1))))
    return [case_name(n, width) for n in numbers]  # type: ignore[arg-type]


def source_keys(jobs: list[Job]) -> dict[str, str]:
    """``occurrence key → case name`` of the planned jobs, for the manifest (content hashes, never names)."""
    return {key: job.name for key, job in zip(_occurrences([j.key for j in jobs]), jobs) if key}


def _content_key(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_key(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):  # links, pipes, devices: the reader refuses them, unopened
            return ""
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError:  # the reader names the problem when the job runs
        return ""
    return digest.hexdigest()


def plan_jobs(paths: list[Path], previous: dict[str, str] | None = None,
              neutral: bool = True) -> tuple[list[Job], list[FileResult]]:
    """Jobs for the discovered files (JSONL records expanded); unreadable JSONL as results.

    ``neutral`` names cases ``casus-001`` ... (keeping the names of ``previous``
    runs); otherwise a case keeps its record id (``predict``, whose output is scored against gold ids).
    """
    planned: list[tuple[str, str | None, RawCase | None, str]] = []
    failed: list[FileResult] = []
    for path in paths:
        if str(path) == "-" or path.suffix.lower() == ".jsonl":
            try:  # standard input and JSONL are read here, in the parent
                raws = [read_case_file(path)] if str(path) == "-" else list(read_jsonl_cases(path))
            except ReadError as exc:
                failed.append(FileResult("-", "standard input" if str(path) == "-" else str(path),
                                         reason=f"cannot read: {exc.reason}"))
                continue
            planned += [(raw.source, None, raw, _content_key(raw.text.encode("utf-8"))) for raw in raws]
        else:
            planned.append((str(path), str(path), None, _file_key(path)))
    if neutral:
        names = name_cases([key for *_, key in planned], previous)
    else:
        names = [raw.name if raw is not None else Path(source).stem for source, _, raw, _ in planned]
    jobs = [Job(name, source, i, path=p, raw=raw, key=key)
            for i, (name, (source, p, raw, key)) in enumerate(zip(names, planned))]
    return jobs, failed


def tagged_jobs(tagged: list[TaggedCase], source: str) -> list[Job]:
    """Jobs carrying tagged cases (``handouts``), named neutrally like any other run."""
    names = name_cases([""] * len(tagged))
    return [Job(name, f"{source}:{t.case.name}", i, tagged=dataclasses.replace(
        t, case=dataclasses.replace(t.case, name=name))) for i, (name, t) in enumerate(zip(names, tagged))]


def _checked(result: FileResult) -> FileResult:
    """Stop the run when a worker could not even be set up (no model, bad templates)."""
    if result.setup_error:
        raise LeerwerkplaatsError(result.reason)
    return result


def run(jobs: list[Job], options: RunOptions, engines: Callable | None = default_engines,
        on_result: Callable[[FileResult], None] | None = None, pre_failed: list[FileResult] | None = None,
        on_start: Callable[[int], None] | None = None) -> RunReport:
    """Process ``jobs`` through the runner with ``options.jobs`` workers, then write the library.

    ``engines`` builds ``(pseudonymiser, tagger)`` per worker. ``on_result`` is
    called in the parent per file. Ctrl-C raises :class:`Interrupted` once the workers are stopped.
    """
    t_start = time.perf_counter()
    def each(result: FileResult) -> None:
        _checked(result)
        if on_result:
            on_result(result)

    workers = max(1, min(options.jobs, len(jobs) or 1))
    results = run_tasks(jobs, process, init=init_worker, init_args=(options, engines), workers=workers,
                        on_start=on_start, on_result=each)
    results = list(pre_failed or []) + results
    results.sort(key=lambda r: (r.order, r.name, r.source))
    startup = _STATE.get("startup", 0.0) if workers == 1 else 0.0
    report = RunReport(results, startup=startup)
    done = [r.tagged for r in results if r.ok and r.tagged is not None]
    if done and "render" in options.steps:
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
