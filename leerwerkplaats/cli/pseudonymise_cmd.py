"""``leerwerkplaats pseudonymise``: replace the personal data of case files, through the one road."""

from __future__ import annotations

from pathlib import Path

import click

from leerwerkplaats.cli.common import (
    EXIT_WITHHELD,
    emit_json,
    json_option,
    key_file,
    output_file,
    quiet_option,
    replace_key_option,
    say,
    seed_option,
    style_option,
    warn,
)

REPORT_NAME = "leerwerkplaats-controlerapport.html"


@click.command("pseudonymise")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True, path_type=Path))
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(allow_dash=True, path_type=Path),
              help="Output folder (never inside an input), or - for stdout (one case only).")
@seed_option
@style_option
@click.option("--key", "key_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write an encrypted re-identification key here (never inside an input or the output folder).")
@replace_key_option
@click.option("--strict", is_flag=True, help="Withhold files in which the review pass still finds personal data.")
@click.option("--review-report", type=click.Path(dir_okay=False, path_type=Path),
              help=f"Where to write the review report (default: {REPORT_NAME} beside the input folder).")
@click.option("--no-review-report", is_flag=True, help="Write no review report.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Parallel worker processes.")
@json_option
@quiet_option
def pseudonymise_cmd(inputs, out_dir, seed, style, key_path, replace_key, strict, review_report, no_review_report,
                     jobs, as_json, quiet):
    """Replace names, numbers, addresses and dates in case files; write OUT/casus-001.txt, ...

    Files and folders (.txt, .md, .docx, .pdf, .jsonl) are read; - reads one text
    from stdin. Outputs get neutral names (kept across reruns while the input
    stays), and OUT/leerwerkplaats-manifest.json lists them. A file that cannot be
    read or safely pseudonymised is named with the reason and gets no output (exit
    code 3). The review report shows the originals: it is written beside the raw
    files (mode 0600), never into OUT and never over a case file.

    \b
    Examples:
      leerwerkplaats pseudonymise dossiers/ -o gepseudonimiseerd/ --key ~/sleutels/sessie.key
      leerwerkplaats pseudonymise - -o - --no-review-report < dossier.txt > casus.txt
    """
    from leerwerkplaats.cli.execute import execute, report_files, summary
    from leerwerkplaats.reading.readers import discover
    from leerwerkplaats.review.adapter import review_engines
    from leerwerkplaats.run import pipeline

    paths = discover(list(inputs))
    if not paths:
        raise click.ClickException("no case files found in the given inputs")
    to_stdout = str(out_dir) == "-"
    if to_stdout and len(paths) != 1:
        raise click.UsageError(f"-o - writes one case to stdout; the inputs hold {len(paths)} files")
    folder = None if to_stdout else out_dir
    key_out, produce_key = key_file(key_path, replace_key, list(inputs), folder, "pseudonymise", quiet)
    report_out = None if no_review_report else _report_file(review_report, inputs, folder, quiet)
    files = {}
    if key_out:
        files[key_out] = produce_key
    if report_out:
        files[report_out] = _produce_report
    options = dict(steps=("pseudonymise", "text"), seed=seed, style=style, strict=strict, jobs=jobs,
                   want_key=key_path is not None, review_rows=report_out is not None)

    def plan(previous):
        jobs_list, pre_failed = pipeline.plan_jobs(paths, previous)
        if to_stdout and len(jobs_list) + len(pre_failed) != 1:
            raise click.UsageError(f"-o - writes one case to stdout; the inputs hold {len(jobs_list) + len(pre_failed)}")
        return jobs_list, pre_failed

    if to_stdout:
        files[output_file("-", [], "pseudonymise", "text")] = _produce_text
    report, written = execute("pseudonymise", folder, list(inputs), plan, options,
                              review_engines(pipeline.default_engines), quiet, files)
    if report_out:
        say(f"review report (contains original data, keep it with the raw files): {report_out.path}", quiet)
    report_files(report, quiet)
    data = summary("pseudonymise", report, out_dir, written)
    if as_json:
        emit_json(data)
    replaced = ", ".join(f"{t} {n}" for t, n in data["pii_replaced"].items()) or "nothing"
    say(f"done: {data['done']} file(s) pseudonymised to {out_dir}; replaced {replaced}", quiet)
    for r in report.results:
        if r.ok:
            say(f"  {r.name}.txt <- {r.source}", quiet)
    if report.failed:
        warn(f"withheld: {len(report.failed)} file(s)")
        raise SystemExit(EXIT_WITHHELD)


def _produce_text(report) -> bytes | None:
    """``-o -``: the one pseudonymised text, for standard output."""
    done = [r.tagged for r in report.results if r.ok and r.tagged is not None]
    return done[0].case.text.encode("utf-8") if done else None


def _produce_report(report) -> bytes:
    from leerwerkplaats.privacy.review_report import render_report

    rows = [{"name": r.name, "error": r.reason, "residual": list(r.findings), "rows": r.review or []}
            for r in report.results]
    return render_report(rows).encode("utf-8")


def _report_file(given: Path | None, inputs, out_dir: Path | None, quiet: bool):
    """The review report's output: given, or beside the input folder; never an input, inside one, or in the output."""

    first = Path(inputs[0])
    if given is None and str(first) == "-":
        say("no review report for standard input (pass --review-report FILE to get one)", quiet)
        return None
    # the default sits beside the input folder (or file), not inside it: inputs are never written into
    target = given or (first.resolve().parent / REPORT_NAME)
    return output_file(target, list(inputs), "pseudonymise", "review report", out_dir=out_dir, mode=0o600)


def register(group: click.Group) -> None:
    group.add_command(pseudonymise_cmd)
