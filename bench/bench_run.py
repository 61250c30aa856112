"""Time ``leerwerkplaats run`` on the shipped corpus: HTML, then PDF and DOCX separately.

    python bench/bench_run.py                       # corpus_sample/raw, 2 workers
    python bench/bench_run.py --jobs 2 --formats html --max-html-seconds 60
    python bench/bench_run.py --model /path/to/model

Each format is a separate run into a temporary folder (deleted afterwards), so
the figures do not mix. Wall time includes starting the workers (loading the
pseudonymiser and the tagger). Exit code 1 when the HTML run is slower than
``--max-html-seconds`` or any file failed for a reason other than pseudonymisation.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from leerwerkplaats.reading.readers import discover  # noqa: E402
from leerwerkplaats.run import pipeline  # noqa: E402


def bench(inputs: Path, fmt: str, jobs: int, model: str | None) -> dict:
    with tempfile.TemporaryDirectory(prefix="lwp-bench-") as tmp:
        options = pipeline.RunOptions(Path(tmp), (fmt,), jobs=jobs, model=model)
        jobs_list, pre_failed = pipeline.plan_jobs(discover([inputs]))
        t0 = time.perf_counter()
        report = pipeline.run(jobs_list, options, pipeline.default_engines, pre_failed=pre_failed)
        wall = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in Path(tmp).rglob("*") if p.is_file())
    totals = pipeline.stage_totals(report)
    return {"format": fmt, "files": len(report.results), "failed": report.failed, "wall": wall,
            "render": totals.get(f"render_{fmt}", 0.0) + (totals.get("render_html", 0.0) if fmt != "html" else 0.0),
            "stages": totals, "bytes": size}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=Path, default=ROOT / "corpus_sample" / "raw")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--formats", default="html,pdf,docx")
    parser.add_argument("--model", default=None)
    parser.add_argument("--max-html-seconds", type=float, default=60.0)
    args = parser.parse_args()
    status = 0
    print(f"{'format':<6} {'files':>5} {'failed':>6} {'wall s':>8} {'render s':>9} {'MB':>6}  stages (summed over workers)")
    for fmt in args.formats.split(","):
        r = bench(args.inputs, fmt.strip(), args.jobs, args.model)
        stages = ", ".join(f"{k} {v:.1f}" for k, v in sorted(r["stages"].items()))
        print(f"{r['format']:<6} {r['files']:>5} {len(r['failed']):>6} {r['wall']:>8.1f} {r['render']:>9.1f} "
              f"{r['bytes'] / 1e6:>6.1f}  {stages}")
        for f in r["failed"]:
            print(f"       failed: {f.source}: {f.reason}")
            if not f.reason.startswith("pseudonymisation failed"):
                status = 1
        if fmt == "html" and r["wall"] > args.max_html_seconds:
            print(f"HTML run took {r['wall']:.1f}s, more than {args.max_html_seconds:.0f}s")
            status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
