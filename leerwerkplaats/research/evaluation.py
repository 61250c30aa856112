"""Scoring of ANNOTATION.md §6: PII and labels, as plain dicts; plus table helpers.

- PII: a gold span is caught when every character is covered by predicted PII
  (any type); recall per type and overall; precision on predicted characters;
  a missed ``BSN``/``TELEFOON``/``EMAIL``/``IBAN`` is a leak.
- Labels, case level: a label is present in a file or not; precision, recall
  and F1 per label, micro and macro, triggers and building blocks separately.
- Labels, span level: a gold span is found when a predicted span with the same
  label overlaps it; a predicted span is right when it overlaps a gold span with
  the same label.

Macro averages run over the labels that occur in the gold or the predictions
of the scored records (a label absent from both has no F1). Results hold ids,
offsets and counts, never case text.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from leerwerkplaats.core import schema
from leerwerkplaats.core.records import CaseRecord

GROUPS: dict[str, str] = {"triggers": "trigger:", "bouwstenen": "bouwsteen:"}


def _pair(gold: Iterable[CaseRecord], pred: Iterable[CaseRecord], split: str | None = None):
    by_id = {r.id: r for r in pred}
    out = []
    for g in gold:
        if split is not None and g.split != split:
            continue
        out.append((g, by_id.get(g.id)))
    return out


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def score_pii(gold: Iterable[CaseRecord], pred: Iterable[CaseRecord], split: str | None = None) -> dict:
    """PII recall per type and overall, character precision, and leaks (missed BSN/TELEFOON/EMAIL/IBAN)."""
    per_type: dict[str, list[int]] = {t: [0, 0] for t in schema.PII_TYPES}
    pred_chars = right_chars = 0
    leaks = []
    pairs = _pair(gold, pred, split)
    for g, p in pairs:
        covered = bytearray(len(g.text) + 1)
        for s in (p.pii if p else ()):
            covered[s.start:s.end] = b"\x01" * (s.end - s.start)
        gold_chars = bytearray(len(g.text) + 1)
        for s in g.pii:
            gold_chars[s.start:s.end] = b"\x01" * (s.end - s.start)
            caught = all(covered[s.start:s.end])
            counts = per_type.setdefault(s.type, [0, 0])
            counts[0] += 1
            counts[1] += caught
            if not caught and s.type in schema.LEAK_TYPES:
                leaks.append({"id": g.id, "type": s.type, "start": s.start, "end": s.end})
        pred_chars += sum(covered)
        right_chars += sum(a & b for a, b in zip(covered, gold_chars))
    total = sum(c[0] for c in per_type.values())
    caught = sum(c[1] for c in per_type.values())
    return {
        "records": len(pairs),
        "per_type": {t: {"gold": c[0], "caught": c[1], "recall": round(c[1] / c[0], 4) if c[0] else None}
                     for t, c in per_type.items()},
        "recall": round(caught / total, 4) if total else None,
        "char_precision": round(right_chars / pred_chars, 4) if pred_chars else None,
        "leaks": leaks,
    }


def _summaries(per_label: dict[str, dict], counts: dict[str, list[int]]) -> dict:
    out = {}
    for group, prefix in {**GROUPS, "all": ""}.items():
        labels = [lab for lab in counts if lab.startswith(prefix)]
        tp = sum(counts[lab][0] for lab in labels)
        fp = sum(counts[lab][1] for lab in labels)
        fn = sum(counts[lab][2] for lab in labels)
        active = [lab for lab in labels if counts[lab][0] + counts[lab][1] + counts[lab][2] > 0]
        macro = {k: round(sum(per_label[lab][k] for lab in active) / len(active), 4) if active else 0.0
                 for k in ("precision", "recall", "f1")}
        out[group] = {"micro": _prf(tp, fp, fn), "macro": macro, "labels": len(active)}
    return out


def _case_counts(pairs) -> dict[str, list[int]]:
    counts = {lab.id: [0, 0, 0] for lab in schema.ALL_LABELS}
    for g, p in pairs:
        gl = {s.label for s in g.spans}
        pl = {s.label for s in (p.spans if p else ())}
        for lab in gl | pl:
            c = counts.setdefault(lab, [0, 0, 0])
            c[0] += lab in gl and lab in pl
            c[1] += lab in pl and lab not in gl
            c[2] += lab in gl and lab not in pl
    return counts


def _span_counts(pairs) -> dict[str, list[int]]:
    """tp here is split: found gold spans (recall side) and right predicted spans (precision side)."""
    found = defaultdict(int)
    gold_n = defaultdict(int)
    right = defaultdict(int)
    pred_n = defaultdict(int)
    for g, p in pairs:
        by_label = defaultdict(list)
        for s in (p.spans if p else ()):
            by_label[s.label].append(s)
        gold_by = defaultdict(list)
        for s in g.spans:
            gold_by[s.label].append(s)
        for lab, spans in gold_by.items():
            for s in spans:
                gold_n[lab] += 1
                found[lab] += any(q.start < s.end and s.start < q.end for q in by_label.get(lab, ()))
        for lab, spans in by_label.items():
            for s in spans:
                pred_n[lab] += 1
                right[lab] += any(q.start < s.end and s.start < q.end for q in gold_by.get(lab, ()))
    return {lab.id: [found[lab.id], gold_n[lab.id], right[lab.id], pred_n[lab.id]] for lab in schema.ALL_LABELS}


def _span_prf(found: int, gold: int, right: int, pred: int) -> dict[str, float]:
    p = right / pred if pred else 0.0
    r = found / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def score_labels(gold: Iterable[CaseRecord], pred: Iterable[CaseRecord], split: str | None = None) -> dict:
    """Case-level and span-level scores per label, micro and macro, per group."""
    pairs = _pair(gold, pred, split)
    case_counts = _case_counts(pairs)
    case_per = {lab: {**_prf(*c), "tp": c[0], "fp": c[1], "fn": c[2], "support": c[0] + c[2]}
                for lab, c in case_counts.items()}
    span_counts = _span_counts(pairs)
    span_per = {lab: {**_span_prf(*c), "gold": c[1], "found": c[0], "pred": c[3], "right": c[2]}
                for lab, c in span_counts.items()}
    span_summary = {}
    for group, prefix in {**GROUPS, "all": ""}.items():
        labs = [lab for lab in span_counts if lab.startswith(prefix)]
        sums = [sum(span_counts[lab][k] for lab in labs) for k in range(4)]
        active = [lab for lab in labs if span_counts[lab][1] or span_counts[lab][3]]
        macro = {k: round(sum(span_per[lab][k] for lab in active) / len(active), 4) if active else 0.0
                 for k in ("precision", "recall", "f1")}
        span_summary[group] = {"micro": _span_prf(*sums), "macro": macro, "labels": len(active)}
    return {
        "records": len(pairs),
        "case": {"per_label": case_per, **_summaries(case_per, case_counts)},
        "span": {"per_label": span_per, **span_summary},
    }


def score_case_fields(gold: Iterable[CaseRecord], pred: Iterable[CaseRecord], split: str | None = None) -> dict:
    """Agreement on the case-level fields: accuracy for single values, micro-F1 for lists."""
    out: dict[str, dict] = {}
    pairs = [(g, p) for g, p in _pair(gold, pred, split) if g.case and p is not None and p.case]
    for key, (_, is_list) in schema.CASE_FIELDS.items():
        rows = [(g.case.get(key), p.case.get(key)) for g, p in pairs if key in g.case]
        if not rows:
            continue
        if is_list:
            tp = sum(len(set(a or ()) & set(b or ())) for a, b in rows)
            fp = sum(len(set(b or ()) - set(a or ())) for a, b in rows)
            fn = sum(len(set(a or ()) - set(b or ())) for a, b in rows)
            out[key] = {"records": len(rows), **_prf(tp, fp, fn)}
        else:
            out[key] = {"records": len(rows), "accuracy": round(sum(a == b for a, b in rows) / len(rows), 4)}
    return out


def weakest(result: dict, level: str = "case", n: int = 5) -> list[tuple[str, float, int]]:
    """The ``n`` labels with the lowest F1 among those with gold support: (label, f1, support)."""
    per = result[level]["per_label"]
    key = "support" if level == "case" else "gold"
    rows = [(lab, v["f1"], v[key]) for lab, v in per.items() if v[key]]
    return sorted(rows, key=lambda r: (r[1], -r[2], r[0]))[:n]


# --- presentation ------------------------------------------------------------------

def _fmt(x) -> str:
    return "-" if x is None else f"{x:.3f}"


def pii_table(result: dict):
    """A rich table of PII recall per type, with the overall line and leaks."""
    from rich.table import Table

    table = Table("PII type", "gold", "caught", "recall", title="PII (ANNOTATION.md §6)")
    for t, v in result["per_type"].items():
        if v["gold"]:
            table.add_row(t, str(v["gold"]), str(v["caught"]), _fmt(v["recall"]))
    table.add_row("overall", "", "", _fmt(result["recall"]), end_section=True)
    table.add_row("char precision", "", "", _fmt(result["char_precision"]))
    leaks = result["leaks"]
    table.caption = (f"LEAKS: {len(leaks)} missed " + ", ".join(sorted({x['type'] for x in leaks}))
                     if leaks else "leaks: none (no BSN/TELEFOON/EMAIL/IBAN missed)")
    return table


def summary_table(results: dict[str, dict], title: str = "Labels: micro / macro F1"):
    """Micro and macro F1 per group and level, one column per result (for compare)."""
    from rich.table import Table

    table = Table("level", "group", "avg", *results.keys(), title=title)
    for level in ("case", "span"):
        for group in ("triggers", "bouwstenen", "all"):
            for avg in ("micro", "macro"):
                table.add_row(level, group, avg, *(_fmt(r[level][group][avg]["f1"]) for r in results.values()))
    return table


def labels_table(results: dict[str, dict], level: str = "case"):
    """Per-label P/R/F1 at ``level``, one F1 column per result (or P/R/F1 for one)."""
    from rich.table import Table

    names = list(results)
    if len(names) == 1:
        table = Table("label", "support", "P", "R", "F1", title=f"Per label ({level} level)")
    else:
        table = Table("label", "support", *names, title=f"Per label ({level} level), F1")
    key = "support" if level == "case" else "gold"
    for lab in schema.ALL_LABELS:
        rows = [results[n][level]["per_label"][lab.id] for n in names]
        if not any(r[key] or r.get("pred") or r.get("fp") for r in rows):
            continue
        if len(names) == 1:
            r = rows[0]
            table.add_row(lab.id, str(r[key]), _fmt(r["precision"]), _fmt(r["recall"]), _fmt(r["f1"]))
        else:
            table.add_row(lab.id, str(rows[0][key]), *(_fmt(r["f1"]) for r in rows))
    return table


def summary_lines(result: dict) -> list[str]:
    """Plain-text headline figures of a label result."""
    out = []
    for level in ("case", "span"):
        for group in ("triggers", "bouwstenen", "all"):
            g = result[level][group]
            out.append(f"{level:4s} {group:10s} micro-F1 {g['micro']['f1']:.3f}  macro-F1 {g['macro']['f1']:.3f}")
    return out
