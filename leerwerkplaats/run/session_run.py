"""The ``sessie`` job: from a finished library to the folder of one session.

Reads ``LIB/library.jsonl`` (pseudonymised, tagged records; nothing is
pseudonymised or tagged again), picks the cases (:mod:`..handouts.choose`),
and renders the session overview and the chosen cases' handouts. Rendering is
split into one task per document (overview, and per case the participants'
and the trainer's handout) over worker processes, since PDF layout is most of
the time.
"""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leerwerkplaats.core.cases import TaggedCase
from leerwerkplaats.handouts import AUDIENCES, CASE_FILES, Renderer, safe_name, write_files
from leerwerkplaats.handouts.choose import Pick, choose, matches
from leerwerkplaats.run import library


@dataclass(frozen=True)
class SessionOptions:
    lib_dir: Path
    out_dir: Path
    n: int | None = None
    themes: tuple[str, ...] = ()
    by_hand: tuple[str, ...] = ()
    formats: tuple[str, ...] = ("html", "pdf", "docx")
    jobs: int = 1
    templates: str | None = None
    tarieven: str | None = None


@dataclass
class SessionReport:
    picks: list[Pick]
    available: int
    matching: int
    files: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    wall: float = 0.0


_RENDERER: dict[str, Renderer] = {}


def _init(templates: str | None, tarieven: str | None) -> None:
    _RENDERER["r"] = Renderer.build(templates, tarieven)


def _task(kind: str, records: list[dict[str, Any]], formats: tuple[str, ...], extra: dict[str, Any]):
    """One document: ``kind`` is ``sessie`` or an audience; returns (folder, files, seconds)."""
    renderer = _RENDERER["r"]
    cases = [library.from_record(r) for r in records]
    if kind == "sessie":
        files, seconds = renderer.session_files(cases, formats, reasons=extra["reasons"], theme=extra["theme"])
        return "", files, seconds
    files, seconds = renderer.case_files(cases[0], formats, (kind,))
    return safe_name(cases[0].case.name), files, seconds


def run_session(options: SessionOptions, cases: list[TaggedCase] | None = None) -> SessionReport:
    """Pick and render; ``cases`` defaults to the library in ``options.lib_dir``."""
    t_start = time.perf_counter()
    cases = library.load(options.lib_dir) if cases is None else cases
    picks = choose(cases, options.n, options.themes, options.by_hand)
    report = SessionReport(picks, len(cases), sum(1 for c in cases if matches(c, options.themes)))
    records = [library.to_record(p.case) for p in picks]
    tasks = [("sessie", records, {"reasons": [p.reason for p in picks], "theme": options.themes})]
    tasks += [(audience, [rec], {}) for rec in records for audience in AUDIENCES]
    workers = max(1, min(options.jobs, len(tasks)))
    if workers == 1:
        _init(options.templates, options.tarieven)
        results = [_task(kind, recs, options.formats, extra) for kind, recs, extra in tasks]
    else:
        with ProcessPoolExecutor(workers, initializer=_init, initargs=(options.templates, options.tarieven)) as pool:
            # the overview is the longest document: submitted first so it does not finish last alone
            futures = [pool.submit(_task, kind, recs, options.formats, extra) for kind, recs, extra in tasks]
            results = [f.result() for f in futures]
    for folder, files, seconds in results:
        write_files(options.out_dir / folder if folder else options.out_dir, files)
        report.files += [f"{folder}/{name}" if folder else name for name in sorted(files)]
        for key, value in seconds.items():
            report.seconds[key] = report.seconds.get(key, 0.0) + value
    _drop_stale(options.out_dir, {safe_name(p.case.case.name) for p in picks})
    report.wall = time.perf_counter() - t_start
    return report


def _drop_stale(out_dir: Path, chosen: set[str]) -> None:
    """Handouts of cases an earlier session in this folder chose and this one did not: removed.

    Only folders that hold nothing but handout files are touched; anything else is left alone.
    """
    for folder in sorted(p for p in Path(out_dir).iterdir() if p.is_dir() and p.name not in chosen):
        files = list(folder.iterdir())
        if files and all(f.is_file() and f.name in CASE_FILES for f in files):
            for f in files:
                f.unlink()
            folder.rmdir()
