"""ConText-style context: negated, ruled out, hypothetical, someone else's history."""

from __future__ import annotations

import pytest

from leerwerkplaats.tagging.clause_context import find_scopes
from leerwerkplaats.tagging.cues import TokenView
from leerwerkplaats.tagging.nlp import build_nlp


@pytest.fixture(scope="module")
def nlp():
    return build_nlp(parties=False)


def _kind_of(nlp, text: str, word: str) -> str | None:
    doc = nlp(text)
    return next(t._.lwp_context for t in doc if t.text == word)


@pytest.mark.parametrize(
    ("text", "word", "kind"),
    [
        ("Er zijn geen aanwijzingen voor mishandeling.", "mishandeling", "negated"),
        ("Er zijn geen signalen van huiselijk geweld.", "geweld", "negated"),
        ("Vader drinkt geen alcohol.", "drinkt", "negated"),
        ("De zorgen over verwaarlozing bleken onterecht.", "verwaarlozing", "ruled_out"),
        ("De melding over drugshandel is nagegaan en niet bevestigd.", "drugshandel", "ruled_out"),
        ("Mocht vader weer gaan drinken, dan belt moeder de GI.", "drinken", "hypothetical"),
        ("Als de buurt een petitie zou starten, zou de gemeente ingrijpen.", "petitie", "hypothetical"),
        ("Vader werd als kind zelf geslagen.", "geslagen", "historical_other"),
        ("Vader heeft de kinderen geslagen.", "geslagen", None),
        ("Moeder neemt geen contact op met het wijkteam.", "contact", None),  # pseudo-cue: a signal itself
        ("Er is geen eten in huis.", "eten", None),
    ],
)
def test_context_kind_of_word(nlp, text, word, kind):
    assert _kind_of(nlp, text, word) == kind


def test_terminator_ends_scope(nlp):
    text = "Er zijn geen zorgen over de hygiëne, maar Daan is wel geslagen."
    assert _kind_of(nlp, text, "hygiëne") == "negated"
    assert _kind_of(nlp, text, "geslagen") is None


def test_find_scopes_pure_logic():
    words = "er zijn geen aanwijzingen voor letsel".split()
    scopes = find_scopes([TokenView(w, w, w) for w in words])
    assert any(s.kind == "negated" and s.start <= 5 < s.end for s in scopes)


def test_context_spans_group_and_sentence_kinds(nlp):
    doc = nlp("Geen signalen van geweld. Vader slaat.")
    sents = list(doc.sents)
    assert [s.label_ for s in doc.spans["lwp_context"]] == ["negated"]
    assert sents[0]._.lwp_context_kinds == {"negated"}
    assert sents[1]._.lwp_context_kinds == frozenset()
