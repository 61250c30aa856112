"""The session overview as .docx (see :mod:`.docx_render`); charts become the tables beside them."""

from __future__ import annotations

from docx import Document

from leerwerkplaats.handouts.docx_parts import evidence_lines, note, table


def fill(doc: Document, ctx: dict) -> None:
    """Cases, time plan, cross-case tables, system conditions and one monitoring sheet per case."""
    if ctx.get("theme"):
        doc.add_paragraph().add_run("Thema van deze sessie: " + " of ".join(ctx["theme"]) + ".").bold = True
    note(doc, "Vertrouwelijk.", ctx["note_confidential"])
    note(doc, "Over de markeringen.", ctx["note_tags"],
         f"Model: {', '.join(ctx['models'])}." if ctx["models"] else "")
    if ctx["failed"]:
        doc.add_paragraph(f"Let op: {ctx['failed']} " + ("bestand kon niet veilig worden verwerkt en staat"
                                                        if ctx["failed"] == 1 else
                                                        "bestanden konden niet veilig worden verwerkt en staan")
                          + " niet in deze sessie.")
    doc.add_heading("Gekozen casussen", level=1)
    table(doc, ["Casus", "Route", "Onveiligheid", "Signalen", "Bouwstenen"],
          [[c["title"], c["route_name"], c["onveiligheid"], str(c["signalen"]), str(c["bouwstenen"])]
           for c in ctx["cases"]], [2.6, 6.4, 4.6, 1.7, 1.9])
    for c in ctx["cases"]:
        if c.get("reason"):
            p = doc.add_paragraph(style="List Bullet")
            p.add_run(f"{c['title']}, waarom gekozen: ").bold = True
            p.add_run(c["reason"] + ".")
    doc.add_heading(f"Tijdsplan ({ctx['plan_total']} minuten)", level=1)
    table(doc, ["Tijd", "Min.", "Onderdeel", "Werkvorm"],
          [[f"{p['van']}–{p['tot']}", str(p["minuten"]), p["onderdeel"], p["werkvorm"]] for p in ctx["plan"]],
          [2.2, 1.2, 5.5, 8.3])

    doc.add_page_break()
    doc.add_heading("Signalen per casus", level=1)
    for t in ctx["tables"]["triggers"]:
        table(doc, ["Signaal", *t["cases"], "Casussen"],
              [[f"{r['symbol']} {r['name']}", *(str(v) if v else "" for v in r["cells"]), str(r["total"])]
               for r in t["rows"]])
        doc.add_paragraph()
    doc.add_heading("Bouwstenen per casus", level=1)
    for t in ctx["tables"]["blocks"]:
        table(doc, ["Bouwsteen", *t["cases"], "Casussen"],
              [[r["name"], *("■" if v else "–" for v in r["cells"]), str(r["total"])] for r in t["rows"]])
        doc.add_paragraph()

    doc.add_page_break()
    doc.add_heading("Systeemcondities", level=1)
    for c in ctx["conditions"]:
        doc.add_heading(c["naam"], level=2)
        doc.add_paragraph(c["toelichting"])
        for e in c["evidence"] or ["In deze casussen niet gemarkeerd."]:
            doc.add_paragraph(e, style="List Bullet")
        if c["vraag"]:
            p = doc.add_paragraph()
            p.add_run("Vraag: ").bold = True
            p.add_run(c["vraag"])

    for mon in ctx["monitoring"]:
        doc.add_page_break()
        doc.add_heading(f"Monitoringsblad {mon['name']}", level=1)
        doc.add_paragraph("Vul aan tijdens of na de sessie. Wat al is ingevuld komt uit de markeringen; "
                          "controleer het.").runs[0].italic = True
        blank = "_" * 80
        doc.add_heading("Betrokken partijen", level=2)
        doc.add_paragraph(", ".join(mon["partijen"]) or "Geen gevonden.")
        doc.add_paragraph(blank)
        doc.add_heading("Doel en wijze van betrokkenheid van de GI", level=2)
        doc.add_paragraph(f"{mon['route']}. Inzet van de GI zonder maatregel: "
                          f"{', '.join(mon['gi_inzet']).lower() or 'niet gevonden'}.")
        evidence_lines(doc, mon["gi_evidence"])
        doc.add_paragraph(blank)
        doc.add_heading("Rolverdeling", level=2)
        for name, blocks in mon["rollen"]:
            doc.add_paragraph(f"{name}: {', '.join(blocks)}", style="List Bullet")
        evidence_lines(doc, mon["regie"])
        doc.add_paragraph(blank)
        doc.add_heading("Wat leverde de samenwerking op", level=2)
        evidence_lines(doc, mon["opbrengst"])
        doc.add_paragraph(blank)
        doc.add_heading("Hoe waardeerde het gezin de samenwerking", level=2)
        evidence_lines(doc, mon["gezin"])
        doc.add_paragraph(blank)
