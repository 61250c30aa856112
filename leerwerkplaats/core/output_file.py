"""Single-file outputs (``--key``, ``--review-report``, ``predict -o``, ``corpus export -o``): the same policy.

An :class:`OutputFile` is checked before any work starts and written only at the end:

- it may not be one of the inputs, lie inside an input folder, or lie inside the
  command's output folder;
- an existing file is replaced only when leerwerkplaats wrote it and nobody changed
  it since: a hidden record beside it (``.NAME.leerwerkplaats.json``) holds its
  SHA-256. Anything else stops the command before it starts, named. A key
  (``replace=False``) is never replaced without the explicit option, since the
  cases it re-identifies become unreadable;
- :meth:`stage` writes the bytes into a temporary file beside the target (so an
  unwritable folder or a full disk stops the command before any output is put in
  place), :meth:`commit` renames it into place, :meth:`abort` removes it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from leerwerkplaats.core.errors import LeerwerkplaatsError
from leerwerkplaats.core.io_atomic import os_problem, write_temp, write_text_atomic
from leerwerkplaats.core.output_folder import OutputFolderError, check_apart, sha256_file


class OutputFileError(OutputFolderError):
    """A single output file cannot be written where asked."""


def _record_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.leerwerkplaats.json")


class OutputFile:
    """One output file of a command; see the module docstring.

    Parameters
    ----------
    path
        Where the file goes; ``-`` for standard output (no checks, nothing staged).
    inputs
        The command's inputs: the file may not be one or lie inside one.
    out_dir
        The command's output folder, if any: the file may not lie inside it (a key or a
        report would travel with the handouts).
    command
        Named in the record beside the file.
    what
        What the file is, for messages (``key``, ``review report``, ``prediction file``).
    replace
        For a key: the user asked to replace an existing key (``--replace-key``).
    replace_hint
        The option that allows replacing, named in the message when it is refused.
    mode
        File mode (0600 for keys, reports and raw text).
    """

    def __init__(self, path: Path | str, inputs: list[Path], command: str, what: str = "output file",
                 *, out_dir: Path | None = None, replace: bool | None = None, replace_hint: str = "",
                 mode: int | None = None):
        self.path = Path(path)
        self.stdout = str(path) == "-"
        self.command, self.what, self.mode = command, what, mode
        self._tmp: Path | None = None
        self._data = b""
        if self.stdout:
            return
        check_apart(self.path, inputs, what)
        if out_dir is not None and str(out_dir) != "-" and self.path.resolve().is_relative_to(Path(out_dir).resolve()):
            raise OutputFileError(f"{self.path}: the {what} may not be written inside the output folder {out_dir}")
        for item in inputs:
            if str(item) != "-" and Path(item).resolve() == self.path.resolve():
                raise OutputFileError(f"{self.path}: the {what} would overwrite an input; choose another name")
        if self.path.is_symlink() or (self.path.exists() and not self.path.is_file()):
            raise OutputFileError(f"{self.path}: exists and is not a regular file; choose another name for the {what}")
        if self.path.exists():
            self._may_replace(replace, replace_hint)
        if not self.path.parent.is_dir():
            raise OutputFileError(f"{self.path}: the folder {self.path.parent} does not exist; create it first")
        if not os.access(self.path.parent, os.W_OK):
            raise OutputFileError(f"{self.path}: the folder {self.path.parent} is not writable; "
                                  f"choose another place for the {what}")

    def _may_replace(self, replace: bool | None, hint: str) -> None:
        if replace is not None:  # a key: only on explicit request
            if not replace:
                raise OutputFileError(
                    f"{self.path}: a key exists here; replacing it makes the cases it re-identifies "
                    f"unreadable for good. Choose another file, or pass {hint or '--replace-key'} to replace it")
            return
        try:
            record = json.loads(_record_path(self.path).read_text(encoding="utf-8"))
            ours = record.get("tool") == "leerwerkplaats" and record.get("sha256") == sha256_file(self.path)
        except (OSError, ValueError, AttributeError):
            ours = False
        if not ours:
            raise OutputFileError(f"{self.path}: exists and was not written by leerwerkplaats, or was changed since; "
                                  f"it is never replaced: choose another name for the {self.what}, or move it away")

    def stage(self, data: bytes) -> None:
        """Write ``data`` to a temporary file beside the target (nothing is in place yet)."""
        self._data = data
        if self.stdout:
            return
        try:
            self._tmp = write_temp(self.path, data, self.mode)
        except OSError as exc:
            raise OutputFileError(f"{self.path}: the {self.what} cannot be written ({os_problem(exc)}); "
                                  "nothing was changed") from None

    def commit(self) -> None:
        """Put the staged file in place (with its record), or write it to standard output."""
        if self.stdout:
            sys.stdout.flush()
            stream = getattr(sys.stdout, "buffer", None)
            if stream is None:  # a text-only stream (a test runner's)
                sys.stdout.write(self._data.decode("utf-8"))
            else:
                stream.write(self._data)
                stream.flush()
            return
        if self._tmp is None:
            return
        record = {"tool": "leerwerkplaats", "command": self.command, "sha256": hashlib.sha256(self._data).hexdigest()}
        try:
            os.replace(self._tmp, self.path)
            self._tmp = None
            write_text_atomic(_record_path(self.path), json.dumps(record) + "\n")
        except (OSError, LeerwerkplaatsError) as exc:
            cause = os_problem(exc) if isinstance(exc, OSError) else str(exc)
            raise OutputFileError(f"{self.path}: the {self.what} could not be put in place ({cause})") from None

    def abort(self) -> None:
        if self._tmp is not None:
            self._tmp.unlink(missing_ok=True)
            self._tmp = None
