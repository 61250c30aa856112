"""``pseudonymise``, ``predict`` and ``reidentify``: the privacy commands."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import click

from leerwerkplaats.cli.common import (
    EXIT_WITHHELD,
    json_option,
    key_passphrase,
    passphrase,
    progress,
    quiet_option,
    say,
    warn,
    write_output,
)
from leerwerkplaats.core.errors import KeyFileError, LeerwerkplaatsError, ReadError

REPORT_NAME = "leerwerkplaats-controlerapport.html"


@click.command("pseudonymise")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True, path_type=Path))
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(allow_dash=True, path_type=Path),
              help="Output folder (never inside an input), or - for stdout (one case only).")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same pseudonyms and date shift.")
@click.option("--style", type=click.Choice(["names", "tags"]), default="names", show_default=True,
              help="Readable pseudonyms or tags like [PERSOON-1].")
@click.option("--key", "key_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write an encrypted re-identification key here (never inside the output folder).")
@click.option("--strict", is_flag=True, help="Withhold files in which the review pass still finds personal data.")
@click.option("--review-report", type=click.Path(dir_okay=False, path_type=Path),
              help=f"Where to write the review report (default: {REPORT_NAME} beside the first input).")
@click.option("--no-review-report", is_flag=True, help="Write no review report.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Parallel worker processes.")
@json_option
@quiet_option
def pseudonymise_cmd(inputs, out_dir, seed, style, key_path, strict, review_report, no_review_report, jobs,
                     as_json, quiet):
    """Replace names, numbers, addresses and dates in case files; write OUT/casus-001.txt, ...

    Files and folders (.txt, .md, .docx, .pdf, .jsonl) are read; - reads one text
    from stdin. Outputs get neutral names in input order, and
    OUT/leerwerkplaats-manifest.json lists them. A file that cannot be read or
    safely pseudonymised is named with the reason and gets no output (exit code 3).
    The review report shows the originals: it is written beside the raw files
    (mode 0600), never into OUT.

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
    secret = key_passphrase(key_path, out_dir) if key_path else ""
    report_target = None if no_review_report else _report_target(review_report, inputs, out_dir, quiet)
    jobs_list, pre_failed = pipeline.plan_jobs(paths)
    if to_stdout and len(jobs_list) + len(pre_failed) != 1:
        raise click.UsageError(f"-o - writes one case to stdout; the inputs hold {len(jobs_list) + len(pre_failed)}")
    options = dict(seed=seed, style=style, strict=strict, jobs=jobs, tag=False, want_key=key_path is not None,
                   review_rows=report_target is not None)
    with tempfile.TemporaryDirectory(prefix="leerwerkplaats-") as tmp:
        target = Path(tmp) / "uit" if to_stdout else out_dir
        report, written = execute("pseudonymise", target, list(inputs), jobs_list, pre_failed, options,
                                  review_engines(pipeline.default_engines), quiet)  # applies review decisions
        if to_stdout and written:
            click.echo((target / written[0]).read_text(encoding="utf-8"), nl=False)
    if key_path:
        from leerwerkplaats.privacy.keyfile import write_key

        records = pipeline.key_records(report)
        if records:
            write_key(key_path, records, secret)
            say(f"{key_path}: key for {len(records)} case(s) written", quiet)
    if report_target is not None:
        from leerwerkplaats.privacy.review_report import write_report

        rows = [{"name": r.name, "error": r.reason, "residual": list(r.findings), "rows": r.review or []}
                for r in report.results]
        write_report(report_target, rows)
        say(f"review report (contains original data, keep it with the raw files): {report_target}", quiet)
    report_files(report, quiet)
    data = summary("pseudonymise", report, out_dir, written)
    if as_json:
        from leerwerkplaats.cli.common import emit_json

        emit_json(data)
    replaced = ", ".join(f"{t} {n}" for t, n in data["pii_replaced"].items()) or "nothing"
    say(f"done: {data['done']} file(s) pseudonymised to {out_dir}; replaced {replaced}", quiet)
    for r in report.results:
        if r.ok:
            say(f"  {r.name}.txt <- {r.source}", quiet)
    if report.failed:
        warn(f"withheld: {len(report.failed)} file(s)")
        raise SystemExit(EXIT_WITHHELD)


def _report_target(given: Path | None, inputs, out_dir: Path, quiet: bool) -> Path | None:
    """Where the review report goes: given, or beside the first input; never inside the output folder."""
    first = Path(inputs[0])
    if given is None and str(first) == "-":
        say("no review report for standard input (pass --review-report FILE to get one)", quiet)
        return None
    target = given or (first if first.is_dir() else first.parent) / REPORT_NAME
    if str(out_dir) != "-" and target.resolve().is_relative_to(out_dir.resolve()):
        raise click.ClickException(f"{target}: the review report may not be written inside the output folder")
    return target


@click.command("predict")
@click.argument("in_path", type=click.Path(allow_dash=True, path_type=Path))
@click.option("-o", "--out", "out_path", required=True, type=click.Path(allow_dash=True, dir_okay=False, path_type=Path),
              help="Output JSONL, or - for stdout.")
@click.option("--model", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Tagger model folder; default $LEERWERKPLAATS_MODEL or the shipped model.")
@click.option("--pii-only", is_flag=True, help="Predict personal data only, no triggers or building blocks.")
@click.option("--pseudonymise", "pseudonymise", is_flag=True,
              help="Pseudonymise each text first: the output holds pseudonymised text, marked so, "
                   "and can be rendered by 'handouts'.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the pseudonyms (with --pseudonymise).")
@quiet_option
def predict_cmd(in_path, out_path, model, pii_only, pseudonymise, seed, quiet):
    """Predict PII spans, tags and case fields for JSONL records with id and text (- reads stdin).

    Writes the ANNOTATION.md §5 format. Without --pseudonymise the offsets point
    into the input text, which is copied into the output: that file holds raw
    text, is written with mode 0600, and 'handouts' refuses it.

    \b
    Examples:
      leerwerkplaats predict corpus_sample/gold.jsonl -o pred.jsonl
      leerwerkplaats evaluate corpus_sample/gold.jsonl pred.jsonl --split test
      leerwerkplaats predict --pseudonymise corpus_sample/gold.jsonl -o pseudo.jsonl
    """
    from leerwerkplaats.core.cases import CaseFields, PseudonymisedCase
    from leerwerkplaats.core.convert import to_record
    from leerwerkplaats.core.records import PiiSpan
    from leerwerkplaats.reading.jsonl import read_jsonl_cases

    try:
        raws = list(read_jsonl_cases(in_path))
    except ReadError as exc:
        raise click.ClickException(str(exc)) from None
    tagger = None
    if not pii_only:
        from leerwerkplaats.tagging.tagger import Tagger

        try:
            tagger = Tagger.load(model)
        except LeerwerkplaatsError as exc:
            raise click.ClickException(f"no tagger model available ({exc}); use --pii-only") from None
    if pseudonymise:
        from leerwerkplaats.privacy.pseudonymise import Pseudonymiser

        pseudonymiser = Pseudonymiser.build(seed=seed)
    else:
        from leerwerkplaats.privacy.analyzer import analyse, build_analyzer

        analyzer = build_analyzer()
    lines, withheld = [], 0
    with progress(len(raws), "Voorspellen", quiet) as advance:
        for raw in raws:
            advance()
            if pseudonymise:
                try:
                    case = pseudonymiser.run(raw, skip=("residual",)).case  # not reported here
                except LeerwerkplaatsError as exc:
                    warn(f"withheld: {raw.source}: {getattr(exc, 'reason', exc)}")
                    withheld += 1
                    continue
                case = PseudonymisedCase(raw.name, case.text, case.replaced)
                pii = case.replaced
            else:
                case = PseudonymisedCase.trusted(raw.name, raw.text)  # tagged only, never rendered
                pii = tuple(PiiSpan(f.start, f.end, f.type, f.score) for f in analyse(analyzer, raw.text))
            tags, fields = (), None
            if tagger is not None:
                tagged = tagger.tag(case)
                tags, fields = tagged.tags, tagged.fields
            record = to_record(raw.name, case.text, tags, fields or CaseFields(), pii=pii, pseudonymised=pseudonymise)
            obj = record.to_json()
            if fields is None:
                obj.pop("case", None)
            lines.append(json.dumps(obj, ensure_ascii=False))
    write_output(out_path, "".join(line + "\n" for line in lines), private=not pseudonymise)
    say(f"wrote {len(lines)} record(s) to {'stdout' if str(out_path) == '-' else out_path}"
        + ("" if pseudonymise else " (raw text: mode 0600)"), quiet)
    if withheld:
        raise SystemExit(EXIT_WITHHELD)


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
    from leerwerkplaats.core.output_folder import OutputFolder
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
        try:
            with OutputFolder(out_dir, list(files), "reidentify") as folder:
                for name, text in done.items():
                    write_output(folder.staging / f"{name}.txt", text, private=True)
                folder.commit()
        except LeerwerkplaatsError as exc:
            raise click.ClickException(str(exc)) from None
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
