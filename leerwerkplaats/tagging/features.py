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

from spacy.tokens import Doc, Span

from leerwerkplaats.tagging.clause_context import clause_subjects, doc_views, roles, terminators
from leerwerkplaats.tagging.cues import PatternMatcher, context_cues, label_matcher

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


def _masked_tokens(sent: Span, mask: Sequence[tuple[int, int, str]]) -> dict[int, str]:
    out: dict[int, str] = {}
    if not mask:
        return out
    starts = [m[0] for m in mask]
    for token in sent:
        i = bisect.bisect_right(starts, token.idx) - 1
        for j in (i, i + 1):
            if 0 <= j < len(mask):
                s, e, typ = mask[j]
                if s < token.idx + len(token.text) and token.idx < e:
                    out[token.i] = f"<{typ.lower()}>"
    return out


@lru_cache(maxsize=1)
def _setback_matcher() -> PatternMatcher:
    return PatternMatcher({"setback": context_cues().get("setback", ())})


def _norm(token) -> str:
    if token.like_num or any(c.isdigit() for c in token.text):
        return "<num>"
    return (token.lemma_ or token.lower_).lower()


def sentence_features(sent: Span, mask: Sequence[tuple[int, int, str]] = ()) -> Sentence:
    """Features of one sentence; ``mask`` holds sorted (start, end, type) PII character spans."""
    masked = _masked_tokens(sent, mask)
    tokens = [t for t in sent if not t.is_space]
    words, chars = [], []
    for t in tokens:
        if t.is_punct:
            continue
        norm = masked.get(t.i) or _norm(t)
        kind = t._.lwp_context if t.has_extension("lwp_context") else None
        words.append(PREFIX[kind] + norm if kind else norm)
        if kind not in _UNTRUE and t.i not in masked:
            chars.append(norm)
    cues: dict[str, float] = {}
    cue_hits: dict[str, list[str]] = {}
    scoped: dict[str, list[tuple[str, str]]] = {}
    all_views = doc_views(sent.doc)
    views = [all_views[t.i] for t in tokens]
    for hit in label_matcher().find(views):
        span_tokens = tokens[hit.start:hit.end]
        if any(t.i in masked for t in span_tokens):
            continue
        surface = " ".join(t.text for t in span_tokens)
        kinds = {t._.lwp_context for t in span_tokens}
        if None not in kinds:  # a cue is in context only when all of it is in scope
            kind = min(kinds, key=list(PREFIX).index)
            cues[f"ctxcue={hit.key}"] = cues.get(f"ctxcue={hit.key}", 0.0) + 1.0
            scoped.setdefault(hit.key, []).append((surface, kind))
        else:
            cues[f"cue={hit.key}"] = cues.get(f"cue={hit.key}", 0.0) + 1.0
            cue_hits.setdefault(hit.key, []).append(surface)
    setbacks = []
    for hit in _setback_matcher().find(views):
        span_tokens = tokens[hit.start:hit.end]
        if not all(t._.lwp_context in _UNTRUE for t in span_tokens):
            setbacks.append(" ".join(t.text for t in span_tokens))
    if setbacks:
        cues["setback"] = float(len(setbacks))
    kinds = frozenset(t._.lwp_context for t in tokens) - {None}
    for kind in kinds:
        cues[f"ctx={kind}"] = 1.0
    word_tokens = [t for t in tokens if not t.is_punct]
    share = sum(t._.lwp_context is not None for t in word_tokens) / len(word_tokens) if word_tokens else 0.0
    role_hits = roles(views)
    found_roles = frozenset(h.key for h in role_hits)
    terms_abs = sent.doc.user_data.get("lwp_terminators")
    terms = [k for k, t in enumerate(tokens) if t.i in terms_abs] if terms_abs is not None else terminators(views)
    subjects = frozenset(r for r in clause_subjects(views, role_hits, terms) if r)
    in_role = {i for h in role_hits for i in range(h.start, h.end)}
    has_name = any(t.i in masked and masked[t.i] == "<persoon>" for t in tokens) or any(
        k > 0 and t.is_title and k not in in_role and tokens[k - 1].text not in ".:!?-•" for k, t in enumerate(tokens))
    for role in found_roles:
        cues[f"role={role}"] = 1.0
    for role in subjects:
        cues[f"subj={role}"] = 1.0
        for label in cue_hits:
            cues[f"subj={role}|{label}"] = 1.0
    for span in sent.doc.spans.get("lwp_parties", ()):
        if sent.start <= span.start < sent.end:
            cues[f"party={span.label_}"] = 1.0
    if tokens:
        first = tokens[0].text
        if first in {"-", "•", "*", "–", "·"}:
            cues["layout=bullet"] = 1.0
        if len(tokens) > 1 and tokens[1].text == ":" and len(tokens) < 12:
            cues["layout=header"] = 1.0
    cues["len"] = min(len(words), 60) / 60.0
    start = tokens[0].idx if tokens else sent.start_char
    end = tokens[-1].idx + len(tokens[-1].text) if tokens else sent.end_char
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
    out = []
    for sent in doc.sents:
        if all(t.is_space for t in sent):
            continue
        out.append(sentence_features(sent, mask))
    text = doc.text  # built from the tokens on every access: take it once
    add_neighbours(out, [text[s.start:s.end] for s in out])
    return out
