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
from leerwerkplaats.handouts import layout, view, weergave

MAX_CASE_QUESTIONS = 7
VIGNETTE_CHARS = 650
#: A passage a participants' question points at has at least this many lines and at most
#: :data:`MAX_PASSAGE`; longer paragraphs are cut on a fixed grid, so the tagged line is not its middle.
MIN_PASSAGE, MAX_PASSAGE = 4, 10
_BREAKS = ("leeg", "scheiding", "paginavoet")


@dataclass(frozen=True)
class CaseQuestion:
    """One question about the case.

    ``ask`` and ``refs`` are what participants read: a question that tells
    nothing the model found, about passages (``refs``, line numbers) that hold
    tagged and untagged lines alike. ``topic``, ``text`` (the point, with the
    tagged ``lines``) and ``answer`` are for the trainer's key.
    """

    topic: str
    text: str
    lines: tuple[int, ...]
    answer: str
    ask: str = ""
    refs: tuple[int, ...] = ()


def _r(lines) -> str:
    lines = sorted(set(lines))
    if not lines:
        return ""
    return ("regel " if len(lines) == 1 else "regels ") + ", ".join(str(n) for n in lines[:4]) + (
        " …" if len(lines) > 4 else "")


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def ranges(lines) -> str:
    """``{4, 5, 6, 7, 12, 13}`` → ``regels 4–7 en 12–13``."""
    lines = sorted(set(lines))
    runs: list[list[int]] = []
    for n in lines:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    parts = [f"{a}–{b}" if b > a else str(a) for a, b in runs]
    word = "regel " if len(lines) == 1 else "regels "
    return word + (", ".join(parts[:-1]) + " en " + parts[-1] if len(parts) > 1 else parts[0]) if parts else ""


def passages(text_lines: list[layout.Line], targets) -> tuple[int, ...]:
    """The passages around ``targets``: each target's paragraph, widened to :data:`MIN_PASSAGE` lines."""
    last = len(text_lines)
    out: set[int] = set()
    for n in sorted(set(targets)):
        a = b = n
        while a > 1 and text_lines[a - 2].kind not in _BREAKS:
            a -= 1
        while b < last and text_lines[b].kind not in _BREAKS:
            b += 1
        if b - a + 1 > MAX_PASSAGE:  # a long paragraph: the grid cell of MAX_PASSAGE lines the target is in
            a = a + (n - a) // MAX_PASSAGE * MAX_PASSAGE
            b = min(b, a + MAX_PASSAGE - 1)
        while b - a + 1 < MIN_PASSAGE and (a > 1 or b < last):
            b, a = (b + 1, a) if b < last else (b, a - 1)
        out.update(k for k in range(a, b + 1) if text_lines[k - 1].kind not in _BREAKS)
    return tuple(sorted(out))


def _pick(spec: dict, key: str, i: int) -> str:
    value = spec[key]
    return value[i % len(value)] if isinstance(value, list) else value


def case_questions(tagged: TaggedCase, evs: list[ev_mod.Event] | None = None,
                   regie: list[ev_mod.RegieStep] | None = None,
                   wording: dict[str, dict] | None = None) -> list[CaseQuestion]:
    """Up to :data:`MAX_CASE_QUESTIONS` questions, in the order of a discussion.

    ``wording`` is the ``[casusvragen]`` table of ``vragen.toml`` (the shipped one by default).
    """
    if wording is None:
        from leerwerkplaats.handouts.questions import load_cached

        wording = load_cached().casus
    evs = ev_mod.events(tagged) if evs is None else evs
    regie = ev_mod.regie(tagged) if regie is None else regie
    text_lines = layout.lines(tagged.case.text)
    evidence = {e.label: e for e in view.evidence(tagged)}
    counts = Counter(t.label for t in tagged.tags)
    cues: dict[str, list[str]] = {}
    for t in tagged.tags:
        cues.setdefault(t.label, [])
        cues[t.label] += [c for c in weergave.cues(t.cues) if c not in cues[t.label]]
    out: list[CaseQuestion] = []
    used: dict[str, int] = Counter()

    def add(kind: str, text: str, lines, answer: str, targets=(), **fmt) -> None:
        spec = wording[kind]
        refs = passages(text_lines, targets) if targets else ()
        key = "vraag" if refs or "vraag_zonder_regels" not in spec else "vraag_zonder_regels"
        ask = _pick(spec, key, used[kind]).format(regels=ranges(refs), **fmt)
        if any(q.ask == ask for q in out):  # the same question twice: the second says which passage matters
            return
        used[kind] += 1
        out.append(CaseQuestion(spec.get("onderwerp", kind), text, tuple(lines), answer, ask, refs))

    order = {lab.id: i for i, lab in enumerate(schema.ALL_LABELS)}
    family = sorted((lab for lab in evidence if evidence[lab].group == "gezin"),
                    key=lambda lab: (-counts[lab], order[lab]))
    spec = wording["zorgen"]
    for lab in family[:2]:
        e = evidence[lab]
        hints = f" Aanwijzingen: {', '.join(cues[lab][:4])}." if cues.get(lab) else ""
        add("zorgen", _cap(spec["kern"].format(regels=_r(e.lines[:3]), label=e.name.lower())), e.lines[:3],
            spec["sleutel"].format(label=e.name.lower(), regels=_r(e.lines), citaat=e.excerpt, aanwijzingen=hints),
            e.lines[:3])
    spec = wording["ontkracht"]
    for e in view.ruled_out(tagged)[:1]:
        add("ontkracht", _cap(spec["kern"].format(regels=_r(e.lines))), e.lines,
            spec["sleutel"].format(label=e.name.lower(), regels=_r(e.lines), citaat=e.excerpt), e.lines)
    strengths = [evidence[lab] for lab in evidence if evidence[lab].group == "krachten"
                 and lab != "trigger:ontkrachtend_signaal"]
    spec = wording["krachten"]
    if strengths:
        e = strengths[0]
        add("krachten", _cap(spec["kern"].format(regels=_r(e.lines[:3]), label=e.name.lower())), e.lines[:3],
            spec["sleutel"].format(label=e.name.lower(), citaat=e.excerpt), e.lines[:3])
    gap = ev_mod.largest_gap(evs)
    if gap and (gap[1].date - gap[0].date).days >= 14:
        a, b = gap
        spec = wording["tijdlijn"]
        fmt = {"datum_a": ev_mod.nl_date(a.date), "datum_b": ev_mod.nl_date(b.date),
               "dagen": (b.date - a.date).days, "regel_a": a.line, "regel_b": b.line}
        wat_a = a.what + (f" ({', '.join(a.labels)})" if a.labels else "")
        wat_b = b.what + (f" ({', '.join(b.labels)})" if b.labels else "")
        add("tijdlijn", spec["kern"].format(**fmt), (a.line, b.line),
            spec["sleutel"].format(wat_a=wat_a, wat_b=wat_b, **fmt), (), **fmt)
    _regie_question(regie, wording["regie"], add)
    steps = view.block_steps(tagged)
    present = [s for s in steps if s.present]
    missing = [s for s in steps if not s.present]
    if present and missing:
        first_missing = next((s for s in steps[steps.index(present[0]):] if not s.present), missing[0])
        before = [s for s in present if steps.index(s) < steps.index(first_missing)]
        anchor = before[-1] if before else present[0]
        line = anchor.lines[-1]
        spec = wording["bouwstenen"]
        also = ", ".join(s.name.lower() for s in missing if s is not first_missing)[:300] or "niets"
        add("bouwstenen", spec["kern"].format(stap=first_missing.name.lower(), regel=line), (line,),
            spec["sleutel"].format(anker=anchor.name.lower(), regels=_r(anchor.lines), ook=also))
    route = tagged.fields.clientroute
    route_labels = ("bouwsteen:samen_optrekken_gi", "bouwsteen:opschaling", "bouwsteen:maatregel")
    route_lines = sorted({n for lab in route_labels if lab in evidence for n in evidence[lab].lines})[:4]
    spec = wording["route"]
    if route in spec.get("kern", {}):
        ask = spec["kern"][route]
        proof = "; ".join(f"{evidence[lab].name} ({_r(evidence[lab].lines)})" for lab in route_labels
                          if lab in evidence) + "."
        add("route", f"{_cap(_r(route_lines))}: {ask[:1].lower()}{ask[1:]}" if route_lines else ask, route_lines,
            spec["sleutel"].format(route=weergave.route(route), bewijs=proof) if route_lines
            else spec["sleutel_leeg"].format(route=weergave.route(route)))
    return out[:MAX_CASE_QUESTIONS]


def _regie_question(regie: list[ev_mod.RegieStep], spec: dict, add) -> None:
    changes = [s for s in regie if s.changed]
    nobody = [s for s in regie if s.holder == ev_mod.NOBODY]
    named = [s for s in regie if s.holder not in (ev_mod.UNNAMED,)]
    if changes:
        s = changes[0]
        before = next(p.holder for p in reversed(regie[:regie.index(s)]) if p.holder != ev_mod.UNNAMED)
        add("regie", spec["kern_wisseling"].format(regel=s.line), (s.line,),
            spec["sleutel_wisseling"].format(van=before.lower(), naar=s.holder.lower(), regel=s.line,
                                             citaat=s.excerpt), (s.line,))
    elif nobody:
        s = nobody[0]
        add("regie", spec["kern_niemand"].format(regel=s.line), (s.line,),
            spec["sleutel_niemand"].format(regel=s.line, citaat=s.excerpt), (s.line,))
    elif named:
        s = named[0]
        add("regie", spec["kern_houder"].format(regel=s.line), (s.line,),
            spec["sleutel_houder"].format(houder=s.holder, regel=s.line, citaat=s.excerpt), (s.line,))
    else:
        add("regie", spec["kern_stil"], (), spec["sleutel_stil"])


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
    # the partners the text itself names, not the model's case fields (which add partners a tag implies)
    named = {weergave.party(p) for p, pattern in view._party_patterns().items() if pattern.search(tagged.case.text)}
    parties = sorted({e.who for e in evs if e.who} | named)
    period = ev_mod.sure(evs)  # the period runs between sure dates only
    return {
        "regels": len(lines), "woorden": len(tagged.case.text.split()),
        "bronnen": sources or ["doorlopende tekst"],
        "van": period[0].surface if period else "", "tot": period[-1].surface if period else "",
        "van_regel": period[0].line if period else 0, "tot_regel": period[-1].line if period else 0,
        "dagen": ev_mod.span_days(evs), "partijen": parties,
        "opening": opening, "opening_regel": body[0].number if body else 0,
        "gebeurtenissen": len(evs),
    }
