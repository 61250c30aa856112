"""Replace every identifier of a case file, consistently, keeping the story intact.

The flow for one file: find personal data (:mod:`leerwerkplaats.privacy.analyzer`), decide
per person which words are first names and which surnames, give every real
identifier one pseudonym (:mod:`leerwerkplaats.privacy.surrogates`), shift all dates by one
offset (:mod:`leerwerkplaats.privacy.dates`), and copy everything else unchanged. A file
in which an identifier survives, or that cannot be processed, raises
:class:`~leerwerkplaats.core.errors.PseudonymisationError` and stops there.

The flow is a row of named, public steps (:data:`STEPS`), each callable alone:
``find`` the personal data, ``adjust`` the findings (a reviewer's decisions),
``replace`` them, ``verify`` that nothing replaced survives, and list the
``residual`` doubts of a lower-threshold pass. :meth:`Pseudonymiser.run` runs
them in order; a call can hand in its own findings or switch off the optional
steps by name.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import random
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from presidio_analyzer import AnalyzerEngine

from leerwerkplaats.core.cases import PseudonymisedCase, RawCase
from leerwerkplaats.core.errors import PseudonymisationError
from leerwerkplaats.core.records import PiiSpan
from leerwerkplaats.privacy import dates, wordlists
from leerwerkplaats.privacy.analyzer import DEFAULT_THRESHOLD, REVIEW_THRESHOLD, Finding, analyse, shared_analyzer
from leerwerkplaats.privacy.lexicon import is_word
from leerwerkplaats.privacy.normalise import clean
from leerwerkplaats.privacy.surrogates import (
    NAMED_TYPES,
    PLACE_PREPOSITIONS,
    SurrogateBook,
    drop_article,
    foreign_locale,
    is_place,
    title_gender,
)
from leerwerkplaats.privacy.tokens import INTERFIXES, TITLES

log = logging.getLogger(__name__)
STYLES = ("names", "tags")
MIN_SHIFT_WEEKS = 2
DEFAULT_MAX_SHIFT_WEEKS = 4
#: The steps of :meth:`Pseudonymiser.run`, in the order they run.
STEPS = ("find", "adjust", "replace", "verify", "residual")
#: The steps a call may switch off by name. ``find`` is skipped by handing in ``findings``;
#: ``replace`` and ``verify`` never are: a file must not leave unchecked.
OPTIONAL_STEPS = ("adjust", "residual")
#: Bounds of the memos: date shifts of recent files (the review re-replaces a file on every
#: edit) and residual findings of recent cases (``run`` and its caller both ask for them).
_SHIFT_MEMO_SIZE = 256
_RESIDUAL_MEMO_SIZE = 8

#: The ``adjust`` step: takes the findings, returns the ones to replace.
Adjust = Callable[[list[Finding]], list[Finding]]


@dataclass(frozen=True)
class KeyEntry:
    """One replacement: ``original`` stood where the pseudonymised text now has ``start:end``."""

    start: int
    end: int
    type: str
    original: str

    def __repr__(self) -> str:  # never show the original in tracebacks
        return f"KeyEntry({self.start}, {self.end}, {self.type!r})"


@dataclass(frozen=True)
class PseudonymisationResult:
    """The pseudonymised case and, separately, what is needed to reverse it (held only in memory)."""

    case: PseudonymisedCase
    key: tuple[KeyEntry, ...]
    date_shift_days: int
    #: What the residual step still doubts (types and lines, no case text); also on ``case``.
    residual: tuple[str, ...] = ()


class Pseudonymiser:
    """Pseudonymise case files with one analyzer, built once.

    Parameters
    ----------
    analyzer
        A Presidio ``AnalyzerEngine`` from :func:`leerwerkplaats.privacy.analyzer.build_analyzer`.
    seed
        Makes pseudonyms and date shifts reproducible: same file, same seed, same bytes.
    style
        ``"names"`` for readable pseudonyms, ``"tags"`` for ``[PERSOON-1]`` tags.
    max_shift_weeks
        Dates move by a whole number of weeks (weekdays stay right), at least two and at
        most this many, earlier or later. Small keeps seasons and school holidays plausible;
        the price is that fewer offsets are possible (six by default), so a reader who
        knows one real date of the file can guess the rest more easily. When every small
        shift would turn one date into another date of the file (weekly appointments), the
        shift is about a year instead (see :meth:`_date_shift`).
    """

    def __init__(self, analyzer: AnalyzerEngine, seed: int = 0, style: str = "names",
                 threshold: float = DEFAULT_THRESHOLD, max_shift_weeks: int = DEFAULT_MAX_SHIFT_WEEKS):
        if style not in STYLES:
            raise ValueError(f"style must be one of {STYLES}")
        self.analyzer = analyzer
        self.seed = seed
        self.style = style
        self.threshold = threshold
        if max_shift_weeks < MIN_SHIFT_WEEKS:
            raise ValueError(f"max_shift_weeks must be at least {MIN_SHIFT_WEEKS}")
        self.max_shift_weeks = max_shift_weeks
        self._shifts: dict[tuple, tuple[int, tuple]] = {}
        self._residuals: dict[tuple, tuple[str, ...]] = {}

    @classmethod
    def build(cls, seed: int = 0, style: str = "names", threshold: float = DEFAULT_THRESHOLD) -> Pseudonymiser:
        """The pseudonymiser over the shared analyzer (built once per process; the first call is heavy)."""
        return cls(shared_analyzer(), seed=seed, style=style, threshold=threshold)

    def pseudonymise(self, raw: RawCase) -> PseudonymisedCase:
        """Pseudonymise one case; raises :class:`PseudonymisationError` when it cannot be done safely."""
        return self.run(raw).case

    def run(self, raw: RawCase, *, findings: Iterable[Finding] | None = None, adjust: Adjust | None = None,
            skip: Iterable[str] = ()) -> PseudonymisationResult:
        """Pseudonymise one case through the steps of :data:`STEPS`, in order, keeping the key in memory.

        Parameters
        ----------
        raw
            The case file.
        findings
            The personal data to replace; given, the ``find`` step is skipped.
        adjust
            The ``adjust`` step: a function from the findings to the ones to replace (a
            reviewer's decisions); ``None`` leaves them as they are.
        skip
            Names of steps to switch off: only those of :data:`OPTIONAL_STEPS`.

        Returns
        -------
        PseudonymisationResult
            With the residual findings on the result and on its case (empty when skipped).

        Raises
        ------
        ValueError
            When ``skip`` names an unknown step or one that may not be skipped.
        PseudonymisationError
            When any step fails or an identifier survives (fail closed; the message names
            the case, never its text).
        """
        skipped = _skipped(skip)
        with _fail_closed(raw.name):
            found = self.find(raw.text) if findings is None else list(findings)
            if adjust is not None and "adjust" not in skipped:
                found = list(adjust(found))
        result = self.replace(raw, found)
        self.verify(raw, result)
        if "residual" in skipped:
            return result
        residual = tuple(self.residual(result.case))
        return dataclasses.replace(result, case=dataclasses.replace(result.case, residual=residual),
                                   residual=residual)

    def find(self, text: str) -> list[Finding]:
        """Step ``find``: the personal data in ``text``, resolved and in order of offset."""
        return analyse(self.analyzer, text, self.threshold)

    def replace(self, raw: RawCase, findings: Iterable[Finding]) -> PseudonymisationResult:
        """Step ``replace``: put a pseudonym on every finding, and nowhere else (no analysis).

        ``findings`` must lie inside ``raw.text`` and must not overlap; their order does not
        matter. The result is not yet verified: see :meth:`verify`.

        Raises
        ------
        PseudonymisationError
            When the findings do not fit the text, or replacing fails (no case text in the message).
        """
        with _fail_closed(raw.name):
            return self._replace(raw, _in_order(raw, findings))

    def verify(self, raw: RawCase, result: PseudonymisationResult) -> None:
        """Step ``verify``: fail closed when an identifier that was replaced still stands elsewhere.

        Raises
        ------
        PseudonymisationError
            Naming the type and line of the survivor, never its text.
        """
        with _fail_closed(raw.name):
            self._check_no_survivors(raw, result)

    def residual(self, case: PseudonymisedCase, threshold: float = REVIEW_THRESHOLD) -> list[str]:
        """Step ``residual``: what still looks like personal data at a lower threshold.

        Returns one line per doubt, ``"TYPE at line N (score S)"``: no case text.
        """
        key = (threshold, case.text, case.replaced)
        if key not in self._residuals:
            with _fail_closed(case.name):
                found = self._residual(case, threshold)
            if len(self._residuals) >= _RESIDUAL_MEMO_SIZE:
                self._residuals.clear()
            self._residuals[key] = found
        return list(self._residuals[key])

    def safe_name(self, name: str) -> str:
        """The file name, unless it names someone or something: then a neutral, stable one."""
        readable = re.sub(r"[_\-.]+", " ", name)
        if not analyse(self.analyzer, readable, self.threshold):
            return name
        digest = hashlib.sha256(f"{self.seed}:{name}".encode("utf-8")).hexdigest()[:6]
        return f"casus-{digest}"

    # ------------------------------------------------------------------------
    def _replace(self, raw: RawCase, findings: list[Finding]) -> PseudonymisationResult:
        text = raw.text
        surfaces = [clean(text[f.start:f.end]) for f in findings]
        date_surfaces = [s for s, f in zip(surfaces, findings) if f.type == "DATUM"]
        year = dates.typical_year(date_surfaces)
        shift, _ = self._shift_and_rng(raw.name, date_surfaces, year)
        forbidden = {w.lower() for w in re.findall(r"\w+", text) if len(w) > 2}
        named = {s for s, f in zip(surfaces, findings) if f.type in NAMED_TYPES}
        book = SurrogateBook(f"{self.seed}:{raw.name}", forbidden, tags=self.style == "tags", values=set(surfaces),
                             named=named)
        roles = _person_roles(text, findings)
        with book.collecting():  # every identifier first, so none depends on the order of the others
            for f, surface in zip(findings, surfaces):
                self._surrogate(book, f, surface, text, roles, shift, year)
        pieces: list[str] = []
        replaced: list[PiiSpan] = []
        key: list[KeyEntry] = []
        pos = out_len = 0
        for f, surface in zip(findings, surfaces):
            new = self._surrogate(book, f, surface, text, roles, shift, year)
            between = text[pos:f.start]
            pieces.append(between)
            out_len += len(between)
            pieces.append(new)
            replaced.append(PiiSpan(out_len, out_len + len(new), f.type))
            key.append(KeyEntry(out_len, out_len + len(new), f.type, text[f.start:f.end]))
            out_len += len(new)
            pos = f.end
        pieces.append(text[pos:])
        case = PseudonymisedCase(self.safe_name(raw.name), "".join(pieces), tuple(replaced))
        return PseudonymisationResult(case, tuple(key), shift)

    def _shift_and_rng(self, name: str, date_surfaces: list[str], year: int) -> tuple[int, random.Random]:
        """The file's date shift, and its random source in the state right after choosing it.

        Choosing the shift is the slowest part of re-replacing a long file, and depends only
        on the seed, the file's name (the start state of its random source), its dates and
        the year; an edit that leaves the dates alone reuses it. The pseudonyms no longer
        draw from this source: each identifier has its own (see :class:`SurrogateBook`).
        """
        memo_key = (self.seed, name, tuple(date_surfaces), year, self.max_shift_weeks)
        hit = self._shifts.get(memo_key)
        if hit is not None:
            rng = random.Random()
            rng.setstate(hit[1])
            return hit[0], rng
        rng = random.Random(f"{self.seed}:{name}")
        shift = self._date_shift(rng, date_surfaces, year)
        if len(self._shifts) >= _SHIFT_MEMO_SIZE:
            self._shifts.clear()
        self._shifts[memo_key] = (shift, rng.getstate())
        return shift, rng

    def _date_shift(self, rng: random.Random, date_surfaces: list[str], year: int) -> int:
        """One offset for the whole file, chosen so no shifted date reads as an original one."""
        originals = set(date_surfaces)
        weeks = range(MIN_SHIFT_WEEKS, self.max_shift_weeks + 1)
        candidates = [sign * 7 * w for w in weeks for sign in (-1, 1)]
        rng.shuffle(candidates)
        # Weekly appointments collide with every small shift; then about a year (52 weeks, give
        # or take the small shift) keeps weekdays and seasons, and only then anything up to two years.
        around_a_year = [sign * 7 * (52 + w) for w in (*weeks, *(-w for w in weeks)) for sign in (-1, 1)]
        rng.shuffle(around_a_year)
        rest = [d for d in range(-728, 729, 7) if d and d not in candidates and d not in around_a_year]
        mentions = [m for m in (dates.parse(s, year) for s in originals) if m]
        days = {(m.date.month, m.date.day) for m in mentions}  # "23 april" is also inside "di 23 april 2024"
        for shift in candidates + around_a_year + rest:
            shifted = {dates.render(m, m.date + dt.timedelta(days=shift)) for m in mentions}
            moved = {((m.date + dt.timedelta(days=shift)).month, (m.date + dt.timedelta(days=shift)).day) for m in mentions}
            if not shifted & originals and not moved & days:
                return shift
        return candidates[0]

    def _surrogate(self, book: SurrogateBook, f: Finding, surface: str, text: str,
                   roles: dict[str, str], shift: int, year: int) -> str:
        if f.type in {"PERSOON", "PLAATS"}:
            prefix = _place_prefix(text, f.start, surface)
            if prefix:  # "Ter" + "Apel": the rest of another place with the same first word
                return book.place_part(prefix, surface)
        if f.type == "PERSOON":
            if _reads_as_place(text, f.start, surface):  # "in Gdańsk" found as a person: still a place
                return book.replace("PLAATS", surface)
            return book.person(surface, roles, title_gender(text[max(0, f.start - 25):f.start]))
        if f.type == "INSTELLING":  # "in het Het Anker" → "in het Anker"
            return drop_article(text[max(0, f.start - 12):f.start], book.replace(f.type, surface))
        if f.type == "DATUM":
            if book.tags:
                return book.replace("DATUM", surface)
            mention = dates.parse(surface, year)
            if mention is None:
                return "[datum]"
            return dates.render(mention, mention.date + dt.timedelta(days=shift))
        return book.replace(f.type, surface)

    def _check_no_survivors(self, raw: RawCase, result: PseudonymisationResult) -> None:
        """Fail closed when an identifier that was replaced somewhere still stands elsewhere."""
        out = result.case.text
        low_out = out.lower()
        covered = _mask(len(out), result.case.replaced)
        needles: dict[str, str] = {}
        for entry in result.key:
            if entry.type == "DATUM":
                continue
            needles.setdefault(entry.original, entry.type)
            if entry.type == "PERSOON":  # a first name or surname on its own is as telling
                for word in re.findall(r"[^\W\d_][\w'’-]{2,}", entry.original):
                    if word[0].isupper() and word.lower() not in INTERFIXES and word.lower() not in TITLES:
                        needles.setdefault(word, "PERSOON")
        for original, kind in needles.items():
            words = original.split()
            # a substring test first (any case, each word): most originals are gone
            if len(original) < 3 or not all(w.lower() in low_out for w in words):
                continue
            # any capitalisation (an ordinary word such as "Roos" only as written or in capitals),
            # and any white space between the words, line breaks included
            pattern = r"\s+".join(_any_case(w) for w in words)
            for m in re.finditer(r"(?<!\w)" + pattern + r"(?!\w)", out):
                if not any(covered[m.start():m.end()]):
                    line = out.count("\n", 0, m.start()) + 1
                    raise PseudonymisationError(
                        raw.name, f"a replaced {kind} still occurs unreplaced at line {line}; file withheld"
                    )

    def _residual(self, case: PseudonymisedCase, threshold: float) -> tuple[str, ...]:
        covered = _mask(len(case.text), case.replaced)
        findings = analyse(self.analyzer, case.text, threshold)
        out = []
        for f in findings:
            if any(covered[f.start:f.end]):
                continue
            line = case.text.count("\n", 0, f.start) + 1
            out.append(f"{f.type} at line {line} (score {f.score:.2f})")
        return tuple(out)


def _skipped(skip: Iterable[str]) -> frozenset[str]:
    """The steps a call switches off; refuses unknown ones and those that keep a file safe."""
    names = frozenset([skip] if isinstance(skip, str) else skip)
    unknown = sorted(names - set(STEPS))
    if unknown:
        raise ValueError(f"unknown step(s) {unknown}; the steps are {STEPS}")
    if "find" in names:
        raise ValueError("skip 'find' by handing in findings=...")
    kept = sorted(names - set(OPTIONAL_STEPS))
    if kept:
        raise ValueError(f"step(s) {kept} cannot be skipped; only {OPTIONAL_STEPS} can")
    return names


@contextmanager
def _fail_closed(name: str) -> Iterator[None]:
    """Turn any failure into a :class:`PseudonymisationError` naming the case, never its text."""
    try:
        yield
    except PseudonymisationError:
        raise
    except Exception as exc:  # the message may quote case text: only the class goes on
        log.debug("pseudonymisation failed", exc_info=False)
        raise PseudonymisationError(name, f"pseudonymisation failed ({exc.__class__.__name__})") from None


def _in_order(raw: RawCase, findings: Iterable[Finding]) -> list[Finding]:
    """The findings by offset; fails closed when one falls outside the text or two overlap."""
    ordered = sorted(findings, key=lambda f: (f.start, f.end))
    end = 0
    for f in ordered:
        if not 0 <= f.start < f.end <= len(raw.text):
            raise PseudonymisationError(raw.name, f"a finding at {f.start}-{f.end} lies outside the text")
        if f.start < end:
            raise PseudonymisationError(raw.name, f"findings overlap at {f.start}-{end}")
        end = f.end
    return ordered


def _any_case(word: str) -> str:
    if is_word(word):
        return "(?:" + re.escape(word) + "|" + re.escape(word.upper()) + ")"
    return "(?i:" + re.escape(word) + ")"


def _mask(n: int, spans) -> list[bool]:
    covered = [False] * n
    for s in spans:
        for i in range(s.start, s.end):
            covered[i] = True
    return covered


#: A title right before a name (``mw.``, ``dhr``): one pattern for all titles.
_TITLED = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in sorted(TITLES)) + r")\.?\s*$")


def _word_before(text: str, start: int) -> str:
    m = re.search(r"([^\W\d_]+)[ \t]$", text[max(0, start - 30):start])
    return m.group(1) if m else ""


def _place_prefix(text: str, start: int, surface: str) -> str:
    """The first word of a place that stands just outside the span ("Ter" of "Ter Apel"), or ``""``."""
    word = _word_before(text, start)
    if word[:1].isupper() and f"{word} {surface}" in wordlists.places():
        return word
    return ""


def _reads_as_place(text: str, start: int, surface: str) -> bool:
    """A person finding that is a place: a known place after "in", "uit", …, or a foreign city."""
    if _word_before(text, start).lower() in PLACE_PREPOSITIONS and is_place(surface):
        return True
    lists = wordlists.names()
    return foreign_locale(surface) is not None and surface not in lists.first and surface not in lists.last


def _person_roles(text: str, findings: list[Finding]) -> dict[str, str]:
    """Decide per name word whether it is a first name or a surname, from the file's full mentions."""
    lists = wordlists.names()
    roles: dict[str, str] = {}
    singles: list[tuple[str, str]] = []
    for f in findings:
        if f.type != "PERSOON":
            continue
        surface = text[f.start:f.end]
        if "," in surface:
            last, _, first = surface.partition(",")
            for w in first.split():
                roles.setdefault(w.lower(), "first")
            roles.setdefault(last.strip().lower(), "last")
            continue
        words = [w for w in surface.split() if not re.fullmatch(r"(?:[A-Z]\.)+|[A-Z][a-z]?\.", w)]
        if len(words) >= 2 and words[0].lower() not in INTERFIXES:
            roles.setdefault(words[0].lower(), "first")
            roles.setdefault("initial:" + words[0][0], words[0].lower())
            for w in words[1:]:
                if w.lower() not in INTERFIXES:
                    roles.setdefault(w.lower(), "last")
        elif len(words) == 1:
            before = text[max(0, f.start - 12):f.start].lower()
            titled = _TITLED.search(before) is not None
            singles.append((words[0], "last" if titled else ""))
    for word, hint in singles:
        if word.lower() in roles:
            continue
        if hint:
            roles[word.lower()] = hint
        elif word in lists.first or word not in lists.last:
            roles[word.lower()] = "first"
        else:
            roles[word.lower()] = "last"
    return roles
