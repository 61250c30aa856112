"""``leerwerkplaats sessie``: pick two to four contrasting cases from a library and render the session."""

from __future__ import annotations

from pathlib import Path

import click

from leerwerkplaats.cli.common import formats_callback
from leerwerkplaats.core.errors import LeerwerkplaatsError
from leerwerkplaats.handouts.choose import MAX_ADVISED, check_themes
from leerwerkplaats.run import pipeline
from leerwerkplaats.run.session_run import SessionOptions, run_session


def _themes(ctx, param, value: tuple[str, ...]) -> tuple[str, ...]:
    try:
        return check_themes(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command("sessie")
@click.argument("library_dir", metavar="LIB", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Session folder to write (created if missing).")
@click.option("--casussen", "n", type=click.IntRange(1, 40), default=None,
              help="How many cases (default 3, or the number of --case); more than 4 gets a warning.")
@click.option("--thema", "themes", multiple=True, callback=_themes,
              help="Only cases with this label or route, e.g. trigger:vechtscheiding or route:D. "
                   "Repeat for more; a case matching any qualifies.")
@click.option("--case", "by_hand", multiple=True, help="Pick this case by name (repeat); the rest by contrast.")
@click.option("--formats", default="html,pdf,docx", show_default=True, callback=formats_callback,
              help="Comma-separated: html, pdf, docx.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=pipeline.default_jobs(), show_default=True,
              help="Parallel worker processes for rendering.")
@click.option("--templates", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Own copy of templates/; templates missing there come from the shipped set.")
@click.option("--tarieven", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Own tariffs file (TOML, like leerwerkplaats/data/tarieven.toml).")
def sessie_cmd(library_dir: Path, out_dir: Path, n, themes, by_hand, formats, jobs, templates, tarieven) -> None:
    """Pick contrasting cases from a library (made by `run`) and write the session.

    Chooses N cases that differ: different client routes, one where working
    without a measure worked (route C) and one where it did not (route D),
    different signals; says why each was chosen. Writes SESSIE/sessie.* (the
    overview) and SESSIE/<case>/deelnemers.* and trainer.* for the chosen cases.
    Nothing is pseudonymised or tagged again.

    \b
    Examples:
      leerwerkplaats sessie bibliotheek/ -o sessie/
      leerwerkplaats sessie bibliotheek/ -o sessie-scheiding/ --casussen 2 --thema trigger:vechtscheiding
      leerwerkplaats sessie bibliotheek/ -o sessie/ --case casus-004 --case casus-017 --formats pdf
    """
    wanted = n if n is not None else (len(set(by_hand)) or 3)
    if wanted > MAX_ADVISED:
        click.echo(f"warning: {wanted} cases; a session discusses two to four well "
                   f"(the overview and the time plan get long)", err=True)
    options = SessionOptions(library_dir, out_dir, n, themes, tuple(by_hand), formats, jobs,
                             str(templates) if templates else None, str(tarieven) if tarieven else None)
    try:
        report = run_session(options)
    except (LeerwerkplaatsError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    if len(report.picks) < wanted:
        click.echo(f"warning: only {len(report.picks)} of the {report.available} case(s) in the library "
                   f"match{' ' + ', '.join(themes) if themes else ''}; the session has {len(report.picks)}", err=True)
    click.echo(f"{len(report.picks)} case(s) chosen from {report.matching}"
               f"{' matching' if themes else ''} of {report.available} in {library_dir}:")
    for p in report.picks:
        click.echo(f"  {p.case.case.name}: {p.reason}")
    seconds = ", ".join(f"{k} {v:.1f} s" for k, v in sorted(report.seconds.items()))
    click.echo(f"{len(report.files)} file(s) in {out_dir}; render time summed over workers: {seconds}; "
               f"wall clock {report.wall:.1f} s")


def register(group: click.Group) -> None:
    group.add_command(sessie_cmd)
