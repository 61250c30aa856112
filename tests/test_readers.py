from pathlib import Path

import pytest

from leerwerkplaats.core.errors import ReadError
from leerwerkplaats.reading.readers import discover, read_case_file

SECRET = "Sanne de Vries woont op de Kerkstraat 12"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def test_utf8_and_crlf(tmp_path):
    p = _write(tmp_path, "a.txt", "Één regel\r\ntweede\r\n".encode("utf-8"))
    assert read_case_file(p).text == "Één regel\ntweede\n"


def test_windows_1252_fallback(tmp_path):
    p = _write(tmp_path, "a.txt", "Café met crème – €5, ‘zei’ mw.".encode("cp1252"))
    assert read_case_file(p).text == "Café met crème – €5, ‘zei’ mw."


def test_latin1_fallback(tmp_path):
    p = _write(tmp_path, "a.txt", "Gezin uit Bréda, één kind, geboren in België".encode("latin-1"))
    assert "Bréda" in read_case_file(p).text


@pytest.mark.parametrize("name,data,reason", [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\n ", "empty"),
    ("bin.txt", b"\x00\x01\x02" + SECRET.encode() * 3, "binary"),
    ("bad.docx", b"PK\x03\x04 not really a zip " + SECRET.encode(), "not a valid .docx"),
    ("bad.pdf", b"%PDF-1.4\n garbage " + SECRET.encode(), "not a valid PDF"),
    ("nopdf.pdf", SECRET.encode(), "no %PDF header"),
    ("x.rtf", SECRET.encode(), "unsupported file type"),
])
def test_bad_files_name_the_file_and_reason_never_the_content(tmp_path, name, data, reason):
    p = _write(tmp_path, name, data)
    with pytest.raises(ReadError) as info:
        read_case_file(p)
    message = str(info.value)
    assert name in message and reason in message
    assert "Sanne" not in message and "Kerkstraat" not in message


def test_too_large(tmp_path):
    p = _write(tmp_path, "big.txt", b"a" * 2000)
    with pytest.raises(ReadError, match="too large"):
        read_case_file(p, max_bytes=1000)


def test_scanned_pdf_without_text_layer(tmp_path):
    from weasyprint import HTML

    p = tmp_path / "scan.pdf"
    p.write_bytes(HTML(string="<html><body><div style='width:5cm;height:5cm;background:#000'></div></body></html>").write_pdf())
    with pytest.raises(ReadError, match="no text layer"):
        read_case_file(p)


def test_docx_reads_header_tables_footer_in_order(tmp_path):
    import docx

    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "KOP"
    d.add_paragraph("eerste alinea")
    t = d.add_table(rows=1, cols=2)
    t.rows[0].cells[0].text, t.rows[0].cells[1].text = "Wie", "Wat"
    d.add_paragraph("laatste alinea")
    d.sections[0].footer.paragraphs[0].text = "VOET"
    p = tmp_path / "a.docx"
    d.save(p)
    assert read_case_file(p).text == "KOP\neerste alinea\n| Wie | Wat |\nlaatste alinea\nVOET"


def test_inputs_are_not_modified(tmp_path):
    p = _write(tmp_path, "a.txt", "Tekst\r\n".encode("cp1252"))
    before = p.read_bytes()
    read_case_file(p)
    assert p.read_bytes() == before


def test_discover_skips_hidden_and_other_files(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / ".verborgen.txt").write_text("x")
    (tmp_path / "notes.html").write_text("x")
    assert [p.name for p in discover([tmp_path])] == ["a.txt"]


def test_raw_repr_hides_text():
    from leerwerkplaats.reading.readers import RawCase

    assert "Sanne" not in repr(RawCase("x", "x.txt", SECRET))
