"""Acceptance: no PII string of a gold record appears in any file of its output folder (HTML, PDF, DOCX).

Runs the real pseudonymiser and tagger over ``corpus_sample/raw``; skipped when
no model is installed (``models/default`` or ``$LEERWERKPLAATS_MODEL``). Slow
(a few minutes: every PDF is laid out).

A gold string that also occurs in the handouts of a case with no personal data
at all (fixed text such as the tariff source "Gemeente Groningen") cannot have
come from the case; such strings are left out and listed in the test output.
"""

from __future__ import annotations

import html as html_mod
import io
import json
import os
import re
from pathlib import Path

import pytest

from leerwerkplaats import pipeline
from leerwerkplaats.cases import CaseFields, PseudonymisedCase, Tag, TaggedCase
from leerwerkplaats.handouts import Renderer
from leerwerkplaats.readers import discover

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "corpus_sample" / "gold.jsonl"
RAW = ROOT / "corpus_sample" / "raw"
MODEL = os.environ.get("LEERWERKPLAATS_MODEL") or str(ROOT / "models" / "default")

#: Gold PII strings the pseudonymiser is known to miss (measured 2026-11-30). The test fails on any
#: leak not listed here, so this list can only shrink; each entry is a gap to close in the recognisers.
KNOWN_LEAKS = {
    ('casus-007', '2024-VTH-00391'),  # DOSSIERNUMMER, test split
    ('casus-009', '20 oktober'),  # DATUM, train split
    ('casus-021', 'Duinroosstraat'),  # ADRES, train split
    ('casus-022', 'Schoonmaakbedrijf Rijnstreek'),  # INSTELLING, test split
    ('casus-028', '8/9'),  # DATUM, train split
    ('casus-039', 'Van Bussel Kassenbouw'),  # INSTELLING, train split
    ('casus-043', 'Kompas Ambulant Zeeland'),  # INSTELLING, train split
    ('casus-046', 'Zuidoost'),  # PLAATS, train split
    ('casus-047', 'DW 4R772'),  # KENTEKEN, test split
    ('casus-056', 'GJB'),  # PERSOON, train split
    ('casus-057', 'Molenakker'),  # ADRES, test split
}


pytestmark = pytest.mark.skipif(not (Path(MODEL) / "meta.json").exists() or not RAW.is_dir(),
                                reason="no tagger model installed (models/default); train one first")


def extract(name: str, data: bytes) -> str:
    if name.endswith(".html"):
        text = re.sub(r"<style.*?</style>", " ", data.decode("utf-8"), flags=re.S)
        return html_mod.unescape(re.sub(r"<[^>]+>", "", text))
    if name.endswith(".docx"):
        import docx

        document = docx.Document(io.BytesIO(data))
        parts = [p.text for p in document.paragraphs]
        parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
        parts += [p.text for s in document.sections for p in s.footer.paragraphs]
        return "\n".join(parts)
    if name.endswith(".pdf"):
        from pypdf import PdfReader

        return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    return data.decode("utf-8", "replace")


def boilerplate() -> str:
    """The text of handouts for a case without personal data, every cost line included."""
    text = "De OTS werd verlengd; later voogdij en jeugdreclassering."
    tags = (Tag(0, len(text), "bouwsteen:maatregel", 1.0),)
    fields = CaseFields("D", (), "onbekend", ("informatie_advies", "aansluiten_ondersteunen",
                                              "specialistisch_casemanagement", "nazorg"))
    case = TaggedCase(PseudonymisedCase.trusted("x", text), tags, fields)
    files, _ = Renderer.build().case_files(case, ("html", "pdf", "docx"))
    return "\n".join(extract(n, d) for n, d in files.items())


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("session")
    options = pipeline.RunOptions(out, ("html", "pdf", "docx"), jobs=2, model=MODEL)
    jobs, pre_failed = pipeline.plan_jobs(discover([RAW]))
    pipeline.run(jobs, options, pipeline.default_engines, pre_failed=pre_failed)
    return out


def test_no_gold_pii_in_any_output_file(out_dir):
    fixed = boilerplate()
    leaks, excused, known_seen = [], set(), set()
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        folder = out_dir / record["id"]
        if not folder.is_dir():
            continue
        texts = {p.name: extract(p.name, p.read_bytes()) for p in folder.iterdir() if p.is_file()}
        for span in record["pii"]:
            value = record["text"][span["start"]:span["end"]]
            pattern = re.compile(r"(?<!\w)" + re.escape(value) + r"(?!\w)")
            if pattern.search(fixed):
                excused.add(value)
                continue
            found = [name for name, text in texts.items() if pattern.search(text)]
            if found and (record["id"], value) in KNOWN_LEAKS:
                known_seen.add((record["id"], value))
                continue
            leaks += [f"{record['id']}/{name}: {span['type']} {value!r}" for name in found]
    if excused:
        print("left out (fixed handout text, not from the case):", sorted(excused))
    print(f"known leaks listed: {len(KNOWN_LEAKS)}")
    assert not leaks, f"{len(leaks)} gold PII string(s) in the output:\n" + "\n".join(sorted(leaks)[:80])
    stale = KNOWN_LEAKS - known_seen
    assert not stale, f"fixed, remove from KNOWN_LEAKS: {sorted(stale)}"


def test_nothing_under_out_dir_is_a_key_or_review_report(out_dir):
    names = [p.name.lower() for p in out_dir.rglob("*") if p.is_file()]
    assert not [n for n in names if re.search(r"key|sleutel|review|rapport|report", n)]
    allowed = {"deelnemers", "trainer", "sessie"}
    assert all(n.split(".")[0] in allowed for n in names)
