"""The model holds to its card: its held-out test figures, recomputed, are no worse than stated.

``leerwerkplaats train`` scores the records of split ``test`` in its training
corpora and writes the figures to ``meta.json`` (``metrics.test``); the card's
table "Held-out test split" is printed from them
(leerwerkplaats/tagging/modelfile.py: ``model_card``). Here the loaded model
(``$LEERWERKPLAATS_MODEL`` or the shipped default) tags the same records, with
the gold personal data masked as in training, and
:func:`leerwerkplaats.research.evaluation.score_labels` (what ``train`` and
``leerwerkplaats evaluate`` use) scores them. A headline figure, case-level
micro-F1 of the triggers and of the building blocks, may fall at most
:data:`TOLERANCE` below what ``meta.json`` states.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import pytest

from leerwerkplaats.core.cases import ResearchText
from leerwerkplaats.core.codec import to_case_record
from leerwerkplaats.core.shipped import default_model_dir
from leerwerkplaats.reading import corpus
from leerwerkplaats.research.evaluation import score_labels
from leerwerkplaats.research.training import file_sha256
from leerwerkplaats.tagging.tagger import ENV_MODEL

ROOT = Path(__file__).resolve().parents[1]
MODEL_DIR = Path(os.environ.get(ENV_MODEL) or default_model_dir())
TOLERANCE = 0.02
#: (level, group) of the figures the card leads with.
HEADLINES = [("case", "triggers"), ("case", "bouwstenen")]


def stated(meta: dict, level: str, group: str) -> float:
    return meta["metrics"]["test"][level][group]["micro"]["f1"]


def corpus_paths(meta: dict) -> list[Path]:
    """The training corpora as ``train`` names them in ``meta.json``, relative to the checkout."""
    return [ROOT / part.strip() for part in meta["training_data"]["path"].split(",")]


@pytest.fixture(scope="module")
def recomputed(tagger) -> tuple[dict, str]:
    """Scores of the model on the test split of its corpora, and a note when those corpora changed since training."""
    paths = corpus_paths(tagger.meta)
    missing = [str(p) for p in paths if not p.is_file()]
    assert not missing, f"training corpora not found: {missing}"
    records = [r for p in paths for r in corpus.load(p) if r.split == "test"]
    assert records, "no records of split 'test' in the training corpora"
    # research text with its gold personal data as the masked spans, as train() masks it in the features
    tagged = tagger.tag_many([ResearchText(r.id, r.text, tuple(r.pii)) for r in records])
    preds = [to_case_record(t, split=r.split) for r, t in zip(records, tagged)]
    hashes = [file_sha256(p) for p in paths]
    digest = hashes[0] if len(hashes) == 1 else hashlib.sha256("".join(hashes).encode()).hexdigest()
    note = "" if digest == tagger.meta["training_data"]["sha256"] else " (the corpora changed since the model was trained)"
    return score_labels(records, preds), note


@pytest.mark.parametrize(("level", "group"), HEADLINES, ids=[f"{lv}-{g}" for lv, g in HEADLINES])
def test_headline_f1_is_no_worse_than_the_card(tagger, recomputed, level, group):
    scores, note = recomputed
    card, now = stated(tagger.meta, level, group), scores[level][group]["micro"]["f1"]
    assert now >= card - TOLERANCE, f"{level} {group} micro-F1 {now:.3f}, card states {card:.3f}{note}"


def test_the_card_prints_the_figures_of_meta_json():
    meta = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    card = (MODEL_DIR / "MODEL_CARD.md").read_text(encoding="utf-8")
    table = card.split("### Held-out test split", 1)[1].split("\n\n", 2)[1]
    for level, group in HEADLINES:
        row = re.search(rf"^\| {level} \| {group} \| ([0-9.]+) \|", table, flags=re.M)
        assert row, f"no '{level} {group}' row in the card's held-out table"
        assert row[1] == f"{stated(meta, level, group):.3f}"
