"""The command line: thin click commands that delegate to the library.

Each flow has its own module under :mod:`leerwerkplaats.commands`; this module
builds the group, configures logging (nowhere else does) and turns domain errors
into one clear line.
"""

from __future__ import annotations

import logging

import click

from leerwerkplaats import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="leerwerkplaats")
@click.option("-v", "--verbose", count=True, help="More log output (never case text).")
def main(verbose: int) -> None:
    """Pseudonymise, tag and teach from closed Dutch youth-care case files.

    \b
    Workshop staff:  leerwerkplaats run CASES/ -o LIB/
    Trainers:        leerwerkplaats sessie LIB/ -o SESSIE/ --casussen 3
                     leerwerkplaats handouts PRED.jsonl -o DIR/
    Researchers:     leerwerkplaats train / evaluate / compare / corpus ...
    """
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(level=max(level, logging.DEBUG), format="%(levelname)s %(name)s: %(message)s")


def _register() -> None:
    from leerwerkplaats.cli import corpus_cmd, pii_model_cmd, pseudonymise_cmd, research_cmd, sessie_cmd, session_cmd

    for module in (corpus_cmd, pseudonymise_cmd, research_cmd, pii_model_cmd, session_cmd, sessie_cmd):
        module.register(main)
    from leerwerkplaats.review.cli import review_cmd

    main.add_command(review_cmd)


_register()
