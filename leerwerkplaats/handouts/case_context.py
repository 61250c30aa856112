"""Template contexts for the two case handouts, shared by HTML, PDF and DOCX.

:func:`case_context` takes a :class:`~leerwerkplaats.core.cases.TaggedCase` (checked)
and returns a plain dict; nothing else about the case reaches a template.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from leerwerkplaats.core.cases import TaggedCase
from leerwerkplaats.handouts import charts, check_page, costs, view, weergave
from leerwerkplaats.handouts import events as ev_mod
from leerwerkplaats.handouts.case_questions import CaseQuestion, case_questions, vignette
from leerwerkplaats.handouts.questions import Questions, discussion

NOTE_TAGS = ("De markeringen zijn door een model gemaakt. Ze zijn een hulpmiddel voor het gesprek, "
             "nooit een oordeel over het gezin of over de professionals.")
NOTE_CONFIDENTIAL = ("Vertrouwelijk. Deze casus is gepseudonimiseerd: namen, adressen, data en andere "
                     "gegevens zijn vervangen. Gebruik hem alleen in deze sessie, neem hem niet mee en "
                     "probeer niet te achterhalen om wie het gaat. Lever de handout na afloop in.")
NOTE_COSTS = ("Deze bedragen zijn gemiddelde tarieven uit de genoemde bron en het genoemde jaar, "
              "geen werkelijke kosten van deze casus. Tarieven verschillen per regio en per jaar.")
GROUP_DESCRIPTIONS = {
    "gezin": "lichtrode achtergrond, doorgetrokken streep eronder, ▲",
    "proces": "gele achtergrond, gestreepte streep eronder, ●",
    "krachten": "groene achtergrond, dubbele streep eronder, ✚",
    "bouwsteen": "blauwe stippellijn erboven, ■",
    "ontkracht": "grijze achtergrond, gestippelde rand, ✗ voor het label dat is ontkracht",
}


@dataclass(frozen=True)
class MeldcodeRow:
    question: str
    findings: tuple[tuple[str, tuple[int, ...]], ...]  # (Dutch finding, lines)


def _lines(ev: list[view.Evidence], labels: tuple[str, ...]) -> list[tuple[str, tuple[int, ...]]]:
    return [(e.name, e.lines) for e in ev if e.label in labels]


def meldcode_rows(tagged: TaggedCase, questions: Questions) -> list[MeldcodeRow]:
    """What the tags say about each of the five Meldcode considerations."""
    ev = view.evidence(tagged)
    gezin = [(e.name, e.lines) for e in ev if e.group == "gezin"]
    ruled = [(f"Ontkracht: {e.name}", e.lines) for e in view.ruled_out(tagged)]
    fields = tagged.fields
    why = fields.why.get("onveiligheid", "")
    findings: dict[str, list[tuple[str, tuple[int, ...]]]] = {
        "vermoeden": (gezin or [("Geen signalen in het gezin gemarkeerd", ())]) + ruled
                     + _lines(ev, ("bouwsteen:signalering", "bouwsteen:melding_veilig_thuis")),
        "onveiligheid": [(weergave.onveiligheid(fields.onveiligheid)
                          + (f" ({weergave.humanise(why)})" if why else ""), ())],
        "hulp_bieden": _lines(ev, ("trigger:handelingsverlegenheid", "bouwsteen:consultatie",
                                   "bouwsteen:hulp_inzet", "bouwsteen:samen_optrekken_gi", "bouwsteen:regie")),
        "hulp_aanvaard": _lines(ev, ("trigger:medewerking_ouders", "trigger:geen_contact_ouders",
                                     "trigger:ontkenning")),
        "hulp_resultaat": _lines(ev, ("trigger:vooruitgang", "trigger:stagnatie_hulp", "bouwsteen:evaluatie",
                                      "bouwsteen:opschaling", "bouwsteen:maatregel")),
    }
    return [MeldcodeRow(q, tuple(findings.get(key) or [("Niets gemarkeerd; bespreek wat het dossier laat zien", ())]))
            for key, q in questions.meldcode]


def legend(tagged: TaggedCase) -> list[dict]:
    """Per group: name, symbol, the visual cue in words and the numbered labels present."""
    markers = view.markers_for(tagged)
    out = []
    for group in view.GROUP_ORDER:
        items = [m for m in markers.values() if m.group == group]
        if items:
            out.append({"group": group, "name": weergave.group(group), "symbol": view.GROUP_SYMBOLS[group],
                        "cue": GROUP_DESCRIPTIONS[group], "items": items})
    if tagged.ruled_out:
        out.append({"group": "ontkracht", "name": "Zorg ontkracht", "symbol": view.RULED_SYMBOL,
                    "cue": GROUP_DESCRIPTIONS["ontkracht"], "items": []})
    return out


def case_context(tagged: TaggedCase, questions: Questions, tariffs: dict[str, costs.Tariff],
                 trainer: bool) -> dict:
    """Everything one handout shows. ``trainer`` adds highlights and the trainer's sections.

    The participants' context holds nothing the model found: no tags on the
    timeline (all marks open), questions without their key, no case fields.
    """
    tagged = view.check_case(tagged)
    lines = view.line_views(tagged, highlight=trainer)
    neutral = ev_mod.events(tagged, prefer_tagged=False)
    evs = ev_mod.events(tagged) if trainer else [dataclasses.replace(e, labels=()) for e in neutral]
    regie = ev_mod.regie(tagged)
    asked = case_questions(tagged, neutral, regie, questions.casus)
    general = questions.deelnemers[:max(0, len(questions.deelnemers) - len(asked))] if len(asked) < 4 else ()
    title = weergave.case_title(tagged.case.name)
    ctx: dict = {
        "name": tagged.case.name,
        "trainer": trainer,
        "title": title,
        "note_confidential": NOTE_CONFIDENTIAL,
        "note_review": tagged.case.review_note,
        "lines": lines,
        "dates": view.timeline_dates(lines),
        "events": [{"nr": i, "datum": ev_mod.when(e), "iso": e.date.isoformat() if e.sure else "", "regel": e.line, "wat": e.what,
                    "wie": e.who, "labels": e.labels} for i, e in enumerate(evs, start=1)],
        "events_svg": charts.event_timeline(evs, f"Tijdlijn van {weergave.case_in_sentence(tagged.case.name)}",
                                            trainer=trainer),
        "events_days": ev_mod.span_days(evs),
        "vignette": vignette(tagged, neutral),
        "case_questions": [q if trainer else CaseQuestion("", "", (), "", q.ask, q.refs) for q in asked],
        "session_questions": general,
        "sos_scale": tuple(range(11)),
    }
    if not trainer:
        return ctx
    steps = view.block_steps(tagged)
    cost_lines = costs.estimate(tagged, tariffs)
    fields = tagged.fields
    first = next((i for i, s in enumerate(steps) if s.present), len(steps))
    ctx.update({
        "model": tagged.model or "onbekend model",
        "note_tags": NOTE_TAGS,
        "legend": legend(tagged),
        "tag_rows": view.tag_rows(tagged),
        "ruled_out": view.ruled_out(tagged),
        "steps": steps,
        "missing": [s.name for s in steps if not s.present],
        "steps_svg": charts.block_timeline(steps, f"Bouwstenen in de tijd, {weergave.case_in_sentence(tagged.case.name)}"),
        "parties": view.party_roles(tagged),
        "gi_inzet": [weergave.gi_inzet(g) for g in fields.gi_inzet],
        "route": weergave.route(fields.clientroute),
        "onveiligheid": weergave.onveiligheid(fields.onveiligheid),
        "field_names": {k: weergave.field(k) for k in ("clientroute", "onveiligheid", "partijen", "gi_inzet")},
        "why": weergave.field_sentences(fields, tagged.corrections),
        "regie": view.evidence(tagged, labels=("bouwsteen:regie", "trigger:regie_ontbreekt",
                                               "bouwsteen:samen_optrekken_gi", "bouwsteen:overdracht")),
        "regie_steps": [{"regel": r.line, "datum": ev_mod.nl_date(r.date) if r.date else "", "wie": r.holder,
                         "wisseling": r.changed, "tekst": r.excerpt} for r in regie],
        "meldcode": meldcode_rows(tagged, questions),
        "sos": {
            "zorgen": view.evidence(tagged, groups=("gezin", "proces")),
            "goed": view.evidence(tagged, groups=("krachten",)),
            # what is still open: the plan's goals and conditions, and the steps the file never took
            "gebeuren": view.evidence(tagged, labels=view.OPEN_BLOCKS),
            "open": [s.name for s in steps[first:] if not s.present],
        },
        "costs": [costs.line_view(c) for c in cost_lines],
        "costs_total": costs.total_view(cost_lines),
        "note_costs": NOTE_COSTS,
        "discussion": discussion(tagged, questions),
        "controle": check_page.context(tagged, tariffs),
    })
    return ctx
