"""The view of one tagged case that every format renders: lines, highlights, columns, timeline.

Everything here is derived from a :class:`~leerwerkplaats.core.cases.TaggedCase`
alone, so only pseudonymised text can reach a template. The view holds plain
frozen data; HTML escaping is the template's job (Jinja2 autoescape).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from leerwerkplaats.core import schema
from leerwerkplaats.core.cases import PseudonymisedCase, TaggedCase
from leerwerkplaats.handouts import layout, weergave
from leerwerkplaats.tagging.cues import party_cues

#: Group → (symbol, css class). The symbol is the second cue next to colour.
GROUP_SYMBOLS: dict[str, str] = {"gezin": "▲", "proces": "●", "krachten": "✚", "bouwsteen": "■"}
RULED_SYMBOL = "✗"
GROUP_ORDER: tuple[str, ...] = ("gezin", "proces", "krachten", "bouwsteen")
#: Building blocks that say what still has to happen (goals, conditions, what follows if nothing changes):
#: they fill the Signs of Safety column "wat moet er gebeuren", beside the steps the file never took.
#: Steps already taken (help, network, GI, regie, evaluation) are no part of it.
OPEN_BLOCKS: tuple[str, ...] = ("bouwsteen:plan", "bouwsteen:consequenties_benoemen")
EXCERPT_CHARS = 160


@dataclass(frozen=True)
class Marker:
    """``▲2``: the symbol of the group and the number of the label in the legend."""

    label: str
    group: str
    text: str
    name: str


@dataclass(frozen=True)
class Segment:
    """A stretch of one line; ``tags`` are indexes into ``TaggedCase.tags``, ``ruled`` into ``ruled_out``."""

    text: str
    tags: tuple[int, ...] = ()
    ruled: tuple[int, ...] = ()
    groups: tuple[str, ...] = ()
    markers: tuple[Marker, ...] = ()
    title: str = ""


@dataclass(frozen=True)
class LineView:
    number: int
    kind: str
    date: str
    text: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Evidence:
    """One label of the case with the lines it was tagged on and the first span, shortened."""

    label: str
    name: str
    group: str
    marker: str
    lines: tuple[int, ...]
    excerpt: str


@dataclass(frozen=True)
class TagRow:
    line: int
    marker: str
    name: str
    group: str
    score: float
    cues: tuple[str, ...]


@dataclass(frozen=True)
class BlockStep:
    """One building block on the timeline; ``positions`` are line fractions (0–1) for the chart."""

    label: str
    name: str
    present: bool
    lines: tuple[int, ...]
    excerpt: str
    positions: tuple[float, ...]


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """Whitespace collapsed, cut at a word with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + " …"


def markers_for(tagged: TaggedCase) -> dict[str, Marker]:
    """Number the labels present per group, in schema order: ``▲1``, ``▲2``, ``●1`` …"""
    present = {t.label for t in tagged.tags} | {t.label for t in tagged.ruled_out}
    out: dict[str, Marker] = {}
    counters: dict[str, int] = defaultdict(int)
    for lab in schema.ALL_LABELS:
        if lab.id in present:
            counters[lab.group] += 1
            out[lab.id] = Marker(lab.id, lab.group, f"{GROUP_SYMBOLS[lab.group]}{counters[lab.group]}", weergave.label(lab.id))
    return out


def _segments(line: layout.Line, tagged: TaggedCase, markers: dict[str, Marker]) -> tuple[Segment, ...]:
    known = schema.LABELS
    spans = [(t.start, t.end, i, False) for i, t in enumerate(tagged.tags) if t.label in known]
    spans += [(t.start, t.end, i, True) for i, t in enumerate(tagged.ruled_out) if t.label in known]
    spans = [s for s in spans if s[0] < line.end and s[1] > line.start]
    cuts = {line.start, line.end}
    for start, end, _, _ in spans:
        cuts.update(p for p in (start, end) if line.start < p < line.end)
    cuts_sorted = sorted(cuts)
    out = []
    for a, b in zip(cuts_sorted, cuts_sorted[1:]):
        cover = [s for s in spans if s[0] <= a and s[1] >= b]
        tags = tuple(i for _, _, i, ruled in cover if not ruled)
        ruled = tuple(i for _, _, i, r in cover if r)
        groups = tuple(g for g in GROUP_ORDER if any(schema.LABELS[tagged.tags[i].label].group == g for i in tags))
        starting = [s for s in cover if s[0] == a]
        mk = []
        for _, _, i, is_ruled in sorted(starting, key=lambda s: (s[3], s[2])):
            tag = tagged.ruled_out[i] if is_ruled else tagged.tags[i]
            base = markers.get(tag.label)
            if base is None:
                continue
            if is_ruled:
                mk.append(Marker(tag.label, "ontkracht", RULED_SYMBOL + base.text, f"Ontkracht: {base.name}"))
            elif base not in mk:
                mk.append(base)
        names = [weergave.label(tagged.tags[i].label) for i in tags]
        names += [f"ontkracht: {weergave.label(tagged.ruled_out[i].label)}" for i in ruled]
        out.append(Segment(tagged.case.text[a:b], tags, ruled, groups, tuple(mk), "; ".join(dict.fromkeys(names))))
    return tuple(seg for seg in out if seg.text or seg.markers) or (Segment(""),)


def line_views(tagged: TaggedCase, highlight: bool) -> tuple[LineView, ...]:
    """The case text as classified lines; with ``highlight`` each line is cut into tagged segments."""
    markers = markers_for(tagged) if highlight else {}
    out = []
    for line in layout.lines(tagged.case.text):
        segs = _segments(line, tagged, markers) if highlight else (Segment(line.text),)
        out.append(LineView(line.number, line.kind, line.date, line.text, segs))
    return tuple(out)


def timeline_dates(lines: tuple[LineView, ...]) -> tuple[tuple[str, int], ...]:
    """``(date, line)`` of each dated entry, in text order."""
    return tuple((ln.date, ln.number) for ln in lines if ln.kind == "datum")


def evidence(tagged: TaggedCase, labels: tuple[str, ...] | None = None,
             groups: tuple[str, ...] | None = None) -> list[Evidence]:
    """One :class:`Evidence` per label present (schema order), filtered by labels or groups."""
    index = layout.LineIndex(tagged.case.text)
    markers = markers_for(tagged)
    by_label: dict[str, list] = defaultdict(list)
    for tag in sorted(tagged.tags, key=lambda t: (t.start, t.end)):
        by_label[tag.label].append(tag)
    out = []
    for lab in schema.ALL_LABELS:
        if lab.id not in by_label or (labels and lab.id not in labels) or (groups and lab.group not in groups):
            continue
        tags = by_label[lab.id]
        lines = tuple(sorted({index.line_of(t.start) for t in tags}))
        first = tags[0]
        out.append(Evidence(lab.id, weergave.label(lab.id), lab.group, markers[lab.id].text, lines,
                            excerpt(tagged.case.text[first.start:first.end])))
    return out


RULED_OUT_LABEL = "trigger:ontkrachtend_signaal"


def ruled_out(tagged: TaggedCase) -> list[Evidence]:
    """The concerns the text rules out, with the line that rules them out.

    Besides the concerns the context step named (``tagged.ruled_out``), every
    ``ontkrachtend_signaal`` tag that none of them overlaps is listed, so the
    handout never says "no concerns ruled out" beside such a tag.
    """
    index = layout.LineIndex(tagged.case.text)
    named = [t for t in tagged.ruled_out]
    named += [t for t in tagged.tags if t.label == RULED_OUT_LABEL
              and not any(r.start < t.end and t.start < r.end for r in tagged.ruled_out)]
    out = []
    for tag in sorted(named, key=lambda t: (t.start, t.label)):
        name = "Eerder genoemde zorg" if tag.label == RULED_OUT_LABEL else weergave.label(tag.label)
        out.append(Evidence(tag.label, name, "ontkracht", RULED_SYMBOL, (index.line_of(tag.start),),
                            excerpt(tagged.case.text[tag.start:tag.end])))
    return out


def tag_rows(tagged: TaggedCase) -> list[TagRow]:
    """The "why" table: one row per tag, in text order."""
    index = layout.LineIndex(tagged.case.text)
    markers = markers_for(tagged)
    order = {lab.id: i for i, lab in enumerate(schema.ALL_LABELS)}
    rows = []
    for tag in sorted(tagged.tags, key=lambda t: (t.start, order.get(t.label, 999))):
        lab = schema.LABELS.get(tag.label)
        if lab is None:
            continue
        rows.append(TagRow(index.line_of(tag.start), markers[tag.label].text, weergave.label(lab.id),
                           weergave.group(lab.group), tag.score, weergave.cues(tag.cues)))
    return rows


def block_steps(tagged: TaggedCase) -> list[BlockStep]:
    """All building blocks in chain order, present or missing."""
    index = layout.LineIndex(tagged.case.text)
    total = max(index.count - 1, 1)
    steps = []
    for lab in schema.BOUWSTENEN:
        tags = sorted((t for t in tagged.tags if t.label == lab.id), key=lambda t: t.start)
        lines = tuple(sorted({index.line_of(t.start) for t in tags}))
        text = excerpt(tagged.case.text[tags[0].start:tags[0].end], 110) if tags else ""
        steps.append(BlockStep(lab.id, weergave.label(lab.id), bool(tags), lines, text,
                               tuple((n - 1) / total for n in lines)))
    return steps


@lru_cache(maxsize=1)
def _party_patterns() -> dict[str, re.Pattern[str]]:
    out = {}
    for party, patterns in party_cues().items():
        alts = []
        for p in patterns:
            body = re.escape(p.rstrip("*")) + (r"\w*" if p.endswith("*") else "")
            alts.append(f"(?{'' if any(c.isupper() for c in p) else 'i'}:{body})")
        out[party] = re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)")
    return out


def party_roles(tagged: TaggedCase) -> list[tuple[str, str, tuple[str, ...]]]:
    """``(party id, Dutch name, building blocks it is named in)`` for each party of the case."""
    text = tagged.case.text
    blocks: dict[str, list[str]] = defaultdict(list)
    patterns = _party_patterns()
    for lab in schema.BOUWSTENEN:
        spans = [text[t.start:t.end] for t in tagged.tags if t.label == lab.id]
        for party, pattern in patterns.items():
            if any(pattern.search(s) for s in spans):
                blocks[party].append(weergave.label(lab.id))
    parties = list(tagged.fields.partijen) + [p for p in schema.PARTIJEN
                                              if p in blocks and p not in tagged.fields.partijen]
    return [(p, weergave.party(p), tuple(blocks.get(p, ()))) for p in parties]


def check_case(tagged: object) -> TaggedCase:
    """Fail closed: only a :class:`TaggedCase` over a :class:`PseudonymisedCase` is rendered."""
    if not isinstance(tagged, TaggedCase) or not isinstance(tagged.case, PseudonymisedCase):
        raise TypeError("handouts render only a TaggedCase of a PseudonymisedCase (pseudonymise and tag first)")
    return tagged
