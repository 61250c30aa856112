"""The statistical PII recogniser beside the rules: each alone and combined, scored by ANNOTATION.md §6.

    python bench/bench_pii_model.py                      # sample corpus, test split
    python bench/bench_pii_model.py --gold FILE --split all

Prints recall per PII type, overall recall, character precision and leaks for the
rules alone, the model alone and both combined (the model's spans go through the
same overlap resolution and file-wide linking as the rules'); then throughput on
all records of the file, single process, best of three taking turns (with deduce
when it is installed: ``pip install -e .[bench]``).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from leerwerkplaats.core import schema
from leerwerkplaats.core.records import CaseRecord, PiiSpan
from leerwerkplaats.privacy.analyzer import analyse, build_analyzer
from leerwerkplaats.privacy.statistical import StatisticalRecogniser
from leerwerkplaats.reading import corpus
from leerwerkplaats.research.evaluation import score_pii

REPEATS = 3


def rules():
    analyzer = build_analyzer()
    return lambda text: [(f.start, f.end, f.type) for f in analyse(analyzer, text)]


def model(model_dir):
    recogniser = StatisticalRecogniser(model_dir)
    return lambda text: [(s, e, t) for s, e, t, _ in recogniser.spans(text)]


def combined(model_dir):
    analyzer = build_analyzer()
    analyzer.registry.add_recognizer(StatisticalRecogniser(model_dir))
    return lambda text: [(f.start, f.end, f.type) for f in analyse(analyzer, text)]


def deduce_tool():
    import deduce

    engine = deduce.Deduce()
    return lambda text: [(a.start_char, a.end_char, "PERSOON") for a in engine.deidentify(text).annotations
                         if a.end_char > a.start_char]


def predict(find, records):
    return [CaseRecord(r.id, r.text, tuple(PiiSpan(s, e, t) for s, e, t in find(r.text))) for r in records]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", default=str(ROOT / "corpus_sample" / "gold.jsonl"))
    ap.add_argument("--split", default="test", help="split to score, or 'all'")
    ap.add_argument("--model", default=None, help="PII model folder (default: the shipped one)")
    args = ap.parse_args()
    gold = corpus.load(args.gold)
    scored = gold if args.split == "all" else [r for r in gold if r.split == args.split]
    tools = {"rules": rules(), "model": model(args.model), "rules + model": combined(args.model)}
    try:
        tools["deduce (speed only)"] = deduce_tool()
    except ImportError:
        print("deduce not installed: pip install -e .[bench]\n")
    logging.disable(logging.INFO)  # deduce and Presidio log at import and per call; not part of the work
    for find in tools.values():
        find(gold[0].text)  # warm-up
    print(f"{Path(args.gold).name}: {len(scored)} files scored ({args.split}), "
          f"{sum(len(r.text) for r in scored):,} characters\n")
    names = [n for n in tools if "deduce" not in n]
    scores = {n: score_pii(scored, predict(tools[n], scored)) for n in names}
    lines = ["| type | gold | " + " | ".join(names) + " |", "|---|---:|" + "---:|" * len(names)]
    for t in schema.PII_TYPES:
        gold_n = scores[names[0]]["per_type"][t]["gold"]
        if gold_n:
            lines.append(f"| {t} | {gold_n} | " + " | ".join(f"{scores[n]['per_type'][t]['recall']:.3f}" for n in names) + " |")
    lines.append("| **recall, all types** | | " + " | ".join(f"**{scores[n]['recall']:.3f}**" for n in names) + " |")
    lines.append("| **character precision** | | " + " | ".join(f"**{scores[n]['char_precision']:.3f}**" for n in names) + " |")
    lines.append("| leaks (missed BSN/TEL/EMAIL/IBAN) | | " + " | ".join(str(len(scores[n]["leaks"])) for n in names) + " |")
    print("\n".join(lines) + "\n")
    times: dict[str, list[float]] = {n: [] for n in tools}
    for _ in range(REPEATS):
        for name, find in tools.items():
            start = time.perf_counter()
            for r in gold:
                find(r.text)
            times[name].append(time.perf_counter() - start)
    total = sum(len(r.text) for r in gold)
    for name, ts in times.items():
        print(f"throughput {name}: {total / min(ts):,.0f} chars/s ({min(ts):.2f} s for {len(gold)} files, best of {REPEATS})")


if __name__ == "__main__":
    main()
