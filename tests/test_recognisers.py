"""Each recogniser on its own, with positive and negative cases; no NLP model needed."""

import json
from pathlib import Path

import pytest

from leerwerkplaats.privacy.analyzer import analyse
from leerwerkplaats.privacy.recognisers import (
    BsnRecogniser,
    DatumRecogniser,
    EmailRecogniser,
    IbanRecogniser,
    KentekenRecogniser,
    PostcodeRecogniser,
    TelefoonRecogniser,
    bsn_is_valid,
    iban_is_valid,
)


def found(recogniser, text):
    spans = {(r.start, r.end) for r in recogniser.analyze(text, recogniser.supported_entities, None) if r.score >= 0.4}
    return [text[s:e] for s, e in sorted(spans)]


@pytest.mark.parametrize("text,expected", [
    ("BSN 123456782", ["123456782"]),
    ("bsn: 1234.56.782", ["1234.56.782"]),
    ("BSN 123 456 782", ["123 456 782"]),
    ("artikel 123456789 is besteld", []),  # fails the 11-check
    ("totaal 1.234.567 euro", []),
])
def test_bsn(text, expected):
    assert found(BsnRecogniser(), text) == expected


def test_checksums():
    assert bsn_is_valid("123456782") and not bsn_is_valid("123456789")
    assert iban_is_valid("NL91 ABNA 0417 1643 00") and not iban_is_valid("NL92ABNA0417164300")


@pytest.mark.parametrize("text", [
    "06-12345678", "0612345678", "06 1234 5678", "+31 6 12345678", "+31 (0)6 1234 5678", "0031 6 12345678",
    "071-5120000", "071 - 512 00 00", "(070) 123 45 67", "088-1234567", "+49 30 1234567", "+90 532 123 45 67",
])
def test_phone_numbers(text):
    assert found(TelefoonRecogniser(), f"Bel {text} graag.") == [text]


@pytest.mark.parametrize("text", ["0800-2000", "0900-8844", "in 2019", "groep 3/4"])
def test_not_phone_numbers(text):
    assert found(TelefoonRecogniser(), text) == []


@pytest.mark.parametrize("text,expected", [
    ("op 12-03-2019", ["12-03-2019"]),
    ("maandag 4 november belde zij", ["maandag 4 november"]),
    ("ma 4/11 huisbezoek", ["ma 4/11"]),
    ("geboren 2019-03-12", ["2019-03-12"]),
    ("op 12 mrt. 2019 gesprek", ["12 mrt. 2019"]),
    ("in maart 2019", []),
    ("al drie maanden", []),
    ("zij is 8 jaar", []),
])
def test_dates(text, expected):
    assert found(DatumRecogniser(), text) == expected


@pytest.mark.parametrize("recogniser,text,expected", [
    (PostcodeRecogniser(), "2312 AB Leiden", ["2312 AB"]),
    (PostcodeRecogniser(), "2312AB", ["2312AB"]),
    (IbanRecogniser(), "rekening NL91ABNA0417164300", ["NL91ABNA0417164300"]),
    (IbanRecogniser(), "NL92 ABNA 0417 1643 00", []),
    (KentekenRecogniser(), "auto 12-ABC-3 en XV-123-B", ["12-ABC-3", "XV-123-B"]),
    (KentekenRecogniser(), "op 12-03-19", []),
    (EmailRecogniser(), "mail s.devries@hotmail.com.", ["s.devries@hotmail.com"]),
])
def test_other_patterns(recogniser, text, expected):
    assert found(recogniser, text) == expected


@pytest.mark.parametrize("text", [
    "Veilig Thuis deed onderzoek en de Raad voor de Kinderbescherming startte.",
    "De gezinsvoogd van Jeugdbescherming West sprak met moeder en de casemanager.",
    "Het wijkteam en de William Schrikker Stichting maakten een plan volgens Signs of Safety.",
    "Er zijn geen zorgen over de roos in de tuin; er was storm.",
])
def test_roles_and_chain_partners_untouched(pseudonymiser, text):
    assert analyse(pseudonymiser.analyzer, text) == []


@pytest.mark.parametrize("text,name", [
    ("Moeder Roos belde op.", "Roos"),
    ("Gesprek met mw. Visser over de school.", "Visser"),
    ("Jeugdbeschermer Karin Mulder sluit aan.", "Karin Mulder"),
    ("Daan (8) zit in groep 5.", "Daan"),
    ("Van: Jansen, Petra", "Jansen, Petra"),
])
def test_names_in_context(pseudonymiser, text, name):
    spans = [text[f.start:f.end] for f in analyse(pseudonymiser.analyzer, text) if f.type == "PERSOON"]
    assert any(name in s for s in spans), spans


def test_first_name_linked_after_full_mention(pseudonymiser):
    text = "Sanne de Vries (moeder) belde. Later zei Sanne dat mw. De Vries niet kon komen."
    spans = [text[f.start:f.end] for f in analyse(pseudonymiser.analyzer, text)]
    assert "Sanne" in spans and "De Vries" in spans


PII_CASES = Path(__file__).parent / "data" / "pii_cases.jsonl"
#: (line of pii_cases.jsonl, type, text) of every item we knowingly miss (measured 2026-12-02).
#: The test fails on a miss not listed here and on a listed item that is now caught: the list only shrinks.
KNOWN_FAILURES: list[tuple[int, str, str]] = [
    (6, 'PERSOON', 'Hoop'),
    (38, 'PERSOON', 'Roos'),
    (42, 'ADRES', 'Burgemeester de Withstraat 4-II'),
    (49, 'ADRES', 'Klaproos 14'),
    (50, 'ADRES', 'Merelstraat'),
    (69, 'PERSOON', 'Van Dijk'),
    (94, 'PERSOON', 'Roos'),
    (98, 'PERSOON', 'Hoop'),
    (102, 'INSTELLING', 'Protestantse Gemeente De Ark'),
    (104, 'INSTELLING', 'GGZ Lindehof'),
    (111, 'INSTELLING', 'Glans Schoonmaakdiensten'),
    (113, 'INSTELLING', 'judoclub Sakura'),
    (144, 'PERSOON', 'mo'),
    (163, 'PERSOON', 'Storm'),
    (171, 'PERSOON', 'S. de V.'),
    (173, 'PLAATS', 'Leiden'),
    (173, 'PERSOON', 'Roos'),
    (177, 'PERSOON', 'Storm'),
    (177, 'PERSOON', 'Roos'),
    (180, 'PERSOON', 'Roos'),
]


def test_pii_regression_file_misses_exactly_the_known_failures(pseudonymiser):
    """Every marked item of the regression file is covered, but for the named known failures."""
    cases = [json.loads(line) for line in PII_CASES.read_text(encoding="utf-8").splitlines() if line.strip()]
    missed = []
    for lineno, case in enumerate(cases, start=1):
        text = case["text"]
        covered = [False] * len(text)
        for f in analyse(pseudonymiser.analyzer, text):
            covered[f.start:f.end] = [True] * (f.end - f.start)
        for item in case["pii"]:
            start = text.index(item["text"])
            if not all(covered[start:start + len(item["text"])]):
                missed.append((lineno, item["type"], item["text"]))
    assert sum(len(c["pii"]) for c in cases) >= 100
    assert missed == KNOWN_FAILURES
