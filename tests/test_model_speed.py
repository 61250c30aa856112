"""The shipped model loads fast: integer vocabularies, a few hundred zip members."""

from __future__ import annotations

import io
import json
import zipfile

import numpy as np

from leerwerkplaats.core.shipped import default_model_dir
from leerwerkplaats.tagging.classifier import SpanClassifier, integer_vocabularies
from leerwerkplaats.tagging.modelfile import MODEL_FILE, load_model, save_model

MAX_MEMBERS = 1000
LABELS = ("trigger:fysiek_geweld", "bouwsteen:gesprek_gezin")


def _vocabularies(classifier) -> dict[str, dict]:
    features = classifier.pipeline_.named_steps["features"]
    return {name: vec.vocabulary_ for name, vec, _ in features.transformers_ if hasattr(vec, "vocabulary_")}


def _x(words: str) -> dict:
    return {"words": words, "chars": words, "cues": {"len": 0.1}}


def _tiny() -> SpanClassifier:
    X = [_x("slaan kind"), _x("huisbezoek moeder"), _x("slaan riem"), _x("gesprek moeder")] * 3
    Y = np.array([[1, 0], [0, 1], [1, 0], [0, 1]] * 3)
    return SpanClassifier(labels=LABELS, threshold_folds=0).fit(X, Y)


def test_shipped_model_has_few_members_and_integer_vocabularies():
    data = (default_model_dir() / MODEL_FILE).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = zf.namelist()
        schema = json.loads(zf.read("schema.json"))
    assert len(members) < MAX_MEMBERS
    assert _no_numpy_scalars_in_vocabularies(schema)
    classifier, _ = load_model(default_model_dir())
    vocabularies = _vocabularies(classifier)
    assert set(vocabularies) >= {"words", "chars"}
    for vocab in vocabularies.values():
        assert {type(v) for v in vocab.values()} == {int}


def _no_numpy_scalars_in_vocabularies(schema) -> bool:
    """No ``vocabulary_`` node of the skops schema holds a numpy scalar."""
    found = []

    def walk(node, in_vocab=False):
        if isinstance(node, dict):
            if in_vocab and node.get("__module__") == "numpy" and node.get("__class__") != "ndarray":
                found.append(node)
            for key, value in node.items():
                walk(value, in_vocab or key == "vocabulary_")
        elif isinstance(node, list):
            for value in node:
                walk(value, in_vocab)

    walk(schema)
    return not found


def test_fit_leaves_integer_vocabularies():
    for vocab in _vocabularies(_tiny()).values():
        assert vocab and {type(v) for v in vocab.values()} == {int}


def test_save_casts_numpy_vocabularies(tmp_path):
    classifier = _tiny()
    words = _vocabularies(classifier)["words"]
    for term in words:  # as a classifier fitted before the cast would hold them
        words[term] = np.int64(words[term])
    proba = classifier.predict_proba([_x("slaan moeder")])
    save_model(tmp_path, classifier, {"name": "tiny"}, "card")
    with zipfile.ZipFile(tmp_path / MODEL_FILE) as zf:
        assert len(zf.namelist()) < 50
    loaded, _ = load_model(tmp_path)
    assert {type(v) for v in _vocabularies(loaded)["words"].values()} == {int}
    assert np.array_equal(loaded.predict_proba([_x("slaan moeder")]), proba)
    assert integer_vocabularies(loaded.pipeline_) == 0


def test_transform_gives_the_fitted_feature_step_matrix():
    from leerwerkplaats.tagging.classifier import _frame

    rng = np.random.default_rng(0)
    words = [f"woord{i}" for i in range(60)] + ["slaan", "kind", "moeder", "riem", "gesprek"]
    train = [_x(" ".join(rng.choice(words, size=6))) for _ in range(40)]
    classifier = SpanClassifier(labels=LABELS, threshold_folds=0).fit(train, np.array([[i % 2, 1 - i % 2] for i in range(40)]))
    assert classifier.pipeline_.named_steps["features"].sparse_output_
    X = train[:5] + [_x("slaan kind moeder"), _x(""), _x("  slaan\tslaan  riem "), _x("ΣΑΣ Σ gesprek"), _x("<num> moeder ?!")]
    memo: dict = {}
    expected = classifier.pipeline_.named_steps["features"].transform(_frame(X)).tocsr()
    for _ in range(2):  # the second time from the memo
        got = classifier.transform(X, memo)
        assert type(got) is type(expected) and got.shape == expected.shape
        for part in ("indptr", "indices", "data"):
            assert np.array_equal(getattr(got, part), getattr(expected, part))
            assert getattr(got, part).dtype == getattr(expected, part).dtype
    assert memo["chars"]
