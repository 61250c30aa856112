"""Training of the statistical PII recogniser (``leerwerkplaats train-pii``).

Reads an annotated corpus, keeps the records whose split is not ``test``, adds the
generated variants of :mod:`leerwerkplaats.research.pii_variants` to each, labels the
tokens of every line with their PII type or ``O`` from the gold spans and fits a
linear-chain CRF (CRFsuite, L-BFGS with L1 and L2 penalties). The held-out test
records are scored by ANNOTATION.md §6, never trained on. The same data and seed
give the same model file, byte for byte.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import logging
import random
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Iterable, Sequence

from leerwerkplaats.core import schema
from leerwerkplaats.core.errors import CorpusError
from leerwerkplaats.core.io_atomic import write_bytes_atomic, write_text_atomic
from leerwerkplaats.core.records import CaseRecord, PiiSpan
from leerwerkplaats.privacy.pii_features import FEATURES_VERSION, FeatureMaker, line_tokens
from leerwerkplaats.privacy.statistical import CARD_FILE, FORMAT, META_FILE, MODEL_FILE, StatisticalRecogniser, file_sha256
from leerwerkplaats.reading import corpus
from leerwerkplaats.research.pii_variants import RECIPES, variants

log = logging.getLogger(__name__)

#: CRFsuite settings (L-BFGS); c1 (L1) keeps the model small.
PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 100, "feature.possible_transitions": True}
#: A word stands as itself in the features when the training files use it this often outside personal
#: data, and at least OUTSIDE_RATIO times as often outside as inside it ("de", "van" and "met" do; names do not).
MIN_WORD_COUNT = 2
OUTSIDE_RATIO = 3


def io_labels(text: str, spans: Iterable[PiiSpan]) -> list[tuple[list[str], list[str]]]:
    """``(words, labels)`` per line: a token that overlaps a gold span takes its type, any other ``O``."""
    lines = list(line_tokens(text))
    starts = [pos + s for pos, offsets in lines for s, _ in offsets]
    ends = [pos + e for pos, offsets in lines for _, e in offsets]
    labels = ["O"] * len(starts)
    for span in sorted(spans):
        i = bisect.bisect_right(ends, span.start)  # first token ending after the span's start
        while i < len(starts) and starts[i] < span.end:
            labels[i] = span.type
            i += 1
    out = []
    k = 0
    for pos, offsets in lines:
        words = [text[pos + s:pos + e] for s, e in offsets]
        out.append((words, labels[k:k + len(words)]))
        k += len(words)
    return out


def known_words(records: Sequence[CaseRecord], min_count: int = MIN_WORD_COUNT) -> frozenset[str]:
    """Lower-cased words used mostly outside personal data (see :data:`MIN_WORD_COUNT`)."""
    outside: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    for r in records:
        for words, labels in io_labels(r.text, r.pii):
            for w, lab in zip(words, labels):
                (outside if lab == "O" else inside)[w.lower()] += 1
    return frozenset(w for w, n in outside.items() if n >= min_count and n >= OUTSIDE_RATIO * inside[w])


def training_texts(records: Sequence[CaseRecord], seed: int) -> list[tuple[str, str, tuple[PiiSpan, ...]]]:
    """``(recipe, text, spans)``: each record as it is, then its variants (the record's own seeded draw)."""
    out = []
    for r in records:
        out.append(("original", r.text, r.pii))
        rng = random.Random(f"{seed}:{r.id}")
        out += variants(r.text, r.pii, rng)
    return out


def fit(texts: Sequence[tuple[str, str, tuple[PiiSpan, ...]]], known: frozenset[str], path: Path,
        params: dict | None = None) -> int:
    """Fit the CRF on ``texts`` and write it to ``path``; returns the number of token sequences."""
    import pycrfsuite

    features = FeatureMaker(known)
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    trainer.set_params({**PARAMS, **(params or {})})
    n = 0
    for _, text, spans in texts:
        for words, labels in io_labels(text, spans):
            trainer.append(features.line(words), labels)
            n += 1
    trainer.train(str(path))
    return n


def predict(recogniser: StatisticalRecogniser, records: Iterable[CaseRecord]) -> list[CaseRecord]:
    """Prediction records holding only the model's PII spans."""
    return [CaseRecord(r.id, r.text, tuple(PiiSpan(s, e, t, round(p, 4)) for s, e, t, p in recogniser.spans(r.text)),
                       split=r.split) for r in records]


def train_pii(data: Path, out: Path, *, seed: int = 0, include_test: bool = False, name: str | None = None,
              params: dict | None = None) -> dict:
    """Train, score the held-out test split (if any) and write the model folder; returns its ``meta.json``."""
    from leerwerkplaats import __version__
    from leerwerkplaats.research.evaluation import score_pii

    t0 = time.perf_counter()
    records = corpus.load(data)
    problems = corpus.check(records)
    if problems:
        raise CorpusError(f"{data}: {len(problems)} problem(s); run 'leerwerkplaats corpus check {data}'")
    train_recs = [r for r in records if include_test or r.split != "test"]
    test_recs = [] if include_test else [r for r in records if r.split == "test"]
    if not train_recs:
        raise CorpusError(f"{data}: no training records")
    known = known_words(train_recs)
    texts = training_texts(train_recs, seed)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out) as tmp:
        model_tmp = Path(tmp) / MODEL_FILE
        sequences = fit(texts, known, model_tmp, params)
        write_bytes_atomic(out / MODEL_FILE, model_tmp.read_bytes())
    data_hash = file_sha256(data)
    meta = {
        "name": name or out.name,
        "format": FORMAT,
        "features": FEATURES_VERSION,
        "version": f"{__version__}+{data_hash[:8]}.s{seed}",
        "labels": ["O", *schema.PII_TYPES],
        "training_data": {"path": Path(data).name, "sha256": data_hash, "records": len(train_recs),
                          "ids": [r.id for r in train_recs], "variants": list(RECIPES),
                          "texts": len(texts), "characters": sum(len(t) for _, t, _ in texts),
                          "sequences": sequences, "known_words": len(known)},
        "seed": seed,
        "params": {**PARAMS, **(params or {})},
        "date": dt.date.today().isoformat(),
        "sha256": file_sha256(out / MODEL_FILE),
        "size_bytes": (out / MODEL_FILE).stat().st_size,
        "metrics": {},
    }
    write_text_atomic(out / META_FILE, json.dumps(meta, indent=2, sort_keys=True) + "\n")
    if test_recs:
        model = StatisticalRecogniser(out)
        meta["metrics"]["test"] = _strip_leaks(score_pii(test_recs, predict(model, test_recs)))
    meta["train_seconds"] = round(time.perf_counter() - t0, 1)
    write_text_atomic(out / META_FILE, json.dumps(meta, indent=2, sort_keys=True) + "\n")
    write_text_atomic(out / CARD_FILE, model_card(meta))
    log.info("trained PII model %s in %.1fs", meta["name"], meta["train_seconds"])
    return meta


def _strip_leaks(result: dict) -> dict:
    """Scores with the leaks counted (their offsets point into test files; the card needs only the count)."""
    return {**{k: v for k, v in result.items() if k != "leaks"}, "leaks": len(result["leaks"])}


def model_card(meta: dict) -> str:
    """The model card: what the model is, what it learnt from, how well it does, where it fails."""
    td = meta["training_data"]
    lines = [
        f"# PII model card: {meta['name']}",
        "",
        f"Version `{meta['version']}`, trained {meta['date']} with seed {meta['seed']} "
        f"in {meta.get('train_seconds', '?')} s. Format: {meta['format']} (a CRFsuite linear-chain CRF, "
        f"not pickle), features version {meta['features']}; file size {meta['size_bytes']:,} bytes, "
        f"sha256 `{meta['sha256'][:16]}…`.",
        "",
        "## What it does",
        "",
        "Labels each token of a line with its PII type of ANNOTATION.md §1 or `O` (IO tags: a run of one type is one span). "
        "It sits beside the rule recognisers in the analyzer. Its features are the shape of a word "
        "(capitals, digits, punctuation, suffixes, length, whether it is an ordinary Dutch word) and the "
        "words and shapes two tokens either side; a word stands as itself only when the training files use it "
        "outside personal data, so names are read from their context (`gesprek met X`, `bsn X:`, `vader X`), "
        "never learnt by heart.",
        "",
        "## Training data",
        "",
        f"`{td['path']}` (sha256 `{td['sha256'][:16]}…`): {td['records']} records whose split is not `test`. "
        f"Each record is used as it is and in {len(td['variants'])} generated variants "
        f"({', '.join(f'`{v}`' for v in td['variants'])}): names swapped for first and last names of many "
        "origins (Faker's person lists); persons in lower case, CAPITALS or initials; whole files in lower case; "
        "lines in capitals; dates without a year (`3/11`, `14-06`); house numbers with a suffix (`7-C`, `88 bis`) "
        "or bare street names; institutions without their type word or made up (`De Vlinderhof`); other places, "
        f"some with a district (`Zwolle Zuid`). In all {td['texts']} texts, {td['characters']:,} characters, "
        f"{td['sequences']:,} lines; {td['known_words']:,} words stand as themselves.",
        "",
        "## Scores on the held-out test split (model alone)",
        "",
    ]
    test = meta["metrics"].get("test")
    if test:
        lines += [
            f"{test['records']} files; ANNOTATION.md §6: a gold span is caught when every character is covered.",
            "",
            "| type | gold | caught | recall |",
            "|---|---:|---:|---:|",
        ]
        for t, v in test["per_type"].items():
            if v["gold"]:
                lines.append(f"| {t} | {v['gold']} | {v['caught']} | {v['recall']:.3f} |")
        lines += [f"| **all** | | | **{test['recall']:.3f}** |", "",
                  f"Character precision {test['char_precision']:.3f}; leaks (missed BSN, phone, e-mail or IBAN): "
                  f"{test['leaks']}.", ""]
    else:
        lines += ["No test split was held out.", ""]
    lines += [
        "## Limits",
        "",
        "- Trained on fictional files written for this project in a handful of registers; the variants widen the "
        "forms, not the registers. Court rulings, OCR text and e-mail threads unlike the sample will do worse.",
        "- It reads one line at a time: a name split by a line break is two halves.",
        "- Numbers are told apart by shape and context, not checksums: the rule recognisers validate BSN and IBAN. "
        "The model is meant to be used together with the rules, never alone.",
        "- Scores are means of CRF marginal probabilities; they are not calibrated.",
        "",
        "Retrain with `leerwerkplaats train-pii --data corpus_sample/gold.jsonl --out models/pii --seed 0`.",
        "",
    ]
    return "\n".join(lines)
