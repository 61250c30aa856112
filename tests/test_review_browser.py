"""The review in a real browser (Playwright driving Debian's Chromium), then ``run --require-review``.

Skipped only when Chromium is not installed; CI installs it (see .ci/run).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from review_data import MISSED, make_cases

from leerwerkplaats.cli import main
from leerwerkplaats.core.cases import CaseFields, TaggedCase
from leerwerkplaats.run import pipeline

CHROMIUM = os.environ.get("LEERWERKPLAATS_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(os.environ.get("LEERWERKPLAATS_SHOTS", "/tmp/review-shots"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Chromium not installed at {CHROMIUM} (apt-get install chromium)"),
]


@pytest.fixture
def server(tmp_path):
    folder = make_cases(tmp_path / "dossiers")
    env = {**os.environ, "LEERWERKPLAATS_REVIEWER": "Tester"}
    proc = subprocess.Popen([sys.executable, "-c", "from leerwerkplaats.cli import main; main()", "review", str(folder), "--no-browser"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        url = proc.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/\?token=[\w-]{20,}", url), "the first line is the address"
        yield folder, url
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=20)
        for needle in (MISSED, "Sanne", "Brandsma", "token="):
            assert needle not in err, "the server's log holds case text or the token"


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a test dependency")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


SELECT_FIRST = """(word) => {
  const pre = document.getElementById('original');
  const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const i = n.textContent.indexOf(word);
    if (i >= 0) { const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + word.length);
      const s = window.getSelection(); s.removeAllRanges(); s.addRange(r); return true; }
  }
  return false;
}"""


class NoTags:
    """The tagger does not matter here; the real pseudonymiser does."""

    def tag(self, case):
        return TaggedCase(case, (), CaseFields(), (), "geen model")


def test_select_missed_name_approve_and_run_renders_only_that_file(server, browser, tmp_path, pseudonymiser,
                                                                    monkeypatch):
    folder, url = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    assert page.url.endswith("/") and "token" not in page.url  # the token left the address bar
    page.wait_for_selector("#queue")
    assert page.locator("#queue tbody tr").count() == 2
    page.screenshot(path=str(SHOTS / "queue.png"), full_page=True)

    page.click("text=huisbezoek.txt")
    page.wait_for_selector("body[data-ready='1']", state="attached")
    page.keyboard.press("n")
    page.screenshot(path=str(SHOTS / "file.png"))
    assert MISSED in page.inner_text("#pseudo")

    assert page.evaluate(SELECT_FIRST, MISSED)
    with page.expect_response(lambda r: r.url.endswith("/add")):
        page.keyboard.press("a")
    page.wait_for_selector("#original mark.added")
    assert page.locator("#original mark.added").count() == 5  # every occurrence, any capitalisation
    assert MISSED.lower() not in page.inner_text("#pseudo").lower()
    page.screenshot(path=str(SHOTS / "after-edit.png"))

    with page.expect_response(lambda r: r.url.endswith("/status")):
        page.keyboard.press("Shift+A")
    page.wait_for_selector("#status.s-approved")
    page.goto(url.split("?")[0])
    assert "goedgekeurd" in page.inner_text("#queue")
    page.screenshot(path=str(SHOTS / "queue-after.png"), full_page=True)
    assert all(u.startswith(url.split("?")[0]) for u in requests), "nothing loaded from elsewhere"
    assert not any(MISSED.lower() in u.lower() for u in requests), "no case text in any URL"

    monkeypatch.setattr(pipeline, "default_engines", lambda options: (pseudonymiser, NoTags()))
    out = tmp_path / "sessie"
    result = CliRunner().invoke(main, ["run", str(folder), "-o", str(out), "--require-review",
                                       "--formats", "html", "-j", "1"])
    assert result.exit_code == 3  # the file that was not approved is held back and named
    assert "overleg" in result.output and "not approved in review" in result.output
    cases = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert cases == ["casus-001"]  # neutral names in input order: huisbezoek.txt
    for path in out.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace").lower()
            assert MISSED.lower() not in text, f"{path.name} still holds the name the reviewer added"
