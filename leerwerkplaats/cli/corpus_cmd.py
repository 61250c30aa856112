"""``leerwerkplaats corpus check|stats|import|export``: validate, summarise and convert annotated corpora."""

from __future__ import annotations

from pathlib import Path

import click

from leerwerkplaats.cli.common import emit_json, json_option, output_file, quiet_option, say
from leerwerkplaats.cli.delivery import Delivery
from leerwerkplaats.core.errors import LeerwerkplaatsError
from leerwerkplaats.reading import corpus as corpus_mod


@click.group("corpus")
def corpus_group() -> None:
    """Check and summarise annotated corpora (JSONL, ANNOTATION.md §5)."""


@corpus_group.command("check")
@click.argument("path", type=click.Path(allow_dash=True, path_type=Path))
@quiet_option
def check_cmd(path: Path, quiet: bool) -> None:
    """Validate a corpus (- reads stdin): offsets, whitespace at span edges, labels, PII types, case fields.

    Each problem is one line on stdout; exit code 1 when there are any.

    \b
    Example:
      leerwerkplaats corpus check corpus_sample/gold.jsonl
    """
    try:
        records = corpus_mod.load(path)
    except LeerwerkplaatsError as exc:
        raise click.ClickException(str(exc)) from None
    found = corpus_mod.check(records)
    for line in found:
        click.echo(f"{path}: {line}")
    if found:
        raise click.ClickException(f"{path}: {len(found)} problem(s) in {len(records)} records")
    say(f"{path}: {len(records)} records, no problems", quiet)


@corpus_group.command("stats")
@click.argument("path", type=click.Path(allow_dash=True, path_type=Path))
@click.option("--markdown", is_flag=True, help="Print Markdown tables (for a datasheet).")
@json_option
def stats_cmd(path: Path, markdown: bool, as_json: bool) -> None:
    """Count files, words, spans per label and PII type, and case-field values (- reads stdin).

    \b
    Examples:
      leerwerkplaats corpus stats corpus_sample/gold.jsonl --markdown
      leerwerkplaats corpus stats corpus_sample/gold.jsonl --json
    """
    try:
        st = corpus_mod.stats(corpus_mod.load(path))
    except LeerwerkplaatsError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        emit_json(corpus_mod.stats_json(st))
        return
    if markdown:
        click.echo(corpus_mod.stats_markdown(st), nl=False)
        return
    from rich.console import Console
    from rich.table import Table

    from leerwerkplaats.core import schema

    console = Console()
    console.print(f"{st.files} files, {st.words:,} words; split {dict(st.splits)}; formats {dict(st.formats)}")
    table = Table("PII type", "spans")
    for t in schema.PII_TYPES:
        table.add_row(t, str(st.pii_spans[t]))
    console.print(table)
    table = Table("label", "group", "spans", "files")
    for lab in schema.ALL_LABELS:
        table.add_row(lab.id, lab.group, str(st.label_spans[lab.id]), str(st.label_files[lab.id]))
    console.print(table)
    for key, counter in st.case_values.items():
        console.print(f"{key}: " + ", ".join(f"{k} {v}" for k, v in sorted(counter.items())))


@corpus_group.command("import")
@click.argument("path", type=click.Path(path_type=Path, exists=True, dir_okay=False, allow_dash=True))
@click.option("--from", "fmt", required=True, type=click.Choice(["doccano", "labelstudio"]), help="Tool format.")
@click.option("-o", "--out", "output", required=True, type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
              help="Corpus JSONL to write, or - for stdout.")
@quiet_option
def import_cmd(path: Path, fmt: str, output: Path, quiet: bool) -> None:
    """Import a doccano JSONL or Label Studio JSON export as a corpus (UTF-16 offsets converted, spans checked).

    \b
    Example:
      leerwerkplaats corpus import --from doccano export.jsonl -o corpus.jsonl
      leerwerkplaats corpus import --from labelstudio project.json -o corpus.jsonl
    """
    from leerwerkplaats.reading import corpus
    from leerwerkplaats.research.annotation_tools import import_file

    out = _output(output, path, "corpus")
    with Delivery("corpus import", None, [path], [out]) as delivery:
        records = delivery.work(lambda: import_file(path, fmt))
        delivery.commit({out: corpus.dumps(records).encode("utf-8")})
    say(f"{output}: {len(records)} records imported from {fmt}", quiet)


@corpus_group.command("export")
@click.argument("path", type=click.Path(path_type=Path, exists=True, dir_okay=False, allow_dash=True))
@click.option("--to", "fmt", required=True, type=click.Choice(["doccano", "labelstudio"]), help="Tool format.")
@click.option("-o", "--out", "output", required=True, type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
              help="File to write, or - for stdout.")
@quiet_option
def export_cmd(path: Path, fmt: str, output: Path, quiet: bool) -> None:
    """Export a corpus to doccano JSONL or Label Studio JSON (offsets converted to UTF-16).

    \b
    Example:
      leerwerkplaats corpus export --to labelstudio corpus_sample/gold.jsonl -o ls.json
    """
    from leerwerkplaats.reading import corpus
    from leerwerkplaats.research.annotation_tools import export_text

    out = _output(output, path, "export")
    with Delivery("corpus export", None, [path], [out]) as delivery:
        records = delivery.work(lambda: corpus.load(path))
        text = delivery.work(lambda: export_text(records, fmt))
        delivery.commit({out: text.encode("utf-8")})
    say(f"{output}: {len(records)} records exported to {fmt}", quiet)


def _output(output: Path, source: Path, what: str):
    """The one output file of a corpus command, checked before the work (never the input, never foreign)."""
    return output_file(output, [source], f"corpus {what}", what)


def register(group: click.Group) -> None:
    group.add_command(corpus_group)
