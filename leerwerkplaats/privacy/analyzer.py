"""A Presidio ``AnalyzerEngine`` for Dutch that never touches the network.

Presidio's default and "slim" engines load spaCy models by name and download
them when missing; :class:`OfflineSpacyNlpEngine` is handed a pipeline built in
code instead, and its ``load`` does nothing. The recognisers come from
:mod:`leerwerkplaats.privacy.recognisers` and :mod:`leerwerkplaats.privacy.names` only.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import spacy
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from spacy.attrs import IDX, LENGTH
from spacy.lang.nl.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokenizer import Tokenizer

from leerwerkplaats.core import schema
from leerwerkplaats.privacy import wordlists
from leerwerkplaats.privacy.names import INSTELLING_HEAD, NameRecogniser, is_word, link_mentions
from leerwerkplaats.privacy.recognisers import LANG, pattern_recognisers

#: Types whose pattern is precise enough to stand on its own; the rest need the threshold.
DEFAULT_THRESHOLD = 0.4
REVIEW_THRESHOLD = 0.2


_PREFIX = re.compile(r"""^[("'\[‘“<]""")
_SUFFIX = re.compile(r"""[)\]"'.,;:!?’”>]$""")
_INFIX = re.compile(r"/|(?<=[a-z])-(?=[A-Z])")


def build_tokeniser_pipeline() -> Language:
    """The small Dutch spaCy pipeline Presidio needs for tokens and lemmas (no model files).

    Its tokeniser splits on white space and a few punctuation marks only: context
    words need whole words, and e-mail addresses or numbers need not be split. It is
    ten times faster than spaCy's full Dutch rules on case files. There is no
    lemmatiser: context words are matched on the lower-cased word, which costs
    nothing and finds what the lookup lemmas found for our short context lists.
    """
    nlp = spacy.blank("nl")
    nlp.tokenizer = Tokenizer(nlp.vocab, rules={}, prefix_search=_PREFIX.search, suffix_search=_SUFFIX.search,
                              infix_finditer=_INFIX.finditer)
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

    def _doc_to_nlp_artifact(self, doc, language: str) -> NlpArtifacts:
        # One pass over the tokens; no NER (names are found by our recognisers).
        # Read the token arrays instead of making a Token object per word.
        rows = doc.to_array([IDX, LENGTH]).tolist() if len(doc) else []
        text = doc.text
        starts = [start for start, _ in rows]
        texts = [text[start:start + length] for start, length in rows]
        lemmas = [t.lower() for t in texts]
        return NlpArtifacts(entities=[], tokens=texts, tokens_indices=starts, lemmas=lemmas,
                            nlp_engine=self, language=language)

    def is_stopword(self, word: str, language: str) -> bool:
        return word.lower() in STOP_WORDS

    def is_punct(self, word: str, language: str) -> bool:
        return not any(ch.isalnum() for ch in word)


class FastContextEnhancer(LemmaContextAwareEnhancer):
    """Presidio's lemma context step, with the token lookup done by bisection.

    The stock lookup walks every token of the document for every result (quadratic
    in a long case file); the answer is the same token, found in log time.
    """

    def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
        # Presidio deep-copies every result before looking at any; only those of
        # recognisers with context words can change, so only those are handed on.
        with_context = {r.id for r in recognizers if r.context}
        key = RecognizerResult.RECOGNIZER_IDENTIFIER_KEY
        needs = [r for r in raw_results if (r.recognition_metadata or {}).get(key) in with_context]
        rest = [r for r in raw_results if (r.recognition_metadata or {}).get(key) not in with_context]
        return rest + super().enhance_using_context(text, needs, nlp_artifacts, recognizers, context)

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
    occupied = bytearray(max((r.end for r in kept), default=0))
    for r in kept:
        if any(occupied[r.start:r.end]):
            continue
        occupied[r.start:r.end] = b"\x01" * (r.end - r.start)
        taken.append(Finding(r.start, r.end, r.entity_type, r.score))
    return sorted(taken, key=lambda f: f.start)


def analyse(analyzer: AnalyzerEngine, text: str, threshold: float = DEFAULT_THRESHOLD) -> list[Finding]:
    """Find personal data in ``text``: resolved, non-overlapping findings."""
    results = analyzer.analyze(text=text, language=LANG, entities=list(schema.PII_TYPES), score_threshold=threshold)
    first = resolve(results, threshold)
    linked = link_mentions(text, [(f.start, f.end, f.type, f.score) for f in first])
    extra = [RecognizerResult(kind, s, e, score) for s, e, kind, score in linked]
    extra += same_surface(text, first)
    extra += nicknames(text, first)
    return resolve(results + extra, threshold)


_NICKNAME = re.compile(r"[ \t]?\(([A-Z][a-zA-Z]{1,15})\)")


def nicknames(text: str, findings: list[Finding]) -> list[RecognizerResult]:
    """A name or initials in brackets right after a person: ``J.W. ter Veld (Jasper)``, ``G. de Jongh (GdJ)``."""
    out = []
    allow = wordlists.allowlist()
    for f in findings:
        if f.type != "PERSOON":
            continue
        m = _NICKNAME.match(text, f.end)
        if not m or m.group(1).lower() in allow:
            continue
        token = m.group(1)
        initials = re.fullmatch(r"[A-Z][a-z]?[A-Z]{1,3}", token) is not None
        if initials or token in wordlists.names().first or not is_word(token):
            out.append(RecognizerResult("PERSOON", m.start(1), m.end(1), 0.75))
    return out


def variants(surface: str, kind: str) -> list[str]:
    """Shorter forms of an identifier that name the same thing on their own.

    ``OBS De Kompas`` is also ``De Kompas``; ``Emmen-Noord`` also ``Emmen``.
    """
    out = []
    if kind == "INSTELLING":
        m = INSTELLING_HEAD.match(surface)
        rest = surface[m.end():].strip() if m else ""
        words = rest.split()
        if len(rest) >= 4 and rest[:1].isupper() and (len(words) > 1 or not is_word(rest)):
            out.append(rest)
    if kind == "PLAATS" and "-" in surface:
        head = surface.split("-")[0]
        if head in wordlists.places():
            out.append(head)
    return out


def same_surface(text: str, findings: list[Finding]) -> list[RecognizerResult]:
    """Every other occurrence of an identifier found once (a place named twice is a place twice)."""
    kinds: dict[str, str] = {}
    for f in findings:
        if f.end - f.start >= 3:
            surface = text[f.start:f.end]
            kinds.setdefault(surface, f.type)
            for part in variants(surface, f.type):
                kinds.setdefault(part, f.type)
    if not kinds:
        return []
    alternatives = "|".join(re.escape(s) for s in sorted(kinds, key=len, reverse=True))
    rx = re.compile(r"(?<![\w-])(?:" + alternatives + r")(?!\w)")
    return [RecognizerResult(kinds[m.group()], m.start(), m.end(), 0.7) for m in rx.finditer(text)]
