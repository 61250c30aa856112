"""``leerwerkplaats session`` (alias ``sessie``): pick two to four contrasting cases from a library and render the session."""

from __future__ import annotations

import copy
from pathlib import Path

import click

from leerwerkplaats.cli.common import (
    EXIT_WITHHELD,
    LazyProgress,
    emit_json,
    formats_callback,
    json_option,
    output_file,
    quiet_option,
    say,
    tariffs_option,
    templates_option,
    warn,
)
from leerwerkplaats.cli.delivery import Delivery
from leerwerkplaats.core import codec
from leerwerkplaats.core.errors import LeerwerkplaatsError
from leerwerkplaats.handouts.choose import MAX_ADVISED, check_themes
from leerwerkplaats.run import pipeline
from leerwerkplaats.run.session_run import SessionOptions, run_session


def _themes(ctx, param, value: tuple[str, ...]) -> tuple[str, ...]:
    try:
        return check_themes(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command("session")
@click.argument("library_dir", metavar="LIB", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Session folder to write (new, empty or an earlier session folder; never the library).")
@click.option("--count", "--casussen", "n", type=click.IntRange(1, 40), default=None,
              help="How many cases (default 3, or the number of --case); more than 4 gets a warning.")
@click.option("--theme", "--thema", "themes", multiple=True, callback=_themes,
              help="Only cases with this label or route, e.g. trigger:vechtscheiding or route:D. "
                   "Repeat for more; a case matching any qualifies.")
@click.option("--case", "by_hand", multiple=True, help="Pick this case by name (repeat); the rest by contrast.")
@click.option("--formats", default="html,pdf,docx", show_default=True, callback=formats_callback,
              help="Comma-separated: html, pdf, docx.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=pipeline.default_jobs(), show_default=True,
              help="Parallel worker processes for rendering.")
@click.option("--corrections", "--correcties", "corrections_file",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A trainer's corrections (TOML, one table per case, see docs/handouts.md): set a case's route, "
                   "level of unsafety, parties or GI work, remove or add labels; applied before choosing.")
@click.option("--export-corrections", "export_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the corrected cases as training data (ANNOTATION.md JSON Lines, "
                   "marked \"gecorrigeerd\": true). Needs --corrections.")
@templates_option
@tariffs_option
@json_option
@quiet_option
def session_cmd(library_dir: Path, out_dir: Path, n, themes, by_hand, formats, jobs, corrections_file, export_file,
                templates, tarieven, as_json, quiet) -> None:
    """Pick contrasting cases from a library (made by `run`) and write the session.

    Chooses N cases that differ: different client routes, one where working
    without a measure worked (route C) and one where it did not (route D),
    different signals; says why each was chosen. Each pick is checked again for
    personal data outside its pseudonyms; one that fails is named and another is
    chosen (exit code 3). Writes SESSIE/sessie.* (the overview) and
    SESSIE/<case>/deelnemers.* and trainer.* for the chosen cases. Nothing is
    pseudonymised or tagged again. The session folder follows the rules of 'run'.

    \b
    Examples:
      leerwerkplaats session bibliotheek/ -o sessie/
      leerwerkplaats session bibliotheek/ -o sessie-scheiding/ --count 2 --theme trigger:vechtscheiding
      leerwerkplaats session bibliotheek/ -o sessie/ --case casus-004 --case casus-017 --formats pdf
      leerwerkplaats session bibliotheek/ -o sessie/ --corrections correcties.toml --export-corrections gecorrigeerd.jsonl
    """
    wanted = n if n is not None else (len(set(by_hand)) or 3)
    if wanted > MAX_ADVISED:
        warn(f"warning: {wanted} cases; a session discusses two to four well "
             f"(the overview and the time plan get long)")
    if export_file is not None and corrections_file is None:
        raise click.UsageError("--export-corrections writes the cases a corrections file changed: "
                               "pass --corrections FILE too")
    options = SessionOptions(library_dir, out_dir, n, themes, tuple(by_hand), formats, jobs,
                             str(templates) if templates else None, str(tarieven) if tarieven else None,
                             corrections_file)
    inputs = [library_dir] + ([corrections_file] if corrections_file else [])
    export = None
    if export_file is not None:
        export = output_file(export_file, inputs, "session", "corrections export", out_dir=out_dir)
    with Delivery("session", out_dir, inputs, [export]) as delivery:
        bar = LazyProgress("documenten", quiet)

        def work():
            try:
                pseudonymiser, _ = pipeline.default_engines(pipeline.RunOptions(delivery.staging, steps=("verify",)))
                verify = lambda case: pipeline.verify_case(pseudonymiser, case)
                return run_session(options, delivery.staging, verify=verify, on_start=bar.start,
                                   on_result=bar.advance)
            except ValueError as exc:  # no case matches, unknown --case
                raise LeerwerkplaatsError(str(exc)) from None

        report = delivery.work(work, on_stop=bar.stop)
        bar.stop()
        written = delivery.commit({export: codec.dumps(report.corrected, training=True)} if export else None)
    if export is not None:
        say(f"{len(report.corrected)} corrected case(s) written to {export_file} "
            "(pseudonymised text, marked \"gecorrigeerd\": true)", quiet)
    for name, reason in report.withheld:
        warn(f"withheld, not in the session: {name}: {reason}")
    if len(report.picks) < wanted:
        warn(f"warning: only {len(report.picks)} of the {report.available} case(s) in the library "
             f"match{' ' + ', '.join(themes) if themes else ''}; the session has {len(report.picks)}")
    if as_json:
        emit_json({"command": "session", "library": str(library_dir), "output": str(out_dir),
                   "available": report.available, "matching": report.matching, "files_written": len(written),
                   "cases": [{"case": p.case.case.name, "reason": p.reason} for p in report.picks],
                   "withheld": [{"case": name, "reason": reason} for name, reason in report.withheld],
                   "corrected": [c.case.name for c in report.corrected],
                   "exit_code": EXIT_WITHHELD if report.withheld else 0})
    if not as_json:  # the result: which cases, and why (stdout)
        click.echo(f"{len(report.picks)} case(s) chosen from {report.matching}"
                   f"{' matching' if themes else ''} of {report.available} in {library_dir}:")
        for p in report.picks:
            click.echo(f"  {p.case.case.name}: {p.reason}")
    seconds = ", ".join(f"{k} {v:.1f} s" for k, v in sorted(report.seconds.items()))
    say(f"{len(written)} file(s) in {out_dir}; render time summed over workers: {seconds}; "
        f"wall clock {report.wall:.1f} s", quiet)
    if report.withheld:
        raise SystemExit(EXIT_WITHHELD)


def register(group: click.Group) -> None:
    group.add_command(session_cmd)
    alias = copy.copy(session_cmd)  # the Dutch name users already type
    alias.hidden = True
    group.add_command(alias, "sessie")
