"""Read case files as users have them: .txt/.md, .docx, .pdf with a text layer, .jsonl.

Every reader returns NFC-normalised text with ``\\n`` line ends. A bad file raises
:class:`~leerwerkplaats.core.errors.ReadError` with the file and the reason, never with
any of its content.
"""

from __future__ import annotations

import io
import json
import unicodedata
import zipfile
from pathlib import Path
from typing import Iterator

from leerwerkplaats.core.cases import RawCase
from leerwerkplaats.core.errors import ReadError

#: Extensions the toolkit reads as single case files.
CASE_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".docx", ".pdf")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
JSONL_MAX_BYTES = 512 * 1024 * 1024


def normalise(text: str) -> str:
    """Line ends to ``\\n``, BOM removed, NFC."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ReadError(path, f"too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.1f} MB)")
        data = path.read_bytes()
    except ReadError:
        raise
    except IsADirectoryError:
        raise ReadError(path, "is a folder, not a file") from None
    except FileNotFoundError:
        raise ReadError(path, "does not exist") from None
    except PermissionError:
        raise ReadError(path, "cannot be read (permission denied)") from None
    except OSError as exc:
        raise ReadError(path, f"cannot be read ({exc.strerror or exc.__class__.__name__})") from None
    if not data.strip():
        raise ReadError(path, "is empty")
    return data


def decode_text(data: bytes, path: Path) -> str:
    """Decode UTF-8, falling back to a detected Windows-1252 or Latin-1 export."""
    if b"\x00" in data[:65536]:
        raise ReadError(path, "looks binary (contains NUL bytes), not a text file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data, cp_isolation=["cp1252", "latin_1"]).best()
        if best is None:
            raise ReadError(path, "is not UTF-8, Windows-1252 or Latin-1 text") from None
        text = str(best)
    controls = sum(1 for ch in text[:65536] if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    if controls > max(8, len(text[:65536]) // 100):
        raise ReadError(path, "looks binary (many control characters), not a text file")
    return normalise(text)


def read_text_file(path: Path, max_bytes: int = JSONL_MAX_BYTES) -> str:
    """Read a text file (UTF-8 or a detected legacy encoding)."""
    return decode_text(_read_bytes(Path(path), max_bytes), Path(path))


def _docx_text(data: bytes, path: Path) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReadError(path, f"is not a valid .docx file (corrupt or another format: {exc.__class__.__name__})") from None
    except Exception as exc:  # python-docx raises several types for broken packages
        raise ReadError(path, f"is not a valid .docx file ({exc.__class__.__name__})") from None

    def block_lines(container) -> list[str]:
        lines: list[str] = []
        for block in container.iter_inner_content():
            if isinstance(block, Paragraph):
                lines.append(block.text)
            elif isinstance(block, Table):
                for row in block.rows:
                    cells = [cell.text.replace("\n", " ") for cell in row.cells]
                    lines.append("| " + " | ".join(cells) + " |")
        return lines

    lines: list[str] = []
    section = document.sections[0] if document.sections else None
    header = [ln for ln in block_lines(section.header) if ln.strip()] if section else []
    footer = [ln for ln in block_lines(section.footer) if ln.strip()] if section else []
    lines = header + block_lines(document) + footer
    return normalise("\n".join(lines))


def _pdf_text(data: bytes, path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ReadError(path, "is an encrypted PDF; save it without a password first")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ReadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ReadError(path, f"is not a valid PDF (corrupt: {exc.__class__.__name__})") from None
    text = "\n".join(page.rstrip("\n") for page in pages)
    text = "\n".join(line.rstrip() for line in normalise(text).split("\n"))
    if not text.strip():
        raise ReadError(path, "has no text layer (a scanned PDF?); run OCR on it first")
    return text


def read_case_file(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> RawCase:
    """Read one case file (.txt, .md, .docx or .pdf)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in CASE_SUFFIXES:
        raise ReadError(path, f"unsupported file type {suffix or '(none)'}; use .txt, .md, .docx or .pdf")
    data = _read_bytes(path, max_bytes)
    if suffix == ".docx":
        text = _docx_text(data, path)
    elif suffix == ".pdf":
        if not data.startswith(b"%PDF"):
            raise ReadError(path, "is not a PDF file (no %PDF header)")
        text = _pdf_text(data, path)
    else:
        text = decode_text(data, path)
    if not text.strip():
        raise ReadError(path, "contains no text")
    return RawCase(path.stem, str(path), text)


def read_jsonl_cases(path: str | Path, max_bytes: int = JSONL_MAX_BYTES) -> Iterator[RawCase]:
    """Yield the ``id`` and ``text`` of each record of a corpus JSONL file."""
    path = Path(path)
    text = read_text_file(path, max_bytes)
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            rid, body = obj["id"], obj["text"]
            if not isinstance(rid, str) or not isinstance(body, str):
                raise TypeError
        except (json.JSONDecodeError, KeyError, TypeError):
            raise ReadError(f"{path}:{lineno}", "is not a record with string 'id' and 'text'") from None
        yield RawCase(rid, f"{path}:{lineno}", unicodedata.normalize("NFC", body))


def discover(inputs: list[str | Path]) -> list[Path]:
    """Expand files and folders into the case files to read, sorted by name.

    Folders are searched recursively for readable suffixes; hidden files are skipped.
    A path given explicitly is kept even if its suffix is wrong, so the user gets an error for it.
    """
    out: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            out.extend(
                f for f in sorted(p.rglob("*"))
                if f.is_file() and f.suffix.lower() in CASE_SUFFIXES + (".jsonl",)
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
        else:
            out.append(p)
    return out
