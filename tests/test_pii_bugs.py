"""Issue 17, the four bugs found in the code: each test failed before its fix.

All names, places and numbers are invented; the numbers pass their checksums and belong to nobody.
"""

from __future__ import annotations

import pytest

from leerwerkplaats.privacy import wordlists
from leerwerkplaats.privacy.analyzer import analyse
from leerwerkplaats.privacy.lexicon import is_word


def spans(analyzer, text: str) -> list[tuple[str, str]]:
    return [(text[f.start:f.end], f.type) for f in analyse(analyzer, text)]


def covered(analyzer, text: str, part: str) -> bool:
    mask = [False] * len(text)
    for f in analyse(analyzer, text):
        mask[f.start:f.end] = [True] * (f.end - f.start)
    start = text.index(part)
    return all(mask[start:start + len(part)])


# --- (a) the "ordinary word" vocabulary held proper nouns -----------------------------------

@pytest.mark.parametrize("name", ["Emma", "Daan", "Luna", "Julia", "Lisa", "Sterre", "Anna", "Eva"])
def test_first_names_are_not_ordinary_words(name):
    assert not is_word(name)


@pytest.mark.parametrize("word", ["roos", "storm", "visser", "hoop", "merel", "bakker", "winter", "kader",
                                  "beste", "elke", "leiden", "zon", "klas", "groen", "molen"])
def test_dutch_words_that_are_also_names_stay_words(word):
    assert is_word(word)


def test_vocabulary_holds_few_of_the_dutch_first_names():
    first = wordlists.names().first
    vocabulary = wordlists.dutch_vocabulary()
    dutch = {"Emma", "Daan", "Luna", "Julia", "Lisa", "Sterre", "Anna", "Eva", "Maria", "Johanna", "Nina", "Lena"}
    assert dutch <= first
    assert not {n.lower() for n in dutch} & vocabulary


def test_crf_features_keep_the_vocabulary_the_model_was_trained_on():
    # the shipped model's "voc" feature was learnt on the full lemma tables
    assert "emma" in wordlists.lemma_vocabulary()


@pytest.mark.parametrize("template", [
    "Gesprek met {n} over school.", "Daarna speelde {n} buiten.", "Wij zagen {n} en haar broer.",
    "Op school gaat het goed met {n}; zij leest graag.",
])
@pytest.mark.parametrize("name", ["Emma", "Julia", "Luna", "Lisa"])
def test_child_named_only_by_a_first_name_is_found(pseudonymiser, template, name):
    text = template.format(n=name)
    assert (name, "PERSOON") in spans(pseudonymiser.analyzer, text)


# --- (b) the multi-word place lookup compared the token with its full stop --------------------

@pytest.mark.parametrize("place", ["Den Haag", "Den Helder", "Bergen op Zoom", "Alphen aan den Rijn"])
@pytest.mark.parametrize("template", [
    "De zitting was bij de rechtbank {p}.", "Het gezin verhuisde naar {p}.\nDaarna ging het beter.",
    "Zij woont in {p}, dicht bij oma.", "Zij woont in {p}! Dat is ver.",
])
def test_multi_word_place_before_a_full_stop(pseudonymiser, place, template):
    text = template.format(p=place)
    assert (place, "PLAATS") in spans(pseudonymiser.analyzer, text)


# --- (c) "gezin"/"familie" counted as titles across a full stop -------------------------------

@pytest.mark.parametrize("title", ["het gezin", "de familie", "het gezin en de familie", "mevrouw", "meneer"])
@pytest.mark.parametrize("word", ["Daarna", "Vervolgens", "Toen", "Gisteren", "Verder", "Bovendien"])
def test_word_after_a_sentence_ending_in_a_title_is_not_a_name(pseudonymiser, title, word):
    text = f"Wij spraken met {title}. {word} gingen wij naar school."
    assert [s for s in spans(pseudonymiser.analyzer, text) if s[1] == "PERSOON"] == []


@pytest.mark.parametrize("text, name", [
    ("Gesprek met familie Jansen over school.", "Jansen"),
    ("Het gezin Yilmaz woont sinds kort hier.", "Yilmaz"),
    ("Wij belden fam. De Groot op.", "De Groot"),
])
def test_family_word_still_introduces_a_surname(pseudonymiser, text, name):
    assert covered(pseudonymiser.analyzer, text, name)


# --- (d) an institution span crossed a line break and swallowed an identifier -----------------

INSTITUTIONS = ["Kinderdagverblijf Het Bolwerk", "Huisartsenpraktijk Meijer", "OBS De Wilgen", "Stichting De Linde"]
NEXT_LINES = [
    ("T 071 512 34 56", "071 512 34 56", "TELEFOON"),
    ("Tel 06 1234 5678", "06 1234 5678", "TELEFOON"),
    ("Postcode 2345 AB", "2345 AB", "POSTCODE"),
    ("Leiden 2345 AB", "2345 AB", "POSTCODE"),
    ("Dorpsstraat 1 2345 AB Leiden", "2345 AB", "POSTCODE"),
    ("E info@bolwerk-voorbeeld.nl", "info@bolwerk-voorbeeld.nl", "EMAIL"),
]


@pytest.mark.parametrize("institution", INSTITUTIONS)
@pytest.mark.parametrize("line, value, kind", NEXT_LINES)
def test_institution_does_not_swallow_an_identifier_on_the_next_line(pseudonymiser, institution, line, value, kind):
    text = f"Contact:\n{institution}\n{line}\n"
    found = spans(pseudonymiser.analyzer, text)
    assert (value, kind) in found
    assert not any("\n" in surface and value in surface for surface, _ in found)
    assert covered(pseudonymiser.analyzer, text, institution)
