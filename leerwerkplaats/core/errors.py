"""Domain exceptions. The CLI turns each into one line naming the file and the problem.

Messages never carry case text: they name a file, a record id, an offset or a
label, and say what is wrong.
"""

from __future__ import annotations


class LeerwerkplaatsError(Exception):
    """Base class for every error the toolkit raises on purpose."""


class ReadError(LeerwerkplaatsError):
    """A case file could not be read (unreadable, empty, binary, corrupt, too large)."""

    def __init__(self, path: object, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class WriteError(LeerwerkplaatsError):
    """An output could not be written for a reason the user can fix (disk full, quota, read-only, permission)."""

    def __init__(self, path: object, reason: str, errno: int | None = None):
        self.path = str(path)
        self.reason = reason
        self.errno = errno
        super().__init__(reason)


class CorpusError(LeerwerkplaatsError):
    """A corpus record breaks the ANNOTATION.md contract."""


class PseudonymisationError(LeerwerkplaatsError):
    """A file could not be pseudonymised safely; it stops here (fail closed)."""

    def __init__(self, name: str, reason: str):
        self.name = name
        self.reason = reason
        super().__init__(f"{name}: {reason}")


class ModelError(LeerwerkplaatsError):
    """A model file is missing, untrusted or does not fit this version."""


class KeyFileError(LeerwerkplaatsError):
    """A key file is missing, damaged, or the passphrase is wrong."""
