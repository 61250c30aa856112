"""``leerwerkplaats corpus check|stats``: validate and summarise annotated corpora."""

from __future__ import annotations

from pathlib import Path

import click

from leerwerkplaats.core.errors import LeerwerkplaatsError
from leerwerkplaats.reading import corpus as corpus_mod


@click.group("corpus")
def corpus_group() -> None:
    """Check and summarise annotated corpora (JSONL, ANNOTATION.md §5)."""


@corpus_group.command("check")
@click.argument("path", type=click.Path(path_type=Path))
def check_cmd(path: Path) -> None:
    """Validate a corpus: offsets, whitespace at span edges, labels, PII types, case fields.

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
        click.echo(f"{path}: {line}", err=True)
    if found:
        raise click.ClickException(f"{path}: {len(found)} problem(s) in {len(records)} records")
    click.echo(f"{path}: {len(records)} records, no problems")


@corpus_group.command("stats")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--markdown", is_flag=True, help="Print Markdown tables (for a datasheet).")
def stats_cmd(path: Path, markdown: bool) -> None:
    """Count files, words, spans per label and PII type, and case-field values.

    \b
    Example:
      leerwerkplaats corpus stats corpus_sample/gold.jsonl --markdown
    """
    try:
        st = corpus_mod.stats(corpus_mod.load(path))
    except LeerwerkplaatsError as exc:
        raise click.ClickException(str(exc)) from None
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


def register(group: click.Group) -> None:
    group.add_command(corpus_group)
