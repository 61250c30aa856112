"""Pseudonymisation side by side with deduce, scored by ANNOTATION.md §6.

    pip install -e .[bench]        # deduce (GPL-3.0) is a benchmark-only dependency
    python bench/bench_pii.py [--gold corpus_sample/gold.jsonl]

Prints, per split: recall per PII type, overall recall, character precision and
leaks for this toolkit and for deduce; throughput in characters per second (single
process, after one warm-up pass) and peak memory of the process.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from leerwerkplaats.core import schema  # noqa: E402
from leerwerkplaats.core.records import CaseRecord, PiiSpan  # noqa: E402
from leerwerkplaats.privacy.analyzer import analyse, build_analyzer  # noqa: E402
from leerwerkplaats.reading import corpus
from leerwerkplaats.research.evaluation import score_pii  # noqa: E402

DEDUCE_TYPES = {"persoon": "PERSOON", "patient": "PERSOON", "locatie": "PLAATS", "datum": "DATUM",
                "telefoonnummer": "TELEFOON", "email": "EMAIL", "bsn": "BSN", "url": "URL", "ziekenhuis": "INSTELLING",
                "zorginstelling": "INSTELLING", "instelling": "INSTELLING", "leeftijd": "DATUM", "id": "DOSSIERNUMMER",
                "iban": "IBAN", "postcode": "POSTCODE", "adres": "ADRES"}


REPEATS = 3


def best_of(runs: dict) -> dict:
    """Run each tool REPEATS times, taking turns, so a busy moment of the machine hits both alike.

    Returns, per tool, its last output and its fastest wall time.
    """
    times: dict = {name: [] for name in runs}
    outputs: dict = {}
    for _ in range(REPEATS):
        for name, run in runs.items():
            start = time.perf_counter()
            outputs[name] = run()
            times[name].append(time.perf_counter() - start)
    return {name: (outputs[name], min(times[name])) for name in runs}


def ours(records):
    analyzer = build_analyzer()
    analyse(analyzer, records[0].text)  # warm-up
    return lambda: [
        CaseRecord(r.id, r.text, tuple(PiiSpan(f.start, f.end, f.type) for f in analyse(analyzer, r.text)))
        for r in records
    ]


def deduce_preds(records):
    import deduce

    model = deduce.Deduce()
    model.deidentify(records[0].text)  # warm-up (and lookup build on first install)

    def run():
        preds = []
        for r in records:
            doc = model.deidentify(r.text)
            spans = tuple(PiiSpan(a.start_char, a.end_char, DEDUCE_TYPES.get(a.tag.split("_")[0], "PERSOON"))
                          for a in doc.annotations if a.end_char > a.start_char)
            preds.append(CaseRecord(r.id, r.text, spans))
        return preds

    return run


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", default=str(ROOT / "corpus_sample" / "gold.jsonl"))
    args = ap.parse_args()
    gold = corpus.load(args.gold)
    print(f"{len(gold)} records, {sum(len(r.text) for r in gold):,} characters\n")
    tools = [("leerwerkplaats", ours)]
    try:
        import deduce  # noqa: F401
        tools.append(("deduce", deduce_preds))
    except ImportError:
        print("deduce not installed: pip install -e .[bench]\n")
    results = best_of({name: make(gold) for name, make in tools})
    splits = sorted({r.split for r in gold if r.split}, key=lambda x: (x != "train", x))
    # a set written apart may carry no split, or one of its own: then it is scored whole
    for split in (splits if len(splits) > 1 else [None]):
        subset = [r for r in gold if split is None or r.split == split]
        print(f"## {'split ' + split if split else 'all records'}: {len(subset)} files\n")
        header = "| type | " + " | ".join(results) + " |"
        lines = [header, "|---|" + "---:|" * len(results)]
        scores = {name: score_pii(gold, preds, split=split) for name, (preds, _) in results.items()}
        for t in schema.PII_TYPES:
            lines.append(f"| {t} | " + " | ".join(f"{scores[n]['per_type'][t]['recall']:.3f}" for n in results) + " |")
        lines.append("| **recall, all types** | " + " | ".join(f"**{scores[n]['recall']:.3f}**" for n in results) + " |")
        lines.append("| **character precision** | " + " | ".join(f"**{scores[n]['char_precision']:.3f}**" for n in results) + " |")
        lines.append("| leaks (missed BSN/TEL/EMAIL/IBAN) | " + " | ".join(str(len(scores[n]['leaks'])) for n in results) + " |")
        print("\n".join(lines) + "\n")
    total = sum(len(r.text) for r in gold)
    for name, (_, seconds) in results.items():
        print(f"throughput {name}: {total / seconds:,.0f} chars/s ({seconds:.2f} s for {len(gold)} files, "
              f"single process, best of {REPEATS})")
    print(f"peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
