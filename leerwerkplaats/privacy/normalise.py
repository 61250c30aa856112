"""Text as the recognisers should see it, with every offset mapped back to the original.

Invisible characters (soft hyphen, zero-width space and joiners, word joiner,
BOM) are dropped; non-breaking and other odd spaces become spaces; a word
hyphenated over a PDF line break (``Meijer-\\ning``) is joined; a page footer
line (``Pagina 1/2``, ``pagina 3 van 7``) between two lines becomes one space.
A name or number split by any of these is then found whole, and the finding is
mapped back to a span of the original that covers all of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_SPACES = "\u00a0\u2007\u202f\u2009\u200a"
_PATTERN = re.compile(
    rf"[{_INVISIBLE}]"
    r"|(?<=[a-zà-ÿ])-\n(?=[a-zà-ÿ])"  # PDF hyphenation: "Meijer-\ning"
    r"|\n[ \t]*(?i:pagina|page|blad)[ \t]+\d{1,3}[ \t]*(?:/|van|of)[ \t]*\d{1,3}[ \t]*(?=\n)"  # footer line
    rf"|[{_SPACES}]"
)


@dataclass(frozen=True)
class Normalised:
    """``text`` for analysis; ``origin[i]`` is the offset in the original of ``text[i]`` (one extra for the end)."""

    text: str
    origin: tuple[int, ...] | None  # None: the text needed no change

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span that ``text[start:end]`` came from."""
        if self.origin is None:
            return start, end
        return self.origin[start], self.origin[end - 1] + 1 if end > start else self.origin[start]


def normalise(text: str) -> Normalised:
    if not _PATTERN.search(text):
        return Normalised(text, None)
    out: list[str] = []
    origin: list[int] = []
    pos = 0
    for m in _PATTERN.finditer(text):
        out.append(text[pos:m.start()])
        origin.extend(range(pos, m.start()))
        piece = m.group()
        if piece[0] in _SPACES:
            out.append(" ")
            origin.append(m.start())
        elif piece.startswith("\n"):  # a footer line: the line break before and after it become one space
            out.append(" ")
            origin.append(m.start())
            pos = m.end() + 1 if m.end() < len(text) else m.end()
            continue
        pos = m.end()
    out.append(text[pos:])
    origin.extend(range(pos, len(text) + 1))
    return Normalised("".join(out), tuple(origin))


def clean(surface: str) -> str:
    """A found surface as the surrogates should read it (no invisible characters, no footer)."""
    return normalise(surface).text
