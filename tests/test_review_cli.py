"""``review`` on the command line, and ``pseudonymise`` / ``run`` applying the review's decisions."""

from __future__ import annotations

import hashlib

import pytest
from click.testing import CliRunner
from review_data import MISSED, make_cases

from leerwerkplaats.cli import main
from leerwerkplaats.core.cases import CaseFields, PseudonymisedCase, TaggedCase
from leerwerkplaats.review.adapter import NOTE_UNREVIEWED
from leerwerkplaats.review.service import ReviewSession
from leerwerkplaats.review.store import ReviewStore
from leerwerkplaats.run import pipeline


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def reviewed(tmp_path, pseudonymiser):
    """The fictional folder with the missed name added in one file, that file approved, the other withheld."""
    session = ReviewSession(make_cases(tmp_path / "dossiers"), pseudonymiser, "Tester").load()
    entries = {e.name: e for e in session.entries.values()}
    visit = entries["huisbezoek.txt"]
    start = visit.source.raw.text.index(MISSED)
    session.add(visit.fid, start, start + len(MISSED), "PERSOON")
    session.set_status(visit.fid, "approved")
    session.set_status(entries["overleg.txt"].fid, "withheld", "te_bijzonder")
    session.store.close()
    return session.input_dir


def test_review_refuses_a_public_address_without_the_flag(tmp_path):
    result = invoke("review", make_cases(tmp_path / "d"), "--host", "0.0.0.0", "--no-browser")
    assert result.exit_code != 0 and "--allow-remote" in result.output


def test_export_prints_additions_and_removals_per_type(reviewed, tmp_path):
    out = tmp_path / "gecorrigeerd.jsonl"
    result = invoke("review", reviewed, "--export", out)
    assert result.exit_code == 0, result.output
    assert "wrote 1 approved file(s)" in result.output
    row = next(line for line in result.output.splitlines() if "PERSOON" in line)
    assert row.split()[-3:-1] == ["PERSOON", "5"] or "5" in row
    assert out.stat().st_mode & 0o777 == 0o600
    assert invoke("review", reviewed, "--export", reviewed / "x.jsonl").exit_code != 0  # never into the inputs


def test_export_counts_what_the_reviewer_added_and_removed_per_file(reviewed, tmp_path):
    import json

    out = tmp_path / "gecorrigeerd.jsonl"
    result = invoke("review", reviewed, "--export", out)
    line = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert line["review"]["added"].get("PERSOON", 0) >= 1  # the reviewer added the missed name
    added = sum(line["review"]["added"].values())
    assert f"{added} added (missed)" in result.output and "removed (over-redacted)" in result.output


def test_pseudonymise_applies_decisions_and_refuses_withheld_files(reviewed, tmp_path):
    out = tmp_path / "out"
    result = invoke("pseudonymise", reviewed, "-o", out, "--no-review-report")
    assert result.exit_code == 3  # some files withheld
    assert "withheld in review" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["casus-001.txt", "leerwerkplaats-manifest.json"]  # huisbezoek.txt
    assert MISSED.lower() not in (out / "casus-001.txt").read_text(encoding="utf-8").lower()


class _Plain:
    def pseudonymise(self, raw):
        return PseudonymisedCase(raw.name, raw.text.replace(MISSED, "Xander"), ())

    def run(self, raw, adjust=None):
        from leerwerkplaats.privacy.pseudonymise import PseudonymisationResult

        return PseudonymisationResult(self.pseudonymise(raw), (), 0)

    def residual(self, case):
        return []


class _Tagger:
    def tag(self, case):
        return TaggedCase(case, (), CaseFields(), (), "fake 1")


def _fake_engines(options):
    return _Plain(), _Tagger()


def test_handouts_of_unreviewed_files_say_so_on_their_first_page(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "default_engines", _fake_engines)
    folder = make_cases(tmp_path / "dossiers")
    store = ReviewStore.open_for(folder)
    store.set_status(store.file_key("overleg.txt"), hashlib.sha256((folder / "overleg.txt").read_bytes()).hexdigest(),
                     "approved", "Tester")
    store.close()
    out = tmp_path / "sessie"
    result = invoke("run", folder, "-o", out, "--formats", "html,docx", "-j", "1")
    assert result.exit_code == 0, result.output
    # neutral names in input order: casus-001 is huisbezoek.txt, casus-002 overleg.txt
    unreviewed = (out / "casus-001" / "deelnemers.html").read_text(encoding="utf-8")
    approved = (out / "casus-002" / "trainer.html").read_text(encoding="utf-8")
    first_page = unreviewed[:unreviewed.index("Zo werk je met deze casus")]
    assert NOTE_UNREVIEWED in first_page and "Niet gecontroleerd" in first_page
    assert NOTE_UNREVIEWED not in approved
    from docx import Document

    paragraphs = [p.text for p in Document(str(out / "casus-001" / "trainer.docx")).paragraphs[:6]]
    assert any(NOTE_UNREVIEWED in p for p in paragraphs)


def test_require_review_holds_back_files_not_approved(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "default_engines", _fake_engines)
    folder = make_cases(tmp_path / "dossiers")
    store = ReviewStore.open_for(folder)
    sha = hashlib.sha256((folder / "overleg.txt").read_bytes()).hexdigest()
    store.set_status(store.file_key("overleg.txt"), sha, "approved", "Tester")
    store.close()
    out = tmp_path / "sessie"
    result = invoke("run", folder, "-o", out, "--formats", "html", "-j", "1", "--require-review")
    assert result.exit_code == 3 and "huisbezoek" in result.output and "not approved in review" in result.output
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["casus-002"]  # overleg.txt
    (folder / "overleg.txt").write_text("Een andere tekst.\n", encoding="utf-8")  # changed after approval
    result = invoke("run", folder, "-o", tmp_path / "again", "--formats", "html", "-j", "1", "--require-review")
    assert "the file changed after review" in result.output
