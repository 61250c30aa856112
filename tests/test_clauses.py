"""Context per clause, not per sentence; signals phrased as negations; who a clause is about."""

from __future__ import annotations

import numpy as np
import pytest

from leerwerkplaats.tagging.clause_context import clause_subjects, clauses, token_views
from leerwerkplaats.tagging.features import doc_sentences
from leerwerkplaats.tagging.nlp import build_nlp
from leerwerkplaats.tagging.tagger import decode


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


def _kind_of(nlp, text: str, word: str) -> str | None:
    return next(t._.lwp_context for t in nlp(text) if t.text == word)


@pytest.mark.parametrize(("text", "word", "kind"), [
    # a negated clause does not speak for the next clause
    ("Er zijn geen zorgen over school, vader slaat de kinderen als hij drinkt.", "slaat", None),
    ("Moeder drinkt niet meer, maar vader gebruikt dagelijks cocaïne.", "cocaïne", None),
    # a comma inside a list stays in the scope
    ("Er zijn geen signalen van drugs, alcohol of gokken.", "gokken", "negated"),
    # signals phrased as a negation are signals
    ("Ouders werken niet mee aan de hulp.", "hulp", None),
    ("Het wijkteam heeft geen zicht op de kinderen.", "kinderen", None),
    ("De inzet leidde niet tot verbetering.", "verbetering", None),
])
def test_scope_ends_at_the_clause(nlp, text, word, kind):
    assert _kind_of(nlp, text, word) == kind


def test_clauses_and_their_subjects(nlp):
    doc = nlp("De jongere wilde graag meewerken, maar moeder zegde de afspraak af.")
    views = token_views(doc)
    assert len(clauses(views)) == 2
    assert clause_subjects(views) == ["child", "parent"]


def test_a_trigger_beside_a_negated_clause_is_kept(nlp):
    sents = doc_sentences(nlp("Er zijn geen zorgen over school, vader slaat de kinderen als hij drinkt."))
    labels = ["trigger:fysiek_geweld"]
    tags, _ = decode(sents, np.array([[0.9]]), labels, np.array([0.5]), np.array([0.5]))
    assert len(tags) == 1


def test_parent_cooperation_is_not_tagged_for_a_child(nlp):
    sents = doc_sentences(nlp("De jongere wilde graag meewerken aan de hulp."))
    labels = ["trigger:medewerking_ouders"]
    tags, _ = decode(sents, np.array([[0.9]]), labels, np.array([0.5]), np.array([0.5]))
    assert tags == []


def test_parent_cooperation_is_tagged_for_parents(nlp):
    sents = doc_sentences(nlp("Moeder wilde graag meewerken aan de hulp."))
    tags, _ = decode(sents, np.array([[0.9]]), ["trigger:medewerking_ouders"], np.array([0.5]), np.array([0.5]))
    assert len(tags) == 1


def test_subject_rule_stays_off_when_a_name_may_be_the_subject(nlp):
    sents = doc_sentences(nlp("Volgens de jongere wil Fatima graag meewerken."))
    tags, _ = decode(sents, np.array([[0.9]]), ["trigger:medewerking_ouders"], np.array([0.5]), np.array([0.5]))
    assert len(tags) == 1


def test_subject_is_a_feature(nlp):
    (sent,) = doc_sentences(nlp("Moeder gebruikt dagelijks drugs."))
    assert sent.cues.get("subj=parent") == 1.0
