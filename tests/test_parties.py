"""Chain partners from names, abbreviations and roles."""

from __future__ import annotations

import pytest

from leerwerkplaats.core import schema
from leerwerkplaats.tagging.cues import party_cues
from leerwerkplaats.tagging.nlp import build_nlp


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


@pytest.mark.parametrize(
    ("text", "party"),
    [
        ("De gezinsvoogd kwam op huisbezoek.", "gi"),
        ("Jeugdbeschermer Karin Mulder sloot aan.", "gi"),
        ("VT deed een huisbezoek.", "veilig_thuis"),
        ("Er is een melding gedaan bij Veilig Thuis.", "veilig_thuis"),
        ("De Raad voor de Kinderbescherming startte een onderzoek.", "raad_kinderbescherming"),
        ("De kinderrechter sprak een OTS uit.", "rechtbank"),
        ("De leerplichtambtenaar sprak met Shanaya.", "leerplicht"),
        ("MEE begeleidt moeder.", "mee"),
        ("Het JGT houdt de regie.", "lokaal_team"),
        ("De crisisdienst jeugd werd gebeld.", "crisisdienst"),
        ("De casus is besproken aan de Jeugdbeschermingstafel.", "jeugdbeschermingstafel"),
    ],
)
def test_party_recognised(nlp, text, party):
    assert party in nlp(text)._.lwp_parties


def test_mee_as_ordinary_word_is_no_party(nlp):
    assert "mee" not in nlp("De jeugdbeschermer loopt mee met het wijkteam.")._.lwp_parties


def test_hypothetical_mention_is_not_involvement(nlp):
    doc = nlp("Mocht het weer misgaan, dan schakelen we de Raad in.")
    assert "raad_kinderbescherming" not in doc._.lwp_parties
    assert any(s.label_ == "raad_kinderbescherming" for s in doc.spans["lwp_parties"])


def test_party_lexicon_uses_schema_ids_only():
    assert set(party_cues()) <= set(schema.PARTIJEN)


def test_parties_sorted_in_schema_order(nlp):
    found = nlp("De school, de huisarts en de politie waren betrokken.")._.lwp_parties
    assert list(found) == [p for p in schema.PARTIJEN if p in found]
    assert set(found) == {"school", "huisarts", "politie"}
