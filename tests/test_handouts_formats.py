"""PDF (WeasyPrint) and DOCX (python-docx): they open, hold the case text, and DOCX is deterministic."""

from __future__ import annotations

import io

import docx
import pytest
from pypdf import PdfReader
from test_handouts_fixtures import tagged_case

from leerwerkplaats.handouts import Renderer


@pytest.fixture(scope="module")
def files():
    out, seconds = Renderer.build().case_files(tagged_case(), ("html", "pdf", "docx"))
    assert set(seconds) == {"html", "pdf", "docx"}
    return out


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    parts += [p.text for s in document.sections for p in s.footer.paragraphs]
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.slow  # its fixture lays out a PDF
def test_all_six_files(files):
    assert sorted(files) == sorted(f"{a}.{f}" for a in ("deelnemers", "trainer") for f in ("html", "pdf", "docx"))


@pytest.mark.slow  # PDF layout
def test_pdf_holds_text_and_is_a4(files):
    reader = PdfReader(io.BytesIO(files["trainer.pdf"]))
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 2 and abs(float(box.height) - 841.9) < 2
    text = pdf_text(files["trainer.pdf"])
    assert "Vertrouwelijk" in text and "veiligheidsplan met opa en oma" in text
    assert "Indicatieve kosten" in text
    assert "blauwe plekken" in pdf_text(files["deelnemers.pdf"])


@pytest.mark.slow  # its fixture lays out a PDF
def test_docx_holds_text_highlights_and_is_dutch(files):
    text = docx_text(files["trainer.docx"])
    assert "We maken een veiligheidsplan met opa en oma." in text.replace("▲", "").replace("■", "").replace("✚", "") \
        or "veiligheidsplan" in text
    assert "Signs of Safety, ingevuld uit de markeringen" in text
    document = docx.Document(io.BytesIO(files["trainer.docx"]))
    highlighted = [r for p in document.paragraphs for r in p.runs if r.font.highlight_color is not None]
    assert highlighted
    assert 'w:val="nl-NL"' in document.styles.element.xml
    participants = docx_text(files["deelnemers.docx"])
    assert "Vragen bij deze casus" in participants and '<script>alert("x")</script>' in participants


def test_docx_is_byte_for_byte_deterministic():
    renderer = Renderer.build()
    a, _ = renderer.case_files(tagged_case(), ("docx",))
    b, _ = renderer.case_files(tagged_case(), ("docx",))
    assert a == b


@pytest.mark.slow  # PDF layout
def test_session_docx_and_pdf():
    cases = [tagged_case(name="a"), tagged_case(name="b")]
    out, _ = Renderer.build().session_files(cases, ("pdf", "docx"))
    assert "Monitoringsblad casus b" in docx_text(out["sessie.docx"])
    assert "Systeemcondities" in pdf_text(out["sessie.pdf"])
