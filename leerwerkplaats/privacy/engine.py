"""A Presidio NLP engine for Dutch that never touches the network, and a faster context step.

Presidio's default and "slim" engines load spaCy models by name and download
them when missing; :class:`OfflineSpacyNlpEngine` is handed a pipeline built in
code instead, and its ``load`` does nothing.
"""

from __future__ import annotations

import bisect
import re

import spacy
from presidio_analyzer import RecognizerResult
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from spacy.attrs import IDX, LENGTH
from spacy.lang.nl.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokenizer import Tokenizer

from leerwerkplaats.privacy.recognisers import LANG
from leerwerkplaats.reading.readers import MAX_CHARS

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
    nlp.max_length = MAX_CHARS + 1  # no parser or NER: the reader's character limit is the one that counts
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
