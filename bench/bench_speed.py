"""Speed of the tagger as ratios: model load, tagging chars/s, and `predict` against deduce.

    .venv/bin/python bench/bench_speed.py                          # this checkout only
    .venv/bin/python bench/bench_speed.py --baseline e760d46       # before/after against a commit
    .venv/bin/python bench/bench_speed.py --baseline e760d46 --deduce   # + predict vs deduce on ~2 MB

Every measurement runs in a fresh process (``--rounds`` times, the best one counts;
baseline and this checkout take turns, so a busy machine weighs on both alike).
The baseline is exported with ``git archive`` into a temporary folder and runs its
own code and its own ``models/default``. Tagging is timed on the texts of
``corpus_sample/gold.jsonl`` with ``Tagger.tag_many`` (batches of 16), after one
warm-up pass; both wall and CPU seconds are reported, and ratios use CPU seconds
(less disturbed by other processes than wall time; both are printed).

With ``--deduce`` (``pip install deduce``: GPL, bench only, never imported by the
package): the whole ``leerwerkplaats predict`` (PII + tags, start-up included) on
~2 MB of text made of the gold texts repeated, against deduce's PII-only
``Deduce().deidentify`` of the same texts, start-up included. Once each: minutes.

Prints figures only, never case text.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = "corpus_sample/gold.jsonl"
CORPORA = ("corpus_sample/gold.jsonl", "corpus_registers/gold.jsonl", "corpus_apart/gold.jsonl")
THREADS = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

#: Runs inside the measured checkout (cwd and sys.path[0]): only API both sides have.
_WORKER = r"""
import json, sys, time
sys.path.insert(0, ".")
repeat, batch = int(sys.argv[1]), int(sys.argv[2])
import sklearn.linear_model, skops.io, spacy  # imports are not the model's load time
from leerwerkplaats.core import cases as kinds
from leerwerkplaats.reading import corpus
from leerwerkplaats.tagging.modelfile import load_model
from leerwerkplaats.tagging.tagger import Tagger
# research texts where the checkout has them (main after "one safe road"), trusted cases before
make = getattr(kinds, "ResearchText", None) or kinds.PseudonymisedCase.trusted
cases = [make(r.id, r.text) for r in corpus.load("corpus_sample/gold.jsonl")]
w, c = time.perf_counter(), time.process_time()
load_model("models/default")
file_wall, file_cpu = time.perf_counter() - w, time.process_time() - c
w, c = time.perf_counter(), time.process_time()
tagger = Tagger.load("models/default")
load_wall, load_cpu = time.perf_counter() - w, time.process_time() - c
tagger.tag_many(cases)  # warm-up: first-seen words fill spaCy's and the tagger's caches on both sides
w, c = time.perf_counter(), time.process_time()
for _ in range(repeat):
    for i in range(0, len(cases), batch):
        tagger.tag_many(cases[i:i + batch])
tag_wall, tag_cpu = time.perf_counter() - w, time.process_time() - c
chars = sum(len(x.text) for x in cases) * repeat
print(json.dumps({"file_wall": file_wall, "file_cpu": file_cpu, "load_wall": load_wall, "load_cpu": load_cpu, "tag_wall": tag_wall, "tag_cpu": tag_cpu,
                  "chars": chars, "files": len(cases) * repeat}))
"""

_DEDUCE = r"""
import json, sys, time
w = time.perf_counter()
import deduce
engine = deduce.Deduce()
n = 0
with open(sys.argv[1], encoding="utf-8") as fh:
    for line in fh:
        engine.deidentify(json.loads(line)["text"])
        n += 1
print(json.dumps({"wall": time.perf_counter() - w, "records": n}))
"""


def model_members(root: Path) -> tuple[int, float]:
    """Zip members and MB of ``models/default/model.skops`` under ``root``."""
    import zipfile

    path = root / "models" / "default" / "model.skops"
    with zipfile.ZipFile(path) as zf:
        return len(zf.namelist()), path.stat().st_size / 1e6


def measure(root: Path, repeat: int, batch: int) -> dict:
    """One fresh-process measurement of the checkout at ``root``."""
    env = dict(os.environ, **THREADS, PYTHONHASHSEED="0")
    out = subprocess.run([sys.executable, "-c", _WORKER, str(repeat), str(batch)], cwd=root, env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def best(runs: list[dict]) -> dict:
    """Per figure, the best of the rounds (the least disturbed)."""
    return {k: (min(r[k] for r in runs) if k not in ("chars", "files") else runs[0][k]) for k in runs[0]}


def export(ref: str, into: Path) -> Path:
    """``git archive`` of ``ref`` unpacked into ``into``."""
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def two_mb(path: Path, size: int = 2_000_000) -> int:
    """Write gold texts (all corpora, repeated) as JSONL records up to ``size`` characters; return the count."""
    texts = [json.loads(line)["text"] for name in CORPORA for line in (ROOT / name).open(encoding="utf-8")]
    total = n = 0
    with path.open("w", encoding="utf-8") as fh:
        while total < size:
            text = texts[n % len(texts)]
            fh.write(json.dumps({"id": f"bench-{n:04d}", "text": text}, ensure_ascii=False) + "\n")
            total += len(text)
            n += 1
    return total


def time_predict(root: Path, data: Path, out: Path) -> float:
    """Wall seconds of ``leerwerkplaats predict`` run from ``root`` (start-up included)."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, '.'); from leerwerkplaats.cli import main; main()",
                    "predict", str(data), "-o", str(out), "-q"], cwd=root, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def time_deduce(data: Path) -> float | None:
    """Wall seconds of deduce on the same records (start-up included), or None when deduce is missing."""
    try:
        out = subprocess.run([sys.executable, "-c", _DEDUCE, str(data)], capture_output=True, text=True, check=True)
    except subprocess.CalledProcessError as exc:
        if "No module named 'deduce'" in exc.stderr:
            return None
        raise
    return json.loads(out.stdout.strip().splitlines()[-1])["wall"]


def _row(name: str, before, after, unit: str, higher_is_better: bool = False) -> str:
    if before is None:
        return f"{name:<28} {after:>12.2f} {unit}"
    ratio = (after / before) if higher_is_better else (before / after)
    return f"{name:<28} {before:>12.2f} {after:>12.2f} {unit:<8} {ratio:>6.2f}x"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--baseline", help="git ref to compare with (exported with git archive)")
    ap.add_argument("--rounds", type=int, default=3, help="fresh-process measurements per side; the best counts")
    ap.add_argument("--repeat", type=int, default=2, help="timed passes over the sample per measurement")
    ap.add_argument("--batch", type=int, default=16, help="cases per tag_many call")
    ap.add_argument("--deduce", action="store_true", help="also time predict against deduce on ~2 MB")
    args = ap.parse_args(argv)
    print(f"load average: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} "
          f"on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="lwp-speed-") as tmp:
        base = export(args.baseline, Path(tmp) / "base") if args.baseline else None
        runs: dict[str, list[dict]] = {"after": [], "before": []}
        for _ in range(args.rounds):
            if base:
                runs["before"].append(measure(base, args.repeat, args.batch))
            runs["after"].append(measure(ROOT, args.repeat, args.batch))
        after = best(runs["after"])
        before = best(runs["before"]) if base else None
        print(f"{'':<28} {'before' if base else '':>12} {'after':>12} {'':<8} {'ratio' if base else ''}")
        members_a, mb_a = model_members(ROOT)
        members_b, mb_b = model_members(base) if base else (None, None)
        print(_row("model file zip members", members_b, members_a, "members"))
        print(_row("model file size", mb_b, mb_a, "MB"))
        b = before or {}
        print(_row("model file (load_model)", b.get("file_cpu"), after["file_cpu"], "s cpu"))
        print(_row("model file, wall", b.get("file_wall"), after["file_wall"], "s"))
        print(_row("Tagger.load (+ spaCy nlp)", b.get("load_cpu"), after["load_cpu"], "s cpu"))
        print(_row("Tagger.load, wall", b.get("load_wall"), after["load_wall"], "s"))
        rate = lambda r, k: r["chars"] / r[k]
        print(_row("tagging", rate(before, "tag_cpu") / 1e3 if base else None, rate(after, "tag_cpu") / 1e3,
                   "kchar/s", higher_is_better=True))
        print(_row("tagging, wall", rate(before, "tag_wall") / 1e3 if base else None, rate(after, "tag_wall") / 1e3,
                   "kchar/s", higher_is_better=True))
        print(f"(tagging: {after['files']} files, {after['chars']:,} chars per measurement; "
              f"best of {args.rounds}; ratios > 1 mean faster or smaller after)")
        if args.deduce:
            data = Path(tmp) / "two_mb.jsonl"
            chars = two_mb(data)
            deduce_s = time_deduce(data)
            if deduce_s is None:
                print("deduce is not installed (pip install deduce): no predict/deduce ratio")
                return 0
            predict_a = time_predict(ROOT, data, Path(tmp) / "after.jsonl")
            predict_b = time_predict(base, data, Path(tmp) / "before.jsonl") if base else None
            print(f"predict vs deduce on {chars:,} chars (wall, start-up included; once each):")
            print(f"  deduce (PII only)            {deduce_s:>8.1f} s")
            if predict_b is not None:
                print(f"  predict before (PII + tags)  {predict_b:>8.1f} s = {predict_b / deduce_s:.2f}x deduce")
            print(f"  predict after  (PII + tags)  {predict_a:>8.1f} s = {predict_a / deduce_s:.2f}x deduce")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
