"""The trainer's check page (*controleblad*): every fact the handout claims, with the line that carries it.

A trainer verifies a case in ten minutes by reading each quote against the
case text: the case fields (route, level of unsafety, GI work without a
measure) with the rule that decided them in a sentence, each party, every tag
with its own span, the ruled-out concerns, the indicative costs and the dates
on the timeline. A fact with no line behind it says so plainly; a fact the
trainer corrected (``session --corrections``) is marked as such. All words
come from ``data/weergave.toml`` (table ``controle``).
"""

from __future__ import annotations

from dataclasses import dataclass

from leerwerkplaats.core import schema
from leerwerkplaats.core.cases import TaggedCase
from leerwerkplaats.handouts import costs, layout, view, weergave
from leerwerkplaats.handouts import events as ev_mod
from leerwerkplaats.tagging import case_facts

QUOTE_CHARS = 110
#: Most lines shown per fact: enough to check it, few enough to read.
MAX_LINES = 3
#: Which tags carry which kind of GI work without a measure (the rules of ``tagging.case_fields``).
GI_LABELS: dict[str, tuple[str, ...]] = {
    "informatie_advies": ("bouwsteen:consultatie",),
    "aansluiten_ondersteunen": ("bouwsteen:samen_optrekken_gi",),
    "specialistisch_casemanagement": ("bouwsteen:samen_optrekken_gi", "bouwsteen:regie"),
    "nazorg": ("bouwsteen:afschaling_nazorg",),
}
_MEASURE_TARIFFS = {"ots_eerste_jaar": "ots", "ots_volgend_jaar": "ots", "voogdij": "voogdij",
                    "jeugdreclassering": "jeugdreclassering"}
_PACKAGE_TARIFFS = {"aansluiten_ondersteunen": "aansluiten_ondersteunen",
                    "specialistisch_casemanagement": "specialistisch_casemanagement"}


@dataclass(frozen=True)
class Proof:
    """One line that carries a fact, with a short quote of the pseudonymised text."""

    line: int
    quote: str


@dataclass(frozen=True)
class Fact:
    """One claimed fact: what it is, what the handout says, why, and the lines; ``corrected`` by the trainer."""

    fact: str
    value: str
    proofs: tuple[Proof, ...] = ()
    basis: str = ""
    corrected: bool = False
    removed: bool = False
    #: Further lines that carry the fact, listed but not quoted (a party named again).
    also: tuple[int, ...] = ()

    @property
    def lines(self) -> str:
        return ", ".join(str(n) for n in (*(p.line for p in self.proofs), *self.also))


@dataclass(frozen=True)
class Part:
    title: str
    facts: tuple[Fact, ...]
    empty: str = ""


def _words() -> dict:
    return weergave.data()["controle"]


class _Text:
    """The case text as lines, for quotes by line or by span."""

    def __init__(self, tagged: TaggedCase):
        self.text = tagged.case.text
        self.lines = layout.lines(self.text)
        self.index = layout.LineIndex(self.text)

    def span(self, start: int, end: int) -> Proof:
        return Proof(self.index.line_of(start), view.excerpt(self.text[start:end], QUOTE_CHARS))

    def line(self, number: int) -> Proof:
        return Proof(number, view.excerpt(self.lines[number - 1].text, QUOTE_CHARS))

    def at(self, offset: int) -> Proof:
        return self.line(self.index.line_of(offset))


def _tag_proofs(tagged: TaggedCase, text: _Text, labels: tuple[str, ...]) -> tuple[Proof, ...]:
    tags = sorted((t for t in tagged.tags if t.label in labels), key=lambda t: t.start)
    out: dict[int, Proof] = {}
    for t in tags:
        p = text.span(t.start, t.end)
        out.setdefault(p.line, p)
    return tuple(out.values())[:MAX_LINES]


def _route_proofs(tagged: TaggedCase, text: _Text, measures) -> tuple[Proof, ...]:
    out = [text.at(m.start) for m in measures[:1]]
    out += _tag_proofs(tagged, text, ("bouwsteen:samen_optrekken_gi",))[:1]
    if not out:
        out += _tag_proofs(tagged, text, ("bouwsteen:maatregel",))[:1]
    return tuple(sorted({p.line: p for p in out}.values(), key=lambda p: p.line))


def _acute_proofs(text: _Text) -> tuple[Proof, ...]:
    hits = [ln.number for ln in text.lines if case_facts.acute(text.text, [(ln.start, ln.end)]).asserted]
    return tuple(text.line(n) for n in hits[:MAX_LINES])


def _level_proofs(tagged: TaggedCase, text: _Text, measures) -> tuple[Proof, ...]:
    level = tagged.fields.onveiligheid
    if level == "acuut":
        return _acute_proofs(text) or _tag_proofs(tagged, text, ("bouwsteen:crisisinterventie",))
    if level == "structureel":
        family = tuple(lab.id for lab in schema.ALL_LABELS if lab.group == "gezin")
        return _tag_proofs(tagged, text, family) or tuple(text.at(m.start) for m in measures[:1])
    if level == "onbekend":
        return _tag_proofs(tagged, text, tuple(lab.id for lab in schema.ALL_LABELS if lab.group == "proces"))
    return ()


def _field_basis(tagged: TaggedCase, key: str) -> str:
    """The rule that decided a field, in a Dutch sentence (or the trainer's correction)."""
    if key in tagged.corrections:
        return _words()["gecorrigeerd"]
    why = tagged.fields.why.get(key, "")
    if key == "gi_inzet" and why:
        return weergave.field_sentences(type(tagged.fields)(gi_inzet=tagged.fields.gi_inzet,
                                                            why={"gi_inzet": why}))[0]
    return weergave.humanise(why).rstrip(".") + "." if why else ""


def field_facts(tagged: TaggedCase, text: _Text) -> tuple[Fact, ...]:
    fields, corrected = tagged.fields, set(tagged.corrections)
    measures = case_facts.measures(text.text, tagged.tags, tagged.case.replaced)
    gi = tuple(p for g in fields.gi_inzet for p in _tag_proofs(tagged, text, GI_LABELS.get(g, ())))
    gi_value = ", ".join(weergave.gi_inzet(g) for g in fields.gi_inzet) or weergave.data()["velden"]["gi_inzet"]["geen"]
    return (
        Fact(weergave.field("clientroute"), weergave.route(fields.clientroute), _route_proofs(tagged, text, measures),
             _field_basis(tagged, "clientroute"), "clientroute" in corrected),
        Fact(weergave.field("onveiligheid"), weergave.onveiligheid(fields.onveiligheid),
             _level_proofs(tagged, text, measures), _field_basis(tagged, "onveiligheid"), "onveiligheid" in corrected),
        Fact(weergave.field("gi_inzet"), gi_value,
             tuple(sorted({p.line: p for p in gi}.values(), key=lambda p: p.line))[:MAX_LINES],
             _field_basis(tagged, "gi_inzet"), "gi_inzet" in corrected),
    )


def party_facts(tagged: TaggedCase, text: _Text) -> tuple[Fact, ...]:
    patterns = view._party_patterns()
    words = _words()
    out = []
    for party in tagged.fields.partijen:
        pattern = patterns.get(party)
        hits = [ln.number for ln in text.lines if pattern and pattern.search(ln.text)][:MAX_LINES]
        basis = words["partij_genoemd"] if hits else ""
        proofs = tuple(text.line(n) for n in hits[:1])
        if not hits:  # a party the tagger derived from a tag (a measure implies a court and a GI)
            for label in ("bouwsteen:maatregel", "bouwsteen:samen_optrekken_gi"):
                proofs = _tag_proofs(tagged, text, (label,))[:1]
                if proofs:
                    basis = words["partij_afgeleid"].format(label=weergave.label(label))
                    break
        out.append(Fact(weergave.field("partijen"), weergave.party(party), proofs, basis,
                        "partijen" in tagged.corrections, also=tuple(hits[1:])))
    return tuple(out)


def tag_facts(tagged: TaggedCase, text: _Text) -> tuple[Fact, ...]:
    """One row per tagged span (a sentence with three labels is read once), every label named."""
    markers = view.markers_for(tagged)
    order = {lab.id: i for i, lab in enumerate(schema.ALL_LABELS)}
    words = _words()
    by_span: dict[tuple[int, int], list[str]] = {}
    for tag in sorted(tagged.tags, key=lambda t: (t.start, t.end, order.get(t.label, 999))):
        if tag.label in schema.LABELS:
            by_span.setdefault((tag.start, tag.end), []).append(tag.label)
    out = []
    for (start, end), labels in by_span.items():
        proof = text.span(start, end)
        added = [lab for lab in labels if f"voeg_toe:{lab}:{proof.line}" in tagged.corrections]
        names = [f"{markers[lab].text} {weergave.label(lab)}" + (f" ({words['gecorrigeerd']})" if lab in added else "")
                 for lab in labels]
        groups = ", ".join(dict.fromkeys(weergave.group(schema.LABELS[lab].group) for lab in labels))
        out.append(Fact(groups, "; ".join(names), (proof,), corrected=bool(added)))
    for item in tagged.corrections:
        if item.startswith("verwijder:"):
            label = item.partition(":")[2]
            out.append(Fact(weergave.group(schema.LABELS[label].group), weergave.label(label), (), words["verwijderd"],
                            corrected=True, removed=True))
    return tuple(out)


def ruled_facts(tagged: TaggedCase) -> tuple[Fact, ...]:
    return tuple(Fact(weergave.label(view.RULED_OUT_LABEL), e.name, (Proof(e.lines[0], e.excerpt),))
                 for e in view.ruled_out(tagged))


def cost_facts(tagged: TaggedCase, text: _Text, tariffs: dict[str, costs.Tariff],
               route: tuple[Proof, ...]) -> tuple[Fact, ...]:
    words = _words()
    measures = case_facts.measures(text.text, tagged.tags, tagged.case.replaced)
    hourly = [g for g in tagged.fields.gi_inzet if g not in _PACKAGE_TARIFFS.values()]
    out = []
    for line in costs.estimate(tagged, tariffs):
        shown = costs.line_view(line)
        tid = line.tariff.id
        kind = _MEASURE_TARIFFS.get(tid)
        hits = [m for m in measures if m.kind == kind] if kind else []
        if hits:
            proofs, basis = (text.at(hits[0].start),), words["kosten_uit_maatregel"]
        elif kind:  # a first OTS year derived from a route that ends in a measure
            proofs, basis = route, words["kosten_uit_route"]
        else:  # GI work without a measure: a package, or the hourly rate (in the order of the fields)
            inzet = _PACKAGE_TARIFFS.get(tid) or (hourly.pop(0) if hourly else "")
            proofs = _tag_proofs(tagged, text, GI_LABELS.get(inzet, ()))
            basis = words["kosten_uit_gi"].format(naam=weergave.gi_inzet(inzet).lower()) if inzet else shown["reden"]
        out.append(Fact(shown["omschrijving"], shown["bedrag"], proofs, basis))
    return tuple(out)


def date_facts(tagged: TaggedCase) -> tuple[Fact, ...]:
    evs = sorted(ev_mod.events(tagged), key=lambda e: (e.date, e.line))
    return tuple(Fact(e.surface, ev_mod.nl_date(e.date) if e.sure else ev_mod.UNSURE,
                      (Proof(e.line, view.excerpt(e.what, QUOTE_CHARS)),))
                 for e in evs)


def check_page(tagged: TaggedCase, tariffs: dict[str, costs.Tariff]) -> list[Part]:
    """The parts of the check page, in the order a trainer checks them."""
    words = _words()
    text = _Text(tagged)
    fields = field_facts(tagged, text)
    return [
        Part(words["deel_velden"], fields),
        Part(words["deel_partijen"], party_facts(tagged, text), words["geen_regel"]),
        Part(words["deel_markeringen"], tag_facts(tagged, text), words["geen_markeringen"]),
        Part(words["deel_ontkracht"], ruled_facts(tagged)),
        Part(words["deel_kosten"], cost_facts(tagged, text, tariffs, fields[0].proofs)),
        Part(words["deel_data"], date_facts(tagged), words["geen_data"]),
    ]


def context(tagged: TaggedCase, tariffs: dict[str, costs.Tariff]) -> dict:
    """What the templates and the Word handout need for the check page."""
    words = _words()
    return {"titel": words["titel"], "uitleg": words["uitleg"], "geen_regel": words["geen_regel"],
            "gecorrigeerd": words["gecorrigeerd"],
            "kolommen": [words[k] for k in ("kolom_feit", "kolom_waarde", "kolom_regels", "kolom_citaat",
                                            "kolom_status")],
            "delen": [p for p in check_page(tagged, tariffs) if p.facts or p.empty]}
