"""The participants' handout asks and never tells (issue 18, item 2).

Everything the model found (labels, groups, missing building blocks, the route,
ruled-out concerns, which events are tagged) belongs in the trainer's handout.
The participants' handout is read here outside the quoted case text (the
numbered text, the opening of the vignette and the "what happened" column of
the timeline quote the file itself, which may use any word).
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
from docx import Document
from test_handouts_fixtures import library

from leerwerkplaats.core import schema
from leerwerkplaats.handouts import Renderer, layout

#: Whole phrases that only come from the model's findings.
TELLING = ("ontkracht", "gemarkeerd", "markering", "bouwsteen", "getagd", "het dossier noemt geen",
           "toch een maatregel", "zorg weerlegd", "de regie gaat over", "na welke regel had die stap gepast")
#: A question opened by the topic the model gave it: "Zorgen. Regels 15, 30: …".
TOPIC = re.compile(r"(?:^|\n)\s*(?:Zorgen|Krachten|Ontkracht|Bouwstenen|Route|Regie|Tijdlijn)\.\s")
ROUTE_HINT = re.compile(r"\broute\s+[A-D]\b", re.I)
REFS = re.compile(r"\bregels?\s+(\d+(?:\s*[–-]\s*\d+)?(?:\s*(?:,|en)\s*\d+(?:\s*[–-]\s*\d+)?)*)", re.I)


class Outside(HTMLParser):
    """Visible text outside the quoted case text, per question and all of it."""

    QUOTES = ("casustekst", "citaat")

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside a quote or a style block
        self.stack: list[bool] = []
        self.text: list[str] = []
        self.questions: list[str] = []
        self._question: list[str] | None = None
        self.filled_marks = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        quote = tag in ("style", "blockquote") or any(q in (attrs.get("class") or "").split() for q in self.QUOTES)
        if tag == "circle" and attrs.get("fill") not in (None, "#ffffff", "none"):
            self.filled_marks += 1
        if tag in ("circle", "line", "rect", "br"):  # void in our SVG and HTML: no end tag to wait for
            return
        self.stack.append(quote)
        self.depth += quote
        if tag == "li" and "vraag" in (attrs.get("class") or ""):
            self._question = []
        self.text.append("\n")

    def handle_endtag(self, tag):
        if tag in ("circle", "line", "rect", "br"):
            return
        if tag == "li" and self._question is not None:
            self.questions.append("".join(self._question))
            self._question = None
        if self.stack:
            self.depth -= self.stack.pop()

    def handle_data(self, data):
        if self.depth:
            return
        self.text.append(data)
        if self._question is not None:
            self._question.append(data)


def docx_outside(data: bytes) -> tuple[str, list[str]]:
    """Text of a participants' .docx outside the case text, and its numbered questions."""
    doc = Document(io.BytesIO(data))
    out, questions, quote_next = [], [], False
    for p in doc.paragraphs:
        if re.match(r"^\d+\t", p.text) or quote_next:  # a numbered line of the case, or the opening quote
            quote_next = False
            continue
        quote_next = p.text.startswith("Zo begint het")
        out.append(p.text)
        if p.style.name == "List Number":
            questions.append(p.text)
    for table in doc.tables:
        header = [c.text for c in table.rows[0].cells]
        for row in table.rows:
            out.extend(c.text for h, c in zip(header, row.cells) if h != "Wat gebeurde er")
    return "\n".join(out), questions


def expand(refs: str) -> set[int]:
    """``12–16, 30 en 31–33`` → the line numbers."""
    out: set[int] = set()
    for piece in re.split(r"\s*(?:,|en)\s*", refs):
        a, _, b = piece.partition("–") if "–" in piece else piece.partition("-")
        if a.strip():
            out.update(range(int(a), int(b or a) + 1))
    return out


def tagged_lines(case) -> set[int]:
    index = layout.LineIndex(case.case.text)
    return {index.line_of(t.start) for t in (*case.tags, *case.ruled_out)}


def telling_words(case) -> list[str]:
    # the group "wat gaat goed" is also a column of the empty Signs of Safety sheet: not a finding
    words = [lab.name for lab in schema.ALL_LABELS] + [n for g, n in schema.GROUP_NAMES.items() if g != "krachten"]
    words += list(schema.CLIENTROUTE_NAMES.values())
    return [w.lower() for w in words] + list(TELLING)


@pytest.fixture(scope="module")
def rendered():
    renderer = Renderer.build()
    out = []
    for case in library():
        files, _ = renderer.case_files(case, ("html", "docx"), ("deelnemers",))
        out.append((case, files))
    return out


def _check_tells_nothing(case, text: str) -> None:
    low = text.lower()
    found = [w for w in telling_words(case) if w in low]
    assert not found, f"{case.case.name}: the participants' handout tells {found}"
    assert not TOPIC.search(text), f"{case.case.name}: a question opens with the model's topic"
    assert not ROUTE_HINT.search(text), f"{case.case.name}: the route is named"


@pytest.mark.parametrize("i", range(3))
def test_participants_html_tells_nothing_the_model_found(rendered, i):
    case, files = rendered[i]
    page = Outside(files["deelnemers.html"].decode("utf-8"))
    _check_tells_nothing(case, "".join(page.text))


@pytest.mark.parametrize("i", range(3))
def test_participants_docx_tells_nothing_the_model_found(rendered, i):
    case, files = rendered[i]
    text, _ = docx_outside(files["deelnemers.docx"])
    _check_tells_nothing(case, text)


@pytest.mark.parametrize("i", range(3))
def test_participants_timeline_has_no_filled_marks(rendered, i):
    case, files = rendered[i]
    assert Outside(files["deelnemers.html"].decode("utf-8")).filled_marks == 0


@pytest.mark.parametrize("i", range(3))
def test_line_references_do_not_single_out_tagged_lines(rendered, i):
    case, files = rendered[i]
    tagged = tagged_lines(case)
    html_questions = Outside(files["deelnemers.html"].decode("utf-8")).questions
    _, docx_questions = docx_outside(files["deelnemers.docx"])
    assert html_questions and docx_questions
    every: set[int] = set()
    for q in html_questions + docx_questions:
        refs = set().union(*(expand(m) for m in REFS.findall(q)))
        every |= refs
        assert not refs or not refs <= tagged, f"{case.case.name}: {q!r} points only at tagged lines"
    assert every != tagged


def test_trainer_keeps_what_the_model_found():
    case = library()[0]
    files, _ = Renderer.build().case_files(case, ("html",), ("trainer",))
    html = files["trainer.html"].decode("utf-8")
    assert "Sleutel:" in html and "ontkracht" in html.lower() and "Fysiek geweld tegen kind" in html
    assert 'fill="#1f5fa8"' in html  # the tagged events stay filled for the trainer
