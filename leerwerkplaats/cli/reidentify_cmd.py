"""``leerwerkplaats reidentify``: put the originals back, for the person who holds the key."""

from __future__ import annotations

from pathlib import Path

import click

from leerwerkplaats.cli.common import EXIT_WITHHELD, passphrase, quiet_option, say, warn
from leerwerkplaats.core.errors import KeyFileError, LeerwerkplaatsError


@click.command("reidentify")
@click.argument("files", nargs=-1, type=click.Path(exists=True, allow_dash=True, path_type=Path))
@click.option("--key", "key_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The key written by 'run --key' or 'pseudonymise --key'.")
@click.option("-o", "--out", "out_dir", type=click.Path(allow_dash=True, path_type=Path),
              help="Folder for the re-identified files (mode 0600), or - for stdout (one file).")
@quiet_option
def reidentify_cmd(files, key_path, out_dir, quiet):
    """Reverse pseudonymised texts with the key, for the person who holds it; lists the cases it holds.

    FILES are pseudonymised texts (casus-001.txt from 'pseudonymise', or
    OUT/casus-001/casus-001.txt from 'run --key') or folders holding them. The
    rendered handouts cannot be re-identified. Without FILES, only the list of
    cases in the key is printed.

    \b
    Examples:
      leerwerkplaats reidentify --key ~/sleutels/sessie.key
      leerwerkplaats reidentify gepseudonimiseerd/ --key ~/sleutels/sessie.key -o terug/
    """
    from leerwerkplaats.cli.common import write_output
    from leerwerkplaats.cli.delivery import Delivery
    from leerwerkplaats.privacy.keyfile import read_key, reidentify
    from leerwerkplaats.reading.readers import read_text_file

    try:
        cases = read_key(key_path, passphrase(confirm=False))
    except KeyFileError as exc:
        raise click.ClickException(str(exc)) from None
    names = sorted(cases)
    say(f"{key_path}: holds {len(names)} case(s): " + ", ".join(names), quiet and bool(files))
    if not files:
        return
    if out_dir is None:
        raise click.UsageError("give -o/--out for the re-identified files")
    targets = _key_texts(files, cases)
    if str(out_dir) == "-" and len(targets) != 1:
        raise click.UsageError(f"-o - writes one file to stdout; found {len(targets)}")
    failed, done = 0, {}
    for path, name in targets:
        try:
            if name is None:
                raise KeyFileError("this key holds no entry for this file")
            done[name] = reidentify(read_text_file(path), cases[name])
        except LeerwerkplaatsError as exc:
            warn(f"{path}: {getattr(exc, 'reason', exc)}")
            failed += 1
    if str(out_dir) == "-":
        for text in done.values():
            click.echo(text, nl=False)
    elif done:
        with Delivery("reidentify", out_dir, list(files) + [key_path]) as delivery:
            for name, text in done.items():
                write_output(delivery.staging / f"{name}.txt", text, private=True)
            delivery.commit()
        say(f"re-identified {len(done)} file(s) into {out_dir} (mode 0600)", quiet)
    if failed:
        raise SystemExit(EXIT_WITHHELD)


def _key_texts(files, cases: dict) -> list[tuple[Path, str | None]]:
    """Each pseudonymised text with its case name in the key (by file name, else by its folder)."""
    out: list[tuple[Path, str | None]] = []
    for item in files:
        if str(item) != "-" and item.is_dir():
            for path in sorted(item.rglob("*.txt")):
                name = path.stem if path.stem in cases else path.parent.name if path.parent.name in cases else None
                if name is not None:
                    out.append((path, name))
        else:
            name = item.stem if item.stem in cases else item.parent.name if item.parent.name in cases else None
            out.append((item, name))
    return out


def register(group: click.Group) -> None:
    group.add_command(reidentify_cmd)
