"""The command line: thin click commands that delegate to the library.

Each flow has its own module under :mod:`leerwerkplaats.cli`; this module builds
the group and configures logging (nowhere else does). Conventions shared by every
command are in :mod:`leerwerkplaats.cli.common`.
"""

from __future__ import annotations

import click

from leerwerkplaats import __version__
from leerwerkplaats.cli.common import LoudGroup, configure_logging


@click.group(cls=LoudGroup, context_settings={"help_option_names": ["-h", "--help"]},
             epilog="Exit codes: 0 done; 1 nothing could run; 2 bad usage; "
                    "3 some files withheld; 130 interrupted. "
                    "Progress and messages go to stderr, results to stdout.")
@click.version_option(__version__, prog_name="leerwerkplaats")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug); never case text.")
def main(verbose: int) -> None:
    """Pseudonymise, tag and teach from closed Dutch youth-care case files.

    \b
    Workshop staff:  leerwerkplaats run CASES/ -o LIB/
    Trainers:        leerwerkplaats session LIB/ -o SESSIE/ --count 3
                     leerwerkplaats handouts PRED.jsonl -o DIR/
    Researchers:     leerwerkplaats train / evaluate / compare / corpus ...
    """
    configure_logging(verbose)


def _register() -> None:
    from leerwerkplaats.cli import (
        corpus_cmd,
        evaluate_cmd,
        predict_cmd,
        pseudonymise_cmd,
        reidentify_cmd,
        review_cmd,
        run_cmd,
        session_cmd,
        train_cmd,
    )

    for module in (corpus_cmd, pseudonymise_cmd, predict_cmd, reidentify_cmd, train_cmd, evaluate_cmd, run_cmd,
                   session_cmd, review_cmd):
        module.register(main)


_register()
