"""The session overview: chosen cases, time plan, cross-case tables, charts, system conditions, monitoring.

Built from the tagged cases of one run; like the case handouts it sees only
:class:`~leerwerkplaats.core.cases.TaggedCase`.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

from leerwerkplaats.core import schema
from leerwerkplaats.core.cases import TaggedCase
from leerwerkplaats.handouts import charts, layout, view, weergave
from leerwerkplaats.handouts import events as ev_mod
from leerwerkplaats.handouts.case_context import NOTE_CONFIDENTIAL, NOTE_TAGS
from leerwerkplaats.handouts.choose import theme_name
from leerwerkplaats.handouts.questions import Questions

#: Case columns per cross-case table, so a table fits the width of an A4 page.
COLUMNS_PER_TABLE = 8
#: Plenary feedback minutes per case, bounded so the session stays 90–120 minutes.
PLENARY_PER_CASE, PLENARY_MIN, PLENARY_MAX = 8, 10, 32
#: Pre-filled items per monitoring question, and their length: the sheet is for writing, not reading,
#: and it fits one A4 page.
MONITORING_ITEMS = 2
MONITORING_EXCERPT = 90


def time_plan(n_cases: int, names: list[str] | None = None) -> list[dict]:
    """A 90–120 minute plan: ``[{"van", "tot", "minuten", "onderdeel", "werkvorm"}]``.

    Plenary feedback takes :data:`PLENARY_PER_CASE` minutes per case (bounded);
    with ``names`` the subgroups and the feedback name their case.
    """
    plenary = min(max(PLENARY_PER_CASE * n_cases, PLENARY_MIN), PLENARY_MAX)
    per_case = plenary // max(n_cases, 1)
    groups = (" Subgroepen: " + "; ".join(f"{i}: {name}" for i, name in enumerate(names, 1)) + "."
              if names else " Per casus een subgroep.")
    parts = [
        (10, "Welkom, doel en vertrouwelijkheid", "Plenair. Handouts uitdelen, afspraken over vertrouwelijkheid."),
        (15, "Vignet en casus lezen, alleen het Signs of Safety-blad invullen",
         "Individueel. Zorgen, wat gaat goed, wat moet er gebeuren, en een cijfer op de veiligheidsschaal."),
        (25, "Bespreken in subgroepen", "Vragen bij de casus: signalen, tijdlijn, wie had de regie." + groups),
        (plenary, f"Terugkoppeling, {n_cases} casus{'sen' if n_cases != 1 else ''}",
         f"Plenair, ongeveer {per_case} minuten per casus: wat viel op, welke stap ontbrak."),
        (15, "Systeemcondities", "Plenair. Wat zegt dit over deskundigheid, capaciteit, regie, "
                                 "overdracht, privacy en financiering?"),
        (10, "Route zonder maatregel", "Wat had werken zonder maatregel mogelijk gemaakt?"),
        (5, "Afsluiting en monitoring", "Monitoringsblad invullen; handouts inleveren."),
    ]
    out, start = [], 0
    for minutes, part, form in parts:
        out.append({"van": _clock(start), "tot": _clock(start + minutes), "minuten": minutes,
                    "onderdeel": part, "werkvorm": form})
        start += minutes
    return out


def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def _chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


def cross_tables(cases: list[TaggedCase]) -> dict:
    """Triggers × cases (tag counts) and building blocks × cases (present or not), in column chunks."""
    counts = [Counter(t.label for t in c.tags) for c in cases]
    names = [weergave.case_in_sentence(c.case.name) for c in cases]
    triggers = [lab for lab in schema.TRIGGER_LABELS if any(cnt[lab.id] for cnt in counts)]
    tables = {"triggers": [], "blocks": []}
    for cols in _chunks(list(range(len(cases))), COLUMNS_PER_TABLE):
        tables["triggers"].append({
            "cases": [names[i] for i in cols],
            "rows": [{"name": weergave.label(lab.id), "group": lab.group, "symbol": view.GROUP_SYMBOLS[lab.group],
                      "cells": [counts[i][lab.id] for i in cols],
                      "total": sum(1 for cnt in counts if cnt[lab.id])} for lab in triggers]})
        tables["blocks"].append({
            "cases": [names[i] for i in cols],
            "rows": [{"name": weergave.label(lab.id), "cells": [bool(counts[i][lab.id]) for i in cols],
                      "total": sum(1 for cnt in counts if cnt[lab.id])} for lab in schema.BOUWSTENEN]})
    return tables


def _frequencies(cases: list[TaggedCase], labels) -> list[tuple[str, int]]:
    present = [c.labels for c in cases]
    items = [(weergave.label(lab.id), sum(1 for p in present if lab.id in p)) for lab in labels]
    return sorted((i for i in items if i[1]), key=lambda i: -i[1])


def milestone_days(tagged: TaggedCase) -> dict[str, int]:
    """Days from the first date of the case to the first time each milestone happened.

    Each tag of a milestone gets a date: the date written in the tagged
    sentence itself, else that of the last dated event at or before its line
    (dates are shifted per file, intervals are real). The milestone takes the
    earliest of these, so a Veilig Thuis report mentioned again after the
    escalation it led to is still drawn before it.
    """
    evs = ev_mod.sure(ev_mod.events(tagged, limit=10_000))  # a guessed year would misplace a milestone
    if not evs:
        return {}
    start = evs[0].date
    index = layout.LineIndex(tagged.case.text)
    by_line = sorted(evs, key=lambda e: e.line)
    out = {}
    for label, _, _ in charts.MILESTONES:
        dates = []
        for tag in (t for t in tagged.tags if t.label == label):
            line = index.line_of(tag.start)
            own = [e for e in by_line if e.line == line and start <= e.date]
            before = [e for e in by_line if e.line <= line]
            if own:
                dates.append(min(e.date for e in own))
            elif before:
                dates.append(before[-1].date)
        if dates:
            out[label] = (min(dates) - start).days
    return out


def _timelines(cases: list[TaggedCase]):
    words = weergave.data()["grafiek"]
    days = [(weergave.case_title(c.case.name), milestone_days(c)) for c in cases]
    longest = max((d for _, found in days for d in found.values()), default=0) or 1
    rows = [(name if found else f"{name} (geen data)", {k: v / longest for k, v in found.items()})
            for name, found in days]
    return charts.session_timelines(rows, "Tijdlijnen van de casussen",
                                    (words["sessie_begin"], words["sessie_eind"].format(dagen=longest)), longest)


def conditions(cases: list[TaggedCase], questions: Questions) -> list[dict]:
    """System conditions with the signals, routes and GI work across the cases that point at them."""
    out = []
    for cond in questions.conditions:
        evidence = []
        for label in cond.signalen:
            hits = [weergave.case_in_sentence(c.case.name) for c in cases if label in c.labels]
            if hits:
                evidence.append(f"{weergave.label(label)}: {', '.join(hits)}")
        for route in cond.routes:
            hits = [weergave.case_in_sentence(c.case.name) for c in cases if c.fields.clientroute == route]
            if hits:
                evidence.append(f"{weergave.route_short(route)}: {', '.join(hits)}")
        for inzet in cond.gi_inzet:
            hits = [weergave.case_in_sentence(c.case.name) for c in cases if inzet in c.fields.gi_inzet]
            if hits:
                evidence.append(f"GI zonder maatregel, {weergave.gi_inzet(inzet).lower()}: {', '.join(hits)}")
        out.append({"id": cond.id, "naam": cond.naam, "toelichting": cond.toelichting, "vraag": cond.vraag,
                    "evidence": evidence})
    return out


def monitoring(tagged: TaggedCase) -> dict:
    """The pilot's monitoring items for one case, pre-filled where the tags say something."""
    ev = view.evidence(tagged)
    def pick(*labels: str) -> list[view.Evidence]:
        return [dataclasses.replace(e, excerpt=view.excerpt(e.excerpt, MONITORING_EXCERPT), lines=e.lines[:3])
                for e in ev if e.label in labels][:MONITORING_ITEMS]

    return {
        "name": weergave.case_in_sentence(tagged.case.name),
        "route": weergave.route(tagged.fields.clientroute),
        "partijen": [weergave.party(p) for p in tagged.fields.partijen],
        "gi_inzet": [weergave.gi_inzet(g) for g in tagged.fields.gi_inzet],
        "gi_evidence": pick("bouwsteen:samen_optrekken_gi", "bouwsteen:consultatie"),
        "rollen": [(name, blocks) for _, name, blocks in view.party_roles(tagged) if blocks],
        "regie": pick("bouwsteen:regie", "trigger:regie_ontbreekt"),
        "opbrengst": pick("trigger:vooruitgang", "bouwsteen:afschaling_nazorg", "trigger:stagnatie_hulp"),
        "gezin": pick("trigger:medewerking_ouders", "trigger:geen_contact_ouders", "trigger:ontkenning"),
    }


def session_context(cases: list[TaggedCase], questions: Questions, failed: int = 0,
                    reasons: list[str] | None = None, theme: tuple[str, ...] = ()) -> dict:
    """Everything the session overview shows, cases in the order given.

    ``reasons`` says per case why it was chosen; ``theme`` names what the
    session is about (``trigger:…``, ``route:X``), shown in the title.
    """
    cases = [view.check_case(c) for c in cases]
    n = len(cases)
    reasons = list(reasons or [""] * n)
    theme_names = [theme_name(t) for t in theme]
    plan = time_plan(n, [weergave.case_in_sentence(c.case.name) for c in cases])
    return {
        "title": "Sessie" + (f": {' of '.join(theme_names)}" if theme_names else " leerwerkplaats"),
        "theme": theme_names,
        "note_confidential": NOTE_CONFIDENTIAL,
        "note_tags": NOTE_TAGS,
        "models": sorted({c.model for c in cases if c.model}),
        "failed": failed,
        "cases": [{"name": c.case.name, "title": weergave.case_title(c.case.name), "route": c.fields.clientroute,
                   "route_name": weergave.route(c.fields.clientroute),
                   "onveiligheid": weergave.onveiligheid(c.fields.onveiligheid),
                   "signalen": sum(1 for lab in c.labels if schema.LABELS.get(lab) and
                                   schema.LABELS[lab].group in ("gezin", "proces")),
                   "bouwstenen": sum(1 for lab in c.labels if lab.startswith("bouwsteen:")),
                   "reason": r} for c, r in zip(cases, reasons)],
        "plan": plan,
        "plan_total": sum(p["minuten"] for p in plan),
        "tables": cross_tables(cases),
        "chart_triggers": charts.bar_chart(_frequencies(cases, schema.TRIGGER_LABELS), n,
                                           "Signalen: in hoeveel casussen"),
        "chart_blocks": charts.bar_chart(_frequencies(cases, schema.BOUWSTENEN), n,
                                         "Bouwstenen: in hoeveel casussen"),
        "chart_timelines": _timelines(cases),
        "milestones": charts.MILESTONES,
        "conditions": conditions(cases, questions),
        "monitoring": [monitoring(c) for c in cases],
    }
