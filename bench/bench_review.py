"""Time the review in the browser on the sample corpus: open the queue, open a file, apply an edit.

    python bench/bench_review.py [--chromium /usr/bin/chromium] [--shots DIR]

Copies corpus_sample/raw (60 files) plus one 20-page file (sample files joined)
to a temporary folder, starts ``leerwerkplaats review`` on it, and drives
Chromium with Playwright. Prints timings only, never case text.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "corpus_sample" / "raw"
PAGE_CHARS = 3000  # a dense A4 page of case notes
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]
# select the first capitalised word of the original that no span covers, as a reviewer would select a missed name
SELECT_WORD = """() => {
  const pre = document.getElementById('original');
  const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement.tagName === 'MARK') continue;
    const m = /\\b[A-Z][a-z]{5,}\\b/.exec(n.textContent);
    if (m) { const r = document.createRange(); r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
      const s = window.getSelection(); s.removeAllRanges(); s.addRange(r); return true; }
  }
  return false;
}"""


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:  # the sample holds Windows-1252 exports on purpose
        return data.decode("cp1252")


def build_folder(tmp: Path) -> Path:
    folder = tmp / "dossiers"
    shutil.copytree(RAW, folder)
    texts = [_text(p.read_bytes()) for p in sorted(RAW.glob("*.txt"))]
    long, i = [], 0
    while sum(map(len, long)) < 20 * PAGE_CHARS:
        long.append(texts[i % len(texts)])
        i += 1
    (folder / "zz-twintig-paginas.txt").write_text("\n\n".join(long), encoding="utf-8")
    return folder


def server_side(folder: Path) -> None:
    """An edit on the 20-page file in process: store the decision, re-apply, replace again (wall and CPU)."""
    import re

    from leerwerkplaats.review import adapter
    from leerwerkplaats.review.service import ReviewSession

    only = Path(tempfile.mkdtemp()) / "een"
    only.mkdir()
    shutil.copy(folder / "zz-twintig-paginas.txt", only)
    session = ReviewSession(only, adapter.build_pseudonymiser(), "bench").load()
    entry = next(iter(session.entries.values()))
    text = entry.source.raw.text
    covered = {i for s in session.spans(entry) for i in range(s.start, s.end)}
    word = next(m for m in re.finditer(r"\b[A-Z][a-z]{5,}\b", text) if m.start() not in covered)
    session.view(entry.fid)
    wall, cpu = [], []
    for _ in range(5):
        for kind in ("add", "remove"):
            w, c = time.perf_counter(), time.process_time()
            if kind == "add":
                session.add(entry.fid, word.start(), word.end(), "PERSOON")
            else:
                session.remove(entry.fid, word.start(), word.end())
            session.view(entry.fid)
            wall.append(time.perf_counter() - w)
            cpu.append(time.process_time() - c)
    print(f"20-page file, edit in the server (decision stored, view rebuilt): median {statistics.median(wall) * 1000:.0f} ms "
          f"wall, {statistics.median(cpu) * 1000:.0f} ms CPU over {len(wall)} edits")
    shutil.rmtree(only.parent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--shots", type=Path, help="Also save screenshots here.")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        folder = build_folder(Path(tmp))
        chars = len((folder / "zz-twintig-paginas.txt").read_text(encoding="utf-8"))
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", "from leerwerkplaats.cli import main; main()", "review",
                                 str(folder), "--no-browser", "--reviewer", "bench"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            url = proc.stdout.readline().strip()
            t_url = time.perf_counter() - t0
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=args.chromium, args=ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.goto(url, timeout=300_000)
                page.wait_for_selector("#queue")
                t_cold = time.perf_counter() - t0
                if args.shots:
                    args.shots.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(args.shots / "bench-queue.png"), full_page=True)
                warm = []
                for _ in range(5):
                    t = time.perf_counter()
                    page.reload()
                    page.wait_for_selector("#queue")
                    warm.append(time.perf_counter() - t)
                base = url.split("?")[0]
                rows = page.locator("#queue tbody tr a")
                names = [rows.nth(i).inner_text() for i in range(rows.count())]
                hrefs = [rows.nth(i).get_attribute("href") for i in range(rows.count())]
                print(f"files in the queue: {len(names)}; 20-page file: {chars} characters")
                print(f"queue, cold (command start → queue shown, includes analysing every file): {t_cold:.1f} s "
                      f"(address printed after {t_url:.1f} s)")
                print(f"queue, warm: median {statistics.median(warm) * 1000:.0f} ms over {len(warm)} loads")
                for label, href in (("typical file", hrefs[len(hrefs) // 2]),
                                    ("20-page file", hrefs[names.index("zz-twintig-paginas.txt")])):
                    opens, edits, parts = [], [], []
                    for _ in range(3):
                        t = time.perf_counter()
                        page.goto(base.rstrip("/") + href)
                        page.wait_for_selector("body[data-ready='1']", state="attached")
                        opens.append(time.perf_counter() - t)
                    for kind in ("add", "remove"):
                        if kind == "add":
                            assert page.evaluate(SELECT_WORD)
                        else:
                            page.click("#original mark.added")
                        t = time.perf_counter()
                        with page.expect_response(lambda r, k=kind: r.url.endswith("/" + k)) as resp:
                            page.keyboard.press("a" if kind == "add" else "x")
                        page.wait_for_function("document.body.dataset.editMs !== undefined")
                        page.wait_for_timeout(0)
                        edits.append(time.perf_counter() - t)
                        timing = resp.value.request.timing
                        parts.append((timing["responseEnd"] - timing["requestStart"],
                                      float(page.evaluate("document.body.dataset.renderMs")),
                                      float(page.evaluate("document.body.dataset.editMs"))))
                        page.evaluate("delete document.body.dataset.editMs")
                        if args.shots and label == "20-page file" and kind == "add":
                            page.screenshot(path=str(args.shots / "bench-20-pages-after-edit.png"))
                    print(f"{label}: open median {statistics.median(opens) * 1000:.0f} ms; edit in the page "
                          f"(request sent → both panes re-rendered) add {parts[0][2]:.0f} ms, remove {parts[1][2]:.0f} ms "
                          f"(of which the request {parts[0][0]:.0f}/{parts[1][0]:.0f} ms, rendering "
                          f"{parts[0][1]:.0f}/{parts[1][1]:.0f} ms); seen by the test driver {edits[0] * 1000:.0f}/"
                          f"{edits[1] * 1000:.0f} ms")
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=20)
        server_side(folder)


if __name__ == "__main__":
    main()
