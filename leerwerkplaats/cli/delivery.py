"""The one output policy at the command line: every command that writes goes through a :class:`Delivery`.

A delivery opens the output folder (staging, lock, manifest; refused inside an
input) and checks every single output file (key, review report, prediction
file) before any work starts. After the work, the single files are staged beside
their targets first, so an unwritable place or a full disk stops the command
with nothing in place; then the folder is committed, then the single files.
Ctrl-C leaves everything as it was (exit 130). Errors become one line.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Callable, TypeVar

import click

from leerwerkplaats.cli.common import EXIT_INTERRUPTED, warn
from leerwerkplaats.core.errors import LeerwerkplaatsError
from leerwerkplaats.core.output_file import OutputFile
from leerwerkplaats.core.output_folder import OutputFolder
from leerwerkplaats.run.runner import Interrupted

T = TypeVar("T")


class Delivery:
    """One command's outputs: an output folder (or none) and single files; use as a context manager.

    Parameters
    ----------
    command
        Named in manifests and records.
    out_dir
        The output folder, or ``None`` for a command that writes single files only
        (its work then happens in a private temporary folder).
    inputs
        Everything the command reads (case files, folders, a library, a model).
    files
        Single output files, already constructed (and so checked).
    """

    def __init__(self, command: str, out_dir: Path | None, inputs: list[Path], files: list[OutputFile] = ()):
        self.command, self.out_dir = command, out_dir
        self.files = [f for f in files if f is not None]
        self._tmp: tempfile.TemporaryDirectory | None = None
        self.folder: OutputFolder | None = None
        try:
            if out_dir is not None:
                self.folder = OutputFolder(out_dir, inputs, command)
            else:
                self._tmp = tempfile.TemporaryDirectory(prefix="leerwerkplaats-")
        except LeerwerkplaatsError as exc:
            raise click.ClickException(str(exc)) from None

    @property
    def staging(self) -> Path:
        """Where the work writes its files."""
        return self.folder.staging if self.folder else Path(self._tmp.name)

    @property
    def previous_cases(self) -> dict[str, str]:
        """Input key → case name of the previous run into this folder."""
        return dict(self.folder.manifest.cases) if self.folder else {}

    def work(self, fn: Callable[[], T], on_stop: Callable[[], None] | None = None) -> T:
        """Run the command's work: Ctrl-C → exit 130 with nothing changed; a known error → one line, exit 1."""
        try:
            return fn()
        except Interrupted as exc:
            if on_stop:
                on_stop()
            where = f" in {self.out_dir}" if self.out_dir else ""
            warn(f"interrupted: {exc.finished} of {exc.total} file(s) were finished; "
                 f"nothing{where} was changed (run again to do them all)")
            raise SystemExit(EXIT_INTERRUPTED) from None
        except LeerwerkplaatsError as exc:
            if on_stop:
                on_stop()
            raise click.ClickException(str(exc)) from None

    def commit(self, contents: dict[OutputFile, bytes | None] | None = None,
               cases: dict[str, str] | None = None) -> list[str]:
        """Stage the single files, commit the folder, then put the single files in place.

        ``contents`` maps each single file to its bytes (``None``: not written).
        Returns the relative paths written into the folder.
        """
        staged: list[OutputFile] = []
        try:
            for out, data in (contents or {}).items():
                if data is not None:
                    out.stage(data)
                    staged.append(out)
            written: list[str] = []
            if self.folder is not None:
                self.folder.cases = dict(cases or {})
                written = self.folder.commit()
            for out in staged:
                out.commit()
        except LeerwerkplaatsError as exc:
            for out in staged:
                out.abort()
            raise click.ClickException(str(exc)) from None
        return written

    def __enter__(self) -> Delivery:
        return self

    def __exit__(self, *exc: Any) -> None:
        for out in self.files:
            out.abort()
        if self.folder is not None:
            self.folder.abort()
            self.folder.close()
        if self._tmp is not None:
            self._tmp.cleanup()
