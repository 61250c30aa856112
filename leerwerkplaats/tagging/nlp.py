"""The Dutch spaCy pipeline, built in code: nothing is downloaded.

``build_nlp()`` gives ``spacy.blank("nl")`` with

- tokenizer exceptions for the shorthand of case files (``mw.``, ``dhr.``,
  ``i.o.m.``, ``z.s.m.``, ``gzv.`` …), so their periods do not end sentences;
- ``lwp_sentences``: a sentence segmenter for case files — dated journal lines,
  bullet lists, e-mail headers and PDF-wrapped paragraphs (:func:`segment` is
  the pure logic, testable on strings);
- ``lemmatizer`` in lookup mode (tables from spacy-lookups-data; :class:`LookupLemmatizer`,
  spaCy's Dutch lemmatizer looking each word type up once);
- ``lwp_context`` (:mod:`leerwerkplaats.tagging.clause_context`) and ``lwp_parties``
  (:mod:`leerwerkplaats.tagging.parties`).

Build it once and pass it in; it is not cheap (about half a second).
"""

from __future__ import annotations

import bisect
import logging
import re

import numpy
import spacy
from spacy.attrs import IDX, IS_SPACE, LEMMA, SENT_START
from spacy.errors import Errors
from spacy.lang.nl.lemmatizer import DutchLemmatizer
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokens import Doc

from leerwerkplaats.core.dates import MONTH_ABBR, MONTHS, WEEKDAY_ALTERNATIVES
from leerwerkplaats.reading.readers import MAX_CHARS

log = logging.getLogger(__name__)

ABBREVIATIONS: tuple[str, ...] = (
    "mw.", "mevr.", "dhr.", "hr.", "i.o.m.", "z.s.m.", "i.v.m.", "o.a.", "a.s.", "j.l.", "jl.",
    "gzv.", "bijv.", "evt.", "e.d.", "e.a.", "ca.", "t.a.v.", "m.b.t.", "n.a.v.", "m.i.v.", "tel.",
    "geb.", "nr.", "zgn.", "vlgs.", "mbt.", "ivm.", "iom.", "vpk.", "mnd.", "wk.", "ma.", "di.",
    "wo.", "do.", "vr.", "za.", "zo.",
    # month abbreviations with a dot; not "mei." (a whole word, often at a sentence end) nor "febr."
    *(f"{a}." for a in MONTH_ABBR if a not in MONTHS and a != "febr"),
    "resp.", "incl.", "excl.", "t/m", "m.u.v.", "d.w.z.",
    "o.b.v.", "i.p.v.", "v.w.b.", "z.o.z.", "p.p.", "max.", "min.", "drs.", "mr.", "dr.", "ir.",
)
_ABBREV_SET = frozenset(a.lower() for a in ABBREVIATIONS)

_BULLET = re.compile(r"^\s*(?:[-–•*·▪>]|\d{1,2}[.)]\s|[a-z][.)]\s)")
_LINE_START_DATE = re.compile(
    rf"^\s*(?:(?:{WEEKDAY_ALTERNATIVES})\b\.?\s*)?"
    r"(?:\d{1,4}[-/.]\d{1,2}(?:[-/.]\d{2,4})?|\d{1,2}\s+[a-z]{3,9}\.?(?:\s+\d{4})?)\b",
    re.I,
)
_HEADER = re.compile(r"^\s*[A-Z][\w .'/-]{0,30}:\s")
_SENT_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_SHORT_LINE = 60


def _line_breaks_here(line: str, nxt: str) -> bool:
    """Does the newline after ``line`` end a sentence (rather than a PDF wrap)?"""
    stripped = line.rstrip()
    if not stripped or not nxt.strip():
        return True
    if stripped[-1] in ".!?:;…\"”'" or len(stripped) < _SHORT_LINE:
        return True
    return bool(_BULLET.match(nxt) or _LINE_START_DATE.match(nxt) or _HEADER.match(nxt))


def _is_abbreviation(block: str, dot_end: int) -> bool:
    start = dot_end
    while start > 0 and not block[start - 1].isspace() and block[start - 1] not in "([\"'":
        start -= 1
    word = block[start:dot_end].lower()
    if word in _ABBREV_SET:
        return True
    # initials such as "J." or "J.P." and single letters
    return bool(re.fullmatch(r"(?:[a-z]\.)+", word)) and len(word) <= 6


def _split_block(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    cur = start
    block = text[start:end]
    for m in _SENT_END.finditer(block):
        dot_end = m.end()
        if block[m.start()] == "." and _is_abbreviation(block, m.start() + 1):
            continue
        rest = block[dot_end:].lstrip()
        if rest and (rest[0].islower() and block[m.start()] == "."):
            continue
        out.append((cur, start + dot_end))
        cur = start + dot_end
    out.append((cur, end))
    return out


def segment(text: str) -> list[tuple[int, int]]:
    """Split a case file into sentence character spans (trimmed, non-empty).

    Newlines end a sentence unless they look like a PDF wrap inside a paragraph
    (a long line without end punctuation, followed by an ordinary line).
    """
    lines = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    blocks: list[tuple[int, int]] = []
    block_start = None
    for i, (lstart, line) in enumerate(lines):
        if block_start is None:
            block_start = lstart
        nxt = lines[i + 1][1] if i + 1 < len(lines) else ""
        if i + 1 == len(lines) or _line_breaks_here(line, nxt):
            blocks.append((block_start, lstart + len(line)))
            block_start = None
    spans = []
    for bstart, bend in blocks:
        for s, e in _split_block(text, bstart, bend):
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s:
                spans.append((s, e))
    return spans


@Language.component("lwp_sentences", assigns=["token.is_sent_start"])
def sentence_component(doc: Doc) -> Doc:
    """Set sentence starts from :func:`segment`; whitespace tokens join the previous sentence.

    Keeps the text in ``doc.user_data["lwp_text"]`` (see :func:`~leerwerkplaats.tagging.clause_context.doc_text`).
    """
    if not len(doc):
        return doc
    text = doc.user_data["lwp_text"] = doc.text
    idx, space = doc.to_array([IDX, IS_SPACE]).T.tolist()
    first = set()
    for s, _ in segment(text):
        i = bisect.bisect_left(idx, s)
        while i < len(doc) and space[i]:
            i += 1
        if i < len(doc):
            first.add(i)
    # one array write: setting token.is_sent_start one by one rescans the doc each time
    flags = numpy.full((len(doc), 1), -1, dtype="int64")
    flags[0, 0] = 1
    for i in first:
        flags[i, 0] = 1
    doc.from_array([SENT_START], flags.astype("uint64"))
    return doc


class LookupLemmatizer(DutchLemmatizer):
    """spaCy's Dutch lookup lemmatizer, one table lookup per word type instead of per token.

    The lookup lemma depends on the token's text only; the lemmas are written with one
    array write. Same lemmas as :class:`DutchLemmatizer` (other modes, or ``overwrite``,
    go through it unchanged).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._memo: dict[int, int] = {}  # orth id → lemma id

    def __call__(self, doc: Doc) -> Doc:
        if self.mode != "lookup" or self.overwrite or not len(doc):
            return super().__call__(doc)
        if not self._validated:
            self._validate_tables(Errors.E1004)
        if len(self._memo) > _LEMMA_MEMO_MAX:
            self._memo.clear()
        orth, lemma = doc.to_array([ORTH, LEMMA]).T
        todo = lemma == 0  # the lemmas DutchLemmatizer would set (it keeps those already there)
        if not todo.any():
            return doc
        memo, strings = self._memo, doc.vocab.strings
        for i in numpy.flatnonzero(todo).tolist():
            key = int(orth[i])
            found = memo.get(key)
            if found is None:
                found = memo[key] = strings.add(self.lemmatize(doc[i])[0])
            lemma[i] = found
        doc.from_array([LEMMA], lemma.reshape(-1, 1))
        return doc


_LEMMA_MEMO_MAX = 200_000


@Language.factory("lwp_lemmatizer", assigns=["token.lemma"],
                  default_config={"model": None, "mode": "lookup", "overwrite": False,
                                  "scorer": {"@scorers": "spacy.lemmatizer_scorer.v1"}})
def make_lemmatizer(nlp: Language, model, name: str, mode: str, overwrite: bool, scorer) -> LookupLemmatizer:
    """Factory for :class:`LookupLemmatizer` (added under the name ``lemmatizer``)."""
    return LookupLemmatizer(nlp.vocab, model, name, mode=mode, overwrite=overwrite, scorer=scorer)


def _add_abbreviations(nlp: Language) -> None:
    for abbr in ABBREVIATIONS:
        for form in {abbr, abbr[0].upper() + abbr[1:]}:
            nlp.tokenizer.add_special_case(form, [{ORTH: form}])


def build_nlp(*, context: bool = True, parties: bool = True) -> Language:
    """Build the pipeline: tokenizer exceptions, sentences, lemmas, context, parties.

    Parameters
    ----------
    context, parties
        Leave out the context or party component (for tests and speed).
    """
    from leerwerkplaats.tagging import clause_context as _context  # noqa: F401  (registers the factory)
    from leerwerkplaats.tagging import parties as _parties  # noqa: F401

    nlp = spacy.blank("nl")
    nlp.max_length = MAX_CHARS + 1  # no parser or NER: the reader's character limit is the one that counts
    _add_abbreviations(nlp)
    nlp.add_pipe("lwp_sentences")
    nlp.add_pipe("lwp_lemmatizer", name="lemmatizer", config={"mode": "lookup"})
    if context:
        nlp.add_pipe("lwp_context")
    if parties:
        nlp.add_pipe("lwp_parties")
    nlp.initialize()
    log.debug("built pipeline %s", nlp.pipe_names)
    return nlp
