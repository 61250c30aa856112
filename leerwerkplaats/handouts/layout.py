"""Readable layout of a pseudonymised case text: numbered lines, headings, dated entries.

Line numbers are the lines of the text itself (``text.split("\\n")``), so a
trainer's "regel 12" points at the same words in every format. The layout only
classifies lines; it never changes or drops text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from leerwerkplaats.core.dates import MONTH_ALTERNATIVES, WEEKDAY_ALTERNATIVES

_MONTHS = MONTH_ALTERNATIVES
_WEEKDAYS = WEEKDAY_ALTERNATIVES
_DATE = (rf"(?:(?:{_WEEKDAYS})\.?\s+)?(?:\d{{1,2}}[-/.]\d{{1,2}}(?:[-/.]\d{{2,4}})?|\d{{4}}-\d{{2}}-\d{{2}}|"
         rf"\d{{1,2}}\s+(?:{_MONTHS})\.?(?:\s+\d{{4}})?)")
#: A line that opens with a date, optionally after a short lead-in ("Op", "Datum:", "Verzonden:", "- ").
_DATED = re.compile(rf"^\s*(?:[-•*]\s*)?(?:(?:op|datum|verzonden|date|sent|d\.d\.)\s*:?\s*)?({_DATE})\b", re.I)
_SEPARATOR = re.compile(r"^\s*([-=_*~])\1{4,}\s*$")
_NUMBERED = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]{1,4}\.)\s+\S")
_MARKDOWN = re.compile(r"^\s*#{1,6}\s+\S")
_MAIL_META = re.compile(r"^\s*(?:van|aan|cc|bcc|verzonden|from|to|sent)\s*:", re.I)
_SUBJECT = re.compile(r"^\s*(?:onderwerp|subject|betreft)\s*:", re.I)
#: A page footer or header of the source PDF ("Pagina 1/2", "pagina 3 van 5", "- 2 -").
_PAGE_MARK = re.compile(r"^\s*(?:(?:pagina|page|blz\.?|p\.)\s*\d{1,3}(?:\s*(?:/|van|of)\s*\d{1,3})?|-\s*\d{1,3}\s*-)\s*$",
                        re.I)


@dataclass(frozen=True)
class Line:
    """One line of the case text.

    ``kind`` is one of ``kop`` (heading), ``onderwerp`` (mail subject),
    ``meta`` (mail header), ``datum`` (dated entry), ``scheiding``
    (separator), ``paginavoet`` (a page number of the source PDF, which the
    handouts leave out but still count), ``leeg`` or ``tekst``; ``date`` is the
    date that opens a dated entry.
    """

    number: int
    start: int
    end: int
    text: str
    kind: str
    date: str = ""


def _is_heading(s: str) -> bool:
    stripped = s.strip()
    if not stripped or len(stripped) > 90:
        return False
    if _MARKDOWN.match(stripped):
        return True
    letters = [c for c in stripped if c.isalpha()]
    if len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) > 0.6:
        return True
    return bool(_NUMBERED.match(stripped)) and len(stripped) <= 60 and not stripped.endswith((".", ",", ";"))


def classify(s: str) -> tuple[str, str]:
    """Kind of one line and, for a dated entry, its date."""
    if not s.strip():
        return "leeg", ""
    if _SEPARATOR.match(s):
        return "scheiding", ""
    if _PAGE_MARK.match(s):
        return "paginavoet", ""
    if _SUBJECT.match(s):
        return "onderwerp", ""
    match = _DATED.match(s)
    if match:
        return "datum", match.group(1).strip()
    if _MAIL_META.match(s):
        return "meta", ""
    if _is_heading(s):
        return "kop", ""
    return "tekst", ""


def lines(text: str) -> list[Line]:
    """Split ``text`` into classified, numbered lines with their offsets."""
    out: list[Line] = []
    pos = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        kind, date = classify(raw)
        out.append(Line(number, pos, pos + len(raw), raw, kind, date))
        pos += len(raw) + 1
    return out


class LineIndex:
    """Map character offsets to line numbers."""

    def __init__(self, text: str):
        self._starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def line_of(self, offset: int) -> int:
        """1-based line number of ``offset``."""
        return bisect.bisect_right(self._starts, offset)

    @property
    def count(self) -> int:
        return len(self._starts)
