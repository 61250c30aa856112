import datetime as dt
import re

import pytest
from click.testing import CliRunner

from leerwerkplaats.cli import main
from leerwerkplaats.core.cases import RawCase
from leerwerkplaats.core.errors import KeyFileError, PseudonymisationError
from leerwerkplaats.privacy import dates, keyfile

TEXT = """Dossier gezin De Vries, BSN 123456782
12-03-2019: Melding van school over Sanne de Vries (moeder). Tel. 06-12345678.
19-03-2019: Huisbezoek bij mw. De Vries en Sanne, Kerkstraat 12a, 2312 AB Leiden. S. de Vries was open.
Vader Mo Yilmaz (dhr. Yilmaz) belde op maandag 25 maart 2019.
Jeugdbeschermer van Jeugdbescherming West en Veilig Thuis waren betrokken.
"""


@pytest.fixture(scope="module")
def result(pseudonymiser):
    return pseudonymiser.run(RawCase("casus-x", "casus-x.txt", TEXT))


def test_identifiers_are_gone(result):
    out = result.case.text
    for original in ["Sanne", "Vries", "123456782", "06-12345678", "Kerkstraat", "2312 AB", "Leiden", "Yilmaz", "12-03-2019"]:
        assert original not in out


def test_story_outside_spans_is_byte_identical(result):
    out = result.case.text
    assert "Jeugdbeschermer van Jeugdbescherming West en Veilig Thuis waren betrokken.\n" in out
    assert out.startswith("Dossier gezin ")
    pieces = re.split("|".join(re.escape(out[s.start:s.end]) for s in sorted(result.case.replaced, key=lambda s: -(s.end - s.start))), out)
    assert all(p in TEXT for p in pieces)


def test_variants_map_to_one_pseudonym(result):
    entries = {e.original: result.case.text[e.start:e.end] for e in result.key}
    assert entries["Sanne"] == entries["Sanne de Vries"].split()[0]
    assert entries["De Vries"].lower().endswith(entries["Sanne de Vries"].split(" ", 1)[1].split()[-1].lower())
    assert entries["Yilmaz"] == entries["Mo Yilmaz"].split()[-1]


def test_no_pseudonym_occurs_in_the_original(result):
    for span in result.case.replaced:
        new = result.case.text[span.start:span.end]
        if span.type in {"PERSOON", "PLAATS"}:
            for word in re.findall(r"\w{3,}", new):
                assert word.lower() not in TEXT.lower(), word


def test_date_intervals_preserved(result):
    new_dates = [result.case.text[s.start:s.end] for s in result.case.replaced if s.type == "DATUM"]
    parsed = [dates.parse(d, 2019).date for d in new_dates]
    assert (parsed[1] - parsed[0]).days == 7
    assert (parsed[2] - parsed[1]).days == 6
    assert abs(result.date_shift_days) >= 14


def test_deterministic_for_a_seed(pseudonymiser):
    a = pseudonymiser.run(RawCase("casus-x", "", TEXT)).case.text
    b = pseudonymiser.run(RawCase("casus-x", "", TEXT)).case.text
    assert a == b


def test_tags_style():
    from leerwerkplaats.privacy.pseudonymise import Pseudonymiser

    p = Pseudonymiser(Pseudonymiser.build().analyzer, style="tags")
    out = p.pseudonymise(RawCase("casus-x", "", TEXT)).text
    assert "[PERSOON-1]" in out and "[BSN-1]" in out


def test_key_round_trip(tmp_path, result):
    path = tmp_path / "k.key"
    keyfile.write_key(path, {"casus-x": keyfile.entries_for(result)}, "zeer geheim")
    assert b"Sanne" not in path.read_bytes()
    record = keyfile.read_key(path, "zeer geheim")["casus-x"]
    assert keyfile.reidentify(result.case.text, record) == TEXT
    with pytest.raises(KeyFileError):
        keyfile.read_key(path, "fout")
    with pytest.raises(KeyFileError):
        keyfile.reidentify(result.case.text + "x", record)


def test_survivor_fails_closed(pseudonymiser):
    from leerwerkplaats.core.cases import PseudonymisedCase
    from leerwerkplaats.core.records import PiiSpan
    from leerwerkplaats.privacy.pseudonymise import KeyEntry, PseudonymisationResult

    case = PseudonymisedCase("x", "Lotte en Yilmaz", (PiiSpan(0, 5, "PERSOON"),))
    fake = PseudonymisationResult(case, (KeyEntry(0, 5, "PERSOON", "Yilmaz"),), 20)
    with pytest.raises(PseudonymisationError, match="still occurs"):
        pseudonymiser.verify(RawCase("x", "", "Yilmaz en Yilmaz"), fake)


def test_runs_offline(no_network):
    from leerwerkplaats.privacy.pseudonymise import Pseudonymiser

    out = Pseudonymiser.build(seed=3).pseudonymise(RawCase("n", "", "Mail s.devries@hotmail.com of bel 06-12345678."))
    assert "s.devries" not in out.text and "12345678" not in out.text


def test_cli_strict_mode_and_outputs(tmp_path, monkeypatch):
    monkeypatch.setenv("LEERWERKPLAATS_PASSPHRASE", "geheim-en-lang-genoeg")
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(TEXT, encoding="utf-8")
    (raw / "leeg.txt").write_text("", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["pseudonymise", str(raw), "-o", str(out), "--key", str(tmp_path / "k.key")])
    assert result.exit_code == 3  # the empty file was withheld, and is named
    assert "leeg.txt: cannot read: is empty" in result.output
    assert (out / "casus-001.txt").exists() and not (out / "casus-002.txt").exists()  # neutral names
    assert (tmp_path / "leerwerkplaats-controlerapport.html").exists()  # beside the input folder, not in it
    assert not (raw / "leerwerkplaats-controlerapport.html").exists()
    assert not any(p.suffix in {".key", ".html"} for p in out.iterdir())
    back = CliRunner().invoke(main, ["reidentify", str(out / "casus-001.txt"), "--key", str(tmp_path / "k.key"), "-o", str(tmp_path / "terug")])
    assert back.exit_code == 0
    assert (tmp_path / "terug" / "casus-001.txt").read_text(encoding="utf-8") == TEXT


def test_cli_refuses_key_inside_output(tmp_path, monkeypatch):
    monkeypatch.setenv("LEERWERKPLAATS_PASSPHRASE", "geheim")
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(main, ["pseudonymise", str(tmp_path / "a.txt"), "-o", str(tmp_path / "o"), "--key", str(tmp_path / "o" / "k.key")])
    assert result.exit_code != 0 and "inside the output folder" in result.output


@pytest.mark.parametrize("surface,days,expected", [
    ("17-06-2010", -77, "01-04-2010"),
    ("1-4-2010", 3, "4-4-2010"),
    ("12 mrt. 2019", 31, "12 apr. 2019"),
    ("maandag 4 november", 1, "dinsdag 5 november"),
    ("Woensdag 9 oktober 2019", 7, "Woensdag 16 oktober 2019"),
    ("ma 4/11", 2, "wo 6/11"),
    ("2019-03-12", -12, "2019-02-28"),
])
def test_dates_keep_their_notation(surface, days, expected):
    mention = dates.parse(surface, 2019)
    assert dates.render(mention, mention.date + dt.timedelta(days=days)) == expected


def test_file_named_after_a_family_gets_a_neutral_name(pseudonymiser):
    out = pseudonymiser.pseudonymise(RawCase("dossier_Sanne_de_Vries_2019", "x.txt", TEXT))
    assert "Sanne" not in out.name and "Vries" not in out.name and out.name.startswith("casus-")
    assert pseudonymiser.pseudonymise(RawCase("casus-012", "x.txt", TEXT)).name == "casus-012"


def test_key_file_is_private_and_outputs_are_not(tmp_path, result):
    keyfile.write_key(tmp_path / "k.key", {"casus-x": keyfile.entries_for(result)}, "geheim")
    assert (tmp_path / "k.key").stat().st_mode & 0o077 == 0
    from leerwerkplaats.core.io_atomic import write_text_atomic

    write_text_atomic(tmp_path / "uit.txt", "x")
    assert (tmp_path / "uit.txt").stat().st_mode & 0o044  # readable like any file the user writes


def _eight_digit_bsn() -> str:
    from leerwerkplaats.privacy.recognisers import bsn_is_valid

    return next(f"{n:08d}" for n in range(10_000_000, 99_999_999, 7) if bsn_is_valid(f"{n:08d}"))


def test_strict_withholds_a_file_the_review_doubts(tmp_path, monkeypatch):
    # An 8-digit number that passes the 11-check is below the replacement threshold without
    # the word BSN nearby, but the lower-threshold review pass still flags it.
    text = f"Moeder noemde het nummer {_eight_digit_bsn()} aan de telefoon.\n"
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "twijfel.txt").write_text(text, encoding="utf-8")
    lenient = CliRunner().invoke(main, ["pseudonymise", str(raw), "-o", str(tmp_path / "a"), "--no-review-report"])
    assert lenient.exit_code == 0 and (tmp_path / "a" / "casus-001.txt").exists()
    strict = CliRunner().invoke(main, ["pseudonymise", str(raw), "-o", str(tmp_path / "b"), "--strict", "--no-review-report"])
    assert strict.exit_code == 3
    assert "twijfel.txt" in strict.output and "review found" in strict.output
    assert not (tmp_path / "b" / "casus-001.txt").exists()
