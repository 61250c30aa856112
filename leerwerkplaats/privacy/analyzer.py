"""Find the personal data of a text: the recognisers, one analyzer, and the linking passes.

:func:`build_analyzer` puts every recogniser of this package into one Presidio
``AnalyzerEngine`` on the offline engine of :mod:`leerwerkplaats.privacy.engine`.
Another recogniser (a statistical one, say) is added through ``extra``: it is one
more Presidio recogniser, its results are resolved with the rest.
:func:`analyse` runs it, resolves overlaps (:mod:`leerwerkplaats.privacy.overlaps`)
and adds the other mentions of what was found (:mod:`leerwerkplaats.privacy.linking`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry, RecognizerResult
from spacy.language import Language

from leerwerkplaats.core import schema
from leerwerkplaats.privacy.engine import FastContextEnhancer, OfflineSpacyNlpEngine, build_tokeniser_pipeline
from leerwerkplaats.privacy.institutions import InstitutionRecogniser
from leerwerkplaats.privacy.lexicon import shared_lexicon
from leerwerkplaats.privacy.linking import link_mentions, nicknames, same_surface
from leerwerkplaats.privacy.normalise import normalise
from leerwerkplaats.privacy.overlaps import Finding, resolve
from leerwerkplaats.privacy.person_names import PersonNameRecogniser
from leerwerkplaats.privacy.places import PlaceRecogniser
from leerwerkplaats.privacy.recognisers import LANG, pattern_recognisers
from leerwerkplaats.privacy.streets import StreetRecogniser

#: Types whose pattern is precise enough to stand on its own; the rest need the threshold.
DEFAULT_THRESHOLD = 0.4
REVIEW_THRESHOLD = 0.2

__all__ = ["DEFAULT_THRESHOLD", "REVIEW_THRESHOLD", "Finding", "analyse", "build_analyzer", "rule_recognisers",
           "shared_analyzer"]


def rule_recognisers() -> list[EntityRecognizer]:
    """Every rule-based recogniser: the shape patterns, and the word-list ones sharing one lexicon."""
    lexicon = shared_lexicon()
    return [*pattern_recognisers(), StreetRecogniser(lexicon), InstitutionRecogniser(lexicon), PlaceRecogniser(lexicon),
            PersonNameRecogniser(lexicon)]


def build_analyzer(nlp: Language | None = None, extra: Iterable[EntityRecognizer] = ()) -> AnalyzerEngine:
    """An analyzer for ``nl`` with the rule recognisers, plus ``extra`` ones, and nothing else."""
    registry = RecognizerRegistry(supported_languages=[LANG])
    for recogniser in [*rule_recognisers(), *extra]:
        registry.add_recognizer(recogniser)
    engine = OfflineSpacyNlpEngine(nlp or build_tokeniser_pipeline())
    return AnalyzerEngine(
        registry=registry, nlp_engine=engine, supported_languages=[LANG],
        context_aware_enhancer=FastContextEnhancer(context_prefix_count=4, context_suffix_count=0),
    )


@functools.cache
def shared_analyzer() -> AnalyzerEngine:
    """The default analyzer, built once per process (it holds no per-text state); every ``build()`` shares it."""
    return build_analyzer()


def analyse(analyzer: AnalyzerEngine, text: str, threshold: float = DEFAULT_THRESHOLD) -> list[Finding]:
    """Find personal data in ``text``: resolved, non-overlapping findings, in offsets of ``text``.

    The recognisers see the normalised text (:mod:`leerwerkplaats.privacy.normalise`);
    each finding is mapped back to the stretch of ``text`` it came from.
    """
    norm = normalise(text)
    findings = _analyse_normalised(analyzer, norm.text, threshold)
    if norm.origin is None:
        return findings
    return [Finding(*norm.span(f.start, f.end), f.type, f.score) for f in findings]


def _analyse_normalised(analyzer: AnalyzerEngine, text: str, threshold: float) -> list[Finding]:
    results = analyzer.analyze(text=text, language=LANG, entities=list(schema.PII_TYPES), score_threshold=threshold)
    first = resolve(results, threshold, text)
    linked = link_mentions(text, [(f.start, f.end, f.type, f.score) for f in first])
    extra = [RecognizerResult(kind, s, e, score) for s, e, kind, score in linked]
    extra += same_surface(text, first)
    extra += nicknames(text, first)
    return resolve(results + extra, threshold, text)
