"""The tagger: pseudonymised case in, tagged case out.

    >>> tagger = Tagger.load()                     # doctest: +SKIP
    >>> tagged = tagger.tag(case)                  # doctest: +SKIP

Steps: the spaCy pipeline (:mod:`leerwerkplaats.tagging.nlp`) gives sentences, context
scopes and parties; :mod:`leerwerkplaats.tagging.features` turns sentences into
features; the :class:`~leerwerkplaats.tagging.classifier.SpanClassifier` scores every
label; :func:`decode` applies the thresholds and the context rules; and
:mod:`leerwerkplaats.tagging.case_fields` derives the case-level fields.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
from spacy.language import Language

from leerwerkplaats.core import schema
from leerwerkplaats.core.cases import PseudonymisedCase, ResearchText, Tag, TaggedCase
from leerwerkplaats.core.shipped import default_model_dir
from leerwerkplaats.tagging.case_fields import derive
from leerwerkplaats.tagging.features import Sentence, doc_sentences

log = logging.getLogger(__name__)

ENV_MODEL = "LEERWERKPLAATS_MODEL"
RULED_OUT = "trigger:ontkrachtend_signaal"
PROGRESS = "trigger:vooruitgang"
#: Context kinds in which a signal did not (or not yet, or not here) happen.
NOT_A_TRIGGER = frozenset({"negated", "ruled_out", "hypothetical", "historical_other"})
_GUARDED_GROUPS = frozenset({"gezin", "proces"})
_MAX_CUES = 4
_SCOPE_PREFIXES = frozenset({"neg", "ro", "hyp", "hist"})


def _guarded(label: str) -> bool:
    lab = schema.LABELS.get(label)
    return lab is not None and lab.group in _GUARDED_GROUPS


#: Labels that name their subject: not tagged on a sentence about someone else only.
SUBJECT_OF: dict[str, str] = {
    "trigger:medewerking_ouders": "parent", "trigger:geen_contact_ouders": "parent",
    "trigger:verslaving_ouder": "parent", "trigger:psychische_problemen_ouder": "parent",
    "trigger:risicogedrag_jongere": "child", "bouwsteen:gesprek_kind": "child",
}
#: A sentence this much in scope suppresses a trigger that has no cue of its own in it.
_MOSTLY_IN_SCOPE = 0.5


def _context_suppresses(sent: Sentence, label: str) -> bool:
    """The clause rule: a guarded trigger whose cues are all in a scope, or without cues in a mostly scoped sentence."""
    if not (sent.kinds & NOT_A_TRIGGER and _guarded(label)) or label in sent.cue_hits:
        return False
    return label in sent.scoped_hits or sent.scope_share >= _MOSTLY_IN_SCOPE


def _wrong_subject(sent: Sentence, label: str) -> bool:
    """A label that names its subject, on a sentence about another party and naming no one else."""
    role = SUBJECT_OF.get(label)
    return (role is not None and not sent.has_name and role not in sent.roles
            and bool(sent.subjects & {"parent", "child"}))


def _any_rule(sent: Sentence) -> bool:
    """Could any rule of :func:`_allowed` forbid a label on ``sent``? (Most sentences: no.)"""
    return bool(sent.setbacks or sent.kinds & NOT_A_TRIGGER or sent.subjects & {"parent", "child"})


def _allowed(sent: Sentence, label: str) -> bool:
    """May ``label`` be tagged on ``sent`` under the context, subject and setback rules?"""
    if label == PROGRESS and sent.setbacks:
        return False
    return not (_context_suppresses(sent, label) or _wrong_subject(sent, label))


def decode(sentences: Sequence[Sentence], proba: np.ndarray, labels: Sequence[str], thresholds: np.ndarray,
           case_thresholds: np.ndarray | None = None
           ) -> tuple[list[tuple[int, int, float]], list[tuple[int, int, float]]]:
    """Decisions per sentence after the context rules.

    Returns ``(tags, ruled_out)`` as ``(sentence index, label index, score)``.

    Rules: a family or process trigger whose cues in the sentence all lie in a
    negated, ruled-out, hypothetical or someone-else's-history scope (clause by
    clause), or that has no cue there while most of the sentence is in such a
    scope, is dropped; a label that names its subject (``medewerking_ouders``,
    ``risicogedrag_jongere`` …) is dropped on a sentence whose clauses are about
    another party and that names no one else; a suppressed trigger in a ruled-out scope, or a
    trigger cue inside one, is a ruled-out concern, and the sentence gets
    ``trigger:ontkrachtend_signaal``. A sentence with a setback phrase ("slaapt
    weer slecht", "terugval") is never ``vooruitgang``.

    With ``case_thresholds``, presence in the file is decided first: a label is
    present when its best allowed sentence reaches the case threshold. A
    present label keeps its sentences at or above the span threshold (or, if
    none, its best allowed sentence); an absent label keeps none, except a
    ``ontkrachtend_signaal`` added by the ruled-out rule.
    """
    index = {lab: j for j, lab in enumerate(labels)}
    ro_j = index.get(RULED_OUT)
    tags, ruled, by_rule = [], [], set()
    for i, sent in enumerate(sentences):
        context = sent.kinds & NOT_A_TRIGGER
        row = proba[i]
        chosen = {j for j in np.flatnonzero(row >= thresholds)}
        if sent.setbacks and PROGRESS in index:
            chosen.discard(index[PROGRESS])
        ruled_here: dict[int, float] = {}
        for j in sorted(chosen):
            if _wrong_subject(sent, labels[j]):
                chosen.discard(j)
        if context:
            for j in sorted(chosen):
                label = labels[j]
                if _context_suppresses(sent, label):
                    chosen.discard(j)
                    if "ruled_out" in context:
                        ruled_here[j] = float(row[j])
            if "ruled_out" in context:
                for label, hits in sent.scoped_hits.items():
                    if _guarded(label) and any(kind == "ruled_out" for _, kind in hits) and label in index:
                        ruled_here.setdefault(index[label], float(row[index[label]]))
        if ruled_here and ro_j is not None:
            chosen.add(ro_j)
            by_rule.add(i)
        for j in sorted(chosen):
            score = float(row[j])
            if j == ro_j and ruled_here:
                score = max(score, float(thresholds[j]))
            tags.append((i, j, score))
        ruled += [(i, j, s) for j, s in sorted(ruled_here.items())]
    if case_thresholds is not None and len(sentences):
        tags = _case_gate(sentences, proba, labels, tags, case_thresholds, {(i, ro_j) for i in by_rule})
    return tags, ruled


def case_scores(sentences: Sequence[Sentence], proba: np.ndarray, labels: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per label: the best probability among the sentences it may be tagged on, and that sentence (-1: none)."""
    allowed = np.ones(proba.shape, bool)
    for i, sent in enumerate(sentences):
        if _any_rule(sent):
            denied = _denied(sent, labels)
            if denied:
                allowed[i] = [lab not in denied for lab in labels]
    masked = np.where(allowed, proba, -1.0)
    best = np.argmax(masked, axis=0)
    score = masked[best, np.arange(len(labels))] if len(sentences) else np.full(len(labels), -1.0)
    return score, np.where(score >= 0, best, -1)


def _denied(sent: Sentence, labels: Sequence[str]) -> set[str]:
    """The labels of ``labels`` that :func:`_allowed` forbids on ``sent``, worked out rule by rule."""
    denied = set()
    if sent.setbacks:
        denied.add(PROGRESS)
    if sent.kinds & NOT_A_TRIGGER:  # _context_suppresses
        candidates = labels if sent.scope_share >= _MOSTLY_IN_SCOPE else sent.scoped_hits
        denied.update(lab for lab in candidates if _guarded(lab) and lab not in sent.cue_hits)
    denied.update(lab for lab in SUBJECT_OF if _wrong_subject(sent, lab))
    return denied


def _case_gate(sentences, proba, labels, tags, case_thresholds, keep) -> list[tuple[int, int, float]]:
    score, best = case_scores(sentences, proba, labels)
    present = score >= case_thresholds
    out = [t for t in tags if present[t[1]] or (t[0], t[1]) in keep]
    have = {j for _, j, _ in out}
    out += [(int(best[j]), j, float(score[j])) for j in np.flatnonzero(present) if j not in have and best[j] >= 0]
    return sorted(out)


def merge_adjacent(tags: Sequence[tuple[int, int, float]], merge: bool = True) -> list[tuple[int, int, int, float]]:
    """Runs of consecutive sentences with the same label as ``(first, last, label index, best score)``.

    With ``merge=False`` every tag is its own run.
    """
    if not merge:
        return [(i, i, j, s) for i, j, s in sorted(tags)]
    runs: dict[int, list[list]] = {}
    for i, j, s in sorted(tags):
        run = runs.setdefault(j, [])
        if run and run[-1][1] == i - 1:
            run[-1][1], run[-1][3] = i, max(run[-1][3], s)
        else:
            run.append([i, i, j, s])
    return sorted(tuple(r) for rs in runs.values() for r in rs)


class Tagger:
    """A loaded model plus the pipeline it needs. Build once, tag many.

    Parameters
    ----------
    classifier
        A fitted :class:`~leerwerkplaats.tagging.classifier.SpanClassifier`.
    meta
        The model metadata (``meta.json``).
    nlp
        A pipeline from :func:`leerwerkplaats.tagging.nlp.build_nlp`; built when omitted.
    """

    def __init__(self, classifier, meta: dict, nlp: Language | None = None):
        from leerwerkplaats.tagging.nlp import build_nlp

        self.classifier = classifier
        self.meta = dict(meta)
        self.nlp = nlp or build_nlp()
        self._names = classifier.feature_names()
        self._coef = classifier.coef_matrix()
        #: word → character n-gram columns, kept across calls (see SpanClassifier.transform)
        self._memo: dict = {}

    @property
    def name(self) -> str:
        return str(self.meta.get("name", "model"))

    @property
    def version(self) -> str:
        return str(self.meta.get("version", "0"))

    @classmethod
    def load(cls, path: str | Path | None = None, nlp: Language | None = None) -> Tagger:
        """Load a model folder; ``None`` → ``$LEERWERKPLAATS_MODEL`` or the shipped default."""
        from leerwerkplaats.tagging.modelfile import load_model

        if path is None:
            path = os.environ.get(ENV_MODEL) or default_model_dir()
        classifier, meta = load_model(Path(path))
        return cls(classifier, meta, nlp)

    def tag(self, case: PseudonymisedCase | ResearchText) -> TaggedCase:
        """Tag one pseudonymised case (or a research text); offsets point into ``case.text``."""
        return self.tag_many([case])[0]

    def tag_many(self, cases: Iterable[PseudonymisedCase | ResearchText]) -> list[TaggedCase]:
        """Tag many cases, with one ``nlp.pipe`` pass and one classifier call."""
        cases = list(cases)
        for case in cases:
            if not isinstance(case, PseudonymisedCase | ResearchText):
                raise TypeError("the tagger accepts only PseudonymisedCase or ResearchText (pseudonymise first)")
        docs = list(self.nlp.pipe(c.text for c in cases))
        per_case = [doc_sentences(doc, [(s.start, s.end, s.type) for s in getattr(c, "replaced", ())])
                    for doc, c in zip(docs, cases)]
        flat = [s.features() for sents in per_case for s in sents]
        matrix = self.classifier.transform(flat, self._memo) if flat else None
        proba = (self.classifier.proba_from_matrix(matrix) if flat
                 else np.zeros((0, len(self.classifier.labels_))))
        out, offset = [], 0
        for case, doc, sents in zip(cases, docs, per_case):
            n = len(sents)
            rows = matrix[offset:offset + n] if n else None
            out.append(self._tagged(case, doc, sents, proba[offset:offset + n], rows))
            offset += n
        log.debug("tagged %d cases", len(cases))
        return out

    def _tagged(self, case, doc, sents, proba, matrix) -> TaggedCase:
        labels = self.classifier.labels_
        picks, ruled = decode(sents, proba, labels, self.classifier.thresholds_,
                              getattr(self.classifier, "case_thresholds_", None))
        runs = merge_adjacent(picks, getattr(self.classifier, "merge_adjacent", False))
        tags = tuple(Tag(sents[i].start, sents[k].end, labels[j], round(s, 4),
                         self._run_why(sents, labels[j], j, i, k, matrix)) for i, k, j, s in runs)
        ruled_tags = tuple(Tag(sents[i].start, sents[i].end, labels[j], round(s, 4),
                               tuple(c for c, _ in sents[i].scoped_hits.get(labels[j], ()))[:_MAX_CUES])
                           for i, j, s in ruled)
        fields = derive(case.text, tags, sents, doc._.lwp_parties)
        return TaggedCase(case, tags, fields, ruled_tags, f"{self.name} {self.version}")

    def _run_why(self, sents, label: str, j: int, first: int, last: int, matrix) -> tuple[str, ...]:
        """The cues of a run of sentences, strongest sentence first."""
        cues = [c for i in range(first, last + 1) for c in self._why(sents[i], label, j, i, matrix)]
        return tuple(dict.fromkeys(cues))[:_MAX_CUES]

    def _why(self, sent: Sentence, label: str, j: int, i: int, matrix) -> tuple[str, ...]:
        """The cues that weighed most for ``label`` in this sentence."""
        cues: list[str] = list(sent.cue_hits.get(label, ()))
        cues += [surface for surface, _ in sent.scoped_hits.get(label, ())]
        if matrix is not None:
            a, b = matrix.indptr[i], matrix.indptr[i + 1]  # row i, without building a one-row matrix
            data, indices = matrix.data[a:b], matrix.indices[a:b]
            weights = data * self._coef[j, indices]
            for k in np.argsort(-weights, kind="stable")[:8]:
                if weights[k] <= 0:
                    break
                name = str(self._names[indices[k]])
                kind, _, feat = name.partition("__")
                if kind == "words":
                    words = [w.split("_", 1)[1] if w.split("_", 1)[0] in _SCOPE_PREFIXES else w
                             for w in feat.split()]
                    if any(len(w) > 3 and not w.startswith("<") for w in words):
                        cues.append(" ".join(words))
                elif kind == "cues" and feat.startswith("cue="):
                    cues.extend(sent.cue_hits.get(feat[4:], ()))
                elif kind == "cues" and feat.startswith("party="):
                    cues.append(f"partij: {feat[6:]}")
        return tuple(dict.fromkeys(c for c in cues if c))[:_MAX_CUES]
