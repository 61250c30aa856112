"""Dutch a person wrote (issue 18, item 4): no internal key or model token where a trainer reads.

Every handout of the fixture library (both case handouts, the session
overview, the library page; HTML and Word) is read as text. The fixture
cases carry the tagger's machine cues and rule texts, keys and all.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
from docx import Document
from test_handouts_fixtures import library, mail_case, tagged_case

from leerwerkplaats.core import schema
from leerwerkplaats.handouts import Renderer, weergave
from leerwerkplaats.handouts.case_context import case_context
from leerwerkplaats.handouts.costs import load_tariffs
from leerwerkplaats.handouts.questions import load_cached

SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")
MACHINE = re.compile(r"<(?:num|persoon|datum|plaats|adres|telefoon|email|bsn|instelling)>|\b(?:trigger|bouwsteen):[a-z]|casus casus-|partij: [a-z]", re.I)


class Visible(HTMLParser):
    """The text a reader sees: no style, script or command examples (``<code>``, ``<pre>``)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.parts: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("style", "script", "code", "pre")
        self.parts.append(" ")

    def handle_endtag(self, tag):
        self.skip -= tag in ("style", "script", "code", "pre")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    renderer = Renderer.build()
    cases = library()
    out = {}
    for case in cases:
        files, _ = renderer.case_files(case, ("html", "docx"))
        for name, data in files.items():
            out[f"{case.case.name}/{name}"] = (Visible(data.decode()).parts if name.endswith(".html")
                                               else [docx_text(data)])
    files, _ = renderer.session_files(cases, ("html", "docx"), failed=2, reasons=["r"] * len(cases))
    out["sessie.html"] = Visible(files["sessie.html"].decode()).parts
    out["sessie.docx"] = [docx_text(files["sessie.docx"])]
    out["index.html"] = Visible(renderer.library_files(cases, ("html",))["index.html"].decode()).parts
    return {k: " ".join(v) for k, v in out.items()}


def test_the_fixture_carries_machine_words():
    case = mail_case()
    assert any("<num>" in c for t in case.tags for c in t.cues)
    assert "informatie_advies" in case.fields.why["gi_inzet"]


def test_no_internal_key_or_model_token_in_any_handout(texts):
    for name, text in texts.items():
        assert not SNAKE.findall(text), f"{name}: {sorted(set(SNAKE.findall(text)))}"
        assert not MACHINE.findall(text), f"{name}: {sorted(set(MACHINE.findall(text)))}"


def test_cases_are_called_casus_and_their_number(texts):
    assert "Casus 002" in texts["casus-002/trainer.html"]
    assert "Monitoringsblad casus 003" in texts["sessie.html"]
    assert "Monitoringsblad casus 003" in texts["sessie.docx"]
    assert "2 bestanden konden niet veilig worden verwerkt" in texts["sessie.html"]


def test_field_explanations_are_sentences(texts):
    text = texts["casus-002/trainer.html"]
    assert "De cliëntroute is Route C, omdat" in text
    assert "Als inzet van de GI zonder maatregel telt informatie en advies (consultatie bij de GI gemarkeerd)" in text
    assert "(uit de markering GI sluit aan (werken zonder maatregel))" in text
    assert "Hoe deze velden zijn bepaald." in texts["casus-002/trainer.docx"]


def test_cues_are_words():
    assert weergave.cues(("huisbezoek", "<num> huisbezoek", "partij: lokaal_team")) == (
        "huisbezoek", "Lokaal team (JGT / wijkteam) genoemd")


def test_every_internal_key_has_a_display_name():
    data = weergave.data()
    assert set(data["labels"]) == {lab.id for lab in schema.ALL_LABELS}
    for table, keys in (("partijen", schema.PARTIJEN), ("gi_inzet", schema.GI_INZET),
                        ("clientroute", schema.CLIENTROUTES), ("onveiligheid", schema.ONVEILIGHEID),
                        ("velden", schema.CASE_FIELDS), ("groepen", schema.GROUP_NAMES)):
        assert set(keys) <= set(data[table]), table


def test_signs_of_safety_what_must_happen_holds_what_is_still_open():
    ctx = case_context(tagged_case(), load_cached(), load_tariffs(), trainer=True)
    done = {"bouwsteen:hulp_inzet", "bouwsteen:netwerk", "bouwsteen:samen_optrekken_gi", "bouwsteen:regie",
            "bouwsteen:evaluatie", "bouwsteen:crisisinterventie"}
    assert not {e.label for e in ctx["sos"]["gebeuren"]} & done  # steps already taken are no "to do"
    assert "Netwerk betrekken" not in [e.name for e in ctx["sos"]["gebeuren"]]
    assert "Gesprek met het kind" in ctx["sos"]["open"]  # a step the file never took
    assert "Signalering" not in ctx["sos"]["open"]
