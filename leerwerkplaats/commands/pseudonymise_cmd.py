"""Pseudonymisation commands (filled in by the pseudonymisation issue)."""

from __future__ import annotations

import click


def register(group: click.Group) -> None:
    pass
