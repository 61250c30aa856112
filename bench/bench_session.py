"""Time the library (``run``) and a session (``sessie``) on the shipped corpus, and where PDF time goes.

    python bench/bench_session.py                          # library in HTML, then a 4-case session in html,pdf,docx
    python bench/bench_session.py --library-formats html --cases 4 --jobs 2
    python bench/bench_session.py --model /path/to/model --keep /tmp/lib

The library is built once into a temporary folder (or ``--keep DIR``); the
session is timed from the finished library, which is what a trainer waits for.
Then one trainer handout is laid out again with the PDF stages timed apart
(HTML parse and style, layout, drawing and writing with font subsetting).
Prints figures; exit code 1 when a file failed for a reason other than
pseudonymisation.
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

from leerwerkplaats.reading.readers import discover  # noqa: E402
from leerwerkplaats.run import library, pipeline  # noqa: E402
from leerwerkplaats.run.session_run import SessionOptions, run_session  # noqa: E402


def build_library(inputs: Path, out: Path, formats: tuple[str, ...], jobs: int, model: str | None) -> int:
    options = pipeline.RunOptions(out, formats, jobs=jobs, model=model)
    jobs_list, pre_failed = pipeline.plan_jobs(discover([inputs]))
    c0, t0 = _cpu(), time.perf_counter()
    report = pipeline.run(jobs_list, options, pipeline.default_engines, pre_failed=pre_failed)
    wall = time.perf_counter() - t0
    status = 0
    print(f"library: {len(report.results)} files, {len(report.failed)} failed, formats {','.join(formats)}, "
          f"{jobs} workers: wall {wall:.1f} s, cpu (all processes) {_cpu() - c0:.1f} s")
    for f in report.failed:
        print(f"  failed: {f.source}: {f.reason}")
        status |= not f.reason.startswith("pseudonymisation failed")
    return status


def time_session(lib: Path, n: int, formats: tuple[str, ...], jobs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="lwp-sessie-") as tmp:
        c0, t0 = _cpu(), time.perf_counter()
        report = run_session(SessionOptions(lib, Path(tmp), n, formats=formats, jobs=jobs), Path(tmp))
        wall = time.perf_counter() - t0
        from pypdf import PdfReader

        pages = {p.relative_to(tmp).as_posix(): len(PdfReader(p).pages) for p in sorted(Path(tmp).rglob("*.pdf"))}
    per = ", ".join(f"{k} {v:.1f} s" for k, v in sorted(report.seconds.items()))
    print(f"session: {len(report.picks)} cases ({', '.join(p.case.case.name for p in report.picks)}), "
          f"formats {','.join(formats)}, {jobs} workers: wall {wall:.1f} s, cpu (all processes) "
          f"{_cpu() - c0:.1f} s; render summed over workers: {per}")
    if pages:
        print("  PDF pages: " + ", ".join(f"{k} {v}" for k, v in pages.items()))


def pdf_stages(lib: Path) -> None:
    """One trainer handout: where the PDF time goes."""
    from weasyprint import HTML

    from leerwerkplaats.handouts import Renderer, pdf
    from leerwerkplaats.handouts import html as html_mod
    from leerwerkplaats.handouts.case_context import case_context

    cases = library.load(lib)
    tagged = max(cases, key=lambda c: len(c.case.text))
    renderer = Renderer.build()
    ctx = case_context(tagged, renderer.questions, renderer.tariffs, trainer=True)
    page = html_mod.render(renderer.env, "trainer", ctx)
    pdf.render_pdf(page)  # warm: fonts, user-agent stylesheet
    match = pdf._STYLE.search(page)
    body = page[:match.start()] + page[match.end():]
    t0 = time.perf_counter()
    sheet = pdf._stylesheet.__wrapped__(match.group(1))
    t1 = time.perf_counter()
    doc = HTML(string=body, base_url=None, url_fetcher=pdf._fetch_nothing)
    t2 = time.perf_counter()
    rendered = doc.render(stylesheets=[sheet], font_config=pdf._fonts())
    t3 = time.perf_counter()
    data = rendered.write_pdf()
    t4 = time.perf_counter()
    total = t4 - t0
    print(f"PDF of the longest trainer handout ({tagged.case.name}, {len(rendered.pages)} pages, "
          f"{len(data) / 1000:.0f} kB): {total:.2f} s = stylesheet parse {t1 - t0:.2f} "
          f"({100 * (t1 - t0) / total:.0f}%), HTML parse {t2 - t1:.2f}, style + layout {t3 - t2:.2f} "
          f"({100 * (t3 - t2) / total:.0f}%), draw + write + font subsetting {t4 - t3:.2f} "
          f"({100 * (t4 - t3) / total:.0f}%)")


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=Path, default=ROOT / "corpus_sample" / "raw")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--library-formats", default="html")
    parser.add_argument("--formats", default="html,pdf,docx")
    parser.add_argument("--cases", type=int, default=4)
    parser.add_argument("--model", default=None)
    parser.add_argument("--keep", type=Path, default=None, help="build the library here (kept); reused if present")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    status = 0
    with tempfile.TemporaryDirectory(prefix="lwp-lib-") as tmp:
        lib = args.keep or Path(tmp)
        if not (lib / library.LIBRARY_FILE).exists():
            status = build_library(args.inputs, lib, tuple(args.library_formats.split(",")), args.jobs, args.model)
        time_session(lib, args.cases, tuple(args.formats.split(",")), args.jobs)
        pdf_stages(lib)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
