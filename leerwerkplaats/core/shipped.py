"""Where the shipped templates and models are, installed or in a checkout.

The repository keeps them at its top level (``templates/``, ``models/``); the
wheel installs them as the subpackages ``leerwerkplaats.templates`` and
``leerwerkplaats.models`` (see ``pyproject.toml``), so both are found through
:mod:`importlib.resources`, from any working directory.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _folder(package: str) -> Path:
    return Path(str(resources.files(package)))


def templates_dir() -> Path:
    """The folder of the shipped Jinja2 templates and CSS."""
    return _folder("leerwerkplaats.templates")


def default_model_dir() -> Path:
    """The folder of the shipped tagger model (``model.skops``, ``meta.json``, card)."""
    return _folder("leerwerkplaats.models") / "default"


def pii_model_dir() -> Path:
    """The folder of the shipped statistical PII model (``model.crfsuite``, ``meta.json``, card)."""
    return _folder("leerwerkplaats.models") / "pii"
