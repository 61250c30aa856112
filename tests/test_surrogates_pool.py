"""A long file whose own words rule out the short lists of institution names is still pseudonymised."""

from __future__ import annotations

from leerwerkplaats.core.cases import RawCase


def test_many_institutions_in_a_long_file_never_exhaust_the_pool(pseudonymiser):
    words = ["Linde", "Anker", "Regenboog", "Wilg", "Eik", "Kompas", "Vlinder", "Klimop", "Horizon", "Noord",
             "Zuid", "Oost", "West", "Centrum", "Brug", "Haven", "Toren", "Molen", "Bron", "Ster"]
    lines = [f"Het kind zat op OBS De {w} {i} en daarna op CBS {w}hof {i}; gesprek op school." for i, w in
             enumerate(words * 3)]
    text = "\n".join(lines) + "\n" + " ".join(w.lower() for w in words) + "\n"
    result = pseudonymiser.run(RawCase("lang", "", text))
    assert result.case.pii_counts.get("INSTELLING", 0) >= 40
