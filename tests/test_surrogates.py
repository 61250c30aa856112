"""Surrogates: never near an original, a pool that never runs out, like for like, stable under edits."""

from __future__ import annotations

import random
import re

import pytest

from leerwerkplaats.core.cases import RawCase
from leerwerkplaats.privacy import wordlists
from leerwerkplaats.privacy.institutions import is_head_word
from leerwerkplaats.privacy.overlaps import Finding
from leerwerkplaats.privacy.surrogates import _foreign_cities, shares_stem
from leerwerkplaats.privacy.tokens import INTERFIXES

#: Originals that Faker's lists extend ("Bos" → "Bosman", "Smit" → "Smits", "Jan" → "Jannes").
_SURNAMES = ("Bos", "Smit", "Berg", "Dijk", "Vries", "Jansen", "Bakker", "Visser", "Mulder", "Kok", "Veen", "Hoek")
_FIRSTS = ("Jan", "Ann", "Bram", "Rob", "Lotte", "Emma", "Sem", "Noa", "Tim", "Lis", "Mila", "Finn")
_PLACES = ("Ede", "Assen", "Zwolle", "Delft", "Lisse", "Sneek", "Hoorn", "Gouda")
_STREETS = ("Kerkstraat", "Dorpsweg", "Molenlaan", "Schoolstraat", "Julianastraat")
_INSTITUTIONS = ("OBS De Linde", "Basisschool Het Anker", "Huisartsenpraktijk Bos", "De Regenboog College")
_KEPT = INTERFIXES | {"postbus"}


def _file(parts: list[tuple[str, str]], name: str = "casus-surr") -> tuple[RawCase, list[Finding]]:
    """A file of ``"- <mention>"`` lines with one finding per mention."""
    text, findings = "", []
    for surface, kind in parts:
        text += "- "
        findings.append(Finding(len(text), len(text) + len(surface), kind, 1.0))
        text += surface + "\n"
    return RawCase(name, f"{name}.txt", text), findings


def _surrogates(result) -> dict[str, str]:
    return {e.original: result.case.text[e.start:e.end] for e in result.key}


def _invented(surrogate: str) -> str:
    """The surrogate without the words it keeps from its original (type words, particles, numbers)."""
    return " ".join(w for w in re.findall(r"[^\W\d_]+", surrogate) if not is_head_word(w) and w.lower() not in _KEPT)


def _stems(text: str) -> set[str]:
    return {w for w in re.findall(r"[^\W\d_]+", text.lower()) if len(w) >= 3 and w not in _KEPT}


# -- 1. never near an original --------------------------------------------------
@pytest.mark.parametrize("seed", range(30))
def test_no_surrogate_shares_a_stem_with_an_original_of_the_file(pseudonymiser, seed):
    # Arrange: a seeded family of files mixing short names that Faker's lists extend
    rng = random.Random(seed)
    firsts, lasts = rng.sample(_FIRSTS, 5), rng.sample(_SURNAMES, 6)
    parts = [(f"{f} {s}", "PERSOON") for f, s in zip(firsts, lasts)] + [(lasts[-1], "PERSOON")]
    parts += [(p, "PLAATS") for p in rng.sample(_PLACES, 3)]
    parts += [(f"{s} {rng.randint(1, 200)}", "ADRES") for s in rng.sample(_STREETS, 2)]
    parts += [(i, "INSTELLING") for i in rng.sample(_INSTITUTIONS, 2)]
    raw, findings = _file(parts, f"casus-stem-{seed}")
    originals = set().union(*(_stems(s) for s, _ in parts)) - {"obs", "basisschool", "huisartsenpraktijk", "college"}

    # Act
    result = pseudonymiser.run(raw, findings=findings, skip=("residual",))

    # Assert
    for original, surrogate in _surrogates(result).items():
        assert surrogate.lower() != original.lower()
        invented = _invented(surrogate)
        assert not shares_stem(invented, originals), (original, surrogate)


def test_bos_and_smit_never_become_bosman_or_smits(pseudonymiser):
    raw, findings = _file([("Bos", "PERSOON"), ("Smit", "PERSOON"), ("Jan Bos", "PERSOON")])

    out = pseudonymiser.run(raw, findings=findings, skip=("residual",)).case.text.lower()

    assert "bos" not in out and "smit" not in out


# -- 2. a pool that never runs out ---------------------------------------------------
def test_a_list_of_300_first_names_is_pseudonymised_not_withheld(pseudonymiser):
    # Arrange: a participant list, names drawn from the very lists the surrogates come from
    names = random.Random(3).sample(sorted(wordlists.names().first), 300)
    raw, findings = _file([(n, "PERSOON") for n in names], "deelnemerslijst")

    # Act
    result = pseudonymiser.run(raw, findings=findings, skip=("residual",))

    # Assert
    surrogates = _surrogates(result)
    assert len(surrogates) == 300
    assert len({s.lower() for s in surrogates.values()}) == 300
    originals = set().union(*(_stems(n) for n in names))
    for original, surrogate in surrogates.items():
        assert surrogate.lower() != original.lower()
        assert not shares_stem(surrogate, originals), (original, surrogate)


# -- 3. like for like ---------------------------------------------------------------
def test_a_place_found_as_a_person_still_becomes_a_place(pseudonymiser):
    text = "Hij werkte in polen als visser in Gdańsk en woonde later in Assen."
    findings = [Finding(text.index("Gdańsk"), text.index("Gdańsk") + 6, "PERSOON", 0.9),
                Finding(text.index("Assen"), text.index("Assen") + 5, "PERSOON", 0.9)]

    surrogates = _surrogates(pseudonymiser.run(RawCase("x", "x.txt", text), findings=findings, skip=("residual",)))

    assert surrogates["Gdańsk"] in _foreign_cities()["pl_PL"]  # a Polish city for a Polish city
    assert surrogates["Assen"] in wordlists.places()
    assert surrogates["Assen"] not in wordlists.names().first


def test_a_place_split_over_the_span_keeps_its_first_word(pseudonymiser):
    text = "Zij verblijft in het azc in Ter Apel."
    start = text.index("Apel")

    out = pseudonymiser.run(RawCase("x", "x.txt", text), findings=[Finding(start, start + 4, "PERSOON", 0.9)],
                            skip=("residual",)).case.text

    place = re.search(r"in (Ter \w[\w ]*)\.$", out).group(1)
    assert place in wordlists.places() and place != "Ter Apel"


@pytest.mark.parametrize("kind", ["PLAATS", "PERSOON"])
def test_a_foreign_city_becomes_a_foreign_city(pseudonymiser, kind):
    text = "Vader woont in Wismar."
    start = text.index("Wismar")

    surrogate = _surrogates(pseudonymiser.run(RawCase("x", "x.txt", text),
                                              findings=[Finding(start, start + 6, kind, 0.9)], skip=("residual",)))
    assert surrogate["Wismar"] in _foreign_cities()["de_DE"]


@pytest.mark.parametrize("text, surface", [
    ("Opname in het Duinrand Ziekenhuis.", "Duinrand Ziekenhuis"),
    ("Hij zit op het Van der Capellen College.", "Capellen College"),
    ("Zij zit op de Basisschool De Linde.", "Basisschool De Linde"),
    ("Hij zit op OBS De Linde.", "OBS De Linde"),
])
def test_institutions_are_grammatical(pseudonymiser, text, surface):
    start = text.index(surface)
    out = pseudonymiser.run(RawCase("x", "x.txt", text), findings=[Finding(start, start + len(surface), "INSTELLING",
                                                                           0.9)], skip=("residual",)).case.text
    assert not re.search(r"(?i)\b(de|het|van der)\s+(de|het)\b", out), out
    head = surface.split()[-1] if surface.split()[-1] in {"Ziekenhuis", "College"} else surface.split()[0]
    assert out.count(head) == 1, out


# -- 4. stable ---------------------------------------------------------------------------
STORY = ("Gesprek met Sanne de Vries en haar zoon Daan op 12 maart 2019 in Leiderdorp.\n"
         "Daan zit op OBS De Linde; de jeugdige heet thuis Pluk. Vader Mehmet Yilmaz woont in Gouda,\n"
         "Kerkstraat 12. Oma Fatma belt vaak; Daan logeert bij haar in Assen.\n")


def test_adding_or_removing_one_span_changes_no_other_surrogate(pseudonymiser):
    # Arrange
    raw = RawCase("casus-stabiel", "casus-stabiel.txt", STORY)
    found = pseudonymiser.find(STORY)
    start = STORY.index("Pluk")
    added = sorted([*found, Finding(start, start + 4, "PERSOON", 1.0)], key=lambda f: f.start)
    removed = [f for f in found if STORY[f.start:f.end] != "Gouda"]

    # Act
    base = _surrogates(pseudonymiser.run(raw, findings=found, skip=("residual",)))
    plus = _surrogates(pseudonymiser.run(raw, findings=added, skip=("residual",)))
    minus = _surrogates(pseudonymiser.run(raw, findings=removed, skip=("residual",)))

    # Assert
    assert "Pluk" in plus and "Pluk" not in base
    assert {k: v for k, v in plus.items() if k != "Pluk"} == base
    assert minus == {k: v for k, v in base.items() if k != "Gouda"}


def test_the_order_of_the_mentions_does_not_choose_the_surrogates(pseudonymiser):
    parts = [(n, "PERSOON") for n in ("Femke Bos", "Ruben Smit", "Ilse", "Youssef")] + [("Gouda", "PLAATS")]
    forward_raw, forward_found = _file(parts, "casus-volgorde")
    backward_raw, backward_found = _file(parts[::-1], "casus-volgorde")

    forward = _surrogates(pseudonymiser.run(forward_raw, findings=forward_found, skip=("residual",)))
    backward = _surrogates(pseudonymiser.run(backward_raw, findings=backward_found, skip=("residual",)))

    assert forward == backward
