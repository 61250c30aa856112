"""Build corpus_sample/ from the hand-written authoring files.

    python tools/build_sample_corpus.py --check corpus_sample/annotated/casus-001.txt
    python tools/build_sample_corpus.py            # writes raw/ and gold.jsonl
    python tools/build_sample_corpus.py --registers   # the same for corpus_registers/

The authoring files (``corpus_sample/annotated/*.txt``, format in
``tools/CORPUS_BRIEF.md``) are the source of truth. The build writes each case
as the raw file a user would have (.txt in UTF-8 or Windows-1252, .docx, .pdf),
reads it back with the toolkit's own reader, and stores exactly that text with
the spans mapped onto it in ``gold.jsonl``. So the gold text is, by construction,
what the reader returns for the raw file.
"""

from __future__ import annotations

import argparse
import html
import io
import os
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# fontTools (used by WeasyPrint to subset fonts) stamps the time into fonts unless this is set.
os.environ.setdefault("SOURCE_DATE_EPOCH", "1704067200")
sys.path.insert(0, str(ROOT))

from leerwerkplaats.core import schema  # noqa: E402
from leerwerkplaats.core.errors import LeerwerkplaatsError  # noqa: E402
from leerwerkplaats.core.io_atomic import write_bytes_atomic  # noqa: E402
from leerwerkplaats.core.records import CaseRecord, LabelSpan, PiiSpan  # noqa: E402
from leerwerkplaats.reading import corpus, markup
from leerwerkplaats.reading.readers import read_case_file  # noqa: E402

SAMPLE = ROOT / "corpus_sample"
REGISTERS = ROOT / "corpus_registers"
META_KEYS = {"id", "format", "encoding", "split", "genre", "register", "clientroute", "partijen",
             "onveiligheid", "gi_inzet", "docx_header", "docx_footer"}


def authored_record(path: Path) -> tuple[markup.AuthoredCase, CaseRecord, list[str]]:
    """Parse one authoring file; return it, its record and a list of problems."""
    source = path.read_text(encoding="utf-8")
    meta, _ = markup._front_matter(source, path.name)
    fmt = meta.get("format", "txt")
    if fmt == "docx":
        # The reader gives header lines, body, footer lines: author them the same way.
        head, _, body = source.partition("\n---\n")
        body = body.strip("\n")
        if meta.get("docx_header"):
            body = meta["docx_header"] + "\n" + body
        if meta.get("docx_footer"):
            body = body + "\n" + meta["docx_footer"]
        source = head + "\n---\n" + body
    authored = markup.parse(source, path.name)
    meta = authored.meta
    issues: list[str] = []
    for key in meta:
        if key not in META_KEYS:
            issues.append(f"unknown front-matter key {key!r}")
    if meta.get("id") != path.stem:
        issues.append(f"front-matter id {meta.get('id')!r} differs from the file name")
    if fmt not in ("txt", "docx", "pdf"):
        issues.append(f"format must be txt, docx or pdf, not {fmt!r}")
    if meta.get("encoding", "utf-8") not in ("utf-8", "cp1252"):
        issues.append("encoding must be utf-8 or cp1252")
    if meta.get("encoding") == "cp1252":
        try:
            authored.text.encode("cp1252")
        except UnicodeEncodeError as exc:
            issues.append(f"text has a character Windows-1252 cannot hold: {exc.object[exc.start]!r}")
    case = {}
    for key, (_, is_list) in schema.CASE_FIELDS.items():
        if key not in meta:
            issues.append(f"front matter lacks {key!r}")
            continue
        value = meta[key]
        case[key] = [v.strip() for v in value.split(",") if v.strip()] if is_list else value
    text = authored.text.strip("\n") + ("\n" if fmt == "txt" else "")
    record = CaseRecord(
        meta.get("id", path.stem), text, authored.pii, authored.spans, case,
        meta.get("split"), {"format": fmt, **({"register": meta["register"]} if "register" in meta
                                                else {"genre": meta.get("genre", "")})},
    )
    issues += corpus.problems(record)
    issues += unmarked_warnings(record)
    return authored, record, issues


_NUMBERISH = re.compile(r"(?<![\w/.-])(?:\+|00)?\d[\d .()/-]{6,}\d(?![\w])")
_DATEISH = re.compile(r"\b\d{1,2}[-/]\d{1,2}(?:[-/]\d{2,4})?\b|\b\d{1,2} (?:jan|feb|mrt|maart|apr|april|mei|jun|juni|jul|juli|aug|sep|sept|okt|oktober|nov|november|dec|december|januari|februari|augustus|september)\b", re.I)


def unmarked_warnings(record: CaseRecord) -> list[str]:
    """Likely gold errors: a marked PII surface that occurs unmarked elsewhere, or an unmarked number/date."""
    text = record.text
    covered = [False] * len(text)
    for s in record.pii:
        for i in range(s.start, s.end):
            covered[i] = True
    out = []
    surfaces = {text[s.start:s.end] for s in record.pii if len(text[s.start:s.end]) >= 3}
    for surface in sorted(surfaces):
        for m in re.finditer(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", text):
            if not any(covered[m.start():m.end()]):
                out.append(f"warning: {surface!r} is marked elsewhere but not at offset {m.start()}")
    for rx in (_NUMBERISH, _DATEISH):
        for m in rx.finditer(text):
            if not any(covered[m.start():m.end()]):
                out.append(f"warning: unmarked {m.group()!r} at offset {m.start()} (PII?)")
    return out


def check(paths: list[Path]) -> int:
    total_words = 0
    labels: Counter = Counter()
    pii: Counter = Counter()
    routes: Counter = Counter()
    failed = 0
    for path in paths:
        try:
            _, record, issues = authored_record(path)
        except LeerwerkplaatsError as exc:
            print(f"ERROR {exc}")
            failed += 1
            continue
        errors = [i for i in issues if not i.startswith("warning")]
        words = len(record.text.split())
        total_words += words
        labels.update(s.label for s in record.spans)
        pii.update(s.type for s in record.pii)
        routes[record.case.get("clientroute")] += 1
        print(f"{path.name}: {words} words, {len(record.pii)} PII, {len(record.spans)} label spans, "
              f"{len(errors)} errors")
        for issue in issues:
            print(("  " if issue.startswith("warning") else "  ERROR ") + issue)
        failed += bool(errors)
    print(f"\nTOTAL {len(paths)} files, {total_words} words; routes {dict(routes)}")
    print("PII:", ", ".join(f"{t} {pii[t]}" for t in schema.PII_TYPES))
    print("labels (spans):")
    for lab in schema.ALL_LABELS:
        print(f"  {lab.id:42s} {labels[lab.id]}")
    return 1 if failed else 0


# --- writing raw files -------------------------------------------------------

def write_txt(path: Path, text: str, encoding: str) -> None:
    write_bytes_atomic(path, text.encode(encoding))


def write_docx(path: Path, text: str, has_header: bool, has_footer: bool) -> None:
    import datetime as dt

    import docx

    lines = text.split("\n")
    document = docx.Document()
    props = document.core_properties
    props.author = "leerwerkplaats corpus (fictief)"
    props.created = props.modified = dt.datetime(2024, 1, 1)
    props.last_modified_by = ""
    props.revision = 1
    section = document.sections[0]
    if has_header:
        section.header.paragraphs[0].text = lines.pop(0)
    if has_footer:
        section.footer.paragraphs[0].text = lines.pop()
    table = None
    for line in lines:
        if line.startswith("| ") and line.endswith(" |"):
            cells = line[2:-2].split(" | ")
            if table is None or len(table.columns) != len(cells):
                table = document.add_table(rows=0, cols=len(cells))
                table.style = "Table Grid"
            row = table.add_row()
            for cell, value in zip(row.cells, cells):
                cell.text = value
        else:
            table = None
            document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    write_bytes_atomic(path, _fixed_zip_dates(buf.getvalue()))


def _fixed_zip_dates(data: bytes) -> bytes:
    """Rewrite a .docx (a zip) with fixed member dates, so a rebuild gives the same bytes."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def write_pdf(path: Path, text: str) -> None:
    from weasyprint import HTML

    paras = "\n".join(
        f"<p>{html.escape(line) if line.strip() else '&#160;'}</p>" for line in text.split("\n")
    )
    doc = f"""<!doctype html><html lang="nl"><head><meta charset="utf-8">
    <meta name="dcterms.created" content="2024-01-01T00:00:00Z"><meta name="dcterms.modified" content="2024-01-01T00:00:00Z">
    <title>{html.escape(path.stem)}</title><style>
    @page {{ size: A4; margin: 2cm; }}
    body {{ font-family: 'DejaVu Sans'; font-size: 10pt; font-variant-ligatures: none; }}
    p {{ margin: 0 0 2pt 0; white-space: pre-wrap; }}
    </style></head><body>{paras}</body></html>"""
    write_bytes_atomic(path, HTML(string=doc).write_pdf(pdf_identifier=path.stem.encode()))


def align(authored: str, read: str) -> list[int]:
    """Map authored offsets onto read offsets through the non-whitespace characters.

    Returns ``m`` with ``m[i]`` the read index of authored char ``i`` for every
    non-whitespace char; raises if the two texts differ in anything but whitespace.
    """
    a_idx = [i for i, c in enumerate(authored) if not c.isspace()]
    r_idx = [i for i, c in enumerate(read) if not c.isspace()]
    a_chars = "".join(authored[i] for i in a_idx)
    r_chars = "".join(read[i] for i in r_idx)
    if a_chars != r_chars:
        k = next((i for i, (x, y) in enumerate(zip(a_chars, r_chars)) if x != y), min(len(a_chars), len(r_chars)))
        raise SystemExit(f"reader text differs from authored text near non-space char {k}: "
                         f"{a_chars[k-10:k+10]!r} vs {r_chars[k-10:k+10]!r}")
    mapping = [-1] * (len(authored) + 1)
    for a, r in zip(a_idx, r_idx):
        mapping[a] = r
    return mapping


def build(base: Path = SAMPLE, pattern: str = "casus-*.txt") -> int:
    """Write ``base/raw/`` and ``base/gold.jsonl`` from ``base/annotated/<pattern>``."""
    raw_dir = base / "raw"
    raw_dir.mkdir(exist_ok=True)
    records = []
    bad = 0
    for path in sorted((base / "annotated").glob(pattern)):
        authored, record, issues = authored_record(path)
        errors = [i for i in issues if not i.startswith("warning")]
        if errors:
            print(f"{path.name}: {len(errors)} errors, skipped (run --check)")
            bad += 1
            continue
        fmt = record.extra["format"]
        out = raw_dir / f"{record.id}.{fmt}"
        if fmt == "txt":
            write_txt(out, record.text, authored.meta.get("encoding", "utf-8"))
        elif fmt == "docx":
            write_docx(out, record.text, bool(authored.meta.get("docx_header")), bool(authored.meta.get("docx_footer")))
        else:
            write_pdf(out, record.text)
        read = read_case_file(out).text
        m = align(record.text, read)
        pii = tuple(PiiSpan(m[s.start], m[s.end - 1] + 1, s.type) for s in record.pii)
        spans = tuple(LabelSpan(m[s.start], m[s.end - 1] + 1, s.label) for s in record.spans)
        extra = dict(record.extra, source=f"raw/{out.name}")
        if authored.meta.get("encoding", "utf-8") != "utf-8":
            extra["encoding"] = authored.meta["encoding"]
        records.append(CaseRecord(record.id, read, pii, spans, record.case, record.split, extra))
    corpus.dump(records, base / "gold.jsonl")
    problems = corpus.check(records)
    for p in problems:
        print(p)
    print(f"wrote {len(records)} records to {base / 'gold.jsonl'}; {bad} skipped; {len(problems)} problems")
    return 1 if (bad or problems) else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", nargs="+", type=Path, help="only check these authoring files")
    ap.add_argument("--registers", action="store_true",
                    help="build corpus_registers/ (front matter 'register:'; records get a 'register' field)")
    args = ap.parse_args(argv)
    if args.check:
        return check(args.check)
    if args.registers:
        return build(REGISTERS, "reg-*.txt")
    return build()


if __name__ == "__main__":
    raise SystemExit(main())
