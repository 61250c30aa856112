"""The researcher commands through click's CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from test_classifier import tiny_corpus

from leerwerkplaats.cli import main
from leerwerkplaats.reading import corpus

COMMANDS = [["train"], ["evaluate"], ["compare"], ["corpus", "import"], ["corpus", "export"]]


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "tiny.jsonl"
    corpus.dump(tiny_corpus(), path)
    return path


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a) for a in COMMANDS])
def test_every_command_has_help_with_example(runner, args):
    result = runner.invoke(main, [*args, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output


def test_evaluate_gold_against_itself(runner, data):
    result = runner.invoke(main, ["evaluate", str(data), str(data), "--json"])
    assert result.exit_code == 0, result.output
    res = json.loads(result.output)
    assert res["labels"]["case"]["triggers"]["micro"]["f1"] == 1.0
    assert res["labels"]["span"]["bouwstenen"]["micro"]["f1"] == 1.0
    assert res["pii"]["leaks"] == []


def test_evaluate_split_restricts_records(runner, data):
    result = runner.invoke(main, ["evaluate", str(data), str(data), "--json", "--split", "test"])
    assert json.loads(result.output)["labels"]["records"] == 1


def test_evaluate_table_output(runner, data):
    result = runner.invoke(main, ["evaluate", str(data), str(data)])
    assert result.exit_code == 0
    assert "micro" in result.output and "span" in result.output


def test_evaluate_unknown_split_is_a_clear_error(runner, data):
    result = runner.invoke(main, ["evaluate", str(data), str(data), "--split", "dev"])
    assert result.exit_code != 0 and "no records" in result.output


@pytest.mark.slow  # builds the spaCy pipeline and trains a model
def test_train_then_compare(runner, data, tmp_path):
    out = tmp_path / "m"
    result = runner.invoke(main, ["train", "--data", str(data), "--out", str(out), "--no-cv", "--seed", "2"])
    assert result.exit_code == 0, result.output
    assert {"model.skops", "meta.json", "MODEL_CARD.md"} <= {p.name for p in out.iterdir()}
    meta = json.loads((out / "meta.json").read_text())
    assert meta["training_data"]["records"] == 7 and "test" in meta["metrics"]
    result = runner.invoke(main, ["compare", str(data), str(out), str(data), "--json"])
    assert result.exit_code == 0, result.output
    res = json.loads(result.output)
    assert len(res) == 2


@pytest.mark.slow  # builds the spaCy pipeline and trains a model
def test_train_include_test(runner, data, tmp_path):
    out = tmp_path / "m2"
    result = runner.invoke(main, ["train", "--data", str(data), "--out", str(out), "--no-cv", "--include-test"])
    assert result.exit_code == 0, result.output
    assert json.loads((out / "meta.json").read_text())["training_data"]["records"] == 8


@pytest.mark.slow  # builds the spaCy pipeline and trains a model
def test_train_is_reproducible(data, tmp_path):
    import numpy as np

    from leerwerkplaats.research.training import train
    from leerwerkplaats.tagging.modelfile import load_model

    train(data, tmp_path / "a", seed=5, cv=False)
    train(data, tmp_path / "b", seed=5, cv=False)
    (ca, ma), (cb, mb) = load_model(tmp_path / "a"), load_model(tmp_path / "b")
    assert np.array_equal(ca.coef_matrix(), cb.coef_matrix())
    assert np.array_equal(ca.thresholds_, cb.thresholds_)
    assert ma["thresholds"] == mb["thresholds"] and ma["training_data"] == mb["training_data"]


@pytest.mark.parametrize("fmt", ["doccano", "labelstudio"])
def test_corpus_export_import_round_trip(runner, data, tmp_path, fmt):
    exported = tmp_path / f"export.{fmt}"
    back = tmp_path / "back.jsonl"
    assert runner.invoke(main, ["corpus", "export", "--to", fmt, str(data), "-o", str(exported)]).exit_code == 0
    result = runner.invoke(main, ["corpus", "import", "--from", fmt, str(exported), "-o", str(back)])
    assert result.exit_code == 0, result.output
    assert [r.spans for r in corpus.load(back)] == [r.spans for r in corpus.load(data)]


def test_import_bad_file_is_one_clear_line(runner, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("[{\"data\": {\"text\": \"abc\"}, \"annotations\": [{\"result\": [{\"type\": \"labels\", "
                   "\"value\": {\"start\": 0, \"end\": 2, \"text\": \"xx\", \"labels\": [\"PERSOON\"]}}]}]}]")
    result = runner.invoke(main, ["corpus", "import", "--from", "labelstudio", str(bad), "-o", str(tmp_path / "o")])
    assert result.exit_code != 0
    assert "quoted text" in result.output
