"""``leerwerkplaats predict``: PII spans, tags and case fields as JSONL, through the one runner."""

from __future__ import annotations

import json
from pathlib import Path

import click

from leerwerkplaats.cli.common import EXIT_WITHHELD, output_file, quiet_option, say


@click.command("predict")
@click.argument("in_path", type=click.Path(allow_dash=True, path_type=Path))
@click.option("-o", "--out", "out_path", required=True, type=click.Path(allow_dash=True, dir_okay=False, path_type=Path),
              help="Output JSONL, or - for stdout.")
@click.option("--model", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Tagger model folder; default $LEERWERKPLAATS_MODEL or the shipped model.")
@click.option("--pii-only", is_flag=True, help="Predict personal data only, no triggers or building blocks.")
@click.option("--pseudonymise", "pseudonymise", is_flag=True,
              help="Pseudonymise each text first (review decisions applied): the output holds pseudonymised "
                   "text, marked so, and can be rendered by 'handouts'.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the pseudonyms (with --pseudonymise).")
@click.option("--strict", is_flag=True, help="With --pseudonymise: withhold records the review pass still doubts.")
@click.option("--require-review", is_flag=True,
              help="With --pseudonymise: only records approved in 'leerwerkplaats review'.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Parallel worker processes.")
@quiet_option
def predict_cmd(in_path, out_path, model, pii_only, pseudonymise, seed, strict, require_review, jobs, quiet):
    """Predict PII spans, tags and case fields for JSONL records with id and text (- reads stdin).

    Writes the ANNOTATION.md §5 format, one line per record in input order, with
    the record ids kept (so 'evaluate' can score it). Without --pseudonymise the
    offsets point into the input text, which is copied into the output: that
    file holds raw text, is written with mode 0600, and 'handouts' refuses it.
    The output file may not be the input, and never replaces a file
    leerwerkplaats did not write.

    \b
    Examples:
      leerwerkplaats predict corpus_sample/gold.jsonl -o pred.jsonl
      leerwerkplaats evaluate corpus_sample/gold.jsonl pred.jsonl --split test
      leerwerkplaats predict --pseudonymise corpus_sample/gold.jsonl -o pseudo.jsonl
    """

    from leerwerkplaats.cli.execute import execute, report_files
    from leerwerkplaats.review.adapter import review_engines
    from leerwerkplaats.run import pipeline

    if (strict or require_review) and not pseudonymise:
        raise click.UsageError("--strict and --require-review go with --pseudonymise")
    out = output_file(out_path, [in_path], "predict", "prediction file", mode=None if pseudonymise else 0o600)
    steps = ("pseudonymise",) if pseudonymise else ("find",)
    steps += (() if pii_only else ("tag",)) + ("record",)
    engines = review_engines(pipeline.default_engines, require_review) if pseudonymise else pipeline.default_engines

    def produce(report) -> bytes:
        lines = [json.dumps(r.record, ensure_ascii=False) for r in report.results if r.ok and r.record is not None]
        return "".join(line + "\n" for line in lines).encode("utf-8")

    options = dict(steps=steps, seed=seed, strict=strict, jobs=jobs, model=_str(model))
    report, _ = execute("predict", None, [in_path], lambda previous: _predict_plan(in_path), options, engines,
                        quiet, {out: produce})
    report_files(report, quiet)
    done = sum(1 for r in report.results if r.ok)
    say(f"wrote {done} record(s) to {'stdout' if str(out_path) == '-' else out_path}"
        + ("" if pseudonymise else " (raw text: mode 0600)"), quiet)
    if report.failed:
        raise SystemExit(EXIT_WITHHELD)


def _predict_plan(in_path: Path):
    from leerwerkplaats.core.errors import ReadError
    from leerwerkplaats.reading.jsonl import read_jsonl_cases
    from leerwerkplaats.run import pipeline

    try:
        raws = list(read_jsonl_cases(in_path))
    except ReadError as exc:
        raise click.ClickException(str(exc)) from None
    jobs = [pipeline.Job(raw.name, raw.source, i, raw=raw) for i, raw in enumerate(raws)]
    return jobs, []


def _str(path: Path | None) -> str | None:
    return None if path is None else str(path)


def register(group: click.Group) -> None:
    group.add_command(predict_cmd)
