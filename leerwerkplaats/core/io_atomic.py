"""Atomic writes: a reader never sees half a file, a crash leaves the old one."""

from __future__ import annotations

import errno
import os
import sys
import tempfile
from pathlib import Path

from leerwerkplaats.core.errors import WriteError

#: Why a write fails when the fix is the user's, not a bug: disk full, quota, read-only, no permission.
_USER_CAUSES = {
    errno.ENOSPC: "no space left on the device",
    getattr(errno, "EDQUOT", errno.ENOSPC): "the disk quota is used up",
    errno.EROFS: "the device is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
}


def os_problem(exc: OSError) -> str:
    """A machine's situation in a few words (no space left, read-only, permission), for one error line."""
    return _USER_CAUSES.get(exc.errno) or exc.strerror or exc.__class__.__name__


def write_failure(exc: OSError, path: Path | str) -> str | None:
    """One line naming the cause and ``path`` when the user can fix it; ``None`` for any other error."""
    cause = _USER_CAUSES.get(exc.errno)
    return None if cause is None else f"{cause} while writing {path}"


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_bytes_atomic(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename.

    ``mode`` defaults to what a plain ``open`` would give (0666 less the umask);
    keys and review reports pass 0o600.

    A full disk, a used-up quota, a read-only device or a refused permission raise
    :class:`~leerwerkplaats.core.errors.WriteError` naming the cause and the file.
    """
    path = Path(path)
    try:
        _write(path, data, mode)
    except OSError as exc:
        reason = write_failure(exc, path)
        if reason is None:
            raise
        raise WriteError(path, reason, exc.errno) from None


def _write(path: Path, data: bytes, mode: int | None) -> None:
    tmp = write_temp(path, data, mode)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_temp(path: Path, data: bytes, mode: int | None = None) -> Path:
    """``data`` in a temporary file beside ``path``, flushed to disk with its mode set; returns that file.

    The caller renames it onto ``path`` (``os.replace``) or removes it. A failure leaves no
    temporary file and raises the ``OSError``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _default_mode() if mode is None else mode)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_text_atomic(path: Path, text: str, mode: int | None = None) -> None:
    """Write UTF-8 text atomically (newlines as given)."""
    write_bytes_atomic(path, text.encode("utf-8"), mode)


def write_text_or_stdout(path: Path | str, text: str, mode: int | None = None) -> None:
    """:func:`write_text_atomic`, or standard output when ``path`` is ``-``."""
    if str(path) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_text_atomic(Path(path), text, mode)
