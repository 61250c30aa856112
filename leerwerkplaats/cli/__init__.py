"""The command line: one click module per flow, registered on the group in :mod:`.main`."""

from leerwerkplaats.cli.main import main

__all__ = ["main"]
