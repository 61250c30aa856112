"""A Presidio ``AnalyzerEngine`` for Dutch that never touches the network.

Presidio's default and "slim" engines load spaCy models by name and download
them when missing; :class:`OfflineSpacyNlpEngine` is handed a pipeline built in
code instead, and its ``load`` does nothing. The recognisers come from
:mod:`leerwerkplaats.recognisers` and :mod:`leerwerkplaats.names` only.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import spacy
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
from spacy.language import Language

from . import schema
from .names import NameRecogniser, link_mentions
from .recognisers import LANG, pattern_recognisers

#: Types whose pattern is precise enough to stand on its own; the rest need the threshold.
DEFAULT_THRESHOLD = 0.4
REVIEW_THRESHOLD = 0.2


def build_tokeniser_pipeline() -> Language:
    """The small Dutch spaCy pipeline Presidio needs for tokens and lemmas (no model files)."""
    nlp = spacy.blank("nl")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # reads the lookup table from spacy-lookups-data
    return nlp


class OfflineSpacyNlpEngine(SpacyNlpEngine):
    """A Presidio NLP engine around an in-memory spaCy pipeline; loading never downloads."""

    def __init__(self, nlp: Language, lang: str = LANG):
        super().__init__(
            models=[{"lang_code": lang, "model_name": "in-memory"}],
            ner_model_configuration=NerModelConfiguration(
                model_to_presidio_entity_mapping={"PER": "PERSOON"}, labels_to_ignore=["PER"],
            ),
        )
        self.nlp = {lang: nlp}

    def load(self) -> None:  # the pipeline was handed in; nothing to fetch
        return None


class FastContextEnhancer(LemmaContextAwareEnhancer):
    """Presidio's lemma context step, with the token lookup done by bisection.

    The stock lookup walks every token of the document for every result (quadratic
    in a long case file); the answer is the same token, found in log time.
    """

    @staticmethod
    def _find_index_of_match_token(word, start, tokens, tokens_indices) -> int:
        i = bisect.bisect_right(tokens_indices, start) - 1
        if i < 0 or start >= tokens_indices[i] + len(tokens[i]):
            i += 1
        if i >= len(tokens_indices):
            raise ValueError("Did not find word '" + word + "' in the list of tokens although it is expected to be found")
        return i


def build_analyzer(nlp: Language | None = None) -> AnalyzerEngine:
    """An analyzer for ``nl`` with every recogniser of this package and nothing else."""
    registry = RecognizerRegistry(supported_languages=[LANG])
    for recogniser in [*pattern_recognisers(), NameRecogniser()]:
        registry.add_recognizer(recogniser)
    engine = OfflineSpacyNlpEngine(nlp or build_tokeniser_pipeline())
    return AnalyzerEngine(
        registry=registry, nlp_engine=engine, supported_languages=[LANG],
        context_aware_enhancer=FastContextEnhancer(context_prefix_count=4, context_suffix_count=0),
    )


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    type: str
    score: float


_PRIORITY = {t: i for i, t in enumerate(
    ["EMAIL", "URL", "IBAN", "BSN", "TELEFOON", "DOSSIERNUMMER", "KENTEKEN", "POSTCODE", "DATUM",
     "ADRES", "INSTELLING", "PERSOON", "PLAATS"])}


def resolve(results: list[RecognizerResult], threshold: float) -> list[Finding]:
    """Keep results above ``threshold`` and resolve overlaps: longer wins, then type priority, then score."""
    kept = sorted(
        (r for r in results if r.score >= threshold and r.entity_type in schema.PII_TYPES),
        key=lambda r: (-(r.end - r.start), _PRIORITY.get(r.entity_type, 99), -r.score, r.start),
    )
    taken: list[Finding] = []
    occupied: list[tuple[int, int]] = []
    for r in kept:
        if any(r.start < e and s < r.end for s, e in occupied):
            continue
        occupied.append((r.start, r.end))
        taken.append(Finding(r.start, r.end, r.entity_type, r.score))
    return sorted(taken, key=lambda f: f.start)


def analyse(analyzer: AnalyzerEngine, text: str, threshold: float = DEFAULT_THRESHOLD) -> list[Finding]:
    """Find personal data in ``text``: resolved, non-overlapping findings."""
    results = analyzer.analyze(text=text, language=LANG, entities=list(schema.PII_TYPES), score_threshold=threshold)
    first = resolve(results, threshold)
    linked = link_mentions(text, [(f.start, f.end, f.type, f.score) for f in first])
    extra = [RecognizerResult(kind, s, e, score) for s, e, kind, score in linked]
    extra += same_surface(text, first)
    return resolve(results + extra, threshold)


def same_surface(text: str, findings: list[Finding]) -> list[RecognizerResult]:
    """Every other occurrence of an identifier found once (a place named twice is a place twice)."""
    out = []
    for surface, kind in {(text[f.start:f.end], f.type) for f in findings if f.end - f.start >= 3}:
        for m in re.finditer(r"(?<![\w-])" + re.escape(surface) + r"(?![\w])", text):
            out.append(RecognizerResult(kind, m.start(), m.end(), 0.7))
    return out
