"""Benchmark the tagger: prediction speed (files/s) and, with --train, training time.

    .venv/bin/python bench/bench_tagger.py                 # predict speed of models/default
    .venv/bin/python bench/bench_tagger.py --train         # also time 'train' on the shipped corpus
    .venv/bin/python bench/bench_tagger.py --threads 2     # pin BLAS/OpenMP threads (2 cores)

Targets (issue 4): predict >= 20 case files a second; train < 3 minutes on 2 cores.
Prints figures only, never case text.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT / "corpus_sample" / "gold.jsonl")
    ap.add_argument("--model", type=Path, default=ROOT / "models" / "default")
    ap.add_argument("--repeat", type=int, default=3, help="passes over the corpus for the predict timing")
    ap.add_argument("--batch", type=int, default=16, help="cases per tag_many call")
    ap.add_argument("--train", action="store_true", help="also time training (with the CV report)")
    ap.add_argument("--threads", type=int, default=None, help="limit BLAS/OpenMP threads")
    args = ap.parse_args(argv)
    if args.threads:
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(args.threads)

    from leerwerkplaats.core.cases import ResearchText
    from leerwerkplaats.reading import corpus
    from leerwerkplaats.tagging.tagger import Tagger

    records = corpus.load(args.data)
    cases = [ResearchText(r.id, r.text) for r in records]
    words = sum(len(r.text.split()) for r in records)
    t0 = time.perf_counter()
    tagger = Tagger.load(args.model)
    load_s = time.perf_counter() - t0
    tagger.tag_many(cases[:2])  # warm-up
    t0 = time.perf_counter()
    n = 0
    for _ in range(args.repeat):
        for i in range(0, len(cases), args.batch):
            tagger.tag_many(cases[i:i + args.batch])
            n += len(cases[i:i + args.batch])
    tag_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for case in cases[:10]:
        tagger.tag(case)
    single_s = (time.perf_counter() - t0) / min(10, len(cases))
    print(f"model: {tagger.name} {tagger.version}")
    print(f"load: {load_s:.2f} s")
    print(f"predict (tag_many, batch {args.batch}): {n} files in {tag_s:.2f} s = {n / tag_s:.1f} files/s "
          f"({words * args.repeat / tag_s:,.0f} words/s)")
    print(f"predict (tag, one at a time): {1 / single_s:.1f} files/s")
    if args.train:
        from leerwerkplaats.research.training import train

        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            train(args.data, Path(tmp) / "bench", seed=0)
            print(f"train (with 5-fold grouped CV report): {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
