"""Questions about *this* case, generated from its tags, timeline and regie, each with line references,
and the answer key for the trainer; plus the half-page vignette for participants.

Every question cites lines that exist in the case text (tested). The answers
say what the tags and the text show, with the same lines; they are a
starting point for the trainer, never the one right answer.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from leerwerkplaats.core import schema
from leerwerkplaats.core.cases import TaggedCase
from leerwerkplaats.handouts import events as ev_mod
from leerwerkplaats.handouts import layout, view

MAX_CASE_QUESTIONS = 7
VIGNETTE_CHARS = 650


@dataclass(frozen=True)
class CaseQuestion:
    topic: str
    text: str
    lines: tuple[int, ...]
    answer: str


def _r(lines) -> str:
    lines = sorted(set(lines))
    if not lines:
        return ""
    return ("regel " if len(lines) == 1 else "regels ") + ", ".join(str(n) for n in lines[:4]) + (
        " …" if len(lines) > 4 else "")


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def case_questions(tagged: TaggedCase, evs: list[ev_mod.Event] | None = None,
                   regie: list[ev_mod.RegieStep] | None = None) -> list[CaseQuestion]:
    """Up to :data:`MAX_CASE_QUESTIONS` questions, in the order of a discussion."""
    evs = ev_mod.events(tagged) if evs is None else evs
    regie = ev_mod.regie(tagged) if regie is None else regie
    evidence = {e.label: e for e in view.evidence(tagged)}
    counts = Counter(t.label for t in tagged.tags)
    cues: dict[str, list[str]] = {}
    for t in tagged.tags:
        cues.setdefault(t.label, [])
        cues[t.label] += [c for c in t.cues if c not in cues[t.label]]
    out: list[CaseQuestion] = []
    order = {lab.id: i for i, lab in enumerate(schema.ALL_LABELS)}

    family = sorted((lab for lab in evidence if evidence[lab].group == "gezin"),
                    key=lambda lab: (-counts[lab], order[lab]))
    for lab in family[:2]:
        e = evidence[lab]
        out.append(CaseQuestion(
            "Zorgen", f"{_cap(_r(e.lines[:3]))}: welke zorg over het kind lees je hier, en hoe zwaar weegt die "
                      f"voor de veiligheid nu?", e.lines[:3],
            f"Gemarkeerd als {e.name.lower()} ({_r(e.lines)}): “{e.excerpt}”"
            + (f" Aanwijzingen: {', '.join(cues[lab][:4])}." if cues.get(lab) else "")))
    for e in view.ruled_out(tagged)[:1]:
        out.append(CaseQuestion(
            "Ontkracht", f"{_cap(_r(e.lines))}: hier wordt een zorg weerlegd. Is dat voldoende onderbouwd, "
                         f"en wie heeft het nagegaan?", e.lines,
            f"De zorg over {e.name.lower()} wordt ontkracht ({_r(e.lines)}): “{e.excerpt}”. "
            "Het model telt hem niet als signaal."))
    strengths = [evidence[lab] for lab in evidence if evidence[lab].group == "krachten"
                 and lab != "trigger:ontkrachtend_signaal"]
    if strengths:
        e = strengths[0]
        out.append(CaseQuestion(
            "Krachten", f"{_cap(_r(e.lines[:3]))}: wat gaat hier goed, en hoe had de hulp daarop kunnen bouwen?",
            e.lines[:3], f"Gemarkeerd als {e.name.lower()}: “{e.excerpt}”"))
    gap = ev_mod.largest_gap(evs)
    if gap and (gap[1].date - gap[0].date).days >= 14:
        a, b = gap
        days = (b.date - a.date).days
        out.append(CaseQuestion(
            "Tijdlijn", f"Tussen regel {a.line} ({a.surface}) en regel {b.line} ({b.surface}) zitten {days} dagen. "
                        f"Wat gebeurde er in die tijd voor het kind, en had de volgende stap eerder gemoeten?",
            (a.line, b.line),
            f"Regel {a.line}: {a.what}" + (f" ({', '.join(a.labels)})" if a.labels else "")
            + f" — regel {b.line}: {b.what}" + (f" ({', '.join(b.labels)})" if b.labels else "")
            + ". De data zijn verschoven bij het pseudonimiseren, de tussenpozen kloppen."))
    changes = [s for s in regie if s.changed]
    nobody = [s for s in regie if s.holder == ev_mod.NOBODY]
    named = [s for s in regie if s.holder not in (ev_mod.UNNAMED,)]
    if changes:
        s = changes[0]
        before = next(p.holder for p in reversed(regie[:regie.index(s)]) if p.holder != ev_mod.UNNAMED)
        out.append(CaseQuestion(
            "Regie", f"Regel {s.line}: de regie gaat over. Waarom op dit moment, en wist iedereen (ook het gezin) "
                     f"het?", (s.line,),
            f"Van {before.lower()} naar {s.holder.lower()} (regel {s.line}): “{s.excerpt}”"))
    elif nobody:
        s = nobody[0]
        out.append(CaseQuestion(
            "Regie", f"Regel {s.line}: wie had hier de regie moeten nemen, en wat had dat veranderd?", (s.line,),
            f"De tekst zegt dat de regie ontbreekt (regel {s.line}): “{s.excerpt}”"))
    elif named:
        s = named[0]
        out.append(CaseQuestion(
            "Regie", f"Regel {s.line}: wie had de regie, en bleef dat zo tot het einde van het dossier?", (s.line,),
            f"{s.holder} (regel {s.line}): “{s.excerpt}”. Verderop geen wisseling gevonden."))
    else:
        out.append(CaseQuestion(
            "Regie", "Wie had de regie in deze casus, en was dat voor iedereen (ook het gezin) duidelijk?", (),
            "De tekst zegt niets over regie. Dat is zelf een bespreekpunt: wie had hem moeten nemen?"))
    steps = view.block_steps(tagged)
    present = [s for s in steps if s.present]
    missing = [s for s in steps if not s.present]
    if present and missing:
        first_missing = next((s for s in steps[steps.index(present[0]):] if not s.present), missing[0])
        before = [s for s in present if steps.index(s) < steps.index(first_missing)]
        anchor = before[-1] if before else present[0]
        line = anchor.lines[-1]
        out.append(CaseQuestion(
            "Bouwstenen", f"Het dossier noemt geen {first_missing.name.lower()}. Na welke regel had die stap gepast "
                          f"(kijk rond regel {line}), en wie had hem moeten zetten?", (line,),
            f"Niet gevonden in het dossier. De laatste bouwsteen ervoor in de keten is "
            f"{anchor.name.lower()} ({_r(anchor.lines)}). Ook niet gevonden: "
            + ", ".join(s.name.lower() for s in missing if s is not first_missing)[:300] + "."))
    route = tagged.fields.clientroute
    route_lines = sorted({n for lab in ("bouwsteen:maatregel", "bouwsteen:samen_optrekken_gi", "bouwsteen:opschaling")
                         if lab in evidence for n in evidence[lab].lines})[:4]
    if route in ("A", "B", "C", "D"):
        ask = {"A": "Was werken zonder maatregel hier echt niet mogelijk?",
               "B": "Had werken zonder maatregel hier gekund, en wat was daarvoor nodig geweest?",
               "C": "Wat maakte dat het hier zonder maatregel lukte?",
               "D": "Waarom volgde toch een maatregel, en had die voorkomen kunnen worden?"}[route]
        out.append(CaseQuestion(
            "Route", f"{_cap(_r(route_lines))}: {ask[:1].lower()}{ask[1:]}" if route_lines else ask, tuple(route_lines),
            schema.CLIENTROUTE_NAMES[route] + ". "
            + "; ".join(f"{evidence[lab].name} ({_r(evidence[lab].lines)})"
                        for lab in ("bouwsteen:samen_optrekken_gi", "bouwsteen:opschaling", "bouwsteen:maatregel")
                        if lab in evidence) + ("." if route_lines else "Geen GI, opschaling of maatregel gemarkeerd.")))
    return out[:MAX_CASE_QUESTIONS]


def vignette(tagged: TaggedCase, evs: list[ev_mod.Event]) -> dict:
    """Half a page for participants: what kind of file, which period, who was involved, how it opens.

    No tags and no route: participants form their own view first.
    """
    lines = layout.lines(tagged.case.text)
    kinds = Counter(ln.kind for ln in lines)
    sources = []
    if kinds["meta"] or kinds["onderwerp"]:
        sources.append("mails")
    if kinds["kop"]:
        sources.append("verslagen met kopjes")
    if kinds["datum"] >= 3:
        sources.append("gedateerde aantekeningen")
    body = [ln for ln in lines if ln.kind == "tekst" and len(ln.text.split()) >= 8]
    opening = view.excerpt(" ".join(ln.text for ln in body[:3]), VIGNETTE_CHARS) if body else ""
    parties = sorted({e.who for e in evs if e.who} | {schema.PARTIJ_NAMES.get(p, p) for p in tagged.fields.partijen})
    return {
        "regels": len(lines), "woorden": len(tagged.case.text.split()),
        "bronnen": sources or ["doorlopende tekst"],
        "van": evs[0].surface if evs else "", "tot": evs[-1].surface if evs else "",
        "van_regel": evs[0].line if evs else 0, "tot_regel": evs[-1].line if evs else 0,
        "dagen": ev_mod.span_days(evs), "partijen": parties,
        "opening": opening, "opening_regel": body[0].number if body else 0,
        "gebeurtenissen": len(evs),
    }
