"""Context of a signal: negated, ruled out, hypothetical, or about someone else's history.

An own implementation in the tradition of the ConText algorithm (Chapman et al.):
cue phrases open a *scope* — forward (``pre``), backward (``post``), over the
clause (``sentence``) or the whole sentence (``whole``) — that ends at the
clause edge: a terminator (``maar``, ``echter``), ``;``, ``—``, or a comma
that opens a new clause (followed by a conjunction, a pronoun, an article or a
role word: ``geen zorgen over school, vader slaat de kinderen``), never at a
comma inside a list (``geen alcohol, drugs of gokken``). So a negated clause
no longer speaks for the whole sentence. Pseudo-cues (``geen contact``,
``ouders werken niet mee``, ``geen zicht op``) look like negations but are
signals themselves and open no scope. Cues are data, in
``leerwerkplaats/data/cues_context.json``.

:func:`clauses` splits a sentence into clauses and :func:`clause_subjects`
names who each clause is about (parent, child, professional, organisation:
the first role word of the clause).

:func:`find_scopes` is the pure logic over one sentence of tokens;
the ``lwp_context`` spaCy component applies it to every sentence and sets

- ``doc.spans["lwp_context"]``: one span per scope, ``label_`` the kind;
- ``token._.lwp_context``: the strongest kind whose scope covers the token;
- ``span._.lwp_context_kinds``: the kinds found in a span (for sentences).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

import numpy
from spacy.attrs import LEMMA, LOWER, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from leerwerkplaats.tagging.cues import Hit, PatternMatcher, TokenView, context_cues

#: Strongest first: a ruled-out concern beats a plain negation.
KINDS: tuple[str, ...] = ("ruled_out", "negated", "hypothetical", "historical_other")
_RANK = {kind: rank for rank, kind in enumerate(KINDS)}
_SHORT_NEGATIONS = ("geen", "nooit", "niets", "niet", "noch", "evenmin", "voldoende")
_SHORT_WINDOW = 5
_SHORT_BACK = 3
_CLAUSE_PUNCT = frozenset({";", "—"})
#: A sentence opening with one of these is a condition ("Mocht vader weer gaan drinken, ...").
_CONDITIONAL_OPENERS = frozenset({"mocht", "mochten", "indien", "stel", "ingeval"})
_IF = frozenset({"als", "wanneer", "zodra"})
_WOULD = frozenset({"zou", "zouden", "eventueel", "eventuele", "kunnen", "kan", "zal", "zullen"})


@dataclass(frozen=True)
class Scope:
    """Tokens ``start``..``end`` (exclusive, sentence-relative) are in ``kind`` context, opened by the cue."""

    kind: str
    cue_start: int
    cue_end: int
    start: int
    end: int


@lru_cache(maxsize=None)
def _matcher() -> PatternMatcher:
    cues = context_cues()
    patterns: dict[str, list[str]] = {}
    for kind in KINDS:
        for direction in ("pre", "post", "sentence", "whole"):
            patterns[f"{kind}:{direction}"] = list(cues[kind].get(direction, ()))
    patterns["negated:short"] = list(_SHORT_NEGATIONS)
    patterns["pseudo"] = list(cues["pseudo"])
    patterns["terminate"] = list(cues["terminate"])
    return PatternMatcher(patterns)


@lru_cache(maxsize=None)
def _openers() -> frozenset[str]:
    return frozenset(context_cues().get("clause_openers", ()))


def clause_bounds(tokens: Sequence[TokenView], terminators: Iterable[int] = ()) -> list[int]:
    """Token indexes that end a clause: ``;``, ``—``, terminators, and commas that open a new clause."""
    openers = _openers()
    out = set(terminators)
    last = len(tokens) - 1
    out.update(i for i, t in enumerate(tokens) if t.text in _CLAUSE_PUNCT
               or (t.text == "," and i < last and tokens[i + 1].lower in openers))
    return sorted(out)


def clauses(tokens: Sequence[TokenView], terminators: Iterable[int] | None = None) -> list[tuple[int, int]]:
    """The clauses of one sentence as ``(start, end)`` token offsets (the bound token opens the next clause).

    ``terminators`` (token indexes of terminator cues) are found when not given.
    """
    if terminators is None:
        terminators = [h.start for h in _matcher().find(tokens) if h.key == "terminate"]
    bounds = clause_bounds(tokens, terminators)
    bound_set = set(bounds)
    # ", maar": one clause edge, not two
    cuts = [0] + [b for b in bounds if b > 0 and not (b - 1 in bound_set and tokens[b - 1].text == ",")]
    cuts.append(len(tokens))
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


@lru_cache(maxsize=None)
def _subject_matcher() -> PatternMatcher:
    return PatternMatcher(context_cues().get("subjects", {}))


def roles(tokens: Sequence[TokenView]) -> list[Hit]:
    """Role words (parent, child, professional, organisation) in a token sequence."""
    return _subject_matcher().find(tokens)


def clause_subjects(tokens: Sequence[TokenView], role_hits: Sequence[Hit] | None = None,
                    terminators: Iterable[int] | None = None) -> list[str | None]:
    """Per clause of :func:`clauses`: the role of its first role word, or ``None``."""
    hits = roles(tokens) if role_hits is None else role_hits
    out = []
    for a, b in clauses(tokens, terminators):
        first = next((h for h in hits if a <= h.start < b), None)
        out.append(first.key if first else None)
    return out


def terminators(tokens: Sequence[TokenView]) -> list[int]:
    """Token indexes of the terminator cues (``maar``, ``echter`` …) of a sentence."""
    return [h.start for h in _matcher().find(tokens) if h.key == "terminate"]


def find_scopes(tokens: Sequence[TokenView], terminators_out: list[int] | None = None) -> list[Scope]:
    """The context scopes of one sentence (token offsets relative to it).

    ``terminators_out``, if given, receives the token offsets of the terminator cues.
    """
    hits = _matcher().find(tokens)
    pseudo = [(h.start, h.end) for h in hits if h.key == "pseudo"]
    terms = [h.start for h in hits if h.key == "terminate"]
    if terminators_out is not None:
        terminators_out.extend(terms)
    bounds = clause_bounds(tokens, terms)
    n = len(tokens)
    scopes: list[Scope] = []
    taken: list[tuple[int, int, str]] = []
    for hit in sorted(hits, key=lambda h: (-(h.end - h.start), h.start)):
        if hit.key in ("pseudo", "terminate"):
            continue
        if hit.key == "negated:short" and any(ps <= hit.start < pe for ps, pe in pseudo):
            continue
        if any(ts <= hit.start and hit.end <= te and (hit.end - hit.start < te - ts or key == hit.key)
               for ts, te, key in taken):
            continue  # a shorter cue inside a longer one already used
        taken.append((hit.start, hit.end, hit.key))
        kind, direction = hit.key.split(":")
        if direction == "whole":
            start, end = 0, n
        elif direction == "sentence":  # the whole clause around the cue
            start = max([b + 1 for b in bounds if b < hit.start], default=0)
            end = min([b for b in bounds if b >= hit.end], default=n)
        elif direction == "post":
            start = max([b + 1 for b in bounds if b < hit.start], default=0)
            end = hit.start
        else:  # the negating word itself stays out, the concept in the cue is in scope
            start = hit.start + 1
            end = min([b for b in bounds if b >= hit.end], default=n)
            if direction == "short":
                end = min(end, hit.end + _SHORT_WINDOW)
            if kind == "negated" and tokens[hit.start].lower in _SHORT_NEGATIONS:
                # Dutch puts the negation after the verb: "drinkt geen alcohol", "gokt niet"
                back = max([0, hit.start - _SHORT_BACK] + [b + 1 for b in bounds if b < hit.start])
                if back < hit.start:
                    scopes.append(Scope(kind, hit.start, hit.end, back, hit.start))
        if end > start:
            scopes.append(Scope(kind, hit.start, hit.end, start, end))
    words = [t.lower for t in tokens if t.text.strip()]
    if words and (words[0] in _CONDITIONAL_OPENERS or (words[0] in _IF and _WOULD & set(words))):
        scopes.append(Scope("hypothetical", 0, 1, 0, n))
    return sorted(scopes, key=lambda s: (s.start, s.end, s.kind))


def token_views(tokens: Sequence[Token] | Span) -> list[TokenView]:
    """Matcher views of spaCy tokens (surface, lowercase, lowercase lemma)."""
    return [TokenView(t.text, t.lower_, (t.lemma_ or t.lower_).lower()) for t in tokens]


#: (orth, lower, lemma) string ids → their view; shared, so a matcher meets the same view object
#: again (and finds it in its own memory by identity). The ids are hashes of the strings, the
#: same in every vocabulary.
_VIEWS: dict[tuple[int, int, int], TokenView] = {}
_VIEWS_MAX = 200_000


def _doc_token_views(doc: Doc) -> list[TokenView]:
    """:func:`token_views` of a whole doc, read as string ids (no Token objects) and shared."""
    strings = doc.vocab.strings
    out = []
    if len(_VIEWS) > _VIEWS_MAX:
        _VIEWS.clear()
    for ids in doc.to_array([ORTH, LOWER, LEMMA]).tolist():
        view = _VIEWS.get(key := tuple(ids))
        if view is None:
            orth, lower, lemma = key
            lower_s = strings[lower]
            view = _VIEWS[key] = TokenView(strings[orth], lower_s, (strings[lemma] if lemma else lower_s).lower())
        out.append(view)
    return out


def doc_views(doc: Doc) -> list[TokenView]:
    """The views of every token of ``doc``, built once per doc (``doc.user_data``) and shared by the components."""
    views = doc.user_data.get("lwp_views")
    if views is None or len(views) != len(doc):
        views = _doc_token_views(doc)
        doc.user_data["lwp_views"] = views
    return views


def doc_text(doc: Doc) -> str:
    """``doc.text``, as the ``lwp_sentences`` component kept it (spaCy joins the tokens on every access)."""
    text = doc.user_data.get("lwp_text")
    if text is not None and len(doc) and len(text) == doc[-1].idx + len(doc[-1].text_with_ws):
        return text
    return doc.text


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges of the sentences of ``doc``, as ``doc.sents`` gives them (without building spans)."""
    if not len(doc):
        return []
    flags = doc.to_array(SENT_START).astype("int64")
    if not flags.any():
        return [(s.start, s.end) for s in doc.sents]  # raises spaCy's own error
    starts = [0] + [int(i) + 1 for i in numpy.flatnonzero(flags[1:] == 1)]
    return list(zip(starts, starts[1:] + [len(doc)]))


def context_kinds(doc: Doc) -> list[str | None]:
    """``token._.lwp_context`` of every token of ``doc``.

    Read from the list the ``lwp_context`` component leaves in ``doc.user_data``
    (one extension lookup per token costs more than the features built from it),
    or from the extension when the component did not run.
    """
    kinds = doc.user_data.get("lwp_context_tokens")
    if kinds is not None and len(kinds) == len(doc):
        return list(kinds)
    if not Token.has_extension("lwp_context"):
        return [None] * len(doc)
    return [t._.lwp_context for t in doc]


def ensure_extensions() -> None:
    """Register the extensions this module sets, once."""
    if not Token.has_extension("lwp_context"):
        Token.set_extension("lwp_context", default=None)
    if not Span.has_extension("lwp_context_kinds"):
        Span.set_extension("lwp_context_kinds", getter=_span_kinds)


def _span_kinds(span: Span) -> frozenset[str]:
    found = set()
    for scope in span.doc.spans.get("lwp_context", ()):
        if scope.start < span.end and span.start < scope.end:
            found.add(scope.label_)
    return frozenset(found)


class ContextComponent:
    """spaCy component: mark context scopes per sentence."""

    def __init__(self, nlp: Language, name: str):
        ensure_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        groups = []
        views = doc_views(doc)
        terms: list[int] = []
        kinds: list[str | None] = [None] * len(doc)
        for first, last in sentence_bounds(doc):
            found: list[int] = []
            scopes = find_scopes(views[first:last], found)
            terms += [first + i for i in found]
            for scope in scopes:
                start, end = first + scope.start, first + scope.end
                if end <= start:
                    continue
                groups.append(Span(doc, start, end, label=scope.kind))
                rank = _RANK[scope.kind]
                for i in range(start, end):
                    if kinds[i] is None or rank < _RANK[kinds[i]]:
                        kinds[i] = scope.kind
        for i, kind in enumerate(kinds):
            if kind is not None:
                doc[i]._.lwp_context = kind
        doc.spans["lwp_context"] = groups
        doc.user_data["lwp_terminators"] = frozenset(terms)
        doc.user_data["lwp_context_tokens"] = tuple(kinds)
        return doc


@Language.factory(
    "lwp_context",
    assigns=["token._.lwp_context", "doc.spans"],
    requires=["token.is_sent_start", "token.lemma"],
)
def make_context(nlp: Language, name: str) -> ContextComponent:
    """Factory for the ``lwp_context`` component."""
    return ContextComponent(nlp, name)
