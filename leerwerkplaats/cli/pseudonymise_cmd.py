"""``pseudonymise``, ``predict`` and ``reidentify``: the privacy commands."""

from __future__ import annotations

import json
from pathlib import Path

import click

from leerwerkplaats.cli.common import (
    EXIT_WITHHELD,
    emit_json,
    json_option,
    key_file,
    passphrase,
    quiet_option,
    replace_key_option,
    say,
    warn,
)
from leerwerkplaats.core.errors import KeyFileError, LeerwerkplaatsError

REPORT_NAME = "leerwerkplaats-controlerapport.html"


@click.command("pseudonymise")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True, path_type=Path))
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(allow_dash=True, path_type=Path),
              help="Output folder (never inside an input), or - for stdout (one case only).")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same pseudonyms and date shift.")
@click.option("--style", type=click.Choice(["names", "tags"]), default="names", show_default=True,
              help="Readable pseudonyms or tags like [PERSOON-1].")
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
        from leerwerkplaats.core.output_file import OutputFile

        files[OutputFile("-", [], "pseudonymise")] = _produce_text
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
    from leerwerkplaats.core.output_file import OutputFile

    first = Path(inputs[0])
    if given is None and str(first) == "-":
        say("no review report for standard input (pass --review-report FILE to get one)", quiet)
        return None
    # the default sits beside the input folder (or file), not inside it: inputs are never written into
    target = given or (first.resolve().parent / REPORT_NAME)
    try:
        return OutputFile(target, list(inputs), "pseudonymise", "review report", out_dir=out_dir, mode=0o600)
    except LeerwerkplaatsError as exc:
        raise click.ClickException(str(exc)) from None


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
    from leerwerkplaats.core.output_file import OutputFile
    from leerwerkplaats.review.adapter import review_engines
    from leerwerkplaats.run import pipeline

    if (strict or require_review) and not pseudonymise:
        raise click.UsageError("--strict and --require-review go with --pseudonymise")
    try:
        out = OutputFile(out_path, [in_path], "predict", "prediction file", mode=None if pseudonymise else 0o600)
    except LeerwerkplaatsError as exc:
        raise click.ClickException(str(exc)) from None
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


@click.command("reidentify")
@click.argument("files", nargs=-1, type=click.Path(exists=True, allow_dash=True, path_type=Path))
@click.option("--key", "key_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The key written by 'run --key' or 'pseudonymise --key'.")
@click.option("-o", "--out", "out_dir", type=click.Path(allow_dash=True, path_type=Path),
              help="Folder for the re-identified files (mode 0600), or - for stdout (one file).")
@quiet_option
def reidentify_cmd(files, key_path, out_dir, quiet):
    """Reverse pseudonymised texts with the key, for the person who holds it; lists the cases it holds.

    FILES are pseudonymised texts (casus-001.txt from 'pseudonymise', or
    OUT/casus-001/casus-001.txt from 'run --key') or folders holding them. The
    rendered handouts cannot be re-identified. Without FILES, only the list of
    cases in the key is printed.

    \b
    Examples:
      leerwerkplaats reidentify --key ~/sleutels/sessie.key
      leerwerkplaats reidentify gepseudonimiseerd/ --key ~/sleutels/sessie.key -o terug/
    """
    from leerwerkplaats.cli.common import write_output
    from leerwerkplaats.cli.delivery import Delivery
    from leerwerkplaats.privacy.keyfile import read_key, reidentify
    from leerwerkplaats.reading.readers import read_text_file

    try:
        cases = read_key(key_path, passphrase(confirm=False))
    except KeyFileError as exc:
        raise click.ClickException(str(exc)) from None
    names = sorted(cases)
    say(f"{key_path}: holds {len(names)} case(s): " + ", ".join(names), quiet and bool(files))
    if not files:
        return
    if out_dir is None:
        raise click.UsageError("give -o/--out for the re-identified files")
    targets = _key_texts(files, cases)
    if str(out_dir) == "-" and len(targets) != 1:
        raise click.UsageError(f"-o - writes one file to stdout; found {len(targets)}")
    failed, done = 0, {}
    for path, name in targets:
        try:
            if name is None:
                raise KeyFileError("this key holds no entry for this file")
            done[name] = reidentify(read_text_file(path), cases[name])
        except LeerwerkplaatsError as exc:
            warn(f"{path}: {getattr(exc, 'reason', exc)}")
            failed += 1
    if str(out_dir) == "-":
        for text in done.values():
            click.echo(text, nl=False)
    elif done:
        with Delivery("reidentify", out_dir, list(files) + [key_path]) as delivery:
            for name, text in done.items():
                write_output(delivery.staging / f"{name}.txt", text, private=True)
            delivery.commit()
        say(f"re-identified {len(done)} file(s) into {out_dir} (mode 0600)", quiet)
    if failed:
        raise SystemExit(EXIT_WITHHELD)


def _key_texts(files, cases: dict) -> list[tuple[Path, str | None]]:
    """Each pseudonymised text with its case name in the key (by file name, else by its folder)."""
    out: list[tuple[Path, str | None]] = []
    for item in files:
        if str(item) != "-" and item.is_dir():
            for path in sorted(item.rglob("*.txt")):
                name = path.stem if path.stem in cases else path.parent.name if path.parent.name in cases else None
                if name is not None:
                    out.append((path, name))
        else:
            name = item.stem if item.stem in cases else item.parent.name if item.parent.name in cases else None
            out.append((item, name))
    return out


def register(group: click.Group) -> None:
    for command in (pseudonymise_cmd, predict_cmd, reidentify_cmd):
        group.add_command(command)
