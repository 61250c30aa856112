"""The trainer-only sections of the .docx handout (see :mod:`.docx_render`)."""

from __future__ import annotations

from docx import Document

from leerwerkplaats.handouts.docx_parts import evidence_lines, note, regels, table


def trainer_sections(doc: Document, ctx: dict) -> None:
    """Why-table, ruled-out concerns, building blocks, parties, route, SoS, costs, questions."""
    doc.add_heading("Waarom deze markeringen", level=1)
    table(doc, ["Regel", "Label", "Groep", "Score", "Waarom (aanwijzingen)"],
          [[str(r.line), f"{r.marker} {r.name}", r.group, f"{r.score:.2f}", ", ".join(r.cues) or "–"]
           for r in ctx["tag_rows"]], [1.3, 5, 3.5, 1.4, 5.8])
    doc.add_heading("Zorgen die zijn ontkracht", level=2)
    if not ctx["ruled_out"]:
        doc.add_paragraph("Geen ontkrachte zorgen gevonden.")
    for e in ctx["ruled_out"]:
        p = doc.add_paragraph(style="List Bullet")
        p.add_run(f"✗ {e.name}").bold = True
        p.add_run(f", ontkracht in {regels(e.lines)}: “{e.excerpt}”")

    doc.add_heading("Bouwstenen: van signaal tot borging", level=1)
    for s in ctx["steps"]:
        p = doc.add_paragraph(style="List Number")
        run = p.add_run(("■ " if s.present else "□ ") + s.name)
        run.bold = s.present
        run.italic = not s.present
        p.add_run(f" ({regels(s.lines)}): “{s.excerpt}”" if s.present else ": niet gevonden in het dossier")
    doc.add_paragraph("Ontbrekende bouwstenen: " + (", ".join(ctx["missing"]) or "geen") + ".")

    doc.add_heading("Partijen en rollen", level=1)
    table(doc, ["Partij", "Genoemd bij"], [[name, ", ".join(blocks) or "–"] for _, name, blocks in ctx["parties"]],
          [6, 11])
    doc.add_heading("Regie: wie had die, en waar ging die over", level=2)
    if ctx["regie_steps"]:
        table(doc, ["Regel", "Datum (ongeveer)", "Regie bij", "Wat de tekst zegt"],
              [[str(r["regel"]), r["datum"] or "–", ("⇄ " if r["wisseling"] else "") + r["wie"]
                + (" (wisseling)" if r["wisseling"] else ""), f"“{r['tekst']}”"] for r in ctx["regie_steps"]],
              [1.3, 3, 4, 8.7])
    evidence_lines(doc, ctx["regie"], "Niets over regie gemarkeerd. Vraag de groep: wie had de regie?")

    doc.add_heading("Cliëntroute en Meldcode-afwegingen", level=1)
    doc.add_paragraph(ctx["route"]).runs[0].bold = True
    table(doc, ["Afweging", "Aanwijzingen in het dossier"],
          [[row.question, "\n".join(f"• {t}" + (f" ({regels(n)})" if n else "") for t, n in row.findings)]
           for row in ctx["meldcode"]], [7, 10])

    doc.add_page_break()
    doc.add_heading("Signs of Safety, ingevuld uit de markeringen", level=1)
    for title, key, empty in (("Zorgen", "zorgen", "Geen zorgen gemarkeerd."),
                              ("Wat gaat goed", "goed", "Niets gemarkeerd."),
                              ("Wat moet er gebeuren", "gebeuren", "Geen doelen of voorwaarden gemarkeerd.")):
        doc.add_heading(title, level=2)
        evidence_lines(doc, ctx["sos"][key], empty)
    if ctx["sos"]["open"]:
        p = doc.add_paragraph()
        p.add_run("Nog niet in het dossier: ").bold = True
        p.add_run(", ".join(ctx["sos"]["open"]).lower() + ".")
    doc.add_heading("Veiligheidsschaal", level=2)
    doc.add_paragraph("Laat de groep het eigen cijfer vergelijken: "
                      + "   ".join(str(i) for i in ctx["sos_scale"]))

    doc.add_heading("Indicatieve kosten", level=1)
    note(doc, "INDICATIEF.", ctx["note_costs"])
    total = ctx["costs_total"]
    table(doc, ["Onderdeel", "Tarief", "In deze casus", "Waarom in deze casus"],
          [[c["omschrijving"], c["per"], c["bedrag"], c["reden"]] for c in ctx["costs"]]
          + [[total["naam"], "", total["bedrag"], total["bron"]]], [4, 5, 4, 4])

    check_page(doc, ctx["controle"])

    doc.add_page_break()
    doc.add_heading("Vragen bij deze casus, met antwoordsleutel", level=1)
    for q in ctx["case_questions"]:
        doc.add_paragraph(q.ask, style="List Number")
        point = doc.add_paragraph()
        point.add_run(f"{q.topic}: ").bold = True
        point.add_run(q.text)
        key = doc.add_paragraph()
        key.add_run("Sleutel: ").bold = True
        key.add_run(q.answer)
    doc.add_heading("Bespreekvragen", level=1)
    for reason, q in ctx["discussion"]:
        p = doc.add_paragraph(q, style="List Number")
        p.add_run(f" ({reason})").italic = True
    doc.add_heading("Over deze handout", level=1)
    doc.add_paragraph(f"Markeringen gemaakt met model {ctx['model']}. {ctx['note_tags']}")


def check_page(doc: Document, ctx: dict) -> None:
    """The check page: per part a table of facts with their lines and quotes (see :mod:`.check_page`)."""
    doc.add_page_break()
    doc.add_heading(ctx["titel"], level=1)
    doc.add_paragraph(ctx["uitleg"])
    for part in ctx["delen"]:
        doc.add_heading(part.title, level=2)
        rows = []
        for f in part.facts:
            value = f.value + (f"\n{f.basis}" if f.basis else "")
            quotes = "\n".join(f"r. {p.line}: “{p.quote}”" for p in f.proofs) or ("–" if f.removed else ctx["geen_regel"])
            rows.append([f.fact, value, f.lines or "–", quotes, ctx["gecorrigeerd"] if f.corrected else "☐"])
        if not rows:
            doc.add_paragraph(part.empty)
            continue
        table(doc, ctx["kolommen"], rows, [2.6, 4.6, 1.3, 6.3, 2.2])
