import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from leerwerkplaats.cli import main
from leerwerkplaats.core import schema
from leerwerkplaats.reading import corpus
from leerwerkplaats.reading.readers import read_case_file

SAMPLE = Path(__file__).resolve().parents[1] / "corpus_sample"

MIN_LABEL_SPANS = 15
MIN_ROUTE_FILES = 8
MIN_PII_SPANS = 10


def test_shipped_corpus_passes_check(gold):
    assert corpus.check(gold) == []
    assert len(gold) >= 60


def test_minimums_hold(gold):
    st = corpus.stats(gold)
    assert st.words >= 45_000
    assert st.formats["docx"] >= 8 and st.formats["pdf"] >= 4
    low = {lab.id: st.label_spans[lab.id] for lab in schema.ALL_LABELS if st.label_spans[lab.id] < MIN_LABEL_SPANS}
    assert low == {}
    for route in "ABCD":
        assert st.case_values["clientroute"][route] >= MIN_ROUTE_FILES
    for t in schema.PII_TYPES:
        assert st.pii_spans[t] >= MIN_PII_SPANS, t
    assert 0.15 <= st.splits["test"] / st.files <= 0.25


def test_every_record_text_is_what_the_reader_returns(gold):
    for record in gold:
        raw = read_case_file(SAMPLE / record.extra["source"])
        assert raw.text == record.text, record.id


def _record(**changes):
    base = {"id": "x", "text": "Mw. Sanne de Vries belde.", "pii": [{"start": 4, "end": 18, "type": "PERSOON"}],
            "spans": [{"start": 0, "end": 25, "label": "bouwsteen:signalering"}], "case": {"clientroute": "C"}}
    base.update(changes)
    return base


@pytest.mark.parametrize("record,expected", [
    (_record(pii=[{"start": 3, "end": 18, "type": "PERSOON"}]), "starts inside whitespace"),
    (_record(pii=[{"start": 4, "end": 19, "type": "PERSOON"}]), "ends inside whitespace"),
    (_record(pii=[{"start": 4, "end": 18, "type": "NAAM"}]), "unknown PII type 'NAAM'"),
    (_record(spans=[{"start": 0, "end": 25, "label": "trigger:onbekend"}]), "unknown label"),
    (_record(case={"clientroute": "E"}), "unknown value 'E'"),
    (_record(case={"partijen": ["buurvrouw"]}), "unknown value 'buurvrouw'"),
    (_record(pii=[{"start": 4, "end": 99, "type": "PERSOON"}]), "outside the text"),
])
def test_check_catches_each_fault_with_id_and_offset(tmp_path, record, expected):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["corpus", "check", str(path)])
    assert result.exit_code != 0
    assert expected in result.output and "x" in result.output


def test_check_quotes_span_text_and_offset(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps(_record(pii=[{"start": 3, "end": 18, "type": "PERSOON"}])) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["corpus", "check", str(path)])
    assert "offset 3-18" in result.output and '" Sanne de Vries"' in result.output


def test_bad_json_line_is_named(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text('{"id": "a", "text": "x"}\n{kapot\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["corpus", "check", str(path)])
    assert result.exit_code != 0 and "c.jsonl:2" in result.output


def test_stats_markdown_lists_every_label(gold, tmp_path):
    result = CliRunner().invoke(main, ["corpus", "stats", str(SAMPLE / "gold.jsonl"), "--markdown"])
    assert result.exit_code == 0
    for lab in schema.ALL_LABELS:
        assert f"`{lab.id}`" in result.output


def test_nfc_on_load(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "Cafe\u0301"}) + "\n", encoding="utf-8")
    assert corpus.load(path)[0].text == "Café"
