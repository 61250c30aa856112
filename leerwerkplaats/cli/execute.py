"""Running the case pipeline for ``run``, ``handouts``, ``pseudonymise`` and ``predict``: one road, one summary.

The outputs go through a :class:`~leerwerkplaats.cli.delivery.Delivery` (the one
output policy); the work through :func:`leerwerkplaats.run.pipeline.run` (the one runner).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Callable

from leerwerkplaats.cli.common import EXIT_WITHHELD, LazyProgress, emit_json, say, stderr_console, warn
from leerwerkplaats.cli.delivery import Delivery
from leerwerkplaats.core import schema
from leerwerkplaats.core.output_file import OutputFile
from leerwerkplaats.run import pipeline

#: Builds the jobs once the output folder is open: ``plan(previous cases) → (jobs, failed before running)``.
Plan = Callable[[dict[str, str]], tuple[list[pipeline.Job], list[pipeline.FileResult]]]
#: What a single output file holds, from the finished run (``None``: nothing to write).
Produce = Callable[[pipeline.RunReport], bytes | None]


def execute(command: str, out_dir: Path | None, inputs: list[Path], plan: Plan, options: dict[str, Any],
            engines: Callable | None, quiet: bool,
            files: dict[OutputFile, Produce] | None = None) -> tuple[pipeline.RunReport, list[str]]:
    """Run the pipeline into a locked output folder (and single files); returns the report and the files written.

    Exits with 130 on Ctrl-C (nothing changed) and 1 when nothing could run.
    """
    files = files or {}
    with Delivery(command, out_dir, inputs, list(files)) as delivery:
        jobs, pre_failed = plan(delivery.previous_cases)
        run_options = pipeline.RunOptions(delivery.staging, **options)
        bar = LazyProgress("casussen", quiet)
        report = delivery.work(lambda: pipeline.run(jobs, run_options, engines, bar.advance, pre_failed, bar.start),
                               on_stop=bar.stop)
        bar.stop()
        contents = {out: produce(report) for out, produce in files.items()}
        written = delivery.commit(contents, pipeline.source_keys(jobs))
    return report, written


def case_rows(report: pipeline.RunReport) -> list[dict[str, Any]]:
    """One row per file for the JSON summary (names, sources, counts, reasons; never case text)."""
    rows = []
    for r in report.results:
        status = "done" if r.ok and r.selected else "not selected" if r.ok else "withheld"
        rows.append({"case": r.name, "source": r.source, "status": status, "reason": r.reason,
                     "notes": list(r.notes), "pii": dict(r.pii), "review_findings": len(r.findings)})
    return rows


def report_files(report: pipeline.RunReport, quiet: bool) -> None:
    """Notes and failures, one line per file, on stderr (failures even with ``--quiet``)."""
    for r in report.results:
        for note in r.notes:
            say(f"{r.source}: {note}", quiet)
    for r in report.failed:
        warn(f"withheld, no output: {r.source}: {r.reason}")


def exit_code(report: pipeline.RunReport) -> int:
    return EXIT_WITHHELD if report.failed else 0


def summary(command: str, report: pipeline.RunReport, out_dir: Path, written: list[str]) -> dict[str, Any]:
    pii: Counter[str] = Counter()
    for r in report.results:
        pii.update(r.pii)
    rows = case_rows(report)
    return {"command": command, "output": str(out_dir), "files_written": len(written),
            "done": sum(row["status"] == "done" for row in rows),
            "not_selected": sum(row["status"] == "not selected" for row in rows),
            "withheld": sum(row["status"] == "withheld" for row in rows),
            "pii_replaced": dict(sorted(pii.items())), "cases": rows, "exit_code": exit_code(report)}


def finish_run(command: str, report: pipeline.RunReport, out_dir: Path, written: list[str],
               quiet: bool, as_json: bool) -> None:
    """Summary of ``run``/``handouts``: tables on stderr, JSON on stdout; exit 3 when files were withheld."""
    from rich.table import Table

    report_files(report, quiet)
    if as_json:
        emit_json(summary(command, report, out_dir, written))
    console = stderr_console(quiet)
    results = report.results
    done = [r for r in results if r.ok and r.selected]
    skipped = [r for r in results if r.ok and not r.selected]
    console.print(f"[bold]{len(done)}[/] case(s) rendered, {len(skipped)} not selected, "
                  f"[bold]{len(report.failed)}[/] withheld; {len(written)} file(s) in {out_dir}"
                  + ("" if report.library_written else " (no library: no cases)"))
    if report.library_written and command in ("run", "handouts"):
        say(f"Library: {out_dir / 'index.html'}. Next: leerwerkplaats session {out_dir} -o SESSIE --count 3", quiet)
    findings = [r for r in results if r.findings]
    if findings:
        console.print(f"Review: residual-risk findings in {len(findings)} file(s) "
                      f"({sum(len(r.findings) for r in findings)} in all); --strict withholds them.")
        for r in findings:  # which file, and where: types and line numbers only, never case text
            if r.ok:  # a withheld file is named once, with its reason, by report_files
                say(f"review doubts: {r.source}: {'; '.join(r.findings)}", quiet)
    pii: Counter[str] = Counter()
    groups: Counter[str] = Counter()
    for r in results:
        pii.update(r.pii)
        groups.update(r.groups)
    if pii:
        table = Table("PII type", "replaced", title="Personal data replaced")
        for t in schema.PII_TYPES:
            if pii[t]:
                table.add_row(t, str(pii[t]))
        console.print(table)
    table = Table("group", "tags", title="Tags per group")
    for g, name in schema.GROUP_NAMES.items():
        table.add_row(name, str(groups[g]))
    console.print(table)
    totals = pipeline.stage_totals(report)
    table = Table("stage", "seconds", title="Time per stage (summed over workers)")
    for key in ("read", "pseudonymise", "tag", "render_html", "render_pdf", "render_docx"):
        if key in totals:
            table.add_row(key.replace("_", " "), f"{totals[key]:.2f}")
    table.add_row("startup (models, templates)", f"{report.startup + totals.get('startup', 0.0):.2f}")
    table.add_row("wall clock", f"{report.wall:.2f}")
    console.print(table)
    if report.failed:
        raise SystemExit(EXIT_WITHHELD)
