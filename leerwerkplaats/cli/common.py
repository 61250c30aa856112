"""What every command shares: exit codes, stderr messages, progress, ``-`` for stdin/stdout, logging.

Exit codes (also in ``leerwerkplaats --help`` and the README):

====  =====================================================================
0     everything done
1     nothing could run (no input files, output folder refused, model missing)
2     bad usage (unknown option, bad value) — click's own code
3     some files withheld (unreadable, or not safely pseudonymised); the rest is done
130   interrupted (Ctrl-C); the output folder was left as it was
====  =====================================================================
"""

from __future__ import annotations

import json
import logging
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import click

EXIT_OK = 0
EXIT_NOTHING_RAN = 1
EXIT_USAGE = 2
EXIT_WITHHELD = 3
EXIT_INTERRUPTED = 130

EXIT_CODES_HELP = ("Exit codes: 0 done; 1 nothing could run; 2 bad usage; "
                   "3 some files withheld; 130 interrupted.")

PASSPHRASE_ENV = "LEERWERKPLAATS_PASSPHRASE"


class LoudGroup(click.Group):
    """A group whose commands fail with one clear line when a dependency is missing (never disappear)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ModuleNotFoundError as exc:
            package = (exc.name or "a package").split(".")[0]
            raise click.ClickException(
                f"this command needs the Python package '{package}', which is not installed or broken; "
                "reinstall leerwerkplaats (pip install --force-reinstall leerwerkplaats)") from None


# ---------------------------------------------------------------- options

def formats_callback(ctx, param, value: str) -> tuple[str, ...]:
    """``--formats`` checked once for every command that renders: html, pdf, docx."""
    from leerwerkplaats.handouts import parse_formats

    try:
        return parse_formats(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def seed_option(f):
    return click.option("--seed", type=int, default=0, show_default=True,
                        help="Seed of the pseudonyms and the date shift: same seed, same output.")(f)


def style_option(f):
    return click.option("--style", type=click.Choice(["names", "tags"]), default="names", show_default=True,
                        help="Readable pseudonyms or tags like [PERSOON-1].")(f)


def templates_option(f):
    return click.option("--templates", type=click.Path(exists=True, file_okay=False, path_type=Path),
                        help="Own copy of templates/; templates missing there come from the shipped set.")(f)


def tariffs_option(f):
    return click.option("--tariffs", "--tarieven", "tarieven", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                        help="Own tariffs file (TOML, like leerwerkplaats/data/tarieven.toml).")(f)


def quiet_option(f):
    return click.option("-q", "--quiet", is_flag=True,
                        help="No progress or messages on stderr; failures are still reported.")(f)


def json_option(f):
    return click.option("--json", "as_json", is_flag=True, help="Print a JSON summary on stdout.")(f)


# ---------------------------------------------------------------- messages and results

def say(message: str, quiet: bool = False) -> None:
    """A message for the user: always on stderr, left out with ``--quiet``."""
    if not quiet:
        click.echo(message, err=True)


def warn(message: str) -> None:
    """A failure line: stderr, even with ``--quiet``."""
    click.echo(message, err=True)


def emit_json(data: Any) -> None:
    """A JSON result on stdout."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def stderr_console(quiet: bool = False):
    """A rich console on stderr (quiet: writes nothing)."""
    from rich.console import Console

    return Console(stderr=True, quiet=quiet)


@contextmanager
def progress(total: int, label: str, quiet: bool = False) -> Iterator[Any]:
    """The one progress bar: on stderr, transient, off with ``--quiet`` or for fewer than two items.

    Yields a callable that advances the bar by one.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=stderr_console(), transient=True, disable=quiet or total < 2)
    with bar:
        task = bar.add_task(label, total=total)
        yield lambda: bar.advance(task)


class LazyProgress:
    """A progress bar started later (``start(total)``), for the run pipeline: workers fork first."""

    def __init__(self, label: str, quiet: bool = False):
        self.label, self.quiet = label, quiet
        self._cm = None
        self._advance = None

    def start(self, total: int) -> None:
        self._cm = progress(total, self.label, self.quiet)
        self._advance = self._cm.__enter__()

    def advance(self, *_: Any) -> None:
        if self._advance:
            self._advance()

    def stop(self) -> None:
        if self._cm is not None:
            self._cm.__exit__(None, None, None)
            self._cm = None


def write_output(path: Path, text: str, private: bool = False) -> None:
    """Write a result file atomically, or to stdout for ``-``; ``private`` files get mode 0600."""
    from leerwerkplaats.core.io_atomic import write_text_atomic

    if str(path) == "-":
        click.echo(text, nl=False)
        return
    write_text_atomic(path, text, mode=0o600 if private else None)


# ---------------------------------------------------------------- the key's passphrase

def passphrase(confirm: bool) -> str:
    """The key passphrase: ``$LEERWERKPLAATS_PASSPHRASE``, else asked for on a terminal.

    ``confirm`` means a new key: it is asked twice and must be at least
    :data:`~leerwerkplaats.privacy.keyfile.MIN_PASSPHRASE` characters. An existing
    key opens with whatever passphrase it was made with.
    """
    from leerwerkplaats.core.errors import KeyFileError
    from leerwerkplaats.privacy.keyfile import check_passphrase

    value = os.environ.get(PASSPHRASE_ENV)
    fix = f"set a longer {PASSPHRASE_ENV}"
    if not value:
        if not sys.stdin.isatty():
            raise click.ClickException(f"no passphrase for the key: set {PASSPHRASE_ENV}, or run in a terminal "
                                       "to be asked for one")
        value = click.prompt("Wachtwoordzin voor de sleutel", hide_input=True, confirmation_prompt=confirm,
                             default="", show_default=False)
        if not value:
            raise click.ClickException(f"an empty passphrase cannot protect a key; type one, or set {PASSPHRASE_ENV}")
        fix = "type a longer one"
    if confirm:
        try:
            check_passphrase(value, fix)
        except KeyFileError as exc:
            raise click.ClickException(str(exc)) from None
    return value


def replace_key_option(f):
    return click.option("--replace-key", is_flag=True,
                        help="Replace an existing key file (the cases it re-identifies become unreadable).")(f)


def output_file(path: Path | str, inputs: list[Path], command: str, what: str, **options: Any):
    """An :class:`~leerwerkplaats.core.output_file.OutputFile`, checked now; a refusal is one line (exit 1)."""
    from leerwerkplaats.core.errors import LeerwerkplaatsError
    from leerwerkplaats.core.output_file import OutputFile

    try:
        return OutputFile(path, inputs, command, what, **options)
    except LeerwerkplaatsError as exc:
        raise click.ClickException(str(exc)) from None


def key_file(key: Path | None, replace: bool, inputs: list[Path], out_dir: Path | None, command: str, quiet: bool):
    """The ``--key`` output, checked before any work, and what writes it: ``(OutputFile | None, produce)``.

    The key may not be an input, lie inside an input or the output folder, or
    replace an existing key without ``--replace-key``. The passphrase is asked for now.
    """
    if key is None:
        return None, None
    out = output_file(key, inputs, command, "key", out_dir=out_dir, replace=replace, replace_hint="--replace-key",
                      mode=0o600)
    secret = passphrase(confirm=True)

    def produce(report) -> bytes | None:
        from leerwerkplaats.privacy.keyfile import encrypt_key
        from leerwerkplaats.run.pipeline import key_records

        records = key_records(report)
        if not records:
            warn(f"{key}: no key written (no case got output)")
            return None
        say(f"{key}: key for {len(records)} case(s); keep it apart from the output folder", quiet)
        return encrypt_key(records, secret)

    return out, produce


# ---------------------------------------------------------------- logging

#: Loggers of libraries that see case text (Presidio logs context words, spaCy tokens).
TEXT_LOGGERS = ("presidio", "presidio-analyzer", "presidio_analyzer", "presidio-anonymizer", "spacy")
#: Loggers whose warnings are noise for a user (font subsetting while making PDFs).
NOISY_LOGGERS = ("fontTools", "weasyprint")


class CaseTextFilter(logging.Filter):
    """Keep case text out of every log line.

    Our own loggers (``leerwerkplaats.*``) never log case text. Records of the
    libraries that see it are cut to their level and logger name; records of the
    PDF libraries below ERROR are dropped. Any other library is capped at WARNING
    with its message withheld.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        name = record.name
        if name == "leerwerkplaats" or name.startswith("leerwerkplaats."):
            return True
        if _under(name, NOISY_LOGGERS) and record.levelno < logging.ERROR:
            return False
        if record.levelno < logging.WARNING and not _under(name, TEXT_LOGGERS):
            return False
        record.msg, record.args = "(message withheld: it may quote case text)", None
        record.exc_info = record.exc_text = record.stack_info = None
        return True


def _under(name: str, roots: tuple[str, ...]) -> bool:
    return any(name == r or name.startswith(r + ".") for r in roots)


def configure_logging(verbose: int) -> None:
    """The only logging set-up: a stderr handler behind :class:`CaseTextFilter`."""
    level = max(logging.WARNING - 10 * verbose, logging.DEBUG)
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_leerwerkplaats", False)]:
        root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler._leerwerkplaats = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(CaseTextFilter())
    root.addHandler(handler)
    root.setLevel(level)
    for name in TEXT_LOGGERS + NOISY_LOGGERS:  # their own handlers would bypass ours
        lib = logging.getLogger(name)
        for h in list(lib.handlers):
            lib.removeHandler(h)
        lib.propagate = True
