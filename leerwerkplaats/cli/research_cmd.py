"""Researcher commands: ``train``, ``evaluate``, ``compare``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from leerwerkplaats.core.errors import LeerwerkplaatsError


def _fail(exc: Exception) -> click.ClickException:
    return click.ClickException(str(exc))


@click.command("train")
@click.option("--data", "data", required=True, multiple=True,
              type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="Annotated corpus (JSONL, ANNOTATION.md §5); repeat to train on several.")
@click.option("-o", "--out", "out", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="Model folder to write (model.skops, meta.json, MODEL_CARD.md).")
@click.option("--seed", default=0, show_default=True, help="Random seed; the same seed gives the same model.")
@click.option("--folds", default=5, show_default=True, help="Folds of the grouped cross-validation report.")
@click.option("--include-test", is_flag=True, help="Also train on records with split == 'test'.")
@click.option("--no-cv", is_flag=True, help="Skip the cross-validation report (faster).")
@click.option("--name", default=None, help="Model name (default: the folder name).")
def train_cmd(data: tuple[Path, ...], out: Path, seed: int, folds: int, include_test: bool, no_cv: bool, name: str | None) -> None:
    """Train the tagger on an annotated corpus, with a grouped CV report and a model card.

    Trains on records whose split is not "test"; the test records, if any, are
    only scored, never used for training or tuning.

    \b
    Example:
      leerwerkplaats train --data corpus_sample/gold.jsonl --out models/mijnmodel
      leerwerkplaats train --data corpus_sample/gold.jsonl --data corpus_registers/gold.jsonl --out models/x
    """
    from leerwerkplaats.cli.delivery import Delivery
    from leerwerkplaats.research.evaluation import summary_lines, weakest
    from leerwerkplaats.research.training import train

    with Delivery("train", out, list(data)) as delivery:
        meta = delivery.work(lambda: train(list(data), delivery.staging, name=name or out.name, seed=seed,
                                           include_test=include_test, folds=folds, cv=not no_cv))
        delivery.commit()
    for key, title in (("cv", "cross-validation (train records)"), ("test", "test split (held out)")):
        res = meta["metrics"].get(key)
        if res:
            click.echo(f"{title}:")
            for line in summary_lines(res):
                click.echo(f"  {line}")
            click.echo("  weakest (case level): " + ", ".join(f"{lab} {f1:.2f}" for lab, f1, _ in weakest(res)))
    click.echo(f"model {meta['name']} {meta['version']} written to {out} in {meta['train_seconds']}s")


@click.command("evaluate")
@click.argument("gold", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.argument("pred", type=click.Path(path_type=Path, exists=True, dir_okay=False, allow_dash=True))
@click.option("--split", default=None, help="Score only records whose gold split is this (e.g. test).")
@click.option("--json", "as_json", is_flag=True, help="Print the full results as JSON.")
@click.option("--per-label/--no-per-label", default=True, show_default=True, help="Show per-label tables.")
def evaluate_cmd(gold: Path, pred: Path, split: str | None, as_json: bool, per_label: bool) -> None:
    """Score predictions against gold: PII (recall, character precision, leaks) and labels (PRED may be -).

    Labels are scored at case and span level, per label, micro and macro, with
    triggers and building blocks separately (ANNOTATION.md §6).

    \b
    Example:
      leerwerkplaats evaluate corpus_sample/gold.jsonl pred.jsonl --split test
      leerwerkplaats evaluate corpus_sample/gold.jsonl pred.jsonl --json > scores.json
    """
    from leerwerkplaats.reading import corpus
    from leerwerkplaats.research.evaluation import (
        labels_table,
        pii_table,
        score_case_fields,
        score_labels,
        score_pii,
        summary_table,
    )

    try:
        g, p = corpus.load(gold), corpus.load(pred)
    except LeerwerkplaatsError as exc:
        raise _fail(exc) from None
    result = {"gold": gold.name, "pred": pred.name, "split": split,
              "pii": score_pii(g, p, split), "labels": score_labels(g, p, split),
              "case_fields": score_case_fields(g, p, split)}
    if not result["labels"]["records"]:
        raise click.ClickException(f"{gold}: no records" + (f" with split {split!r}" if split else ""))
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    from rich.console import Console

    console = Console()
    console.print(f"{result['labels']['records']} records" + (f" (split {split})" if split else ""))
    if any(v["gold"] for v in result["pii"]["per_type"].values()):
        console.print(pii_table(result["pii"]))
    console.print(summary_table({pred.name: result["labels"]}))
    if per_label:
        console.print(labels_table({pred.name: result["labels"]}, "case"))
        console.print(labels_table({pred.name: result["labels"]}, "span"))
    if result["case_fields"]:
        console.print("case fields: " + "; ".join(
            f"{k} " + (f"acc {v['accuracy']:.2f}" if "accuracy" in v else f"F1 {v['f1']:.2f}")
            for k, v in result["case_fields"].items()))


def _predictions(source: Path, gold_records):
    """Prediction records from a JSONL file, or from a model folder run on the gold texts."""
    from leerwerkplaats.core.cases import ResearchText
    from leerwerkplaats.core.codec import to_case_record
    from leerwerkplaats.reading import corpus
    from leerwerkplaats.tagging.tagger import Tagger

    if source.is_file():
        return corpus.load(source), source.name
    tagger = Tagger.load(source)
    tagged = tagger.tag_many(ResearchText(r.id, r.text) for r in gold_records)
    preds = [to_case_record(tc) for tc in tagged]
    return preds, f"{tagger.name} {tagger.version}"


@click.command("compare")
@click.argument("gold", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.argument("model_a", type=click.Path(path_type=Path, exists=True))
@click.argument("model_b", type=click.Path(path_type=Path, exists=True))
@click.option("--split", default=None, help="Score only records whose gold split is this (e.g. test).")
@click.option("--json", "as_json", is_flag=True, help="Print both results as JSON.")
def compare_cmd(gold: Path, model_a: Path, model_b: Path, split: str | None, as_json: bool) -> None:
    """Compare two models (model folders or prediction JSONL files) side by side on label scores.

    A model folder is run on the gold texts; a JSONL file is read as predictions.

    \b
    Example:
      leerwerkplaats compare corpus_sample/gold.jsonl models/default models/mijnmodel --split test
    """
    from leerwerkplaats.reading import corpus
    from leerwerkplaats.research.evaluation import labels_table, score_labels, summary_table

    try:
        g = corpus.load(gold)
        scored = [r for r in g if split is None or r.split == split]
        results = {}
        for source in (model_a, model_b):
            preds, label = _predictions(source, scored)
            key = label if label not in results else f"{label} ({source})"
            results[key] = score_labels(scored, preds)
    except LeerwerkplaatsError as exc:
        raise _fail(exc) from None
    if as_json:
        click.echo(json.dumps(results, ensure_ascii=False, indent=2))
        return
    from rich.console import Console

    console = Console()
    console.print(summary_table(results))
    console.print(labels_table(results, "case"))
    console.print(labels_table(results, "span"))


def register(group: click.Group) -> None:
    """Add the researcher commands (``corpus import|export`` live in :mod:`.corpus_cmd`)."""
    for command in (train_cmd, evaluate_cmd, compare_cmd):
        group.add_command(command)
