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
    quiet_option,
    say,
    tariffs_option,
    templates_option,
    warn,
)
from leerwerkplaats.cli.delivery import Delivery
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
@templates_option
@tariffs_option
@json_option
@quiet_option
def session_cmd(library_dir: Path, out_dir: Path, n, themes, by_hand, formats, jobs, templates, tarieven,
                as_json, quiet) -> None:
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
    """
    wanted = n if n is not None else (len(set(by_hand)) or 3)
    if wanted > MAX_ADVISED:
        warn(f"warning: {wanted} cases; a session discusses two to four well "
             f"(the overview and the time plan get long)")
    options = SessionOptions(library_dir, out_dir, n, themes, tuple(by_hand), formats, jobs,
                             str(templates) if templates else None, str(tarieven) if tarieven else None)
    with Delivery("session", out_dir, [library_dir]) as delivery:
        bar = LazyProgress("documenten", quiet)

        def work():
            try:
                pseudonymiser, _ = pipeline.default_engines(pipeline.RunOptions(delivery.staging, steps=("verify",)))
                verify = lambda case: pipeline.verify_case(pseudonymiser, case)
                return run_session(options, delivery.staging, verify=verify, on_start=bar.start,
                                   on_result=bar.advance)
            except ValueError as exc:  # no case matches, unknown --case
                from leerwerkplaats.core.errors import LeerwerkplaatsError

                raise LeerwerkplaatsError(str(exc)) from None

        report = delivery.work(work, on_stop=bar.stop)
        bar.stop()
        written = delivery.commit()
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
