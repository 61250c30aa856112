"""``python -m leerwerkplaats``: the same command line as the ``leerwerkplaats`` script."""

from leerwerkplaats.cli import main

main()
