"""Read case files as users have them: .txt/.md, .docx, .pdf with a text layer, .jsonl.

Every reader returns NFC-normalised text with ``\\n`` line ends. A bad file raises
:class:`~leerwerkplaats.core.errors.ReadError` with the file and the reason, never with
any of its content.
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import stat
import sys
import unicodedata
import zipfile
from pathlib import Path

from leerwerkplaats.core.cases import RawCase
from leerwerkplaats.core.errors import ReadError

#: Extensions the toolkit reads as single case files.
CASE_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".docx", ".pdf")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
JSONL_MAX_BYTES = 512 * 1024 * 1024
#: Longest case text, in characters (code points), checked on the decoded text.
MAX_CHARS = 2_000_000
#: Largest total unpacked size of a .docx (a zip), checked before anything is unpacked.
DOCX_MAX_UNPACKED = 50 * 1024 * 1024
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_KEEP_CONTROLS = "\t\n\r\f"


def normalise(text: str) -> str:
    """Line ends to ``\\n``, BOM removed, NFC."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file; symbolic links and special files are refused, not followed."""
    if str(path) == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise ReadError("standard input", f"too large (more than {max_bytes / 1e6:.1f} MB)")
    else:
        data = _read_regular_file(path, max_bytes)
    if not data.strip():
        raise ReadError(path, "is empty")
    return data


def _read_regular_file(path: Path, max_bytes: int) -> bytes:
    try:
        if path.is_symlink():
            raise ReadError(path, "is a symbolic link; skipped (links are not followed)")
        # O_NOFOLLOW closes the gap between the check above and the open; O_NONBLOCK keeps a FIFO from hanging
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            info = os.fstat(fh.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise ReadError(path, "is a folder, not a file")
            if not stat.S_ISREG(info.st_mode):
                raise ReadError(path, "is a special file (device, pipe or socket); skipped")
            if info.st_size > max_bytes:
                raise ReadError(path, f"too large ({info.st_size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.1f} MB)")
            return fh.read(max_bytes + 1)
    except ReadError:
        raise
    except IsADirectoryError:
        raise ReadError(path, "is a folder, not a file") from None
    except FileNotFoundError:
        raise ReadError(path, "does not exist") from None
    except PermissionError:
        raise ReadError(path, "cannot be read (permission denied)") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ReadError(path, "is a symbolic link; skipped (links are not followed)") from None
        raise ReadError(path, f"cannot be read ({exc.strerror or exc.__class__.__name__})") from None


def decode_text(data: bytes, path: Path) -> str:
    """Decode UTF-8 (or UTF-16/32 with a BOM), falling back to a detected Windows-1252 or Latin-1 export."""
    text, _ = decode_with_notes(data, path)
    return text


def decode_with_notes(data: bytes, path: Path) -> tuple[str, tuple[str, ...]]:
    """:func:`decode_text`, plus notes on what was changed (stray control characters removed)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return clean_controls(normalise(data.decode(codec)), path)
            except UnicodeDecodeError:
                raise ReadError(path, f"starts with a {codec.upper()} byte-order mark but is not valid {codec.upper()}") from None
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
    controls = sum(1 for ch in text[:65536] if unicodedata.category(ch) == "Cc" and ch not in _KEEP_CONTROLS)
    if controls > max(8, len(text[:65536]) // 100):
        raise ReadError(path, "looks binary (many control characters), not a text file")
    return clean_controls(normalise(text), path)


def clean_controls(text: str, path: Path) -> tuple[str, tuple[str, ...]]:
    """Remove control characters other than tab, newline and form feed; say how many went."""
    removed = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in _KEEP_CONTROLS)
    if not removed:
        return text, ()
    kept = "".join(ch for ch in text if not (unicodedata.category(ch) == "Cc" and ch not in _KEEP_CONTROLS))
    return kept, (f"{removed} control character(s) (such as NUL) removed",)


def check_length(text: str, path: Path) -> None:
    """Refuse a text longer than :data:`MAX_CHARS` characters."""
    if len(text) > MAX_CHARS:
        raise ReadError(path, f"too long ({len(text):,} characters; the limit is {MAX_CHARS:,} characters)")


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


def _check_unpacked_size(data: bytes, path: Path) -> None:
    """Refuse a zip whose members unpack to more than :data:`DOCX_MAX_UNPACKED` bytes (before reading any)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ReadError(path, f"is not a valid .docx file (corrupt or another format: {exc.__class__.__name__})") from None
    if total > DOCX_MAX_UNPACKED:
        raise ReadError(path, f"unpacks to {total / 1e6:.1f} MB; the limit for a .docx is "
                              f"{DOCX_MAX_UNPACKED / 1e6:.1f} MB unpacked")


def read_case_file(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> RawCase:
    """Read one case file (.txt, .md, .docx or .pdf); ``-`` reads text from standard input.

    Stray control characters are removed and named in ``RawCase.notes``; a text longer
    than :data:`MAX_CHARS` characters is refused.
    """
    path = Path(path)
    if str(path) == "-":
        text, notes = decode_with_notes(_read_bytes(path, max_bytes), Path("standard input"))
        check_length(text, Path("standard input"))
        return RawCase("stdin", "standard input", text, notes)
    if path.is_symlink():
        raise ReadError(path, "is a symbolic link; skipped (links are not followed)")
    suffix = path.suffix.lower()
    if suffix not in CASE_SUFFIXES:
        raise ReadError(path, f"unsupported file type {suffix or '(none)'}; use .txt, .md, .docx or .pdf")
    data = _read_bytes(path, max_bytes)
    if suffix == ".docx":
        _check_unpacked_size(data, path)
        text, notes = clean_controls(_docx_text(data, path), path)
    elif suffix == ".pdf":
        if not data.startswith(b"%PDF"):
            raise ReadError(path, "is not a PDF file (no %PDF header)")
        text, notes = clean_controls(_pdf_text(data, path), path)
    else:
        text, notes = decode_with_notes(data, path)
    if not text.strip():
        raise ReadError(path, "contains no text")
    check_length(text, path)
    return RawCase(path.stem, str(path), text, notes)


def discover(inputs: list[str | Path]) -> list[Path]:
    """Expand files and folders into the case files to read, sorted by name.

    Folders are searched recursively for readable suffixes; hidden files are skipped.
    Symbolic links (to files or folders) and special files are listed but never
    followed: reading them fails with a line saying they were skipped. A path given
    explicitly is kept even if its suffix is wrong, so the user gets an error for it.
    """
    readable = CASE_SUFFIXES + (".jsonl",)
    out: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir() and not p.is_symlink():
            found = []
            for folder, dirs, files in os.walk(p, followlinks=False):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in files + [d for d in dirs if (Path(folder) / d).is_symlink()]:
                    f = Path(folder) / name
                    if name.startswith("."):
                        continue
                    if f.is_symlink() or f.suffix.lower() in readable:
                        found.append(f)
                dirs[:] = [d for d in dirs if not (Path(folder) / d).is_symlink()]
            out.extend(sorted(found))
        else:
            out.append(p)
    return out
