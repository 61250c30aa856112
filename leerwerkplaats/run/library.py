"""The case library on disk: ``LIB/library.jsonl`` (tagged, pseudonymised records) and ``LIB/index.html``.

``run`` writes the library; ``sessie`` reads it back and never sees a raw file.
Each line is written and read by the one case codec (:mod:`leerwerkplaats.core.codec`):
the ANNOTATION.md §5 shape plus what the handouts need. A line without
``"pseudonymised": true`` is refused (fail closed): the text of a library must
never be raw.
"""

from __future__ import annotations

from pathlib import Path

from leerwerkplaats.core.cases import TaggedCase
from leerwerkplaats.core.codec import PSEUDONYMISED, decode, dumps
from leerwerkplaats.core.errors import CorpusError, LeerwerkplaatsError, ReadError
from leerwerkplaats.reading.jsonl import json_lines

LIBRARY_FILE = "library.jsonl"
INDEX_FILE = "index.html"
#: The marker every library record carries: its text is pseudonymised (the same key as prediction records).
MARKER = PSEUDONYMISED

__all__ = ["LIBRARY_FILE", "INDEX_FILE", "MARKER", "dumps", "load", "read_tagged"]


def read_tagged(path: Path | str, model: str = "") -> list[TaggedCase]:
    """Every line of a library or prediction file as a tagged case; one error naming the file and line otherwise."""
    out: list[TaggedCase] = []
    try:
        for lineno, obj in json_lines(path):
            try:
                out.append(decode(obj, model=model))
            except CorpusError as exc:
                raise LeerwerkplaatsError(f"{path}:{lineno}: {exc}") from None
    except (CorpusError, ReadError) as exc:
        raise LeerwerkplaatsError(str(exc)) from None
    if not out:
        raise LeerwerkplaatsError(f"{path}: holds no cases")
    return out


def load(lib_dir: Path) -> list[TaggedCase]:
    """Every case of a library folder."""
    path = Path(lib_dir) / LIBRARY_FILE
    if not path.is_file():
        raise LeerwerkplaatsError(f"{lib_dir}: not a library (no {LIBRARY_FILE}); "
                                  f"make one with: leerwerkplaats run CASES/ -o {lib_dir}")
    return read_tagged(path)
