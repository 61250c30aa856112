"""The multi-label sentence classifier: a scikit-learn estimator.

:class:`SpanClassifier` follows the scikit-learn conventions: ``__init__``
stores parameters only, ``fit`` returns ``self``, learned attributes end in
``_``, so ``clone`` and ``get_params`` work. Inside is one
:class:`~sklearn.pipeline.Pipeline`: word n-grams over lemmas, character
n-grams over lemmas and the cue/context dict, then one logistic regression per
label. ``fit`` also chooses two probability thresholds per label by grouped
cross-validation (groups are case files), so a label is never tuned on
sentences of the case it is judged on: a span threshold (sentence-level F1)
and a case threshold (case-level F1, applied to a file's best sentence).
"""

from __future__ import annotations

import logging
import warnings
from typing import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, clone
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, cross_val_predict
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline

log = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.5
_GRID = np.round(np.arange(0.15, 0.91, 0.05), 2)
_CASE_GRID = np.round(np.arange(0.05, 0.96, 0.05), 2)
_MIN_POSITIVES = 3


def integer_vocabularies(pipe: Pipeline) -> int:
    """Cast the vocabulary values of the fitted vectorizers in ``pipe`` to plain ``int``, in place.

    ``TfidfVectorizer`` fills ``vocabulary_`` with ``np.int64``; skops stores every
    numpy scalar as its own member of the zip archive (25,000 of them in the shipped
    model, 20 s to load on a busy machine), a plain ``int`` as a line of JSON. The
    columns are the same numbers, so predictions do not change. Returns how many
    values were cast.
    """
    cast = 0
    for step in pipe.named_steps.values():
        for _, vec, _ in getattr(step, "transformers_", ()):
            vocab = getattr(vec, "vocabulary_", None)
            if isinstance(vocab, dict):
                for term, col in vocab.items():
                    if type(col) is not int:
                        vocab[term] = int(col)
                        cast += 1
    return cast


def _frame(X: Sequence[dict]) -> pd.DataFrame:
    return pd.DataFrame({
        "words": [x["words"] for x in X],
        "chars": [x["chars"] for x in X],
        "cues": [x["cues"] for x in X],
    })


def _f1(tp: float, fp: float, fn: float) -> float:
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def _better(score: float, t: float, best: tuple[float, float], prefer: float) -> bool:
    return score > best[1] + 1e-9 or (abs(score - best[1]) <= 1e-9 and abs(t - prefer) < abs(best[0] - prefer))


def choose_threshold(proba: np.ndarray, y: np.ndarray, groups: np.ndarray,
                     grid: Sequence[float] = _GRID, case_weight: float = 0.5) -> tuple[float, float]:
    """Best span threshold for one label: weighted sentence-level and case-level F1.

    Returns ``(threshold, objective)``; ties go to the threshold nearest 0.5.
    """
    uniq, inverse = np.unique(groups, return_inverse=True)
    gold_case = np.zeros(len(uniq), bool)
    np.logical_or.at(gold_case, inverse, y.astype(bool))
    max_case = np.full(len(uniq), -1.0)
    np.maximum.at(max_case, inverse, proba)
    best = (DEFAULT_THRESHOLD, -1.0)
    for t in grid:
        pred = proba >= t
        s_f1 = _f1(np.sum(pred & (y == 1)), np.sum(pred & (y == 0)), np.sum(~pred & (y == 1)))
        cp = max_case >= t
        c_f1 = _f1(np.sum(cp & gold_case), np.sum(cp & ~gold_case), np.sum(~cp & gold_case))
        score = (1 - case_weight) * s_f1 + case_weight * c_f1
        if _better(score, t, best, 0.5):
            best = (float(t), float(score))
    return best


def case_best(proba: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Per case file (in ``np.unique(groups)`` order): its best sentence probability."""
    uniq, inverse = np.unique(groups, return_inverse=True)
    best = np.full(len(uniq), -1.0)
    np.maximum.at(best, inverse, proba)
    return best


def choose_case_threshold(proba: np.ndarray, y: np.ndarray, groups: np.ndarray,
                          grid: Sequence[float] = _CASE_GRID) -> float:
    """Case threshold maximising case-level F1: a label is present in a file when its best sentence reaches it.

    Independent of the span threshold (it may be higher or lower); ties go to the value nearest 0.5.
    """
    uniq, inverse = np.unique(groups, return_inverse=True)
    gold_case = np.zeros(len(uniq), bool)
    np.logical_or.at(gold_case, inverse, y.astype(bool))
    best_p = case_best(proba, groups)
    best = (DEFAULT_THRESHOLD, -1.0)
    for t in grid:
        cp = best_p >= t
        score = _f1(np.sum(cp & gold_case), np.sum(cp & ~gold_case), np.sum(~cp & gold_case))
        if _better(score, t, best, 0.5):
            best = (float(t), float(score))
    return best[0]


class SpanClassifier(BaseEstimator):
    """Multi-label classifier over sentence feature dicts (see :mod:`leerwerkplaats.tagging.features`).

    Parameters
    ----------
    labels
        Label ids, in column order of ``Y``.
    C
        Inverse regularisation of the logistic regressions.
    word_ngrams, char_ngrams
        n-gram ranges of the word and character views.
    min_df
        Minimum number of sentences a term must occur in.
    threshold_folds
        Folds of the grouped cross-validation that chooses thresholds
        (0 keeps 0.5 for every label).
    case_weight
        Weight of case-level F1 (against sentence-level F1) when choosing the
        span thresholds.
    case_level
        Also choose a case threshold per label, for case-level F1: a label is
        present in a file when its best sentence reaches it (see
        :func:`leerwerkplaats.tagging.tagger.decode`); otherwise the span threshold decides.
    merge_adjacent
        Report consecutive sentences with the same label as one span.
    max_word_features
        Cap on the word n-gram vocabulary (the most frequent are kept), which
        bounds the size of the model file.
    seed
        Random state of the solver, for reproducible models.
    """

    def __init__(self, labels: Sequence[str] = (), C: float = 12.0, word_ngrams: tuple[int, int] = (1, 2),
                 char_ngrams: tuple[int, int] = (3, 5), min_df: int = 2, threshold_folds: int = 4,
                 case_weight: float = 0.0, case_level: bool = True, merge_adjacent: bool = True,
                 max_word_features: int = 20000, seed: int = 0):
        self.labels = labels
        self.C = C
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.threshold_folds = threshold_folds
        self.case_weight = case_weight
        self.case_level = case_level
        self.merge_adjacent = merge_adjacent
        self.max_word_features = max_word_features
        self.seed = seed

    def _pipeline(self) -> Pipeline:
        features = ColumnTransformer([
            ("words", TfidfVectorizer(token_pattern=r"\S+", lowercase=False, ngram_range=tuple(self.word_ngrams),
                                      min_df=self.min_df, sublinear_tf=True, max_features=self.max_word_features),
             "words"),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(self.char_ngrams),
                                      min_df=self.min_df, sublinear_tf=True, max_features=40000), "chars"),
            ("cues", DictVectorizer(), "cues"),
        ])
        model = LogisticRegression(C=self.C, class_weight="balanced", solver="liblinear",
                                   random_state=self.seed, max_iter=200)
        return Pipeline([("features", features), ("clf", OneVsRestClassifier(model))])

    def _fit_pipeline(self, X: Sequence[dict], Y: np.ndarray) -> Pipeline:
        pipe = self._pipeline()
        with warnings.catch_warnings():  # a label absent from a fold is expected with rare labels
            warnings.filterwarnings("ignore", message="Label not .* is present in all training examples")
            pipe.fit(_frame(X), Y)
        for _, vec, _ in pipe.named_steps["features"].transformers_:
            if hasattr(vec, "stop_words_"):
                del vec.stop_words_  # the pruned vocabulary: nothing to ship, may hold rare words
        integer_vocabularies(pipe)
        return pipe

    def fit(self, X: Sequence[dict], Y: np.ndarray, groups: Sequence[str] | None = None) -> SpanClassifier:
        """Fit on sentence feature dicts ``X`` and a 0/1 matrix ``Y`` (sentences × labels).

        With ``groups`` (the case id of each sentence) and ``threshold_folds``,
        thresholds are chosen on out-of-fold probabilities.
        """
        Y = np.asarray(Y, dtype=int)
        if Y.shape != (len(X), len(self.labels)):
            raise ValueError(f"Y has shape {Y.shape}, expected {(len(X), len(self.labels))}")
        self.labels_ = tuple(self.labels)
        self.thresholds_ = np.full(len(self.labels_), DEFAULT_THRESHOLD)
        self.case_thresholds_ = self.thresholds_.copy()
        self.cv_objective_ = np.zeros(len(self.labels_))
        if groups is not None and self.threshold_folds and len(set(groups)) >= self.threshold_folds:
            groups = np.asarray(groups)
            oof = self.out_of_fold(X, Y, groups)
            for j in range(len(self.labels_)):
                if Y[:, j].sum() >= _MIN_POSITIVES:
                    self.thresholds_[j], self.cv_objective_[j] = choose_threshold(
                        oof[:, j], Y[:, j], groups, case_weight=self.case_weight)
                    self.case_thresholds_[j] = (choose_case_threshold(oof[:, j], Y[:, j], groups)
                                                if self.case_level else self.thresholds_[j])
        self.pipeline_ = self._fit_pipeline(X, Y)
        self.n_features_ = len(self.pipeline_.named_steps["features"].get_feature_names_out())
        log.info("fitted %d labels on %d sentences, %d features", len(self.labels_), len(X), self.n_features_)
        return self

    def out_of_fold(self, X: Sequence[dict], Y: np.ndarray, groups: np.ndarray) -> np.ndarray:
        """Out-of-fold probabilities by :class:`GroupKFold` over ``groups``."""
        with warnings.catch_warnings():  # a label absent from a fold is expected with rare labels
            warnings.filterwarnings("ignore", message="Label not .* is present in all training examples")
            return cross_val_predict(self._pipeline(), _frame(X), Y, groups=groups,
                                     cv=GroupKFold(n_splits=self.threshold_folds), method="predict_proba")

    def predict_proba(self, X: Sequence[dict]) -> np.ndarray:
        """Probabilities, sentences × labels."""
        return _proba(self.pipeline_, X)

    def predict(self, X: Sequence[dict]) -> np.ndarray:
        """0/1 decisions with the per-label thresholds."""
        return (self.predict_proba(X) >= self.thresholds_).astype(int)

    def feature_names(self) -> np.ndarray:
        """Names of the feature columns (``words__…``, ``chars__…``, ``cues__…``)."""
        return self.pipeline_.named_steps["features"].get_feature_names_out()

    def transform(self, X: Sequence[dict], memo: dict | None = None):
        """The sparse feature matrix of ``X``: the same numbers as the fitted feature step gives.

        The character n-grams of a word are the same in every sentence: ``memo``
        (kept by the caller between calls) remembers their columns per word.
        """
        features = self.pipeline_.named_steps["features"]
        if (not len(X) or not getattr(features, "sparse_output_", False)
                or not all(_known_step(vec) for _, vec, _ in features.transformers_)):
            return features.transform(_frame(X)).tocsr()
        memo = {} if memo is None else memo
        if len(memo) > _MEMO_MAX:
            memo.clear()
        blocks = []
        for name, vec, column in features.transformers_:
            if vec == "drop":
                continue
            values = [x[column] for x in X]
            if isinstance(vec, TfidfVectorizer):
                blocks.append(_tfidf(vec, values, memo.setdefault(name, {})))
            else:
                blocks.append(vec.transform(values))
        return sp.hstack(blocks).tocsr()  # as ColumnTransformer joins its sparse blocks

    def proba_from_matrix(self, matrix) -> np.ndarray:
        """Probabilities from a matrix made by :meth:`transform`."""
        return self.pipeline_.named_steps["clf"].predict_proba(matrix)

    def coef_matrix(self) -> np.ndarray:
        """Coefficients, labels × features (zeros for a label never seen in training)."""
        n = self.n_features_
        return np.vstack([est.coef_.ravel() if hasattr(est, "coef_") else np.zeros(n)
                          for est in self.pipeline_.named_steps["clf"].estimators_])


_MEMO_MAX = 200_000


def _known_step(vec) -> bool:
    """A fitted step :meth:`SpanClassifier.transform` can reproduce: TF-IDF over whole words or char_wb, dicts, drop."""
    if isinstance(vec, TfidfVectorizer):
        return vec.analyzer in ("word", "char_wb") and not vec.binary and vec.input == "content"
    return isinstance(vec, DictVectorizer) or (isinstance(vec, str) and vec == "drop")


def _tfidf(vec: TfidfVectorizer, texts: Sequence[str], memo: dict[str, list[int]]):
    """``vec.transform(texts)``, with the n-gram columns of each word remembered for ``char_wb``.

    ``char_wb`` n-grams never cross a space, so a text's n-grams are those of its
    words in turn; the counts are integers, so adding them up per word gives the
    very matrix ``CountVectorizer`` builds, and the fitted TF-IDF weighting is
    applied to it unchanged.
    """
    vocab = vec.vocabulary_
    analyze = vec.build_analyzer()
    indices: list[int] = []
    indptr = [0]
    for text in texts:
        if vec.analyzer == "char_wb":
            for word in text.split():
                cols = memo.get(word)
                if cols is None:
                    cols = memo[word] = [vocab[g] for g in analyze(word) if g in vocab]
                indices += cols
        else:
            indices += [vocab[g] for g in analyze(text) if g in vocab]
        indptr.append(len(indices))
    counts = sp.csr_matrix((np.ones(len(indices)), np.asarray(indices, dtype=np.int32), np.asarray(indptr, dtype=np.int32)),
                           shape=(len(texts), len(vocab)))
    counts.sum_duplicates()  # sorted columns, one entry per term with its count, as CountVectorizer leaves them
    return vec._tfidf.transform(counts, copy=False)


def _proba(pipe: Pipeline, X: Sequence[dict]) -> np.ndarray:
    if not len(X):
        n = len(pipe.named_steps["clf"].estimators_)
        return np.zeros((0, n))
    return pipe.predict_proba(_frame(X))


__all__ = ["SpanClassifier", "choose_threshold", "clone"]
