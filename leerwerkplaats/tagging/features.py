"""Features of a sentence for the classifiers: lemmas, cue-lexicon hits, context flags.

Each sentence of a processed :class:`spacy.tokens.Doc` becomes a
:class:`Sentence` with three views the scikit-learn pipeline reads:

- ``words``: lowercased lemmas; tokens inside a context scope carry the kind as
  a prefix (``neg_mishandeling``), so a negated cue is a different feature from
  the cue itself; numbers become ``<num>``; personal data becomes ``<TYPE>``;
- ``chars``: the lemmas outside negated / ruled-out scopes and outside
  personal data (for character n-grams);
- ``cues``: counts of label-cue hits outside (``cue=…``) and inside
  (``ctxcue=…``) a context scope, the context kinds (``ctx=…``), parties
  (``party=…``), layout hints, the cues of the neighbouring sentences
  (``prev:…``, ``next:…``), the words of the current section heading
  (``sec=…``, e.g. under "Afspraken:" or "Wat gaat goed?") and setback
  phrases (``setback``: "slaapt weer slecht", "terugval").

Personal data is masked by span, so a model never stores a name in its vocabulary.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Sequence

from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, IS_TITLE, LIKE_NUM
from spacy.tokens import Doc, Span

from leerwerkplaats.tagging.clause_context import (
    clause_subjects,
    context_kinds,
    doc_text,
    doc_views,
    roles,
    sentence_bounds,
    terminators,
)
from leerwerkplaats.tagging.cues import Hit, PatternMatcher, TokenView, context_cues, label_cues, label_matcher

PREFIX = {"ruled_out": "ro_", "negated": "neg_", "hypothetical": "hyp_", "historical_other": "hist_"}
FIELDS = ("words", "chars", "cues")
#: Scopes whose content did not happen: left out of the character view.
_UNTRUE = frozenset({"ruled_out", "negated"})


@dataclass(frozen=True)
class Sentence:
    """One sentence: its character span, feature views and the cues found in it."""

    start: int
    end: int
    words: str
    chars: str
    cues: dict[str, float]
    #: label → surfaces of its cues outside any context scope
    cue_hits: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: label → surfaces of its cues inside a context scope, with the kind
    scoped_hits: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    kinds: frozenset[str] = frozenset()
    #: surfaces of setback phrases ("slaapt weer slecht") outside a negated scope
    setbacks: tuple[str, ...] = ()
    #: share of the words inside a context scope (negated, ruled out, hypothetical, someone else's history)
    scope_share: float = 0.0
    #: roles named (parent, child, professional, organisation) and the roles that are a clause's subject
    roles: frozenset[str] = frozenset()
    subjects: frozenset[str] = frozenset()
    #: a capitalised word inside the sentence that is no role: perhaps a name, whose role is unknown
    has_name: bool = False

    def features(self) -> dict[str, object]:
        """The dict the classifier pipeline reads."""
        return {"words": self.words, "chars": self.chars, "cues": self.cues}


@dataclass(frozen=True)
class _DocTokens:
    """Per-token values of a doc, read from spaCy once (token and extension access is slow, per sentence)."""

    text: list[str]
    idx: list[int]
    space: list[int]
    punct: list[int]
    title: list[int]
    #: the lemma view of a token, or ``<num>`` (see :func:`_norm`)
    norm: list[str]
    #: ``token._.lwp_context`` of every token
    context: list[str | None]
    #: token index → ``<type>`` for tokens that overlap personal data
    masked: dict[int, str]
    #: the matcher views of the tokens
    views: list
    #: sentence (index in the ranges read with it) → the labels of the party spans that start in it, in span-group order
    parties: dict[int, list[str]]


def _masked_tokens(doc: Doc, idx: Sequence[int], text: Sequence[str],
                   mask: Sequence[tuple[int, int, str]]) -> dict[int, str]:
    out: dict[int, str] = {}
    if not mask:
        return out
    starts = [m[0] for m in mask]
    for i in range(len(doc)):
        start = idx[i]
        k = bisect.bisect_right(starts, start) - 1
        for j in (k, k + 1):
            if 0 <= j < len(mask):
                s, e, typ = mask[j]
                if s < start + len(text[i]) and start < e:
                    out[i] = f"<{typ.lower()}>"
    return out


@lru_cache(maxsize=1)
def _setback_matcher() -> PatternMatcher:
    return PatternMatcher({"setback": context_cues().get("setback", ())})


_SEP = "\x1f"


@lru_cache(maxsize=1)
def _sentence_matcher() -> PatternMatcher:
    """Label cues, setback phrases and role words in one matcher (keys ``label␟id``, ``setback␟setback``, ``role␟id``).

    One pass over a doc instead of three over every sentence; each pattern matches
    as it does in its own matcher, so the hits are the same.
    """
    patterns: dict[str, tuple[str, ...]] = {}
    for kind, cues in (("label", label_cues()), ("setback", {"setback": context_cues().get("setback", ())}),
                       ("role", context_cues().get("subjects", {}))):
        for key, values in cues.items():
            if not key.startswith("_"):
                patterns[f"{kind}{_SEP}{key}"] = tuple(values)
    return PatternMatcher(patterns)


def _sentence_hits(views: Sequence[TokenView], ranges: Sequence[tuple[int, int]]) -> list[dict[str, list[Hit]]]:
    """Per range of ``views`` (sorted, not overlapping): its label, setback and role hits, offsets relative to it.

    Each list is what the kind's own matcher finds on the range alone: a hit must lie
    inside the range, and the order (start, longest first, key, pattern) is kept.
    """
    out: list[dict[str, list[Hit]]] = [{"label": [], "setback": [], "role": []} for _ in ranges]
    starts = [a for a, _ in ranges]
    for hit in _sentence_matcher().find(views):
        k = bisect.bisect_right(starts, hit.start) - 1
        if k < 0 or hit.end > ranges[k][1]:
            continue  # runs over a sentence edge
        kind, _, key = hit.key.partition(_SEP)
        a = starts[k]
        out[k][kind].append(Hit(key, hit.start - a, hit.end - a, hit.pattern))
    return out


def _doc_tokens(doc: Doc, mask: Sequence[tuple[int, int, str]], sents: Sequence[tuple[int, int]]) -> _DocTokens:
    """Read what the features need of every token of ``doc`` in one pass; ``sents`` are sorted token ranges."""
    views = doc_views(doc)
    text = [v.text for v in views]
    if len(doc):
        idx, space, punct, title, num = doc.to_array([IDX, IS_SPACE, IS_PUNCT, IS_TITLE, LIKE_NUM]).T.tolist()
    else:
        idx, space, punct, title, num = [], [], [], [], []
    # a token's normal form: <num>, or the lemma the views hold
    norm = ["<num>" if n or any(map(str.isdigit, v.text)) else v.lemma for v, n in zip(views, num)]
    context = context_kinds(doc)
    parties: dict[int, list[str]] = {}
    firsts = [first for first, _ in sents]
    for span in doc.spans.get("lwp_parties", ()):
        k = bisect.bisect_right(firsts, span.start) - 1
        if k >= 0 and span.start < sents[k][1]:
            parties.setdefault(k, []).append(span.label_)
    return _DocTokens(text, idx, space, punct, title, norm, context, _masked_tokens(doc, idx, text, mask),
                      views, parties)


def sentence_features(sent: Span, mask: Sequence[tuple[int, int, str]] = ()) -> Sentence:
    """Features of one sentence; ``mask`` holds sorted (start, end, type) PII character spans.

    Reads the whole doc: for many sentences of one doc, :func:`doc_sentences` reads it once.
    """
    doc = sent.doc
    tokens = _doc_tokens(doc, mask, [(sent.start, sent.end)])
    ids = [i for i in range(sent.start, sent.end) if not tokens.space[i]]
    return _sentence(ids, tokens, doc.user_data.get("lwp_terminators"), (sent.start_char, sent.end_char),
                     tokens.parties.get(0, ()))


def _sentence(ids: list[int], d: _DocTokens, terms_abs, chars_span: tuple[int, int], parties: Sequence[str],
              hits: dict[str, list[Hit]] | None = None) -> Sentence:
    """Features of the sentence whose non-space tokens are ``ids``, of a doc read by :func:`_doc_tokens`.

    ``parties`` are the labels of the party spans that start in the sentence.
    ``hits`` (from :func:`_sentence_hits`) are found here when not given.
    """
    masked, ctx, text = d.masked, d.context, d.text
    words, chars = [], []
    for i in ids:
        if d.punct[i]:
            continue
        norm = masked.get(i) or d.norm[i]
        kind = ctx[i]
        words.append(PREFIX[kind] + norm if kind else norm)
        if kind not in _UNTRUE and i not in masked:
            chars.append(norm)
    cues: dict[str, float] = {}
    cue_hits: dict[str, list[str]] = {}
    scoped: dict[str, list[tuple[str, str]]] = {}
    views = [d.views[i] for i in ids]
    if hits is None:
        hits = {"label": label_matcher().find(views), "setback": _setback_matcher().find(views), "role": roles(views)}
    for hit in hits["label"]:
        span_ids = ids[hit.start:hit.end]
        if any(i in masked for i in span_ids):
            continue
        surface = " ".join(text[i] for i in span_ids)
        kinds = {ctx[i] for i in span_ids}
        if None not in kinds:  # a cue is in context only when all of it is in scope
            kind = min(kinds, key=list(PREFIX).index)
            cues[f"ctxcue={hit.key}"] = cues.get(f"ctxcue={hit.key}", 0.0) + 1.0
            scoped.setdefault(hit.key, []).append((surface, kind))
        else:
            cues[f"cue={hit.key}"] = cues.get(f"cue={hit.key}", 0.0) + 1.0
            cue_hits.setdefault(hit.key, []).append(surface)
    setbacks = []
    for hit in hits["setback"]:
        span_ids = ids[hit.start:hit.end]
        if not all(ctx[i] in _UNTRUE for i in span_ids):
            setbacks.append(" ".join(text[i] for i in span_ids))
    if setbacks:
        cues["setback"] = float(len(setbacks))
    kinds = frozenset(ctx[i] for i in ids) - {None}
    for kind in kinds:
        cues[f"ctx={kind}"] = 1.0
    word_ids = [i for i in ids if not d.punct[i]]
    share = sum(ctx[i] is not None for i in word_ids) / len(word_ids) if word_ids else 0.0
    role_hits = hits["role"]
    found_roles = frozenset(h.key for h in role_hits)
    terms = [k for k, i in enumerate(ids) if i in terms_abs] if terms_abs is not None else terminators(views)
    # no role word, no subject: the clauses are not needed
    subjects = frozenset(r for r in clause_subjects(views, role_hits, terms) if r) if role_hits else frozenset()
    in_role = {i for h in role_hits for i in range(h.start, h.end)}
    has_name = any(i in masked and masked[i] == "<persoon>" for i in ids) or any(
        k > 0 and d.title[i] and k not in in_role and text[ids[k - 1]] not in ".:!?-•" for k, i in enumerate(ids))
    for role in found_roles:
        cues[f"role={role}"] = 1.0
    for role in subjects:
        cues[f"subj={role}"] = 1.0
        for label in cue_hits:
            cues[f"subj={role}|{label}"] = 1.0
    for label in parties:
        cues[f"party={label}"] = 1.0
    if ids:
        if text[ids[0]] in {"-", "•", "*", "–", "·"}:
            cues["layout=bullet"] = 1.0
        if len(ids) > 1 and text[ids[1]] == ":" and len(ids) < 12:
            cues["layout=header"] = 1.0
    cues["len"] = min(len(words), 60) / 60.0
    start = d.idx[ids[0]] if ids else chars_span[0]
    end = d.idx[ids[-1]] + len(text[ids[-1]]) if ids else chars_span[1]
    return Sentence(
        start, end, " ".join(words), " ".join(chars), cues,
        {k: tuple(v) for k, v in cue_hits.items()},
        {k: tuple(v) for k, v in scoped.items()},
        kinds,
        tuple(setbacks),
        share,
        found_roles,
        subjects,
        has_name,
    )


def _section_words(sentence: Sentence) -> list[str] | None:
    """Words of a heading line ("Afspraken:", "Wat gaat goed?"), or None."""
    words = sentence.words.split()
    if not words or len(words) > 6 or "layout=header" in sentence.cues:
        return None
    return [w for w in words if not w.startswith("<")][:4]


def add_neighbours(sentences: list[Sentence], texts: Sequence[str]) -> None:
    """Add the cues of the neighbouring sentences and the current section heading to each sentence.

    ``texts`` holds each sentence's text (to recognise headings ending in ``:`` or ``?``).
    """
    section: list[str] = []
    own = [{k for k in s.cues if k.startswith("cue=")} for s in sentences]
    for i, (sent, text) in enumerate(zip(sentences, texts)):
        heading = _section_words(sent) if text.rstrip().endswith((":", "?")) else None
        for key in own[i - 1] if i else ():
            sent.cues["prev:" + key] = 0.5
        for key in own[i + 1] if i + 1 < len(sentences) else ():
            sent.cues["next:" + key] = 0.5
        for word in section:
            sent.cues["sec=" + word] = 1.0
        if heading is not None:
            section = heading


def doc_sentences(doc: Doc, mask: Iterable[tuple[int, int, str]] = ()) -> list[Sentence]:
    """Features of every non-empty sentence of ``doc``, with neighbour and section cues."""
    mask = sorted(mask)
    bounds = sentence_bounds(doc)
    tokens = _doc_tokens(doc, mask, bounds)
    terms = doc.user_data.get("lwp_terminators")
    sentences = [(k, ids) for k, (first, last) in enumerate(bounds)
                 if (ids := [i for i in range(first, last) if not tokens.space[i]])]
    views, ranges = [], []
    for _, ids in sentences:
        ranges.append((len(views), len(views) + len(ids)))
        views += [tokens.views[i] for i in ids]
    hits = _sentence_hits(views, ranges)
    # (a sentence with a word never needs its character span: it starts and ends at a word)
    out = [_sentence(ids, tokens, terms, (0, 0), tokens.parties.get(k, ()), found)
           for (k, ids), found in zip(sentences, hits)]
    text = doc_text(doc)
    add_neighbours(out, [text[s.start:s.end] for s in out])
    return out
