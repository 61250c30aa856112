"""``leerwerkplaats review``: check the pseudonymisation of a folder of case files in the browser."""

from __future__ import annotations

import getpass
import os
import socket
import sys
import threading
from pathlib import Path

import click

from leerwerkplaats.cli.common import output_file, seed_option, style_option

LOCAL_HOSTS = ("127.0.0.1", "localhost")


@click.command("review")
@click.argument("input_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port to listen on (0: a free one).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but 127.0.0.1/localhost needs --allow-remote.")
@click.option("--allow-remote", is_flag=True, help="Allow --host to be an address other machines can reach.")
@click.option("--no-browser", is_flag=True, help="Do not open a browser; just print the address.")
@click.option("--reviewer", default=lambda: os.environ.get("LEERWERKPLAATS_REVIEWER") or getpass.getuser(),
              help="Name stored with every decision (default: $LEERWERKPLAATS_REVIEWER or the login name).")
@seed_option
@style_option
@click.option("--export", "export_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the approved files as annotated JSONL (ANNOTATION.md §5) and print the statistics; no server.")
def review_cmd(input_dir, port, host, allow_remote, no_browser, reviewer, seed, style, export_path):
    """Review the pseudonymisation of INPUT_DIR in the browser, four eyes before the room.

    The first line on stdout is the address (with a one-time token). Decisions
    are stored in INPUT_DIR/.leerwerkplaats-review/ (offsets, types, who and
    when; no case text); `pseudonymise` and `run` apply them, and
    `run --require-review` renders only approved files.

    \b
    Examples:
      leerwerkplaats review dossiers/
      leerwerkplaats review dossiers/ --no-browser --port 8765
      leerwerkplaats review dossiers/ --export gecorrigeerd.jsonl
    """
    from leerwerkplaats.review import adapter
    from leerwerkplaats.review.service import ReviewSession

    if host not in LOCAL_HOSTS and not allow_remote:
        raise click.ClickException(f"--host {host}: the review shows original case files; "
                                   "add --allow-remote to listen on anything but 127.0.0.1")
    reviewer = " ".join(reviewer.split())[:80] or "onbekend"
    pseudonymiser = adapter.build_pseudonymiser(seed=seed, style=style)
    session = ReviewSession(input_dir.resolve(), pseudonymiser, reviewer)
    if export_path is not None:
        _export(session, export_path)
        return
    _serve(session, host, port, no_browser)


def _export(session, path: Path) -> None:
    from rich.console import Console
    from rich.table import Table

    from leerwerkplaats.cli.delivery import Delivery
    from leerwerkplaats.review.adapter import PII_TYPES

    out = output_file(path, [session.input_dir], "review", "export", mode=0o600)
    with Delivery("review", None, [session.input_dir], [out]) as delivery:
        session.load()
        text, count, change, per_file = session.export_text()
        delivery.commit({out: text.encode("utf-8")})
    click.echo(f"wrote {count} approved file(s) to {path} (contains original text: keep it with the raw files)")
    table = Table("PII type", "added", "removed", title="Review: what the reviewers changed")
    for t in PII_TYPES:
        if change.added[t] or change.removed[t]:
            table.add_row(t, str(change.added[t]), str(change.removed[t]))
    table.add_row("all", str(sum(change.added.values())), str(sum(change.removed.values())))
    Console().print(table)
    for pair, n in sorted(change.retyped.items()):
        click.echo(f"type changed {pair}: {n}")
    for name, added, removed in per_file:  # per file: the model's misses and its over-redaction
        click.echo(f"  {name}: {added} added (missed), {removed} removed (over-redacted)")


def _serve(session, host: str, port: int, no_browser: bool) -> None:
    import uvicorn

    from leerwerkplaats.review.app import create_app
    from leerwerkplaats.review.security import Secrets

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port} ({exc.strerror})") from None
    port = sock.getsockname()[1]
    secrets_ = Secrets.for_server(host, port)
    url = secrets_.url(host, port)
    click.echo(url)
    sys.stdout.flush()
    threading.Thread(target=session.load, name="review-load", daemon=True).start()
    if not no_browser:
        import webbrowser

        webbrowser.open(url)
    config = uvicorn.Config(create_app(session, secrets_), log_level="warning", access_log=False,
                            log_config=None, server_header=False, date_header=False)
    click.echo(f"reviewing {session.input_dir}; stop with Ctrl+C", err=True)
    uvicorn.Server(config).run(sockets=[sock])


def register(group: click.Group) -> None:
    group.add_command(review_cmd)
