"""The review store: the reviewer's decisions in SQLite, beside the inputs, without case text.

A file is known by a key (an HMAC-SHA256 of its path relative to the input
folder, with a random secret kept in the store, so not even a file name that
names a family is stored, and a key seen in an address or a log cannot be
matched against guessed names without the store) and by the SHA-256 of its
content. Stores made before the secret existed (keys: bare SHA-256 of the path)
are migrated file by file as their keys are asked for. Every decision holds offsets, a PII type, what was decided, who decided
and when. Decisions and statuses count only for the content hash they were made
on: a file that changed after approval is new again.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

STORE_DIR = ".leerwerkplaats-review"
STORE_NAME = "review.sqlite"
#: Decisions on one span of a file.
KINDS = ("add", "remove", "retype", "accept")
#: What a file can be in the queue; ``changed`` is derived, never stored.
STATUSES = ("new", "in_review", "approved", "withheld")
#: Fixed reasons to withhold a file: a free-text field would invite case text into the store.
WITHHOLD_REASONS = {
    "herleidbaar": "blijft herleidbaar, ook na pseudonimisering",
    "te_bijzonder": "te bijzonder of te bekend in de regio",
    "onvolledig": "bestand onvolledig of onleesbaar",
    "geen_toestemming": "geen toestemming of grondslag voor gebruik",
    "niet_geschikt": "inhoudelijk niet geschikt voor de leerwerkplaats",
}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY,
    file_key TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    type TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('add', 'remove', 'retype', 'accept')),
    reviewer TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_file ON decisions (file_key, sha256);
CREATE TABLE IF NOT EXISTS meta (
    name TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS legacy_keys (
    file_key TEXT PRIMARY KEY
);
CREATE TABLE IF NOT EXISTS files (
    file_key TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('in_review', 'approved', 'withheld')),
    reason TEXT NOT NULL DEFAULT '',
    reviewer TEXT NOT NULL,
    at REAL NOT NULL
);
"""


@dataclass(frozen=True)
class Decision:
    """One stored decision: offsets into the file's text, a type, what was decided."""

    start: int
    end: int
    type: str
    kind: str
    reviewer: str = ""
    at: float = 0.0


@dataclass(frozen=True)
class FileStatus:
    status: str  # one of STATUSES, or "changed" when approved/withheld content has changed since
    reason: str = ""
    reviewer: str = ""
    at: float = 0.0


def file_key(secret: bytes, relative_source: str) -> str:
    """The key of a file (or JSONL record ``path:line``) relative to the input folder, in one store.

    Parameters
    ----------
    secret
        The store's secret (:attr:`ReviewStore.secret`); :meth:`ReviewStore.file_key`
        passes it.
    relative_source
        The path relative to the input folder.

    Returns
    -------
    str
        HMAC-SHA256 of the path (``/`` as separator), in hex.
    """
    return hmac.new(secret, _posix(relative_source).encode("utf-8"), hashlib.sha256).hexdigest()


def legacy_file_key(relative_source: str) -> str:
    """The key stores used before they had a secret: the bare SHA-256 of the path (for migration only)."""
    return hashlib.sha256(_posix(relative_source).encode("utf-8")).hexdigest()


def _posix(relative_source: str) -> str:
    return relative_source.replace(os.sep, "/")


def store_path(input_dir: Path) -> Path:
    return Path(input_dir) / STORE_DIR / STORE_NAME


class ReviewStore:
    """Decisions and statuses of the files under one input folder."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fresh = not self.path.exists()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        if fresh:
            os.chmod(self.path, 0o600)
        self._db.execute("PRAGMA journal_mode=DELETE")
        self._db.execute("PRAGMA secure_delete=ON")  # removed rows leave no bytes behind
        self._db.executescript(_SCHEMA)
        self.secret = self._secret()
        self._legacy = {row[0] for row in self._db.execute("SELECT file_key FROM legacy_keys")}

    def _secret(self) -> bytes:
        """The store's key secret, made on first open; keys already stored then are listed for migration."""
        with self._tx():
            row = self._db.execute("SELECT value FROM meta WHERE name = 'key_secret'").fetchone()
            if row is not None:
                return bytes(row[0])
            secret = os.urandom(32)
            self._db.execute("INSERT INTO meta (name, value) VALUES ('key_secret', ?)", (secret,))
            self._db.execute("INSERT OR IGNORE INTO legacy_keys (file_key) "
                             "SELECT file_key FROM files UNION SELECT file_key FROM decisions")
            return secret

    @classmethod
    def open_for(cls, input_dir: Path) -> ReviewStore:
        return cls(store_path(input_dir))

    def close(self) -> None:
        self._db.close()

    # ------------------------------------------------------------ keys
    def file_key(self, relative_source: str) -> str:
        """This store's key of a file (or JSONL record ``path:line``) relative to the input folder.

        A file still stored under its old key (bare SHA-256 of the path) is moved to the new one first.
        """
        key = file_key(self.secret, relative_source)
        if self._legacy:
            self._migrate(legacy_file_key(relative_source), key)
        return key

    def migrate(self, relative_sources: list[str]) -> None:
        """Move the decisions and statuses of these files from their old keys to this store's keys."""
        for relative in relative_sources:
            self.file_key(relative)

    def _migrate(self, old: str, new: str) -> None:
        if old not in self._legacy:
            return
        with self._tx():
            if self._db.execute("DELETE FROM legacy_keys WHERE file_key = ?", (old,)).rowcount:
                self._db.execute("UPDATE decisions SET file_key = ? WHERE file_key = ?", (new, old))
                self._db.execute("UPDATE OR IGNORE files SET file_key = ? WHERE file_key = ?", (new, old))
                self._db.execute("DELETE FROM files WHERE file_key = ?", (old,))
        self._legacy.discard(old)

    # ------------------------------------------------------------ decisions
    def decisions(self, key: str, sha256: str) -> list[Decision]:
        """The decisions on this content of the file, oldest first."""
        rows = self._db.execute(
            "SELECT start, end, type, kind, reviewer, at FROM decisions "
            "WHERE file_key = ? AND sha256 = ? ORDER BY id", (key, sha256)).fetchall()
        return [Decision(*row) for row in rows]

    def add(self, key: str, sha256: str, decisions: list[Decision], reviewer: str) -> None:
        now = time.time()
        with self._tx():
            self._db.executemany(
                "INSERT INTO decisions (file_key, sha256, start, end, type, kind, reviewer, at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(key, sha256, d.start, d.end, d.type, d.kind, reviewer, now) for d in decisions])
            self._touch(key, sha256, reviewer, now)

    def delete(self, key: str, sha256: str, spans: list[tuple[int, int]], kinds: tuple[str, ...],
               reviewer: str) -> None:
        """Forget decisions of ``kinds`` on exactly these spans."""
        marks = ",".join("?" * len(kinds))
        with self._tx():
            self._db.executemany(
                f"DELETE FROM decisions WHERE file_key = ? AND sha256 = ? AND start = ? AND end = ? AND kind IN ({marks})",
                [(key, sha256, s, e, *kinds) for s, e in spans])
            self._touch(key, sha256, reviewer, time.time())

    # ------------------------------------------------------------ statuses
    def status(self, key: str, sha256: str) -> FileStatus:
        row = self._db.execute("SELECT sha256, status, reason, reviewer, at FROM files WHERE file_key = ?",
                               (key,)).fetchone()
        if row is None:
            return FileStatus("new")
        stored_hash, status, reason, reviewer, at = row
        if stored_hash != sha256:
            return FileStatus("changed" if status in ("approved", "withheld") else "new")
        return FileStatus(status, reason, reviewer, at)

    def set_status(self, key: str, sha256: str, status: str, reviewer: str, reason: str = "") -> None:
        if status not in STATUSES[1:]:
            raise ValueError(f"status must be one of {STATUSES[1:]}")
        if status == "withheld" and reason not in WITHHOLD_REASONS:
            raise ValueError("a withheld file needs one of the listed reasons")
        with self._tx():
            self._db.execute(
                "INSERT INTO files (file_key, sha256, status, reason, reviewer, at) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(file_key) DO UPDATE SET sha256 = excluded.sha256, status = excluded.status, "
                "reason = excluded.reason, reviewer = excluded.reviewer, at = excluded.at",
                (key, sha256, status, reason if status == "withheld" else "", reviewer, time.time()))

    def _touch(self, key: str, sha256: str, reviewer: str, now: float) -> None:
        """A decision on a file puts it in review (and takes back an approval of it)."""
        self._db.execute(
            "INSERT INTO files (file_key, sha256, status, reason, reviewer, at) VALUES (?, ?, 'in_review', '', ?, ?) "
            "ON CONFLICT(file_key) DO UPDATE SET sha256 = excluded.sha256, status = 'in_review', reason = '', "
            "reviewer = excluded.reviewer, at = excluded.at", (key, sha256, reviewer, now))

    def _tx(self):
        return _Transaction(self._db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, exc, tb):
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
        return False
