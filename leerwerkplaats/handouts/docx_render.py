"""Word (.docx) handouts trainers can edit, built with python-docx from the same contexts as the HTML.

Charts are left out (Word has no place for our SVG); the tables carry the same
facts.
"""

from __future__ import annotations

from docx import Document

from leerwerkplaats.handouts.docx_parts import (
    GROUP_STYLE,
    RULED_STYLE,
    case_text,
    new_document,
    note,
    sos_sheet,
    table,
    to_bytes,
)
from leerwerkplaats.handouts.docx_session import fill
from leerwerkplaats.handouts.docx_trainer import trainer_sections


def render_case(ctx: dict) -> bytes:
    """A participants' or trainer's handout as .docx bytes."""
    trainer = ctx["trainer"]
    audience = "Handout voor de trainer" if trainer else "Handout voor deelnemers"
    doc = new_document(ctx["title"], audience)
    note(doc, "Vertrouwelijk.", ctx["note_confidential"])
    if ctx["note_review"]:
        note(doc, "Niet gecontroleerd.", ctx["note_review"])
    if trainer:
        note(doc, "Over de markeringen.", ctx["note_tags"], f"Model: {ctx['model']}.")
        _trainer_intro(doc, ctx)
    else:
        v = ctx["vignette"]
        doc.add_heading("De casus in het kort", level=1)
        frame = f"Het dossier telt {v['regels']} regels ({v['woorden']} woorden): {', '.join(v['bronnen'])}."
        if v["gebeurtenissen"]:
            frame += (f" Het loopt van {v['van']} (regel {v['van_regel']}) tot {v['tot']} "
                      f"(regel {v['tot_regel']}), {v['dagen']} dagen.")
        doc.add_paragraph(frame)
        if v["partijen"]:
            doc.add_paragraph("Genoemd in het dossier: " + ", ".join(v["partijen"]) + ".")
        if v["opening"]:
            doc.add_paragraph(f"Zo begint het (vanaf regel {v['opening_regel']}):")
            doc.add_paragraph(v["opening"]).runs[0].italic = True
    doc.add_heading("Tijdlijn", level=1)
    if ctx["events"]:
        doc.add_paragraph(f"Bij het pseudonimiseren zijn alle data even ver verschoven, dus de tijd tussen twee "
                          f"gebeurtenissen klopt (van de eerste tot de laatste: {ctx['events_days']} dagen).")
        table(doc, ["Nr.", "Datum", "Wat gebeurde er", "Wie", "Regel"],
              [[str(e["nr"]), e["datum"], e["wat"] + (f" (■ {', '.join(e['labels'])})" if trainer and e["labels"] else ""),
                e["wie"] or "–", str(e["regel"])] for e in ctx["events"]], [1.1, 2.8, 8.4, 3.4, 1.3])
    else:
        doc.add_paragraph("Er staan geen data in de tekst.")
    doc.add_heading("Casustekst met markeringen" if trainer else "Casustekst", level=1)
    case_text(doc, ctx["lines"], highlight=trainer)
    doc.add_page_break()
    if trainer:
        trainer_sections(doc, ctx)
    else:
        doc.add_heading("Vragen bij deze casus", level=1)
        for q in ctx["case_questions"]:
            doc.add_paragraph(q.ask, style="List Number")
            doc.add_paragraph("\n\n")
        for q in ctx["session_questions"]:
            doc.add_paragraph(q, style="List Number")
            doc.add_paragraph("\n\n")
        doc.add_page_break()
        doc.add_heading("Signs of Safety: eerst zelf invullen", level=1)
        sos_sheet(doc, ctx["sos_scale"])
    return to_bytes(doc)


def _trainer_intro(doc: Document, ctx: dict) -> None:
    doc.add_heading("De casus in het kort", level=1)
    table(doc, ["Veld", "Waarde"], [
        [ctx["field_names"]["clientroute"], ctx["route"]],
        [ctx["field_names"]["onveiligheid"], ctx["onveiligheid"]],
        [ctx["field_names"]["partijen"], ", ".join(p[1] for p in ctx["parties"]) or "Geen gevonden"],
        [ctx["field_names"]["gi_inzet"], ", ".join(ctx["gi_inzet"]) or "Geen"],
    ], [5, 12])
    if ctx["why"]:
        p = doc.add_paragraph()
        p.add_run("Hoe deze velden zijn bepaald. ").bold = True
        p.add_run(" ".join(ctx["why"]))
    doc.add_heading("Legenda van de markeringen", level=1)
    for g in ctx["legend"]:
        p = doc.add_paragraph()
        run = p.add_run(f"{g['symbol']} {g['name']}")
        run.bold = True
        style = RULED_STYLE if g["group"] == "ontkracht" else GROUP_STYLE[g["group"]]
        run.font.highlight_color, run.font.underline = style
        p.add_run(" — " + g["cue"] + ". ")
        p.add_run(" · ".join(f"{it.text} {it.name}" for it in g["items"]))


def render_session(ctx: dict) -> bytes:
    """The session overview as .docx bytes."""
    doc = new_document(ctx["title"], "Overzicht voor de trainer")
    fill(doc, ctx)
    return to_bytes(doc)
