"""Case fields and costs from one set of facts: one named test per contradiction of issue 12.

The tags are given (as the tagger would produce them), so these tests need no
trained model: they check that fields, parties, costs and handout sections
agree with the text and with each other.
"""

from __future__ import annotations

import numpy as np
import pytest

from leerwerkplaats.core.cases import CaseFields, PseudonymisedCase, Tag, TaggedCase
from leerwerkplaats.core.records import PiiSpan
from leerwerkplaats.handouts import costs, view
from leerwerkplaats.tagging import case_facts
from leerwerkplaats.tagging.case_fields import derive
from leerwerkplaats.tagging.features import doc_sentences
from leerwerkplaats.tagging.nlp import build_nlp
from leerwerkplaats.tagging.tagger import decode


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


def _tag(text: str, piece: str, label: str) -> Tag:
    start = text.index(piece)
    return Tag(start, start + len(piece), label, 0.9)


def _derive(nlp, text: str, tags: list[Tag]) -> tuple[CaseFields, TaggedCase]:
    doc = nlp(text)
    fields = derive(text, tags, doc_sentences(doc), doc._.lwp_parties)
    return fields, TaggedCase(PseudonymisedCase("c", text), tuple(tags), fields)


def test_no_acute_unsafety_where_the_text_says_there_is_no_acute_danger(nlp):
    text = ("Moeder drinkt dagelijks en de kinderen zijn vaak alleen thuis. "
            "Er is op dit moment geen sprake van acute onveiligheid, wel van structurele zorgen. "
            "De crisisdienst is gebeld voor moeder.")
    tags = [_tag(text, "Moeder drinkt dagelijks", "trigger:verslaving_ouder"),
            _tag(text, "De crisisdienst is gebeld voor moeder.", "bouwsteen:crisisinterventie")]
    fields, _ = _derive(nlp, text, tags)
    assert fields.onveiligheid == "structureel"
    assert "geen acuut gevaar" in fields.why["onveiligheid"]


@pytest.mark.parametrize("denial", [
    "Acuut gevaar is er niet.", "Van acuut gevaar is geen sprake.", "De situatie is niet acuut onveilig.",
])
def test_acute_danger_denied_in_other_words_is_not_asserted(denial):
    said = case_facts.acute(denial, [(0, len(denial))])
    assert said.denied and not said.asserted


def test_acute_danger_stated_in_a_later_clause_is_acute(nlp):
    text = "Er was eerst geen acute dreiging; op 3 mei verleende de kinderrechter een spoedmachtiging."
    fields, _ = _derive(nlp, text, [])
    assert fields.onveiligheid == "acuut"


def test_route_c_with_samen_optrekken_has_gi_inzet_and_costs(nlp):
    text = ("Het wijkteam vroeg de GI om mee te denken over het gezin. "
            "Vanaf maart werkte de jeugdbeschermer samen met de gezinscoach zonder maatregel.")
    tags = [_tag(text, "Vanaf maart werkte de jeugdbeschermer samen met de gezinscoach zonder maatregel.",
                 "bouwsteen:samen_optrekken_gi")]
    fields, tagged = _derive(nlp, text, tags)
    assert fields.clientroute == "C"
    assert fields.gi_inzet, "route C beside 'Inzet GI zonder maatregel: geen'"
    lines = costs.estimate(tagged, costs.load_tariffs())
    assert costs.total(lines) > 0


def test_veilig_thuis_is_no_party_where_it_is_never_named(nlp):
    text = "De school deed op 4 maart een melding over de blauwe plekken van Sem."
    tags = [_tag(text, text, "bouwsteen:melding_veilig_thuis")]
    fields, _ = _derive(nlp, text, tags)
    assert "veilig_thuis" not in fields.partijen
    assert "school" in fields.partijen


def test_veilig_thuis_named_is_a_party(nlp):
    text = "De school deed op 4 maart een melding bij Veilig Thuis."
    fields, _ = _derive(nlp, text, [_tag(text, text, "bouwsteen:melding_veilig_thuis")])
    assert "veilig_thuis" in fields.partijen


def test_ontkrachtend_signaal_tag_is_listed_under_ruled_out_concerns():
    text = "Later bleek dat de zorgen over de hygiëne onterecht waren."
    tagged = TaggedCase(PseudonymisedCase("c", text),
                        (Tag(0, len(text), "trigger:ontkrachtend_signaal", 0.8),), CaseFields())
    listed = view.ruled_out(tagged)
    assert len(listed) == 1 and "onterecht" in listed[0].excerpt


def test_one_ots_for_three_children_is_costed_three_times(nlp):
    text = ("Het gezin bestaat uit moeder en drie kinderen. "
            "De kinderrechter sprak een ondertoezichtstelling uit voor alle drie de kinderen.")
    tags = [_tag(text, "De kinderrechter sprak een ondertoezichtstelling uit voor alle drie de kinderen.",
                 "bouwsteen:maatregel")]
    fields, tagged = _derive(nlp, text, tags)
    tariffs = costs.load_tariffs()
    (line,) = costs.estimate(tagged, tariffs)
    assert line.tariff.id == "ots_eerste_jaar" and line.aantal == 3
    assert costs.total([line]) == 3 * tariffs["ots_eerste_jaar"].bedrag


def test_ots_for_named_children_counts_the_names():
    text = "De rechter sprak een OTS uit over Sem, Lotte en Daan, de kinderen van mw. Bakker."
    pii = [PiiSpan(text.index(n), text.index(n) + len(n), "PERSOON") for n in ("Sem", "Lotte", "Daan", "Bakker")]
    (m,) = case_facts.measures(text, [Tag(0, len(text), "bouwsteen:maatregel", 0.9)], pii)
    assert m.children == 3


def test_ots_for_one_child_is_costed_once(nlp):
    text = "De kinderrechter sprak een ondertoezichtstelling uit voor Sem."
    fields, tagged = _derive(nlp, text, [_tag(text, text, "bouwsteen:maatregel")])
    (line,) = costs.estimate(tagged, costs.load_tariffs())
    assert line.aantal == 1


def test_a_rejected_measure_is_no_measure(nlp):
    text = "De kinderrechter wees het verzoek tot ondertoezichtstelling af."
    fields, tagged = _derive(nlp, text, [_tag(text, text, "bouwsteen:maatregel")])
    assert fields.clientroute not in ("A", "B", "D")
    assert costs.estimate(tagged, costs.load_tariffs()) == []


def test_setback_is_not_tagged_vooruitgang(nlp):
    text = "Na de zomer slaapt Sem weer slecht en heeft hij weer nachtmerries."
    sents = doc_sentences(nlp(text))
    assert sents[0].setbacks
    labels = ["trigger:vooruitgang", "trigger:ontwikkelingszorgen"]
    proba = np.array([[0.9, 0.7]])
    tags, _ = decode(sents, proba, labels, np.array([0.5, 0.5]), np.array([0.5, 0.5]))
    assert [labels[j] for _, j, _ in tags] == ["trigger:ontwikkelingszorgen"]


def test_progress_without_setback_stays_vooruitgang(nlp):
    sents = doc_sentences(nlp("Sem slaapt weer goed en gaat weer naar school."))
    assert not sents[0].setbacks
    tags, _ = decode(sents, np.array([[0.9]]), ["trigger:vooruitgang"], np.array([0.5]), np.array([0.5]))
    assert len(tags) == 1
