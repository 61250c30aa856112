"""Training and cross-validation of the tagger on an annotated corpus.

``train()`` is what ``leerwerkplaats train`` runs: load the corpus, keep the
records with ``split != "test"`` (unless told otherwise), turn every sentence
into features with gold personal data masked, label a sentence with every gold
span that covers most of it (or most of which lies in it), report grouped
cross-validation by case file, fit the final model and write it with metadata
and a model card. The same seed gives the same model.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
from sklearn.model_selection import GroupKFold

from leerwerkplaats.core import schema
from leerwerkplaats.core.cases import ResearchText, Tag, TaggedCase
from leerwerkplaats.core.codec import to_case_record
from leerwerkplaats.core.errors import CorpusError
from leerwerkplaats.core.records import CaseRecord, LabelSpan
from leerwerkplaats.reading import corpus
from leerwerkplaats.tagging.case_fields import derive
from leerwerkplaats.tagging.classifier import SpanClassifier
from leerwerkplaats.tagging.features import Sentence, doc_sentences
from leerwerkplaats.tagging.tagger import decode, merge_adjacent

log = logging.getLogger(__name__)

LABELS: tuple[str, ...] = tuple(lab.id for lab in schema.ALL_LABELS)
_COVER = 0.5


@dataclass
class Examples:
    """Sentences of a set of records, as features and targets."""

    records: list[CaseRecord]
    sentences: list[list[Sentence]]
    parties: list[tuple[str, ...]]
    X: list[dict]
    Y: np.ndarray
    groups: np.ndarray


def sentence_targets(sentences: Sequence[Sentence], spans: Sequence[LabelSpan],
                     labels: Sequence[str] = LABELS) -> np.ndarray:
    """0/1 targets: a sentence carries a label when a gold span covers ≥ half of it, or lies ≥ half in it."""
    index = {lab: j for j, lab in enumerate(labels)}
    Y = np.zeros((len(sentences), len(labels)), dtype=int)
    for i, s in enumerate(sentences):
        for span in spans:
            j = index.get(span.label)
            if j is None:
                continue
            overlap = min(s.end, span.end) - max(s.start, span.start)
            if overlap <= 0:
                continue
            if overlap >= _COVER * (s.end - s.start) or overlap >= _COVER * (span.end - span.start):
                Y[i, j] = 1
    return Y


def build_examples(records: Sequence[CaseRecord], nlp, labels: Sequence[str] = LABELS) -> Examples:
    """Run the pipeline over ``records`` and build features (gold PII masked) and targets."""
    records = list(records)
    sentences, parties, X, Ys, groups = [], [], [], [], []
    for record, doc in zip(records, nlp.pipe(r.text for r in records)):
        sents = doc_sentences(doc, [(s.start, s.end, s.type) for s in record.pii])
        sentences.append(sents)
        parties.append(tuple(doc._.lwp_parties))
        X += [s.features() for s in sents]
        Ys.append(sentence_targets(sents, record.spans, labels))
        groups += [record.id] * len(sents)
    Y = np.vstack(Ys) if Ys else np.zeros((0, len(labels)), dtype=int)
    return Examples(records, sentences, parties, X, Y, np.asarray(groups))


def predicted_records(ex: Examples, proba: np.ndarray, labels: Sequence[str], thresholds: np.ndarray,
                      rows: Sequence[int] | None = None, case_thresholds: np.ndarray | None = None,
                      merge: bool = False) -> list[CaseRecord]:
    """Prediction records (spans + case fields) for ``ex.records`` (or those at ``rows``) from probabilities."""
    out = []
    offset = 0
    starts = []
    for sents in ex.sentences:
        starts.append(offset)
        offset += len(sents)
    for r in (range(len(ex.records)) if rows is None else rows):
        record, sents = ex.records[r], ex.sentences[r]
        block = proba[starts[r]:starts[r] + len(sents)]
        picks, _ = decode(sents, block, labels, thresholds, case_thresholds)
        tags = [Tag(sents[i].start, sents[k].end, labels[j], float(s)) for i, k, j, s in merge_adjacent(picks, merge)]
        fields = derive(record.text, tags, sents, ex.parties[r])
        out.append(to_case_record(TaggedCase(ResearchText(record.id, record.text), tuple(tags), fields), split=record.split))
    return out


def cross_validate(ex: Examples, params: dict, folds: int = 5) -> tuple[dict, list[CaseRecord]]:
    """Grouped cross-validation by case file; returns the label scores and the out-of-fold predictions."""
    from leerwerkplaats.research.evaluation import score_case_fields, score_labels

    proba = np.zeros(ex.Y.shape)
    thresholds_per_row = np.zeros(ex.Y.shape)
    case_per_row = np.zeros(ex.Y.shape)
    n_groups = len(set(ex.groups))
    folds = min(folds, n_groups)
    # A hand loop, not cross_val_predict: each fold's own thresholds decode the rows it held out.
    for train_idx, test_idx in GroupKFold(n_splits=folds).split(ex.X, ex.Y, ex.groups):
        clf = SpanClassifier(**params).fit([ex.X[i] for i in train_idx], ex.Y[train_idx], ex.groups[train_idx])
        proba[test_idx] = clf.predict_proba([ex.X[i] for i in test_idx])
        thresholds_per_row[test_idx] = clf.thresholds_
        case_per_row[test_idx] = clf.case_thresholds_
    # decode each record with the thresholds of the fold it was held out in
    merge = SpanClassifier(**params).merge_adjacent
    preds = []
    offset = 0
    for r, sents in enumerate(ex.sentences):
        if not len(sents):
            preds += predicted_records(ex, proba, params["labels"], np.full(len(params["labels"]), 0.5), rows=[r])
        else:
            preds += predicted_records(ex, proba, params["labels"], thresholds_per_row[offset], rows=[r],
                                       case_thresholds=case_per_row[offset], merge=merge)
        offset += len(sents)
    result = score_labels(ex.records, preds)
    result["case_fields"] = score_case_fields(ex.records, preds)
    return result, preds


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def train(data: Path | Sequence[Path], out: Path, *, name: str | None = None, seed: int = 0,
          include_test: bool = False, folds: int = 5, cv: bool = True, nlp=None) -> dict:
    """Train, cross-validate, score the held-out test split (if any) and save a model folder.

    ``data`` is one corpus file or several (their records are pooled; ids must
    not repeat). Returns the metadata written to ``meta.json``.
    """
    from leerwerkplaats import __version__
    from leerwerkplaats.research.evaluation import score_case_fields, score_labels
    from leerwerkplaats.tagging.modelfile import library_versions, model_card, save_model
    from leerwerkplaats.tagging.nlp import build_nlp

    t0 = time.perf_counter()
    paths = [Path(data)] if isinstance(data, (str, Path)) else [Path(p) for p in data]
    records = []
    for path in paths:
        part = corpus.load(path)
        problems = corpus.check(part)
        if problems:
            raise CorpusError(f"{path}: {len(problems)} problem(s); run 'leerwerkplaats corpus check {path}'")
        records += part
    seen: set[str] = set()
    repeated = sorted({r.id for r in records if r.id in seen or seen.add(r.id)})
    if repeated:
        raise CorpusError(f"{', '.join(map(str, paths))}: record ids repeat across the files ({', '.join(repeated[:5])})")
    train_recs = [r for r in records if include_test or r.split != "test"]
    test_recs = [] if include_test else [r for r in records if r.split == "test"]
    if len(train_recs) < 2:
        raise CorpusError(f"{', '.join(map(str, paths))}: need at least 2 training records, found {len(train_recs)}")
    nlp = nlp or build_nlp()
    ex = build_examples(train_recs, nlp)
    params = {"labels": LABELS, "seed": seed}
    metrics: dict = {}
    if cv and len(train_recs) >= 3:
        metrics["cv"], _ = cross_validate(ex, params, folds)
    clf = SpanClassifier(**params).fit(ex.X, ex.Y, ex.groups)
    if test_recs:
        tex = build_examples(test_recs, nlp)
        preds = predicted_records(tex, clf.predict_proba(tex.X), LABELS, clf.thresholds_,
                                  case_thresholds=clf.case_thresholds_, merge=clf.merge_adjacent)
        metrics["test"] = score_labels(test_recs, preds)
        metrics["test"]["case_fields"] = score_case_fields(test_recs, preds)
    hashes = [file_sha256(p) for p in paths]
    data_hash = hashes[0] if len(hashes) == 1 else hashlib.sha256("".join(hashes).encode()).hexdigest()
    registers: dict[str, int] = {}
    for r in train_recs:
        key = r.extra.get("register") or "casusdossier"
        registers[key] = registers.get(key, 0) + 1
    meta = {
        "name": name or Path(out).name,
        "version": f"{__version__}+{data_hash[:8]}.s{seed}",
        "labels": list(LABELS),
        "thresholds": {lab: round(float(t), 3) for lab, t in zip(LABELS, clf.thresholds_)},
        "case_thresholds": {lab: round(float(t), 3) for lab, t in zip(LABELS, clf.case_thresholds_)},
        "training_data": {"path": ", ".join(p.name if len(paths) == 1 else f"{p.parent.name}/{p.name}" for p in paths),
                          "sha256": data_hash, "records": len(train_recs),
                          "sentences": len(ex.X), "splits": sorted({r.split or "-" for r in train_recs}),
                          "registers": registers, "ids": [r.id for r in train_recs]},
        "seed": seed,
        "date": dt.date.today().isoformat(),
        "versions": library_versions(),
        "params": {k: v for k, v in clf.get_params().items() if k != "labels"},
        "metrics": metrics,
        "train_seconds": round(time.perf_counter() - t0, 1),
    }
    meta = save_model(Path(out), clf, meta, model_card(meta))
    log.info("trained %s in %.1fs", meta["name"], meta["train_seconds"])
    return meta
