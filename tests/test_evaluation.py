"""Scoring of ANNOTATION.md §6 on hand-made records."""

from __future__ import annotations

import pytest

from leerwerkplaats.core.records import CaseRecord, LabelSpan, PiiSpan
from leerwerkplaats.research.evaluation import score_case_fields, score_labels, score_pii, weakest

TEXT = "Sanne belt 06-12345678 vanuit Leiden. Vader sloeg Daan. Huisbezoek gedaan. Plan gemaakt."


def rec(rid="a", pii=(), spans=(), split="test", case=None) -> CaseRecord:
    return CaseRecord(rid, TEXT, tuple(pii), tuple(spans), case, split)


GOLD_PII = (PiiSpan(0, 5, "PERSOON"), PiiSpan(11, 22, "TELEFOON"), PiiSpan(30, 36, "PLAATS"))


def test_pii_recall_precision_and_leak():
    pred = rec(pii=(PiiSpan(0, 5, "PERSOON"), PiiSpan(11, 16, "TELEFOON"), PiiSpan(30, 40, "PLAATS")))
    res = score_pii([rec(pii=GOLD_PII)], [pred])
    assert res["per_type"]["PERSOON"]["recall"] == 1.0
    assert res["per_type"]["TELEFOON"]["recall"] == 0.0  # partly covered is not caught
    assert res["recall"] == pytest.approx(2 / 3, abs=1e-4)
    assert res["char_precision"] == pytest.approx((5 + 5 + 6) / (5 + 5 + 10), abs=1e-4)
    assert res["leaks"] == [{"id": "a", "type": "TELEFOON", "start": 11, "end": 22}]


def test_pii_caught_by_several_spans_of_any_type():
    pred = rec(pii=(PiiSpan(11, 15, "DATUM"), PiiSpan(15, 22, "BSN")))
    res = score_pii([rec(pii=GOLD_PII[1:2])], [pred])
    assert res["recall"] == 1.0 and res["leaks"] == []


G_SPANS = (LabelSpan(38, 55, "trigger:fysiek_geweld"), LabelSpan(56, 74, "bouwsteen:gesprek_gezin"),
           LabelSpan(75, 88, "bouwsteen:plan"))


def test_labels_case_and_span_level():
    pred = rec(spans=(LabelSpan(40, 50, "trigger:fysiek_geweld"), LabelSpan(56, 74, "bouwsteen:evaluatie"),
                      LabelSpan(75, 88, "bouwsteen:plan"), LabelSpan(0, 10, "bouwsteen:plan")))
    res = score_labels([rec(spans=G_SPANS)], [pred])
    case = res["case"]
    assert case["triggers"]["micro"]["f1"] == 1.0
    assert case["bouwstenen"]["micro"]["precision"] == 0.5  # plan right, evaluatie wrong
    assert case["bouwstenen"]["micro"]["recall"] == 0.5  # gesprek_gezin missed
    span = res["span"]
    assert span["per_label"]["bouwsteen:plan"]["precision"] == 0.5  # one of two predicted plan spans overlaps
    assert span["per_label"]["bouwsteen:plan"]["recall"] == 1.0
    assert span["triggers"]["micro"]["f1"] == 1.0
    assert span["bouwstenen"]["macro"]["f1"] == pytest.approx((2 / 3 + 0 + 0) / 3, abs=1e-3)


def test_split_filter_and_missing_prediction():
    gold = [rec("a", spans=G_SPANS, split="train"), rec("b", spans=G_SPANS, split="test")]
    res = score_labels(gold, [rec("a", spans=G_SPANS)], split="test")
    assert res["records"] == 1
    assert res["case"]["all"]["micro"]["recall"] == 0.0


def test_weakest_lists_lowest_f1_first():
    pred = rec(spans=G_SPANS[:1])
    res = score_labels([rec(spans=G_SPANS)], [pred])
    names = [lab for lab, _, _ in weakest(res, n=2)]
    assert set(names) == {"bouwsteen:gesprek_gezin", "bouwsteen:plan"}


def test_case_fields_agreement():
    g = rec(case={"clientroute": "C", "partijen": ["gi", "school"], "onveiligheid": "geen", "gi_inzet": []})
    p = rec(case={"clientroute": "D", "partijen": ["gi"], "onveiligheid": "geen", "gi_inzet": []})
    res = score_case_fields([g], [p])
    assert res["clientroute"]["accuracy"] == 0.0
    assert res["onveiligheid"]["accuracy"] == 1.0
    assert res["partijen"]["recall"] == 0.5


def test_results_carry_no_text():
    res = score_pii([rec(pii=GOLD_PII)], [rec()])
    assert "Sanne" not in repr(res) and "06-12345678" not in repr(res)
