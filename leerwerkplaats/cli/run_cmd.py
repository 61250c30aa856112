"""``leerwerkplaats run`` and ``leerwerkplaats handouts``: from case files (or predictions) to a case library."""

from __future__ import annotations

from pathlib import Path

import click

from leerwerkplaats.cli.common import (
    formats_callback,
    json_option,
    key_file,
    quiet_option,
    replace_key_option,
    seed_option,
    style_option,
    tariffs_option,
    templates_option,
)
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
    f = tariffs_option(f)
    f = templates_option(f)
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
@seed_option
@style_option
@click.option("--strict", is_flag=True, help="Withhold files in which the review pass still finds personal data.")
@click.option("--model", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Tagger model folder; default $LEERWERKPLAATS_MODEL or the shipped model.")
@click.option("--key", "key", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write an encrypted re-identification key here (never inside the input or output folder).")
@replace_key_option
@click.option("--require-review", is_flag=True,
              help="Render only files approved in 'leerwerkplaats review' (for their current content).")
@json_option
@quiet_option
def run_cmd(input_dir: Path, out_dir: Path, formats, jobs, select, templates, tarieven,
            seed, style, strict, model, key, replace_key, require_review, as_json, quiet) -> None:
    """Read every case file, pseudonymise, tag and render handouts into a case library.

    Writes OUT/casus-001/deelnemers.* and trainer.* per case (neutral names; a
    case keeps its name across reruns while its input stays), OUT/index.html (a
    card per case, filterable by label and route), OUT/library.jsonl (the tagged,
    pseudonymised records 'session' picks from) and OUT/leerwerkplaats-manifest.json
    listing every file. OUT may not lie inside the input folder, and must be new,
    empty or an earlier output folder of leerwerkplaats; only files listed in its
    manifest, unchanged since, are ever replaced. A file that cannot be
    pseudonymised safely gets no output (exit code 3). With --key, each case
    folder also holds its pseudonymised text (casus-001.txt), which the key
    re-identifies.

    \b
    Examples:
      leerwerkplaats run corpus_sample/raw -o bibliotheek/ --formats html
      leerwerkplaats session bibliotheek/ -o sessie/ --cases 3
      leerwerkplaats run CASES/ -o LIB/ --formats html --select route:D -j 2
      leerwerkplaats run CASES/ -o LIB/ --require-review
    """
    from leerwerkplaats.review.adapter import review_engines

    paths = discover([input_dir])
    if not paths:
        raise click.ClickException(f"{input_dir}: no case files (.txt, .md, .docx, .pdf, .jsonl) found")
    key_out, produce_key = key_file(key, replace_key, [input_dir], out_dir, "run", quiet)
    steps = pipeline.RUN_STEPS + (("text",) if key is not None else ())
    options = dict(steps=steps, formats=formats, seed=seed, style=style, strict=strict, jobs=jobs, select=select,
                   templates=_str(templates), tarieven=_str(tarieven), model=_str(model), want_key=key is not None)
    report, written = execute("run", out_dir, [input_dir], lambda previous: pipeline.plan_jobs(paths, previous),
                              options, review_engines(pipeline.default_engines, require_review), quiet,
                              {key_out: produce_key} if key_out else None)
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
    The marker is not trusted alone: every record is analysed again, and one in
    which personal data stands outside its pseudonyms is withheld (exit code 3).
    The output folder follows the rules of 'run'.

    \b
    Example:
      leerwerkplaats predict --pseudonymise corpus_sample/gold.jsonl -o pred.jsonl
      leerwerkplaats handouts pred.jsonl -o handouts/ --formats html,pdf
    """
    from leerwerkplaats.run.predictions import load_predictions

    try:
        cases = load_predictions(predictions)
    except LeerwerkplaatsError as exc:
        raise click.ClickException(str(exc)) from None
    options = dict(steps=("verify", "render"), formats=formats, jobs=jobs, select=select,
                   templates=_str(templates), tarieven=_str(tarieven))
    report, written = execute("handouts", out_dir, [predictions],
                              lambda previous: (pipeline.tagged_jobs(cases, str(predictions)), []),
                              options, pipeline.default_engines, quiet)
    finish_run("handouts", report, out_dir, written, quiet, as_json)


def _str(path: Path | None) -> str | None:
    return None if path is None else str(path)


def register(group: click.Group) -> None:
    group.add_command(run_cmd)
    group.add_command(handouts_cmd)
