"""The inline authoring format used to write annotated case files by hand.

A file starts with a ``---`` front-matter block of ``key: value`` lines, then the
case text, with ``[[surface|TYPE]]`` for personal data and
``{{evidence|label,label}}`` for trigger and building-block spans. PII markup may
sit inside evidence markup; evidence markup does not nest. See
``tools/CORPUS_BRIEF.md`` for the full description.

Parsing yields the plain text with exact offsets, so writers never count characters.
"""

from __future__ import annotations

from dataclasses import dataclass

from leerwerkplaats.core.errors import CorpusError
from leerwerkplaats.core.records import LabelSpan, PiiSpan


@dataclass(frozen=True)
class AuthoredCase:
    """A parsed authoring file: front matter, plain text and its spans."""

    meta: dict[str, str]
    text: str
    pii: tuple[PiiSpan, ...]
    spans: tuple[LabelSpan, ...]


def parse(source: str, name: str = "<markup>") -> AuthoredCase:
    """Parse one authoring file into plain text and spans."""
    meta, body = _front_matter(source, name)
    parser = _Parser(body, name)
    text = parser.run()
    return AuthoredCase(meta, text, tuple(parser.pii), tuple(parser.spans))


def _front_matter(source: str, name: str) -> tuple[dict[str, str], str]:
    source = source.replace("\r\n", "\n")
    lines = source.split("\n")
    if not lines or lines[0].strip() != "---":
        raise CorpusError(f"{name}: the file must start with a '---' front-matter line")
    meta: dict[str, str] = {}
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return meta, "\n".join(lines[i + 1:])
        line = line.split(" #", 1)[0].rstrip() if not line.lstrip().startswith("docx_") else line.rstrip()
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise CorpusError(f"{name}: front-matter line {i + 1} is not 'key: value'")
        meta[key.strip()] = value.strip()
    raise CorpusError(f"{name}: the front matter has no closing '---'")


class _Parser:
    def __init__(self, body: str, name: str):
        self.src = body
        self.name = name
        self.out: list[str] = []
        self.pos = 0  # position in the plain text being built
        self.pii: list[PiiSpan] = []
        self.spans: list[LabelSpan] = []

    def where(self, i: int) -> str:
        line = self.src.count("\n", 0, i) + 1
        return f"{self.name}: line {line} (of the text)"

    def emit(self, s: str) -> None:
        self.out.append(s)
        self.pos += len(s)

    def run(self) -> str:
        i = 0
        src = self.src
        while i < len(src):
            if src.startswith("[[", i):
                i = self.pii_markup(i)
            elif src.startswith("{{", i):
                i = self.label_markup(i)
            elif src.startswith("]]", i) or src.startswith("}}", i):
                raise CorpusError(f"{self.where(i)}: closing '{src[i:i+2]}' without an opening one")
            else:
                j = min(
                    (k for k in (src.find("[[", i), src.find("{{", i), src.find("]]", i), src.find("}}", i)) if k >= 0),
                    default=len(src),
                )
                self.emit(src[i:j])
                i = j
        return "".join(self.out)

    def pii_markup(self, i: int) -> int:
        end = self.src.find("]]", i + 2)
        inner = self.src[i + 2:end] if end >= 0 else ""
        if end < 0 or "\n" in inner or "[[" in inner or "{{" in inner or "}}" in inner:
            raise CorpusError(f"{self.where(i)}: '[[' is not closed by ']]' on the same line")
        surface, sep, kind = inner.rpartition("|")
        if not sep or not surface:
            raise CorpusError(f"{self.where(i)}: PII markup needs '[[text|TYPE]]'")
        start = self.pos
        self.emit(surface)
        self.pii.append(PiiSpan(start, self.pos, kind.strip()))
        return end + 2

    def label_markup(self, i: int) -> int:
        close = self.src.find("}}", i + 2)
        if close < 0:
            raise CorpusError(f"{self.where(i)}: '{{{{' is not closed by '}}}}'")
        inner = self.src[i + 2:close]
        if "{{" in inner:
            raise CorpusError(f"{self.where(i)}: evidence markup '{{{{' may not nest")
        bar = inner.rfind("|")
        if bar < 0 or inner.rfind("]]") > bar:
            raise CorpusError(f"{self.where(i)}: evidence markup needs '{{{{text|label,label}}}}'")
        body, labels = inner[:bar], inner[bar + 1:]
        start = self.pos
        sub = _Parser(body, self.name)
        sub.pos = start
        text = sub.run()
        if sub.spans:
            raise CorpusError(f"{self.where(i)}: evidence markup may not nest")
        self.out.append(text)
        self.pos = start + len(text)
        self.pii.extend(sub.pii)
        names = [label.strip() for label in labels.split(",") if label.strip()]
        if not names:
            raise CorpusError(f"{self.where(i)}: evidence markup without labels")
        for label in names:
            self.spans.append(LabelSpan(start, self.pos, label))
        return close + 2
