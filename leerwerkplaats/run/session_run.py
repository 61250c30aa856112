"""The ``session`` job: from a finished library to the folder of one session.

Reads ``LIB/library.jsonl`` through the case codec (pseudonymised, tagged
records; nothing is pseudonymised or tagged again), picks the cases
(:mod:`..handouts.choose`) after applying a trainer's corrections file if given
(:mod:`.corrections`), checks each pick again for personal data outside
its pseudonyms (a marker is not trusted alone: a pick that fails is withheld,
named, and another is chosen), and renders the session overview and the chosen
cases' handouts: one task per document (overview, and per case the
participants' and the trainer's handout) through the one runner, into the
staging folder of the output policy.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from leerwerkplaats.core.cases import TaggedCase
from leerwerkplaats.core.errors import LeerwerkplaatsError
from leerwerkplaats.handouts import AUDIENCES, Renderer, safe_name, write_files
from leerwerkplaats.handouts.choose import Pick, choose, matches
from leerwerkplaats.run import corrections, library
from leerwerkplaats.run.runner import run_tasks


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
    #: A trainer's corrections file (TOML, :mod:`.corrections`), applied after loading, before choosing.
    corrections: Path | None = None


@dataclass
class SessionReport:
    picks: list[Pick]
    available: int
    matching: int
    withheld: list[tuple[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    wall: float = 0.0
    #: The cases a corrections file changed (all of them, chosen or not), for the export.
    corrected: list[TaggedCase] = field(default_factory=list)


_RENDERER: dict[str, Renderer] = {}


def _init(templates: str | None, tarieven: str | None) -> None:
    _RENDERER["r"] = Renderer.build(templates, tarieven)


def _task(task: tuple[str, list[TaggedCase], tuple[str, ...], dict[str, Any]]):
    """One document: ``kind`` is ``sessie`` or an audience; returns (folder, files, seconds)."""
    kind, cases, formats, extra = task
    renderer = _RENDERER["r"]
    if kind == "sessie":
        files, seconds = renderer.session_files(cases, formats, reasons=extra["reasons"], theme=extra["theme"])
        return "", files, seconds
    files, seconds = renderer.case_files(cases[0], formats, (kind,))
    return safe_name(cases[0].case.name), files, seconds


def pick_checked(cases: list[TaggedCase], options: SessionOptions,
                 verify: Callable[[TaggedCase], str | None] | None) -> tuple[list[Pick], list[tuple[str, str]]]:
    """Choose, verify each pick, and choose again without the ones that fail; returns (picks, withheld)."""
    pool = list(cases)
    withheld: list[tuple[str, str]] = []
    while True:
        dropped = {name for name, _ in withheld}
        try:
            picks = choose(pool, options.n, options.themes, tuple(n for n in options.by_hand if n not in dropped))
        except ValueError:
            if not withheld:
                raise
            picks = []
        failed = set()
        for p in picks:
            reason = verify(p.case) if verify else None
            if reason:
                failed.add(id(p.case))
                withheld.append((p.case.case.name, reason))
        if not failed:
            if not picks:
                raise LeerwerkplaatsError(f"no case can be used: all {len(withheld)} chosen case(s) were withheld "
                                          "(personal data outside their pseudonyms)")
            return picks, withheld
        pool = [c for c in pool if id(c) not in failed]


def run_session(options: SessionOptions, staging: Path, cases: list[TaggedCase] | None = None,
                verify: Callable[[TaggedCase], str | None] | None = None,
                on_start: Callable[[int], None] | None = None,
                on_result: Callable[[Any], None] | None = None) -> SessionReport:
    """Pick, verify and render into ``staging``; ``cases`` defaults to the library in ``options.lib_dir``."""
    t_start = time.perf_counter()
    cases = library.load(options.lib_dir) if cases is None else cases
    if options.corrections is not None:  # the trainer's facts, before the pick sees any
        cases = corrections.apply(cases, corrections.load(options.corrections), options.corrections)
    picks, withheld = pick_checked(cases, options, verify)
    report = SessionReport(picks, len(cases), sum(1 for c in cases if matches(c, options.themes)), withheld)
    report.corrected = [c for c in cases if c.corrections]
    chosen = [p.case for p in picks]
    # the overview is the longest document: first, so it does not finish last alone
    tasks = [("sessie", chosen, options.formats, {"reasons": [p.reason for p in picks], "theme": options.themes})]
    tasks += [(audience, [case], options.formats, {}) for case in chosen for audience in AUDIENCES]
    results = run_tasks(tasks, _task, init=_init, init_args=(options.templates, options.tarieven),
                        workers=options.jobs, on_start=on_start, on_result=on_result)
    for folder, files, seconds in results:
        write_files(staging / folder if folder else staging, files)
        report.files += [f"{folder}/{name}" if folder else name for name in sorted(files)]
        for key, value in seconds.items():
            report.seconds[key] = report.seconds.get(key, 0.0) + value
    report.wall = time.perf_counter() - t_start
    return report
