"""``leerwerkplaats run`` and ``leerwerkplaats handouts``: from case files (or predictions) to a case library."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from leerwerkplaats.cli.pseudonymise_cmd import key_passphrase
from leerwerkplaats.core import schema
from leerwerkplaats.core.errors import LeerwerkplaatsError
from leerwerkplaats.handouts import parse_formats
from leerwerkplaats.reading.readers import discover
from leerwerkplaats.run import pipeline


def _formats(ctx, param, value: str) -> tuple[str, ...]:
    try:
        return parse_formats(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _select(ctx, param, value: tuple[str, ...]) -> tuple[str, ...]:
    try:
        return pipeline.check_select(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _common(f):
    """Options both commands share."""
    f = click.option("--tarieven", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="Own tariffs file (TOML, like leerwerkplaats/data/tarieven.toml).")(f)
    f = click.option("--templates", type=click.Path(exists=True, file_okay=False, path_type=Path),
                     help="Own copy of templates/; templates missing there come from the shipped set.")(f)
    f = click.option("--select", "select", multiple=True, callback=_select,
                     help="Only cases with this label or route, e.g. trigger:vechtscheiding or route:D. "
                          "Repeat for more; a case matching any is chosen.")(f)
    f = click.option("-j", "--jobs", type=click.IntRange(1, 64), default=pipeline.default_jobs(),
                     show_default=True, help="Parallel worker processes.")(f)
    f = click.option("--formats", default="html,pdf,docx", show_default=True, callback=_formats,
                     help="Comma-separated: html, pdf, docx.")(f)
    f = click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
                     help="Library folder to write (created if missing).")(f)
    return f


@click.command("run")
@click.argument("input_dir", type=click.Path(exists=True, path_type=Path))
@_common
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the pseudonyms and date shift.")
@click.option("--style", type=click.Choice(["names", "tags"]), default="names", show_default=True,
              help="Readable pseudonyms or tags like [PERSOON-1].")
@click.option("--strict", is_flag=True, help="A file with residual-risk findings of the review fails.")
@click.option("--model", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Model folder; default $LEERWERKPLAATS_MODEL or models/default.")
@click.option("--key", "key", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the encrypted pseudonym key here (never inside the output folder).")
@click.option("--require-review", is_flag=True,
              help="Render only files approved in `leerwerkplaats review` (for their current content).")
def run_cmd(input_dir: Path, out_dir: Path, formats, jobs, select, templates, tarieven,
            seed, style, strict, model, key, require_review) -> None:
    """Read every case file, pseudonymise, tag and render handouts into a case library.

    Writes OUT/<case>/deelnemers.* and trainer.* per case, OUT/index.html (a card
    per case, filterable by label and route) and OUT/library.jsonl (the tagged,
    pseudonymised records `sessie` picks from). A file that cannot be
    pseudonymised safely gets no handout; the exit code is 1 if any file failed.

    \b
    Examples:
      leerwerkplaats run corpus_sample/raw -o bibliotheek/ --formats html
      leerwerkplaats sessie bibliotheek/ -o sessie/ --casussen 3
      leerwerkplaats run CASES/ -o LIB/ --formats html --select route:D -j 2
      leerwerkplaats run CASES/ -o LIB/ --require-review
    """
    passphrase = key_passphrase(key, out_dir) if key is not None else ""
    paths = discover([input_dir])
    if not paths:
        raise click.ClickException(f"{input_dir}: no case files (.txt, .md, .docx, .pdf, .jsonl) found")
    options = pipeline.RunOptions(out_dir, formats, seed, style, strict, jobs, select,
                                  _str(templates), _str(tarieven), _str(model), want_key=key is not None)
    jobs_list, pre_failed = pipeline.plan_jobs(paths)
    from leerwerkplaats.review.adapter import review_engines

    report = _execute(jobs_list, options, review_engines(pipeline.default_engines, require_review), pre_failed)
    if key is not None:
        _write_key(key, pipeline.key_records(report), passphrase)
    _finish(report, out_dir)


@click.command("handouts")
@click.argument("predictions", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_common
def handouts_cmd(predictions: Path, out_dir: Path, formats, jobs, select, templates, tarieven) -> None:
    """Render handouts and a case library from existing predictions (JSONL with id, text, spans, case).

    The text is taken as already pseudonymised: only use prediction files made
    from pseudonymised text.

    \b
    Example:
      leerwerkplaats handouts pred.jsonl -o handouts/ --formats html,pdf
    """
    from leerwerkplaats.run.predictions import payload_jobs

    try:
        jobs_list = payload_jobs(predictions)
    except LeerwerkplaatsError as exc:
        raise click.ClickException(str(exc)) from None
    options = pipeline.RunOptions(out_dir, formats, jobs=jobs, select=select,
                                  templates=_str(templates), tarieven=_str(tarieven))
    report = _execute(jobs_list, options, None, [])
    _finish(report, out_dir)


def _str(path: Path | None) -> str | None:
    return None if path is None else str(path)


def _write_key(key: Path, records: dict, passphrase: str) -> None:
    from leerwerkplaats.privacy.keyfile import write_key

    if not records:
        click.echo(f"{key}: no key written (no case got handouts)", err=True)
        return
    try:
        write_key(key, records, passphrase)
    except LeerwerkplaatsError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{key}: key for {len(records)} case(s) written; keep it apart from the session folder", err=True)


def _execute(jobs_list, options, engines, pre_failed) -> pipeline.RunReport:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    # the worker pool is forked before the progress display starts its refresh thread
    progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=Console(stderr=True))
    state = {}

    def on_start(total: int) -> None:
        progress.start()
        state["task"] = progress.add_task("casussen", total=total)

    def on_result(result: pipeline.FileResult) -> None:
        progress.advance(state["task"])

    try:
        return pipeline.run(jobs_list, options, engines, on_result, pre_failed, on_start)
    except LeerwerkplaatsError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        progress.stop()


def _finish(report: pipeline.RunReport, out_dir: Path) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    results = report.results
    done = [r for r in results if r.ok and r.selected]
    skipped = [r for r in results if r.ok and not r.selected]
    failed = report.failed
    console.print(f"[bold]{len(done)}[/] case(s) rendered, {len(skipped)} not selected, "
                  f"[bold]{len(failed)}[/] failed; output in {out_dir}"
                  + ("" if report.library_written else " (no library: no cases)"))
    for r in failed:  # one plain line per file, so a long path is never wrapped away
        click.echo(f"failed, no handouts: {r.source}: {r.reason}")
    if report.library_written:
        click.echo(f"Library: {out_dir / 'index.html'}. Next: leerwerkplaats sessie {out_dir} -o SESSIE --casussen 3")
    findings = [r for r in results if r.findings]
    if findings:
        console.print(f"Review: residual-risk findings in {len(findings)} file(s) "
                      f"({sum(len(r.findings) for r in findings)} in all); --strict makes them fail.")
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
    if failed:
        raise SystemExit(1)


def register(group: click.Group) -> None:
    group.add_command(run_cmd)
    group.add_command(handouts_cmd)
