"""Hostile inputs and full disks end in one clear line, not in memory blow-ups or "this is a bug" (issue 16, item 6).

All texts here are made up.
"""

from __future__ import annotations

import errno
import io
import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from leerwerkplaats.cli import main
from leerwerkplaats.core import io_atomic
from leerwerkplaats.core.errors import ReadError, WriteError
from leerwerkplaats.reading import readers
from leerwerkplaats.run import pipeline

BOMB_MEMBER = "word/media/image1.png"


# ---------------------------------------------------------------- helpers

def _small_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Fictief verslag: Pietje Puk belde met de gezinsvoogd.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _with_member(docx_bytes: bytes, name: str, megabytes: int) -> bytes:
    """The .docx with one more member of ``megabytes`` MB of zeros, written as a stream (never whole in memory)."""
    source = zipfile.ZipFile(io.BytesIO(docx_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info))
        with archive.open(name, "w", force_zip64=True) as member:
            chunk = bytes(1024 * 1024)
            for _ in range(megabytes):
                member.write(chunk)
    return out.getvalue()


def _claim_size(data: bytes, name: str, claimed: int) -> bytes:
    """Patch the sizes of member ``name`` in its local header and the central directory to ``claimed``."""
    patched = bytearray(data)
    at = 0
    while (at := patched.find(b"PK\x01\x02", at)) >= 0:
        length = struct.unpack_from("<H", patched, at + 28)[0]
        if bytes(patched[at + 46:at + 46 + length]) == name.encode():
            struct.pack_into("<I", patched, at + 24, claimed)  # central directory: uncompressed size
            local = struct.unpack_from("<I", patched, at + 42)[0]
            struct.pack_into("<I", patched, local + 22, claimed)  # local header: uncompressed size
        at += 4
    return bytes(patched)


def _pdf_with_stream(content: bytes) -> bytes:
    """A one-page PDF whose content stream is ``content``, FlateDecode-compressed."""
    packer = zlib.compressobj(9)
    body = packer.compress(content) + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _one_line(error: ReadError, path: Path) -> str:
    message = str(error)
    assert "\n" not in message and message.startswith(str(path))
    assert "bug" not in message
    return message


# ---------------------------------------------------------------- .docx

def test_docx_bomb_whose_directory_lies_is_stopped_at_the_cap_with_little_memory(tmp_path):
    # Arrange: 200 MB of zeros in one member, the directory saying it is 1 KB
    bomb = _claim_size(_with_member(_small_docx(), BOMB_MEMBER, 200), BOMB_MEMBER, 1024)
    path = tmp_path / "verslag.docx"
    path.write_bytes(bomb)
    assert path.stat().st_size < 2_000_000
    assert zipfile.ZipFile(path).getinfo(BOMB_MEMBER).file_size == 1024

    # Act
    tracemalloc.start()
    try:
        with pytest.raises(ReadError) as caught:
            readers.read_case_file(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    # Assert
    message = _one_line(caught.value, path)
    assert message.endswith("unpacks to more than 50 MB; not read (a zip bomb?)")
    assert peak < 120_000_000, f"peak {peak / 1e6:.0f} MB"
    print(f"docx bomb: peak traced memory {peak / 1e6:.1f} MB")


def test_docx_member_larger_than_its_directory_says_is_refused(tmp_path):
    data = _claim_size(_with_member(_small_docx(), BOMB_MEMBER, 2), BOMB_MEMBER, 1024)
    path = tmp_path / "verslag.docx"
    path.write_bytes(data)

    with pytest.raises(ReadError) as caught:
        readers.read_case_file(path)

    assert "its zip directory gives other sizes than its contents" in _one_line(caught.value, path)


def test_docx_is_read_from_the_checked_copy_only(tmp_path, monkeypatch):
    # python-docx gets the rebuilt zip, whose members are stored: nothing is inflated a second time
    path = tmp_path / "verslag.docx"
    path.write_bytes(_small_docx())
    seen = []
    real = readers._docx_text

    def spy(data, where):
        seen.append({info.compress_type for info in zipfile.ZipFile(io.BytesIO(data)).infolist()})
        return real(data, where)

    monkeypatch.setattr(readers, "_docx_text", spy)

    assert "Pietje Puk belde" in readers.read_case_file(path).text
    assert seen == [{zipfile.ZIP_STORED}]


def test_docx_within_the_cap_but_honest_about_its_size_still_reads(tmp_path):
    path = tmp_path / "verslag.docx"
    path.write_bytes(_with_member(_small_docx(), BOMB_MEMBER, 5))

    assert "Pietje Puk belde" in readers.read_case_file(path).text


# ---------------------------------------------------------------- .pdf

def test_pdf_deflate_bomb_is_one_line_naming_pypdfs_limit(tmp_path):
    path = tmp_path / "verslag.pdf"
    path.write_bytes(_pdf_with_stream(b"BT /F1 12 Tf 72 700 Td (Fictief) Tj ET\n" + b" " * (100 * 1024 * 1024)))
    assert path.stat().st_size < 1_000_000

    with pytest.raises(ReadError) as caught:
        readers.read_case_file(path)

    message = _one_line(caught.value, path)
    assert f"a compressed stream unpacks to more than {readers._pdf_stream_limit() / 1e6:.0f} MB; not read" in message


def test_small_pdf_still_reads(tmp_path):
    path = tmp_path / "verslag.pdf"
    path.write_bytes(_pdf_with_stream(b"BT /F1 12 Tf 72 700 Td (Fictief verslag) Tj ET"))

    assert readers.read_case_file(path).text == "Fictief verslag"


# ---------------------------------------------------------------- full disk

def _failing_fsync(number: int):
    def fsync(fd):
        raise OSError(number, "simulated")

    return fsync


@pytest.mark.parametrize("number,cause", [
    (errno.ENOSPC, "no space left on the device"),
    (errno.EDQUOT, "the disk quota is used up"),
    (errno.EROFS, "the device is read-only"),
    (errno.EACCES, "permission denied"),
])
def test_a_write_the_user_can_fix_is_one_line_and_leaves_no_temporary_file(tmp_path, monkeypatch, number, cause):
    monkeypatch.setattr(io_atomic.os, "fsync", _failing_fsync(number))
    target = tmp_path / "uit" / "casus-001.txt"

    with pytest.raises(WriteError) as caught:
        io_atomic.write_text_atomic(target, "Fictieve tekst.\n")

    assert str(caught.value) == f"{cause} while writing {target}"
    assert caught.value.errno == number
    assert list(target.parent.iterdir()) == []


def test_other_write_errors_are_not_renamed(tmp_path, monkeypatch):
    monkeypatch.setattr(io_atomic.os, "fsync", _failing_fsync(errno.EIO))

    with pytest.raises(OSError) as caught:
        io_atomic.write_text_atomic(tmp_path / "casus-001.txt", "Fictieve tekst.\n")

    assert not isinstance(caught.value, WriteError) and caught.value.errno == errno.EIO




def test_run_with_a_full_disk_names_the_cause_not_a_bug(readable_cases, tmp_path, monkeypatch):
    real = io_atomic._write

    def write(path, data, mode):
        if "casus-" in path.as_posix():  # the case outputs fail; the manifest still gets written
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, data, mode)

    monkeypatch.setattr(io_atomic, "_write", write)

    result = CliRunner().invoke(main, ["run", str(readable_cases), "-o", str(tmp_path / "uit"), "--formats", "html"])

    assert result.exit_code == 3, result.output
    assert result.output.count("no space left on the device while writing") == 2
    assert "bug" not in result.output


def test_an_os_error_outside_the_atomic_writes_is_mapped_too(readable_cases, tmp_path, monkeypatch):
    def handle(job, result, folder):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pipeline, "_handle", handle)

    result = CliRunner().invoke(main, ["run", str(readable_cases), "-o", str(tmp_path / "uit"), "--formats", "html"])

    assert result.exit_code == 3, result.output
    assert "no space left on the device while writing" in result.output and "bug" not in result.output


def test_a_real_bug_is_still_called_one(readable_cases, tmp_path, monkeypatch):
    def handle(job, result, folder):
        raise RuntimeError("a mistake of ours")

    monkeypatch.setattr(pipeline, "_handle", handle)

    result = CliRunner().invoke(main, ["run", str(readable_cases), "-o", str(tmp_path / "uit"), "--formats", "html"])

    assert "this is a bug" in result.output
