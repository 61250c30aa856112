"""``leerwerkplaats evaluate`` and ``compare``: score predictions and models (ANNOTATION.md §6)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from leerwerkplaats.core.errors import LeerwerkplaatsError


def _fail(exc: Exception) -> click.ClickException:
    return click.ClickException(str(exc))


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
    group.add_command(evaluate_cmd)
    group.add_command(compare_cmd)
