"""``pseudonymise``, ``predict`` and ``reidentify``: the privacy commands."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import click

from leerwerkplaats.core.errors import KeyFileError, LeerwerkplaatsError, ReadError
from leerwerkplaats.core.io_atomic import write_text_atomic

PASSPHRASE_ENV = "LEERWERKPLAATS_PASSPHRASE"


def _passphrase(confirm: bool) -> str:
    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        return value
    return click.prompt("Wachtwoordzin voor de sleutel", hide_input=True, confirmation_prompt=confirm)


def key_passphrase(key: Path, out_dir: Path) -> str:
    """Refuse a key inside the output folder; return the passphrase for a new key (env or prompt)."""
    if key.resolve().is_relative_to(out_dir.resolve()):
        raise click.ClickException(f"{key}: the key may not be written inside the output folder {out_dir}")
    return _passphrase(confirm=True)


def _progress(total: int, label: str):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    transient=True, disable=total < 2)


@click.command("pseudonymise")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(path_type=Path), help="Output folder.")
@click.option("--seed", default=0, show_default=True, help="Same seed, same pseudonyms and date shift.")
@click.option("--tags", "style", flag_value="tags", help="Write [PERSOON-1]-style tags instead of readable names.")
@click.option("--names", "style", flag_value="names", default=True, help="Readable Dutch pseudonyms (default).")
@click.option("--key", "key_path", type=click.Path(path_type=Path),
              help="Also write an encrypted re-identification key here (never inside OUT).")
@click.option("--strict", is_flag=True, help="Withhold files in which the review pass still finds personal data.")
@click.option("--review-report", type=click.Path(path_type=Path),
              help="Where to write the review report (default: beside the first input).")
@click.option("--no-review-report", is_flag=True, help="Write no review report.")
def pseudonymise_cmd(inputs, out_dir, seed, style, key_path, strict, review_report, no_review_report):
    """Replace names, numbers, addresses and dates in case files; write OUT/<stem>.txt.

    Files and folders (.txt, .md, .docx, .pdf, .jsonl) are read; a file that cannot be
    read or safely pseudonymised is named with the reason and gets no output.

    \b
    Example:
      leerwerkplaats pseudonymise dossiers/ -o gepseudonimiseerd/ --key ~/sleutels/sessie.key
    """
    from leerwerkplaats.privacy.keyfile import entries_for, write_key
    from leerwerkplaats.privacy.pseudonymise import Pseudonymiser
    from leerwerkplaats.privacy.review_report import rows_for, write_report
    from leerwerkplaats.reading.readers import discover, read_case_file, read_jsonl_cases

    out_dir = out_dir.resolve()
    paths = discover(list(inputs))
    if not paths:
        raise click.ClickException("no case files found in the given inputs")
    passphrase = key_passphrase(key_path, out_dir) if key_path else ""
    from leerwerkplaats.review.adapter import ReviewGate

    pseudonymiser = ReviewGate(Pseudonymiser.build(seed=seed, style=style))  # applies review decisions
    failed: list[tuple[str, str]] = []
    done = 0
    pii = Counter()
    key_cases: dict[str, dict] = {}
    report: list[dict] = []
    with _progress(len(paths), "Pseudonimiseren") as progress:
        task = progress.add_task("", total=len(paths))
        for path in paths:
            try:
                raws = list(read_jsonl_cases(path)) if path.suffix.lower() == ".jsonl" else [read_case_file(path)]
            except ReadError as exc:
                failed.append((str(path), exc.reason))
                progress.advance(task)
                continue
            for raw in raws:
                try:
                    result = pseudonymiser.run(raw)
                    residual = pseudonymiser.review(result.case)
                    if strict and residual:
                        raise LeerwerkplaatsError(f"review found {len(residual)} possible identifier(s): " + "; ".join(residual[:5]))
                except LeerwerkplaatsError as exc:
                    reason = getattr(exc, "reason", str(exc))
                    failed.append((raw.source, reason))
                    report.append({"name": raw.name, "error": reason, "residual": [], "rows": []})
                    continue
                target = out_dir / f"{raw.name}.txt"
                write_text_atomic(target, result.case.text)
                done += 1
                pii.update(result.case.pii_counts)
                if key_path:
                    key_cases[raw.name] = entries_for(result)
                report.append({"name": raw.name, "error": "", "residual": residual, "rows": rows_for(raw.text, result)})
            progress.advance(task)
    if key_path and key_cases:
        write_key(key_path, key_cases, passphrase)
    if not no_review_report and report:
        first = Path(inputs[0])
        target = review_report or (first if first.is_dir() else first.parent) / "leerwerkplaats-controlerapport.html"
        if out_dir == target.resolve().parent or out_dir in target.resolve().parents:
            raise click.ClickException(f"{target}: the review report may not be written inside the output folder")
        write_report(target, report)
        click.echo(f"review report (contains original data, keep it with the raw files): {target}")
    click.echo(f"done: {done} file(s) pseudonymised to {out_dir}; replaced " +
               (", ".join(f"{t} {n}" for t, n in sorted(pii.items())) or "nothing"))
    if failed:
        click.echo(f"failed: {len(failed)} file(s), withheld:", err=True)
        for source, reason in failed:
            click.echo(f"  {source}: {reason}", err=True)
        raise SystemExit(1)


@click.command("predict")
@click.argument("in_path", type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_path", required=True, type=click.Path(path_type=Path), help="Output JSONL.")
@click.option("--model", type=click.Path(path_type=Path), help="Tagger model folder (default: the shipped model).")
@click.option("--pii-only", is_flag=True, help="Predict personal data only, no triggers or building blocks.")
def predict_cmd(in_path, out_path, model, pii_only):
    """Predict PII spans (and tags and case fields) for records with ``id`` and ``text``.

    Writes the ANNOTATION.md §5 format; offsets point into the input text.

    \b
    Example:
      leerwerkplaats predict corpus_sample/gold.jsonl -o pred.jsonl
      leerwerkplaats evaluate corpus_sample/gold.jsonl pred.jsonl --split test
    """
    from leerwerkplaats.core.cases import PseudonymisedCase
    from leerwerkplaats.privacy.analyzer import analyse, build_analyzer
    from leerwerkplaats.reading.readers import read_jsonl_cases

    try:
        raws = list(read_jsonl_cases(in_path))
    except ReadError as exc:
        raise click.ClickException(str(exc)) from None
    analyzer = build_analyzer()
    tagger = None
    if not pii_only:
        try:
            from leerwerkplaats.tagging.tagger import Tagger
            tagger = Tagger.load(model)
        except (ImportError, LeerwerkplaatsError) as exc:
            raise click.ClickException(f"no tagger model available ({exc}); use --pii-only") from None
    lines = []
    with _progress(len(raws), "Voorspellen") as progress:
        task = progress.add_task("", total=len(raws))
        for raw in raws:
            findings = analyse(analyzer, raw.text)
            record = {"id": raw.name, "text": raw.text,
                      "pii": [{"start": f.start, "end": f.end, "type": f.type, "score": round(f.score, 4)} for f in findings],
                      "spans": []}
            if tagger is not None:
                tagged = tagger.tag(PseudonymisedCase.trusted(raw.name, raw.text))
                record["spans"] = [{"start": t.start, "end": t.end, "label": t.label, "score": round(t.score, 4)} for t in tagged.tags]
                record["case"] = tagged.fields.to_json()
            lines.append(json.dumps(record, ensure_ascii=False))
            progress.advance(task)
    write_text_atomic(out_path, "".join(line + "\n" for line in lines))
    click.echo(f"wrote {len(lines)} record(s) to {out_path}")


@click.command("reidentify")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--key", "key_path", required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(path_type=Path))
def reidentify_cmd(files, key_path, out_dir):
    """Reverse pseudonymised files with the key, for the person who holds it.

    \b
    Example:
      leerwerkplaats reidentify gepseudonimiseerd/casus-001.txt --key ~/sleutels/sessie.key -o terug/
    """
    from leerwerkplaats.privacy.keyfile import read_key, reidentify
    from leerwerkplaats.reading.readers import read_text_file

    try:
        cases = read_key(key_path, _passphrase(confirm=False))
    except KeyFileError as exc:
        raise click.ClickException(str(exc)) from None
    failed = 0
    for path in files:
        record = cases.get(path.stem)
        try:
            if record is None:
                raise KeyFileError("this key holds no entry for this file")
            text = reidentify(read_text_file(path), record)
        except LeerwerkplaatsError as exc:
            click.echo(f"{path}: {getattr(exc, 'reason', exc)}", err=True)
            failed += 1
            continue
        write_text_atomic(out_dir / path.name, text)
    click.echo(f"re-identified {len(files) - failed} file(s) into {out_dir}")
    if failed:
        raise SystemExit(1)


def register(group: click.Group) -> None:
    for command in (pseudonymise_cmd, predict_cmd, reidentify_cmd):
        group.add_command(command)
