"""The scikit-learn estimator, the decode rules, model files and the tagger on a tiny corpus."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.base import clone

from leerwerkplaats.core.cases import PseudonymisedCase, TaggedCase
from leerwerkplaats.core.errors import ModelError
from leerwerkplaats.core.records import CaseRecord, LabelSpan
from leerwerkplaats.tagging.classifier import SpanClassifier, choose_threshold
from leerwerkplaats.tagging.features import Sentence
from leerwerkplaats.tagging.tagger import Tagger, decode, merge_adjacent

SENTENCES = [
    ("Op school had Daan blauwe plekken op zijn armen.", ("trigger:fysiek_geweld", "bouwsteen:signalering")),
    ("Er is een huisbezoek geweest bij moeder.", ("bouwsteen:gesprek_gezin",)),
    ("Er zijn geen signalen van huiselijk geweld.", ()),
    ("Vader drinkt elke avond veel alcohol.", ("trigger:verslaving_ouder",)),
    ("Het veiligheidsplan is met ouders opgesteld.", ("bouwsteen:plan",)),
    ("De kinderen komen op tijd op school.", ()),
    ("Vader sloeg de kinderen met een riem.", ("trigger:fysiek_geweld",)),
    ("Moeder is dronken en vader gebruikt drugs.", ("trigger:verslaving_ouder",)),
]


def tiny_corpus(n: int = 8) -> list[CaseRecord]:
    """Deterministic small records built from SENTENCES (each leaves one sentence out)."""
    records = []
    for k in range(n):
        parts, spans, pos = [], [], 0
        for i, (sent, labels) in enumerate(SENTENCES):
            if i == k % len(SENTENCES):
                continue
            parts.append(sent)
            spans += [LabelSpan(pos, pos + len(sent), lab) for lab in labels]
            pos += len(sent) + 1
        records.append(CaseRecord(f"casus-{k:03d}", "\n".join(parts) + "\n", (), tuple(spans),
                                  {"clientroute": "onbekend"}, "test" if k == n - 1 else "train"))
    return records


@pytest.fixture(scope="module")
def tiny_model_dir(tmp_path_factory):
    from leerwerkplaats.reading import corpus
    from leerwerkplaats.research.training import train

    folder = tmp_path_factory.mktemp("model")
    data = folder / "tiny.jsonl"
    corpus.dump(tiny_corpus(), data)
    train(data, folder / "tiny", seed=1, folds=3)
    return folder / "tiny"


def _x(words: str, cues: dict | None = None) -> dict:
    return {"words": words, "chars": words, "cues": cues or {"len": 0.1}}


def test_estimator_conventions():
    clf = SpanClassifier(labels=("a", "b"), C=2.0)
    assert clf.get_params()["C"] == 2.0
    assert not any(k.endswith("_") for k in vars(clf))
    X = [_x("slaan kind"), _x("huisbezoek moeder"), _x("slaan riem"), _x("gesprek moeder")] * 3
    Y = np.array([[1, 0], [0, 1], [1, 0], [0, 1]] * 3)
    fitted = clf.fit(X, Y)
    assert fitted is clf
    assert clf.thresholds_.shape == (2,) and clf.labels_ == ("a", "b")
    assert clone(clf).get_params() == clf.get_params()
    assert clf.predict([_x("slaan")])[0].tolist() == [1, 0]


def test_same_seed_same_probabilities():
    X = [_x("slaan kind"), _x("huisbezoek moeder"), _x("slaan riem"), _x("gesprek moeder")] * 3
    Y = np.array([[1, 0], [0, 1], [1, 0], [0, 1]] * 3)
    groups = np.repeat(["g1", "g2", "g3", "g4"], 3)
    a = SpanClassifier(labels=("a", "b"), threshold_folds=2, seed=3).fit(X, Y, groups)
    b = SpanClassifier(labels=("a", "b"), threshold_folds=2, seed=3).fit(X, Y, groups)
    assert np.array_equal(a.predict_proba(X), b.predict_proba(X))
    assert np.array_equal(a.thresholds_, b.thresholds_)


def test_no_rare_vocabulary_kept():
    X = [_x("slaan kind zeldzaamwoord"), _x("huisbezoek moeder"), _x("slaan riem"), _x("gesprek moeder")] * 2
    Y = np.array([[1, 0], [0, 1], [1, 0], [0, 1]] * 2)
    clf = SpanClassifier(labels=("a", "b"), min_df=3).fit(X[:4] + X[5:], np.vstack([Y[:4], Y[5:]]))
    words = clf.pipeline_.named_steps["features"].named_transformers_["words"]
    assert not hasattr(words, "stop_words_")
    assert "zeldzaamwoord" not in words.vocabulary_


def test_choose_threshold_prefers_separating_value():
    proba = np.array([0.9, 0.8, 0.3, 0.2, 0.1, 0.05])
    y = np.array([1, 1, 0, 0, 0, 0])
    t, score = choose_threshold(proba, y, np.array(["a", "a", "a", "b", "b", "b"]))
    assert 0.3 < t <= 0.8 and score == pytest.approx(1.0)


def _sent(kinds=(), cue_hits=None, scoped=None, share=None) -> Sentence:
    """A sentence; with context ``kinds`` and no ``share`` it is wholly in scope."""
    share = (1.0 if kinds else 0.0) if share is None else share
    return Sentence(0, 10, "", "", {}, cue_hits or {}, scoped or {}, frozenset(kinds), scope_share=share)


def test_decode_suppresses_negated_trigger_without_free_cue():
    labels = ("trigger:fysiek_geweld", "bouwsteen:plan", "trigger:ontkrachtend_signaal")
    proba = np.array([[0.9, 0.9, 0.1]])
    tags, ruled = decode([_sent({"negated"})], proba, labels, np.full(3, 0.5))
    assert [labels[j] for _, j, _ in tags] == ["bouwsteen:plan"]
    assert ruled == []


def test_decode_keeps_trigger_when_only_another_clause_is_negated():
    labels = ("trigger:fysiek_geweld",)
    tags, _ = decode([_sent({"negated"}, share=0.3)], np.array([[0.9]]), labels, np.full(1, 0.5))
    assert len(tags) == 1


def test_decode_suppresses_trigger_whose_cue_is_in_a_negated_clause():
    labels = ("trigger:fysiek_geweld",)
    sent = _sent({"negated"}, scoped={"trigger:fysiek_geweld": (("geslagen", "negated"),)}, share=0.3)
    tags, _ = decode([sent], np.array([[0.9]]), labels, np.full(1, 0.5))
    assert tags == []


def test_decode_keeps_trigger_with_cue_outside_scope():
    labels = ("trigger:fysiek_geweld",)
    sent = _sent({"negated"}, cue_hits={"trigger:fysiek_geweld": ("geslagen",)})
    tags, _ = decode([sent], np.array([[0.9]]), labels, np.full(1, 0.5))
    assert len(tags) == 1


def test_decode_ruled_out_concern_becomes_ontkrachtend():
    labels = ("trigger:verwaarlozing", "trigger:ontkrachtend_signaal")
    sent = _sent({"ruled_out"}, scoped={"trigger:verwaarlozing": (("verwaarlozing", "ruled_out"),)})
    tags, ruled = decode([sent], np.array([[0.8, 0.2]]), labels, np.full(2, 0.5))
    assert [labels[j] for _, j, _ in tags] == ["trigger:ontkrachtend_signaal"]
    assert [labels[j] for _, j, _ in ruled] == ["trigger:verwaarlozing"]


def test_decode_case_threshold_decides_presence():
    labels = ("bouwsteen:plan",)
    sents = [_sent(), _sent()]
    proba = np.array([[0.6], [0.3]])
    tags, _ = decode(sents, proba, labels, np.full(1, 0.5), case_thresholds=np.full(1, 0.7))
    assert tags == []  # above the span threshold, but the file does not reach the case threshold
    tags, _ = decode(sents, np.array([[0.3], [0.45]]), labels, np.full(1, 0.5), case_thresholds=np.full(1, 0.4))
    assert [(i, j) for i, j, _ in tags] == [(1, 0)]  # present: its best sentence is tagged


def test_decode_case_threshold_respects_context_rule():
    labels = ("trigger:fysiek_geweld",)
    sents = [_sent({"negated"}), _sent()]
    tags, _ = decode(sents, np.array([[0.9], [0.2]]), labels, np.full(1, 0.5), case_thresholds=np.full(1, 0.3))
    assert tags == []  # the only confident sentence is negated; the other is below the case threshold


def test_merge_adjacent_runs():
    tags = [(0, 0, 0.6), (1, 0, 0.8), (3, 0, 0.7), (1, 1, 0.9)]
    assert merge_adjacent(tags) == [(0, 1, 0, 0.8), (1, 1, 1, 0.9), (3, 3, 0, 0.7)]
    assert merge_adjacent(tags, merge=False) == [(0, 0, 0, 0.6), (1, 1, 0, 0.8), (1, 1, 1, 0.9), (3, 3, 0, 0.7)]


def test_model_folder_contents_and_metadata(tiny_model_dir):
    meta = json.loads((tiny_model_dir / "meta.json").read_text())
    for key in ("labels", "training_data", "versions", "date", "seed", "metrics", "model_sha256", "thresholds"):
        assert key in meta
    assert meta["training_data"]["records"] == 7  # the test record is held out
    assert "casus-007" not in meta["training_data"]["ids"]
    assert "learning aid" in (tiny_model_dir / "MODEL_CARD.md").read_text()
    assert not list(tiny_model_dir.glob("*.pkl"))


def test_tampered_model_is_refused(tiny_model_dir, tmp_path):
    import shutil

    copy = tmp_path / "m"
    shutil.copytree(tiny_model_dir, copy)
    data = bytearray((copy / "model.skops").read_bytes())
    data[-10] ^= 0xFF
    (copy / "model.skops").write_bytes(bytes(data))
    with pytest.raises(ModelError, match="sha256"):
        Tagger.load(copy)


def test_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="meta.json"):
        Tagger.load(tmp_path)


def test_tagger_tags_with_offsets_cues_and_fields(tiny_model_dir):
    tagger = Tagger.load(tiny_model_dir)
    text = "Intro.\nVader sloeg de kinderen met een riem.\nEr is een huisbezoek geweest bij moeder.\n"
    tagged = tagger.tag(PseudonymisedCase("x", text))
    assert isinstance(tagged, TaggedCase)
    assert tagged.model == f"{tagger.name} {tagger.version}"
    assert "trigger:fysiek_geweld" in tagged.labels
    for tag in tagged.tags:
        assert 0 <= tag.start < tag.end <= len(text)
        assert text[tag.start:tag.end].strip() == text[tag.start:tag.end]
        assert 0.0 <= tag.score <= 1.0
    hit = next(t for t in tagged.tags if t.label == "trigger:fysiek_geweld")
    assert text[hit.start:hit.end] == "Vader sloeg de kinderen met een riem."
    assert hit.cues
    assert set(tagged.fields.why) == {"clientroute", "partijen", "onveiligheid", "gi_inzet"}


def test_tag_many_equals_tag(tiny_model_dir):
    tagger = Tagger.load(tiny_model_dir)
    cases = [PseudonymisedCase(f"c{i}", s + "\n" + t) for i, ((s, _), (t, _))
             in enumerate(zip(SENTENCES, SENTENCES[1:]))]
    many = tagger.tag_many(cases)
    assert [m.tags for m in many] == [tagger.tag(c).tags for c in cases]


def test_tagger_refuses_raw_text(tiny_model_dir):
    tagger = Tagger.load(tiny_model_dir)
    with pytest.raises(TypeError):
        tagger.tag("Vader sloeg de kinderen.")
