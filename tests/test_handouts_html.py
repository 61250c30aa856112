"""HTML handouts: structure, highlights matching the tags, escaping, determinism, user templates."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from test_handouts_fixtures import TEXT, tagged_case

from leerwerkplaats.core.cases import PseudonymisedCase, RawCase
from leerwerkplaats.handouts import Renderer


class Page(HTMLParser):
    """Collects headings, section ids, marked segments and all visible text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.headings: list[tuple[str, str]] = []
        self.marks: list[tuple[str, str, str]] = []  # (data-tags, data-ruled, text)
        self.text: list[str] = []
        self.lang = ""
        self.scripts = 0
        self._heading: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang", "")
        if tag == "script":
            self.scripts += 1
        if tag in ("h1", "h2", "h3"):
            self._heading = [tag]
        if tag == "mark" and "data-tags" in attrs:
            self.marks.append([attrs["data-tags"], attrs.get("data-ruled", ""), ""])
        self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        if self._heading and tag == self._heading[0]:
            self.headings.append((tag, "".join(self._heading[1:]).strip()))
            self._heading = None
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        in_style = any(t == "style" for t, _ in self.stack)
        if not in_style:
            self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)
        if self.stack and self.stack[-1][0] == "mark" and self.marks and "data-tags" in self.stack[-1][1]:
            self.marks[-1][2] += data


@pytest.fixture(scope="module")
def renderer():
    return Renderer.build()


@pytest.fixture(scope="module")
def pages(renderer):
    files, _ = renderer.case_files(tagged_case(), ("html",))
    return {k: v.decode("utf-8") for k, v in files.items()}


def test_both_handouts_are_dutch_with_a_heading_outline(pages):
    for name in ("deelnemers.html", "trainer.html"):
        page = Page(pages[name])
        assert page.lang == "nl"
        levels = [h for h, _ in page.headings]
        assert levels[0] == "h1" and levels.count("h1") == 1
        assert "<style>" in pages[name] and "<link" not in pages[name]  # self-contained


def test_participants_handout_sections(pages):
    page = Page(pages["deelnemers.html"])
    titles = [t for _, t in page.headings]
    for expected in ("Vertrouwelijk", "Casustekst", "Vragen bij deze casus", "Signs of Safety: eerst zelf invullen"):
        assert expected in titles
    text = "".join(page.text)
    assert "wie had de regie" in text.lower()
    assert "toch een maatregel" not in text  # the route is the trainer's (issue 18)
    assert not page.marks, "participants see no highlights"
    assert "Fysiek geweld" not in text, "participants see no labels"


def test_trainer_handout_sections(pages):
    titles = [t for _, t in Page(pages["trainer.html"]).headings]
    for expected in ("Legenda van de markeringen", "Casustekst met markeringen", "Waarom deze markeringen",
                     "Bouwstenen: van signaal tot borging", "Partijen en rollen", "Cliëntroute en Meldcode-afwegingen",
                     "Signs of Safety, ingevuld uit de markeringen", "Indicatieve kosten", "Bespreekvragen"):
        assert expected in titles


def test_highlights_match_the_tags(pages):
    case = tagged_case()
    page = Page(pages["trainer.html"])
    for i, tag in enumerate(case.tags):
        pieces = [text for tags, _, text in page.marks if str(i) in tags.split()]
        assert "".join(pieces) == case.case.text[tag.start:tag.end].replace("\n", "")
    for i, tag in enumerate(case.ruled_out):
        pieces = [text for _, ruled, text in page.marks if str(i) in ruled.split()]
        assert "".join(pieces) == case.case.text[tag.start:tag.end]


def test_case_text_is_escaped(pages):
    for html in pages.values():
        assert "<script>" not in html
        assert "&lt;script&gt;" in html
        assert "goed mee &amp; houdt" in html
        assert Page(html).scripts == 0


def test_lines_are_numbered_like_the_text(pages):
    html = pages["deelnemers.html"]
    for number, line in enumerate(TEXT.split("\n"), start=1):
        if line.strip():
            assert f'id="r{number}"' in html


def test_trainer_shows_ruled_out_missing_blocks_model_and_note(pages):
    text = "".join(Page(pages["trainer.html"]).text)
    assert "Zorgen die zijn ontkracht" in text and "Verwaarlozing" in text
    assert "Ontbrekende bouwstenen:" in text and "Opschaling" in text
    assert "testmodel 0.0" in text
    assert "nooit een oordeel" in text
    assert "INDICATIEF" in text.upper()
    assert "2016" in text and "€ 2.660" in text


def test_same_input_same_bytes(renderer):
    a, _ = renderer.case_files(tagged_case(), ("html",))
    b, _ = renderer.case_files(tagged_case(), ("html",))
    assert a == b


def test_raw_case_is_refused(renderer):
    raw = RawCase("x", "x.txt", "Sanne de Vries")
    with pytest.raises(TypeError):
        renderer.case_files(raw, ("html",))


def test_user_templates_override_and_still_escape(tmp_path):
    (tmp_path / "deelnemers.html.j2").write_text(
        "<html lang=\"nl\"><body>EIGEN {% for ln in lines %}{{ ln.text }}{% endfor %}</body></html>",
        encoding="utf-8")
    renderer = Renderer.build(templates=tmp_path)
    files, _ = renderer.case_files(tagged_case(), ("html",))
    own = files["deelnemers.html"].decode()
    assert own.startswith("<html lang=\"nl\"><body>EIGEN") and "&lt;script&gt;" in own
    assert "Casustekst met markeringen" in files["trainer.html"].decode()  # shipped template behind it


def test_case_name_is_escaped(renderer):
    case = tagged_case(name="<b>x</b>&y")
    files, _ = renderer.case_files(case, ("html",))
    html = files["trainer.html"].decode()
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;&amp;y" in html


def test_case_without_tags_renders(renderer):
    from leerwerkplaats.core.cases import CaseFields, TaggedCase

    case = TaggedCase(PseudonymisedCase("leeg", "Alleen een regel."), (), CaseFields())
    files, _ = renderer.case_files(case, ("html",))
    assert "Geen markeringen." in files["trainer.html"].decode()
