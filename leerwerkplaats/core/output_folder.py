"""Output folders that cannot hurt: staging, a lock, a manifest, never inside an input.

Everything a command writes goes into a hidden staging folder inside the output
folder first; :meth:`OutputFolder.commit` moves the finished files into place and
writes ``leerwerkplaats-manifest.json`` listing them with size and SHA-256. So:

- the output folder may not be an input, lie inside an input folder (or a library
  the command reads), or hold one;
- only files the tool made are ever replaced or removed: listed in the previous
  manifest, as a relative path inside the folder (no ``..``, no absolute path, no
  link), and still with the SHA-256 it had. A file a person edited since stops
  the run before anything is done, named; a folder holding other files is refused;
- a failed or interrupted run leaves the output folder as it was;
- a second run into the same folder stops at the lock (``fcntl.flock`` on the folder, released
  by the kernel when a process dies, so a killed run never blocks the next one);
- the manifest maps each input (by a SHA-256 of its content, never its name) to its
  case, so a case keeps its name across reruns while its input stays.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from leerwerkplaats.core.errors import LeerwerkplaatsError
from leerwerkplaats.core.io_atomic import os_problem, write_text_atomic

MANIFEST = "leerwerkplaats-manifest.json"
STAGING_PREFIX = ".leerwerkplaats-staging-"


class OutputFolderError(LeerwerkplaatsError):
    """The output folder cannot be used (inside an input, foreign or edited files, locked, unwritable)."""


def check_apart(out: Path, inputs: list[Path], what: str = "output folder") -> None:
    """Refuse an output that is an input, lies inside an input folder, or (a folder) holds an input."""
    target = Path(out).resolve()
    for item in inputs:
        if str(item) == "-":
            continue
        source = Path(item).resolve()
        if target == source or (source.is_dir() and target.is_relative_to(source)):
            raise OutputFolderError(f"{out}: the {what} is or lies inside the input {item}; "
                                    "choose a place outside the inputs")
        if what == "output folder" and source.is_relative_to(target):
            raise OutputFolderError(f"{out}: the output folder holds the input {item}; "
                                    "choose a folder that does not contain the case files")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _safe_relative(folder: Path, rel: object) -> str | None:
    """``rel`` when it is a plain relative path to a regular file place inside ``folder``, else ``None``."""
    if not isinstance(rel, str) or not rel or "\\" in rel or "\x00" in rel:
        return None
    pure = PurePosixPath(rel)
    if pure.is_absolute() or any(part in ("", ".", "..") for part in pure.parts) or str(pure) != rel:
        return None
    if pure.parts[0] == MANIFEST or pure.parts[0].startswith(STAGING_PREFIX):
        return None
    place = folder
    for part in pure.parts:  # no link anywhere on the way
        place = place / part
        if place.is_symlink():
            return None
    return rel


@dataclass
class Manifest:
    """What the previous run wrote: file → accepted SHA-256s, and input key → case name."""

    files: dict[str, set[str]] = field(default_factory=dict)
    cases: dict[str, str] = field(default_factory=dict)


def read_manifest(folder: Path) -> Manifest:
    """The previous run's manifest (empty when there is none); refused when damaged or pointing outside."""
    path = Path(folder) / MANIFEST
    if not path.exists():
        return Manifest()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = data["files"]
        cases = data.get("cases") or {}
        if not isinstance(rows, list) or not isinstance(cases, dict):
            raise TypeError
        manifest = Manifest(cases={str(k): str(v) for k, v in cases.items()})
        for row in rows:
            rel = _safe_relative(Path(folder), row["path"])
            if rel is None:
                raise OutputFolderError(f"{path}: lists a path that is not a file inside the folder; "
                                        "the manifest was edited: choose a new output folder")
            hashes = {row[k] for k in ("sha256", "sha256_before") if isinstance(row.get(k), str)}
            manifest.files[rel] = hashes
        return manifest
    except OutputFolderError:
        raise
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise OutputFolderError(f"{path}: the manifest is damaged; choose a new output folder") from None


def _ours(name: str) -> bool:
    return name == MANIFEST or name.startswith(STAGING_PREFIX)


class OutputFolder:
    """A locked output folder with a fresh staging folder; use as a context manager.

    Parameters
    ----------
    target
        The output folder (created if missing).
    inputs
        The inputs of the command (files, folders, a library it reads); the target
        may not be one of them, lie inside one, or hold one.
    command
        Named in the manifest.
    """

    def __init__(self, target: Path, inputs: list[Path], command: str):
        self.target = Path(target)
        self.command = command
        #: Input key → case name, written into the manifest at commit (set by the command).
        self.cases: dict[str, str] = {}
        self._lock_fd: int | None = None
        check_apart(self.target, inputs)
        if self.target.is_symlink() or (self.target.exists() and not self.target.is_dir()):
            raise OutputFolderError(f"{target}: exists and is not a folder")
        try:
            self.target.mkdir(parents=True, exist_ok=True)
            self._lock_fd = self._lock()
        except OSError as exc:
            raise OutputFolderError(f"{target}: cannot be used as output folder ({os_problem(exc)})") from None
        try:
            self.manifest = read_manifest(self.target)
            self.previous = sorted(self.manifest.files)
            foreign = [p.name for p in self.target.iterdir() if not _ours(p.name)]
            if foreign and not (self.target / MANIFEST).exists():
                raise OutputFolderError(f"{target}: holds files leerwerkplaats did not write "
                                        f"({len(foreign)} item(s)); choose an empty or new output folder")
            self._check_unedited()
            for stale in self.target.glob(STAGING_PREFIX + "*"):  # left by a killed run; we hold the lock
                shutil.rmtree(stale, ignore_errors=True)
            self.staging = self.target / f"{STAGING_PREFIX}{os.getpid()}"
            self.staging.mkdir()
        except OSError as exc:
            self.close()
            raise OutputFolderError(f"{target}: cannot be used as output folder ({os_problem(exc)})") from None
        except BaseException:
            self.close()
            raise

    def _check_unedited(self) -> None:
        """Stop when a file of the previous run was changed by hand (it would be replaced or removed)."""
        for rel, hashes in self.manifest.files.items():
            path = self.target / rel
            if not path.exists():
                continue
            if not path.is_file() or not hashes or sha256_file(path) not in hashes:
                raise OutputFolderError(f"{path}: changed since leerwerkplaats wrote it (edited by hand?); "
                                        "it is never overwritten: move it out of the folder, then run again")

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
        return sorted(p.relative_to(self.staging).as_posix() for p in self.staging.rglob("*") if p.is_file())

    def commit(self) -> list[str]:
        """Move the staged files into place, remove what the previous run made and this one did not.

        Returns the relative paths written. A file that was not listed in the
        previous manifest is never replaced: such a clash stops before anything moves.
        """
        try:
            return self._commit()
        except OSError as exc:
            raise OutputFolderError(f"{self.target}: the output could not be put in place ({os_problem(exc)}); "
                                    "files listed in its manifest may be missing: run again") from None

    def _commit(self) -> list[str]:
        new = self.staged_files()
        old = self.manifest.files
        clashes = [rel for rel in new if rel not in old and (self.target / rel).exists()]
        if clashes:
            raise OutputFolderError(f"{self.target / clashes[0]}: exists and was not written by leerwerkplaats; "
                                    "move it away and run again")
        self._check_unedited()
        staged = {rel: sha256_file(self.staging / rel) for rel in new}
        # first list old and new together with both hashes, so a crash half-way leaves only files the manifest owns
        rows = {rel: {"sha256_before": sorted(hashes)[0]} if hashes else {} for rel, hashes in old.items()}
        for rel, digest in staged.items():
            rows.setdefault(rel, {})["sha256"] = digest
        self._write_manifest(rows)
        for rel in new:
            dest = self.target / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.staging / rel, dest)
        for rel in sorted(set(old) - set(new)):
            (self.target / rel).unlink(missing_ok=True)
            parent = (self.target / rel).parent
            while parent != self.target and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
        self._write_manifest({rel: {"bytes": (self.target / rel).stat().st_size, "sha256": staged[rel]} for rel in new})
        self.abort()
        return new

    def _write_manifest(self, rows: dict[str, dict[str, object]]) -> None:
        from leerwerkplaats import __version__

        data = {"tool": "leerwerkplaats", "version": __version__, "command": self.command,
                "files": [{"path": rel, **rows[rel]} for rel in sorted(rows)],
                "cases": dict(sorted(self.cases.items()))}
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
