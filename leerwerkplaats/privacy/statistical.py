"""The statistical PII recogniser: a CRF over IO tags, beside the rule recognisers.

The model (``models/pii/``: ``model.crfsuite``, ``meta.json``, ``MODEL_CARD.md``) is
a linear-chain CRF in CRFsuite's own file format, never pickle; ``meta.json`` holds
the sha256 of the model file, checked on loading. It labels the tokens of each line
with their PII type or ``O`` from the features of
:mod:`leerwerkplaats.privacy.pii_features` and is retrained with
``leerwerkplaats train-pii`` (:mod:`leerwerkplaats.research.pii_training`).
Nothing is downloaded: the model ships with the package.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from leerwerkplaats.core import schema
from leerwerkplaats.core.errors import ModelError
from leerwerkplaats.core.shipped import pii_model_dir
from leerwerkplaats.privacy.crf_decode import Decoder, Weights
from leerwerkplaats.privacy.pii_features import FEATURES_VERSION, line_tokens
from leerwerkplaats.privacy.recognisers import LANG

log = logging.getLogger(__name__)

MODEL_FILE = "model.crfsuite"
META_FILE = "meta.json"
CARD_FILE = "MODEL_CARD.md"
FORMAT = "crfsuite-io"
#: Spans the model is less sure of than this are dropped.
DEFAULT_MIN_SCORE = 0.5


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_meta(folder: Path) -> dict:
    """The model's ``meta.json``, checked against the model file and this code's feature set."""
    folder = Path(folder)
    try:
        meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{folder}: no {META_FILE}; train one with 'leerwerkplaats train-pii'") from None
    except json.JSONDecodeError as exc:
        raise ModelError(f"{folder / META_FILE}: not valid JSON ({exc.msg})") from None
    if meta.get("format") != FORMAT or meta.get("features") != FEATURES_VERSION:
        raise ModelError(f"{folder}: a PII model of format {meta.get('format')!r}, features {meta.get('features')!r}; "
                         f"this version reads {FORMAT!r}, features {FEATURES_VERSION!r}: retrain with 'leerwerkplaats train-pii'")
    model = folder / MODEL_FILE
    if not model.is_file():
        raise ModelError(f"{folder}: no {MODEL_FILE}")
    if file_sha256(model) != meta.get("sha256"):
        raise ModelError(f"{model}: does not match the sha256 in {META_FILE} (damaged or replaced)")
    return meta


def runs(labels: list[str]) -> list[tuple[int, int, str]]:
    """``(first, last, type)`` token indices of each run of one type (IO tags)."""
    out: list[tuple[int, int, str]] = []
    previous = "O"
    for i, label in enumerate(labels):
        if label != "O":
            if label == previous:
                out[-1] = (out[-1][0], i, label)
            else:
                out.append((i, i, label))
        previous = label
    return out


class StatisticalRecogniser(EntityRecognizer):
    """Every PII type of ANNOTATION.md §1, as a CRF reads it from word shape and context.

    Parameters
    ----------
    model_dir
        A folder written by ``leerwerkplaats train-pii``; the shipped ``models/pii`` by default.
    min_score
        Spans whose mean marginal probability is below this are dropped.
    """

    def __init__(self, model_dir: Path | None = None, min_score: float = DEFAULT_MIN_SCORE):
        self.model_dir = Path(model_dir) if model_dir is not None else pii_model_dir()
        self.min_score = min_score
        super().__init__(supported_entities=list(schema.PII_TYPES), supported_language=LANG,
                         name="StatisticalRecogniser")

    def load(self) -> None:
        import pycrfsuite

        self.meta = read_meta(self.model_dir)
        self._tagger = pycrfsuite.Tagger()
        try:
            self._tagger.open(str(self.model_dir / MODEL_FILE))
        except (OSError, ValueError) as exc:
            raise ModelError(f"{self.model_dir / MODEL_FILE}: not a CRFsuite model ({exc})") from None
        self._decoder = Decoder(Weights.from_tagger(self._tagger))

    def spans(self, text: str) -> list[tuple[int, int, str, float]]:
        """``(start, end, type, score)`` of every span the model finds in ``text``."""
        lines = []
        for pos, offsets in line_tokens(text):
            lines.append((pos, offsets, [text[pos + s:pos + e] for s, e in offsets]))
        labels, probs = self._decoder.decode([words for _, _, words in lines])
        out = []
        for (pos, offsets, _), labs, prob in zip(lines, labels, probs):
            for first, last, kind in runs(labs):
                score = float(prob[first:last + 1].mean())
                if score >= self.min_score:
                    out.append((pos + offsets[first][0], pos + offsets[last][1], kind, score))
        return out

    def analyze(self, text, entities, nlp_artifacts=None):
        wanted = set(entities)
        return [
            RecognizerResult(
                kind, start, end, score,
                analysis_explanation=AnalysisExplanation(recognizer=self.name, original_score=score),
                recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                      RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id},
            )
            for start, end, kind, score in self.spans(text) if kind in wanted
        ]
