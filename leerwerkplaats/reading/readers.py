"""Read case files as users have them: .txt/.md, .docx, .pdf with a text layer, .jsonl.

Every reader returns NFC-normalised text with ``\\n`` line ends. A bad file raises
:class:`~leerwerkplaats.core.errors.ReadError` with the file and the reason, never with
any of its content.
"""

from __future__ import annotations

import codecs
import copy
import errno
import io
import os
import stat
import sys
import unicodedata
import zipfile
import zlib
from pathlib import Path

from leerwerkplaats.core.cases import RawCase
from leerwerkplaats.core.errors import ReadError

#: Extensions the toolkit reads as single case files.
CASE_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".docx", ".pdf")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
JSONL_MAX_BYTES = 512 * 1024 * 1024
#: Longest case text, in characters (code points), checked on the decoded text.
MAX_CHARS = 2_000_000
#: Largest total unpacked size of a .docx (a zip), counted in real bytes while unpacking.
DOCX_MAX_UNPACKED = 50 * 1024 * 1024
_UNPACK_CHUNK = 256 * 1024
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
    from pypdf import PdfReader, errors

    # pypdf stops inflating a stream at its own limit and says so with LimitReachedError (older pypdf lacks it)
    limit_reached = getattr(errors, "LimitReachedError", ())
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ReadError(path, "is an encrypted PDF; save it without a password first")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ReadError:
        raise
    except limit_reached as exc:
        if "decompress" in str(exc).lower():
            raise ReadError(path, f"a compressed stream unpacks to more than {_pdf_stream_limit() / 1e6:.0f} MB; "
                                  "not read (a PDF bomb?)") from None
        raise ReadError(path, "goes past a safety limit of the PDF reader (too many or too deeply nested "
                              "objects); not read") from None
    except (errors.PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise ReadError(path, f"is not a valid PDF (corrupt: {exc.__class__.__name__})") from None
    text = "\n".join(page.rstrip("\n") for page in pages)
    text = "\n".join(line.rstrip() for line in normalise(text).split("\n"))
    if not text.strip():
        raise ReadError(path, "has no text layer (a scanned PDF?); run OCR on it first")
    return text


def _pdf_stream_limit() -> int:
    """The most bytes pypdf inflates from one compressed stream (its own setting)."""
    try:
        from pypdf import get_configuration  # newer pypdf; older ones keep the limit in pypdf.filters
    except ImportError:
        from pypdf.filters import ZLIB_MAX_OUTPUT_LENGTH

        return ZLIB_MAX_OUTPUT_LENGTH
    return get_configuration().zlib_maximum_output_length


class _TooLarge(Exception):
    """A member took the unpacked total past :data:`DOCX_MAX_UNPACKED`."""


def _unpack_docx(data: bytes, path: Path) -> bytes:
    """The .docx rebuilt in memory with its members stored, unpacked under :data:`DOCX_MAX_UNPACKED`.

    The zip directory's sizes are not trusted: each member is inflated as a stream
    and its real bytes are counted, stopping at the cap. A first pass only counts,
    so a zip bomb is refused without keeping what it unpacked; the second pass
    copies the checked members into a zip that python-docx reads without inflating.
    """
    limit = f"{DOCX_MAX_UNPACKED // (1024 * 1024)} MB"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len({info.filename for info in infos}) != len(infos):
                raise ReadError(path, "is not a valid .docx file (a name occurs twice in the zip)")
            if sum(info.file_size for info in infos) > DOCX_MAX_UNPACKED:  # honest about it: refused unread
                raise _TooLarge
            _inflate_members(archive, infos, path, None)
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as rebuilt:
                _inflate_members(archive, infos, path, rebuilt)
    except _TooLarge:
        raise ReadError(path, f"unpacks to more than {limit}; not read (a zip bomb?)") from None
    except ReadError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, ValueError, OSError,
            EOFError, zlib.error) as exc:  # RuntimeError: an encrypted member; NotImplementedError: an unknown method
        raise ReadError(path, f"is not a valid .docx file (corrupt or another format: {exc.__class__.__name__})") from None
    return out.getvalue()


def _inflate_members(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], path: Path,
                     sink: zipfile.ZipFile | None) -> None:
    """Inflate every member in chunks, counting real bytes; copy them into ``sink`` when given."""
    total = 0
    for info in infos:
        # ZipExtFile stops at the size the directory claims (then fails its CRC): claim more than the budget
        # left, so a member larger than it says runs into our cap instead of hiding behind its claim
        probe = copy.copy(info)
        probe.file_size = DOCX_MAX_UNPACKED - total + 2 * _UNPACK_CHUNK
        size = 0
        with archive.open(probe) as member:
            target = sink.open(zipfile.ZipInfo(info.filename), "w") if sink is not None else None
            try:
                while chunk := member.read(_UNPACK_CHUNK):
                    size += len(chunk)
                    if total + size > DOCX_MAX_UNPACKED:
                        raise _TooLarge
                    if target is not None:
                        target.write(chunk)
            finally:
                if target is not None:
                    target.close()
        if size != info.file_size:
            raise ReadError(path, "is not a valid .docx file (its zip directory gives other sizes than its "
                                  "contents; not read)")
        total += size


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
        text, notes = clean_controls(_docx_text(_unpack_docx(data, path), path), path)
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
