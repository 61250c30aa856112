"""``leerwerkplaats run`` and ``leerwerkplaats handouts``: from case files (or predictions) to a case library."""

from __future__ import annotations

from pathlib import Path

import click

from leerwerkplaats.cli.common import formats_callback, json_option, key_passphrase, quiet_option, say, warn
from leerwerkplaats.cli.execute import execute, finish_run
from leerwerkplaats.core.errors import LeerwerkplaatsError
from leerwerkplaats.reading.readers import discover
from leerwerkplaats.run import pipeline


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
    f = click.option("--formats", default="html,pdf,docx", show_default=True, callback=formats_callback,
                     help="Comma-separated: html, pdf, docx.")(f)
    f = click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
                     help="Library folder to write (created if missing; never inside the input).")(f)
    return f


@click.command("run")
@click.argument("input_dir", type=click.Path(exists=True, path_type=Path))
@_common
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the pseudonyms and date shift.")
@click.option("--style", type=click.Choice(["names", "tags"]), default="names", show_default=True,
              help="Readable pseudonyms or tags like [PERSOON-1].")
@click.option("--strict", is_flag=True, help="Withhold files in which the review pass still finds personal data.")
@click.option("--model", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Tagger model folder; default $LEERWERKPLAATS_MODEL or the shipped model.")
@click.option("--key", "key", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write an encrypted re-identification key here (never inside the output folder).")
@click.option("--require-review", is_flag=True,
              help="Render only files approved in 'leerwerkplaats review' (for their current content).")
@json_option
@quiet_option
def run_cmd(input_dir: Path, out_dir: Path, formats, jobs, select, templates, tarieven,
            seed, style, strict, model, key, require_review, as_json, quiet) -> None:
    """Read every case file, pseudonymise, tag and render handouts into a case library.

    Writes OUT/casus-001/deelnemers.* and trainer.* per case (neutral names in
    input order), OUT/index.html (a card per case, filterable by label and
    route), OUT/library.jsonl (the tagged, pseudonymised records 'sessie' picks
    from) and OUT/leerwerkplaats-manifest.json listing every file. OUT may not lie inside the input folder, and must be new,
    empty or an earlier output folder of leerwerkplaats; only files listed in its
    manifest are ever replaced. A file that cannot be pseudonymised safely gets
    no output (exit code 3). With --key, each case folder also holds its
    pseudonymised text (casus-001.txt), which the key re-identifies.

    \b
    Examples:
      leerwerkplaats run corpus_sample/raw -o bibliotheek/ --formats html
      leerwerkplaats sessie bibliotheek/ -o sessie/ --casussen 3
      leerwerkplaats run CASES/ -o LIB/ --formats html --select route:D -j 2
      leerwerkplaats run CASES/ -o LIB/ --require-review
    """
    from leerwerkplaats.review.adapter import review_engines

    passphrase = key_passphrase(key, out_dir) if key is not None else ""
    paths = discover([input_dir])
    if not paths:
        raise click.ClickException(f"{input_dir}: no case files (.txt, .md, .docx, .pdf, .jsonl) found")
    options = dict(formats=formats, seed=seed, style=style, strict=strict, jobs=jobs, select=select,
                   templates=_str(templates), tarieven=_str(tarieven), model=_str(model), want_key=key is not None)
    jobs_list, pre_failed = pipeline.plan_jobs(paths)
    report, written = execute("run", out_dir, [input_dir], jobs_list, pre_failed, options,
                              review_engines(pipeline.default_engines, require_review), quiet)
    if key is not None:
        _write_key(key, pipeline.key_records(report), passphrase, quiet)
    finish_run("run", report, out_dir, written, quiet, as_json)


@click.command("handouts")
@click.argument("predictions", type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path))
@_common
@json_option
@quiet_option
def handouts_cmd(predictions: Path, out_dir: Path, formats, jobs, select, templates, tarieven, as_json, quiet) -> None:
    """Render handouts and a case library from predictions made from pseudonymised text (JSONL; - reads stdin).

    Only records marked "pseudonymised": true are accepted, as written by
    'leerwerkplaats predict --pseudonymise'; a file of raw predictions is refused.
    The output folder follows the rules of 'run'.

    \b
    Example:
      leerwerkplaats predict --pseudonymise corpus_sample/gold.jsonl -o pred.jsonl
      leerwerkplaats handouts pred.jsonl -o handouts/ --formats html,pdf
    """
    from leerwerkplaats.run.predictions import payload_jobs

    try:
        jobs_list = payload_jobs(predictions)
    except LeerwerkplaatsError as exc:
        raise click.ClickException(str(exc)) from None
    options = dict(formats=formats, jobs=jobs, select=select, templates=_str(templates), tarieven=_str(tarieven))
    report, written = execute("handouts", out_dir, [predictions], jobs_list, [], options, None, quiet)
    finish_run("handouts", report, out_dir, written, quiet, as_json)


def _str(path: Path | None) -> str | None:
    return None if path is None else str(path)


def _write_key(key: Path, records: dict, passphrase: str, quiet: bool) -> None:
    from leerwerkplaats.privacy.keyfile import write_key

    if not records:
        warn(f"{key}: no key written (no case got output)")
        return
    try:
        write_key(key, records, passphrase)
    except LeerwerkplaatsError as exc:
        raise click.ClickException(str(exc)) from None
    say(f"{key}: key for {len(records)} case(s) written; keep it apart from the output folder", quiet)


def register(group: click.Group) -> None:
    group.add_command(run_cmd)
    group.add_command(handouts_cmd)
