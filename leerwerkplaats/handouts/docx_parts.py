"""Building blocks of the Word handouts: document, notes, tables, case text, timestamps.

Output is byte-for-byte deterministic: fixed document properties and fixed
timestamps inside the zip. The handouts themselves are put together in
:mod:`leerwerkplaats.handouts.docx_render`.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from docx import Document
from docx.enum.text import WD_COLOR_INDEX, WD_UNDERLINE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
#: Group → (highlight colour, underline): colour plus a line style, as in the HTML.
GROUP_STYLE = {
    "gezin": (WD_COLOR_INDEX.PINK, WD_UNDERLINE.SINGLE),
    "proces": (WD_COLOR_INDEX.YELLOW, WD_UNDERLINE.DASH),
    "krachten": (WD_COLOR_INDEX.BRIGHT_GREEN, WD_UNDERLINE.DOUBLE),
    "bouwsteen": (WD_COLOR_INDEX.TURQUOISE, WD_UNDERLINE.DOTTED),
}
RULED_STYLE = (WD_COLOR_INDEX.GRAY_25, WD_UNDERLINE.WAVY)
GREY = RGBColor(0x55, 0x55, 0x55)
INDENT = Cm(1.1)


def new_document(title: str, audience: str) -> Document:
    """An A4 document in Dutch with a confidential footer."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(18))
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10)
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "nl-NL")
    rpr.append(lang)
    footer = section.footer.paragraphs[0]
    footer.text = f"Vertrouwelijk · {title} · {audience}"
    footer.runs[0].font.size = Pt(8)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, "leerwerkplaats", "leerwerkplaats"
    props.language, props.revision = "nl-NL", 1
    props.created = props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME
    doc.add_heading(title, level=0)
    doc.add_paragraph(audience).runs[0].italic = True
    return doc


def to_bytes(doc: Document) -> bytes:
    """Save with fixed zip timestamps, so the same document gives the same bytes."""
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()


def note(doc: Document, heading: str, *texts: str) -> None:
    """A boxed note: a bold lead and its text."""
    p = doc.add_paragraph()
    p.add_run(heading + " ").bold = True
    p.add_run(" ".join(texts))
    _shade(p, "EEEEEE")


def _shade(paragraph, fill: str) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    ppr.append(shd)


def table(doc: Document, header: list[str], rows: list[list[str]], widths: list[float] | None = None):
    """A grid table with a bold header row; ``widths`` in cm."""
    t = doc.add_table(rows=1, cols=len(header))
    t.style = "Table Grid"
    for cell, text in zip(t.rows[0].cells, header):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = t.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = text
    if widths:
        for row in t.rows:
            for cell, w in zip(row.cells, widths):
                cell.width = Cm(w)
    return t


def regels(nrs) -> str:
    return f"r. {', '.join(str(n) for n in nrs)}" if nrs else ""


def evidence_lines(doc: Document, items, empty: str = "") -> None:
    if not items and empty:
        doc.add_paragraph(empty)
    for e in items:
        p = doc.add_paragraph(style="List Bullet")
        p.add_run(f"{e.marker} {e.name}").bold = True
        p.add_run(f" ({regels(e.lines)}): “{e.excerpt}”")


def case_text(doc: Document, lines, highlight: bool) -> None:
    """The numbered lines; with ``highlight`` the tagged segments get colour, line style and markers."""
    for ln in lines:
        if ln.kind in ("leeg", "paginavoet"):  # a source PDF's page number is no part of the case
            continue
        if ln.kind in ("kop", "onderwerp"):
            p = doc.add_heading(level=3)
        else:
            p = doc.add_paragraph()
        fmt = p.paragraph_format
        fmt.left_indent, fmt.first_line_indent = INDENT, -INDENT
        fmt.space_after = Pt(0)
        fmt.tab_stops.add_tab_stop(INDENT)
        num = p.add_run(f"{ln.number}\t")
        num.font.size, num.font.color.rgb, num.bold = Pt(7), GREY, False
        if ln.kind == "meta":
            fmt.space_after = Pt(0)
        if not highlight:
            p.add_run(ln.text)
            continue
        for seg in ln.segments:
            for mk in seg.markers:
                run = p.add_run(mk.text)
                run.font.superscript, run.bold = True, True
            if not seg.text:
                continue
            run = p.add_run(seg.text)
            style = RULED_STYLE if seg.ruled and not seg.groups else None
            for group in ("gezin", "proces", "krachten", "bouwsteen"):
                if style is None and group in seg.groups:
                    style = GROUP_STYLE[group]
            if style:
                run.font.highlight_color, run.font.underline = style


def sos_sheet(doc: Document, scale) -> None:
    t = table(doc, ["Zorgen", "Wat gaat goed", "Wat moet er gebeuren"], [["\n" * 14] * 3])
    t.rows[1].height = Cm(9)
    doc.add_paragraph()
    p = doc.add_paragraph()
    p.add_run("Hoe veilig is het kind nu? Omcirkel één cijfer.  ").bold = True
    p.add_run("   ".join(str(i) for i in scale))
    doc.add_paragraph("0 = het is zeker dat het kind (opnieuw) onveilig is; "
                      "10 = er is genoeg veiligheid om de casus af te sluiten.")
    doc.add_paragraph("Mijn cijfer en waarom: " + "_" * 60)
