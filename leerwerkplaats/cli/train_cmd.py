"""``leerwerkplaats train`` and ``train-pii``: retrain the tagger and the statistical PII recogniser.

Both write a model folder through the one output policy (staging, lock,
manifest; never one of the training files or inside their folder).
"""

from __future__ import annotations

from pathlib import Path

import click


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


@click.command("train-pii")
@click.option("--data", "data", required=True, type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="Annotated corpus (JSONL, ANNOTATION.md §5).")
@click.option("-o", "--out", "out", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="Model folder to write (model.crfsuite, meta.json, MODEL_CARD.md).")
@click.option("--seed", default=0, show_default=True, help="Seed of the generated variants; the same seed gives the same model.")
@click.option("--include-test", is_flag=True, help="Also train on records with split == 'test' (then nothing is scored).")
def train_pii_cmd(data: Path, out: Path, seed: int, include_test: bool) -> None:
    """Train the statistical PII recogniser on an annotated corpus, with generated variants.

    Trains on records whose split is not "test", each as it is and in generated
    variants (names of many origins, lower case, capitals, initials, short dates,
    house-number suffixes, institutions without a type word); the test records are
    only scored. Writes the CRFsuite model, meta.json and a model card.

    \b
    Example:
      leerwerkplaats train-pii --data corpus_sample/gold.jsonl --out models/pii --seed 0
    """
    from leerwerkplaats.cli.delivery import Delivery
    from leerwerkplaats.research.pii_training import train_pii

    with Delivery("train-pii", out, [data]) as delivery:
        meta = delivery.work(lambda: train_pii(data, delivery.staging, seed=seed, include_test=include_test,
                                               name=out.name))
        delivery.commit()
    test = meta["metrics"].get("test")
    if test:
        click.echo(f"test split (held out, model alone): recall {test['recall']:.3f}, "
                   f"character precision {test['char_precision']:.3f}, leaks {test['leaks']}")
        weak = sorted((v["recall"], t) for t, v in test["per_type"].items() if v["gold"])[:3]
        click.echo("  weakest: " + ", ".join(f"{t} {r:.2f}" for r, t in weak))
    click.echo(f"PII model {meta['name']} {meta['version']} written to {out} in {meta['train_seconds']}s "
               f"({meta['size_bytes']:,} bytes)")


def register(group: click.Group) -> None:
    group.add_command(train_cmd)
    group.add_command(train_pii_cmd)
