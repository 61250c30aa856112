"""The spaCy pipeline built in code: sentences, tokenizer exceptions, lemmas, registration."""

from __future__ import annotations

import pytest

from leerwerkplaats.tagging.nlp import build_nlp, segment


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in segment(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mw. De Vries belde i.o.m. dhr. Bakker. Zij komt morgen.",
         ["Mw. De Vries belde i.o.m. dhr. Bakker.", "Zij komt morgen."]),
        ("Gesprek met J.P. de Wit gehad. Hij was open.", ["Gesprek met J.P. de Wit gehad.", "Hij was open."]),
        ("vr 14-10-2022 02:40\nPolitie ter plaatse\nma 17-10-2022\nHuisbezoek",
         ["vr 14-10-2022 02:40", "Politie ter plaatse", "ma 17-10-2022", "Huisbezoek"]),
        ("Afspraken:\n- tante brengt de kinderen\n- moeder belt de school",
         ["Afspraken:", "- tante brengt de kinderen", "- moeder belt de school"]),
        ("Van: Karin Mulder\nAan: Youssef\nOnderwerp: gezin",
         ["Van: Karin Mulder", "Aan: Youssef", "Onderwerp: gezin"]),
        ("Wat gaat goed?  Veel!", ["Wat gaat goed?", "Veel!"]),
    ],
)
def test_segment_case_file_layouts(text, expected):
    assert _sentences(text) == expected


def test_segment_joins_pdf_wrapped_lines():
    # Arrange: a long paragraph wrapped mid-sentence, as pypdf gives it
    line1 = "Moeder vertelde tijdens het huisbezoek dat zij sinds de zomer veel moeite heeft om"
    text = line1 + "\nde kinderen op tijd naar school te brengen. Daarna praatten we verder."
    # Act
    sents = _sentences(text)
    # Assert
    assert len(sents) == 2
    assert sents[0].startswith("Moeder") and sents[0].endswith("brengen.")


def test_segment_offsets_are_trimmed_and_in_text():
    text = "  Eerste zin.   Tweede zin.\n\n"
    for s, e in segment(text):
        assert text[s:e] == text[s:e].strip() and e > s


@pytest.fixture(scope="module")
def nlp(no_network_module):
    return build_nlp()


@pytest.fixture(scope="module")
def no_network_module():
    import socket

    original = socket.socket.connect

    def guard(*args, **kwargs):
        raise AssertionError("network access attempted")

    socket.socket.connect = guard
    yield
    socket.socket.connect = original


def test_pipeline_components_and_declarations(nlp):
    assert nlp.pipe_names == ["lwp_sentences", "lemmatizer", "lwp_context", "lwp_parties"]
    meta = nlp.get_pipe_meta("lwp_context")
    assert "token._.lwp_context" in meta.assigns
    assert "token.is_sent_start" in meta.requires
    assert "doc._.lwp_parties" in nlp.get_pipe_meta("lwp_parties").assigns


def test_abbreviations_stay_one_token(nlp):
    doc = nlp("Mw. heeft i.o.m. dhr. z.s.m. gebeld.")
    assert [t.text for t in doc][:5] == ["Mw.", "heeft", "i.o.m.", "dhr.", "z.s.m."]
    assert len(list(doc.sents)) == 1


def test_lookup_lemmas(nlp):
    doc = nlp("Vader heeft gedronken en zij liep weg.")
    lemmas = {t.text: t.lemma_ for t in doc}
    assert lemmas["gedronken"] == "drinken"
    assert lemmas["liep"] == "lopen"


def test_extensions_set_once():
    from leerwerkplaats.tagging import clause_context as context
    from leerwerkplaats.tagging import parties

    context.ensure_extensions()
    context.ensure_extensions()
    parties.ensure_extensions()
    parties.ensure_extensions()


def test_sentence_starts_match_segment(nlp):
    text = "Eerste regel\n- punt een\nTweede zin. Derde zin."
    doc = nlp(text)
    starts = [s.start_char for s in doc.sents]
    assert starts == [s for s, _ in segment(text)]
