"""Prediction files (ANNOTATION.md §5) as input of the ``handouts`` command.

Only records marked ``"pseudonymised": true`` (written by ``predict --pseudonymise``)
are accepted, read by the one case codec: handouts are never rendered from raw text.
"""

from __future__ import annotations

from pathlib import Path

from leerwerkplaats.core.cases import TaggedCase
from leerwerkplaats.run.library import read_tagged


def load_predictions(path: Path) -> list[TaggedCase]:
    """Every record of a prediction file as a TaggedCase; a record without the marker stops the command."""
    name = "standard input" if str(path) == "-" else Path(path).name
    return read_tagged(path, f"voorspellingen uit {name}")
