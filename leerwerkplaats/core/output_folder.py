"""Output folders that cannot hurt: staging, a lock, a manifest, never inside an input.

Everything a command writes goes into a hidden staging folder inside the output
folder first; :meth:`OutputFolder.commit` moves the finished files into place and
writes ``leerwerkplaats-manifest.json`` listing them. So:

- only files the tool made (listed in the previous manifest) are ever replaced
  or removed; a folder holding other files is refused;
- a failed or interrupted run leaves the output folder as it was;
- a second run into the same folder stops at the lock (``fcntl.flock`` on the folder, released
  by the kernel when a process dies, so a killed run never blocks the next one).
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import shutil
from pathlib import Path

from leerwerkplaats.core.errors import LeerwerkplaatsError
from leerwerkplaats.core.io_atomic import write_text_atomic

MANIFEST = "leerwerkplaats-manifest.json"
STAGING_PREFIX = ".leerwerkplaats-staging-"


class OutputFolderError(LeerwerkplaatsError):
    """The output folder cannot be used (inside an input, foreign files, locked)."""


def check_apart(out: Path, inputs: list[Path]) -> None:
    """Refuse an output folder that is an input, or lies inside an input folder."""
    target = Path(out).resolve()
    for item in inputs:
        if str(item) == "-":
            continue
        source = Path(item).resolve()
        if target == source or (source.is_dir() and target.is_relative_to(source)):
            raise OutputFolderError(f"{out}: the output folder lies inside the input {item}; "
                                    "choose a folder outside the case files")


def _ours(name: str) -> bool:
    return name == MANIFEST or name.startswith(STAGING_PREFIX)


def read_manifest(folder: Path) -> list[str]:
    """The relative paths the previous run listed (empty when there is no manifest)."""
    path = Path(folder) / MANIFEST
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [str(f["path"]) for f in data["files"]]
    except (OSError, ValueError, KeyError, TypeError):
        raise OutputFolderError(f"{path}: the manifest is damaged; choose a new output folder") from None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class OutputFolder:
    """A locked output folder with a fresh staging folder; use as a context manager.

    Parameters
    ----------
    target
        The output folder (created if missing).
    inputs
        The inputs of the command; the target may not be one of them or lie inside one.
    command
        Named in the manifest.
    """

    def __init__(self, target: Path, inputs: list[Path], command: str):
        self.target = Path(target)
        self.command = command
        check_apart(self.target, inputs)
        if self.target.exists() and not self.target.is_dir():
            raise OutputFolderError(f"{target}: exists and is not a folder")
        try:
            self.target.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputFolderError(f"{target}: cannot be created ({exc.strerror})") from None
        self._lock_fd: int | None = None
        self._lock_fd = self._lock()
        try:
            self.previous = read_manifest(self.target)
            foreign = [p.name for p in self.target.iterdir() if not _ours(p.name)]
            if foreign and not self.previous:
                raise OutputFolderError(f"{target}: holds files leerwerkplaats did not write "
                                        f"({len(foreign)} item(s)); choose an empty or new output folder")
            for stale in self.target.glob(STAGING_PREFIX + "*"):  # left by a killed run; we hold the lock
                shutil.rmtree(stale, ignore_errors=True)
            self.staging = self.target / f"{STAGING_PREFIX}{os.getpid()}"
            self.staging.mkdir()
        except BaseException:
            self.close()
            raise

    def _lock(self) -> int:
        fd = os.open(self.target, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))  # the folder itself is the lock
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise OutputFolderError(f"{self.target}: another leerwerkplaats run is writing into this folder; "
                                        "wait for it to finish or choose another output folder") from None
            raise
        return fd

    def staged_files(self) -> list[str]:
        """Relative paths of every file in the staging folder, sorted."""
        return sorted(str(p.relative_to(self.staging)) for p in self.staging.rglob("*") if p.is_file())

    def commit(self) -> list[str]:
        """Move the staged files into place, remove what the previous run made and this one did not.

        Returns the relative paths written. Files that were not listed in the
        previous manifest are never replaced: such a clash stops before anything moves.
        """
        new = self.staged_files()
        old = set(self.previous)
        clashes = [rel for rel in new if rel not in old and (self.target / rel).exists()]
        if clashes:
            raise OutputFolderError(f"{self.target / clashes[0]}: exists and was not written by leerwerkplaats; "
                                    "move it away and run again")
        # first list old and new together, so a crash half-way leaves only files the manifest owns
        self._write_manifest(sorted(old | set(new)), hashes=False)
        for rel in new:
            dest = self.target / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.staging / rel, dest)
        for rel in sorted(old - set(new)):
            (self.target / rel).unlink(missing_ok=True)
            parent = (self.target / rel).parent
            while parent != self.target and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
        self._write_manifest(new, hashes=True)
        self.abort()
        return new

    def _write_manifest(self, files: list[str], hashes: bool) -> None:
        from leerwerkplaats import __version__

        rows = []
        for rel in files:
            row: dict[str, object] = {"path": rel}
            if hashes:
                path = self.target / rel
                row.update(bytes=path.stat().st_size, sha256=_sha256(path))
            rows.append(row)
        data = {"tool": "leerwerkplaats", "version": __version__, "command": self.command, "files": rows}
        write_text_atomic(self.target / MANIFEST, json.dumps(data, ensure_ascii=False, indent=1) + "\n")

    def abort(self) -> None:
        """Remove the staging folder (and so everything of an unfinished run)."""
        shutil.rmtree(getattr(self, "staging", self.target / "-none-"), ignore_errors=True)

    def close(self) -> None:
        """Release the lock."""
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> OutputFolder:
        return self

    def __exit__(self, *exc) -> None:
        self.abort()
        self.close()
