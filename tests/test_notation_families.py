"""Issue 17, notation families: each notation is tested as a family of generated variants.

Every family draws its variants with a seeded ``random.Random``, so a run is the same
each time and a failure names the variant. Names, numbers and addresses are invented:
the numbers pass their checksums (BSN 11-check, IBAN mod-97) and belong to nobody.
Each family has a negative side too: the lookalikes that must stay untouched.
"""

from __future__ import annotations

import random
import re

import pytest
from stdnum import iban

from leerwerkplaats.privacy.analyzer import analyse
from leerwerkplaats.privacy.recognisers import (
    BsnRecogniser,
    IbanRecogniser,
    SpelledEmailRecogniser,
    TelefoonRecogniser,
)

VARIANTS = 30
FIRST = ["Sanne", "Pieter", "Noor", "Milan", "Fleur", "Joost", "Ilse", "Yara", "Ruben", "Lotte", "Sevda", "Kees"]
SURNAMES = ["Jansen", "Meijering", "Kroeze", "Hofstede", "Vlasbloem", "Brinkhuis", "Oudshoorn", "Ramdin", "Akkerboom"]
PARTICLES = ["van", "de", "van der", "van den", "ter", "ten", "van de", "den", "van 't", "in 't"]
LABEL_CONTEXT = ["Het {v} staat in het dossier.", "Gegevens: {v}\n", "Zie {v} voor de stukken.", "({v})"]


def covered(analyzer, text: str, part: str) -> bool:
    mask = [False] * len(text)
    for f in analyse(analyzer, text):
        mask[f.start:f.end] = [True] * (f.end - f.start)
    start = text.index(part)
    return all(mask[start:start + len(part)])


def touched(analyzer, text: str) -> list[str]:
    return [text[f.start:f.end] for f in analyse(analyzer, text)]


def found(recogniser, text: str) -> list[str]:
    spans = {(r.start, r.end) for r in recogniser.analyze(text, recogniser.supported_entities, None) if r.score >= 0.4}
    return [text[s:e] for s, e in sorted(spans)]


def family(seed: int, make, n: int = VARIANTS) -> list:
    rng = random.Random(seed)
    return [make(rng) for _ in range(n)]


# --- identifier numbers --------------------------------------------------------------------

def valid_bsn(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
        rest = sum((9 - i) * d for i, d in enumerate(digits)) % 11
        if rest < 10:
            return "".join(map(str, digits)) + str(rest)


def grouped(digits: str, rng: random.Random, separator: str, groups: int | None = None, longest: int = 4) -> str:
    """``digits`` cut into ``groups`` runs (random when not given) of at most ``longest`` digits."""
    fewest = -(-len(digits) // longest)
    groups = max(groups or rng.randint(fewest, 5), fewest)
    while True:
        cuts = sorted(rng.sample(range(1, len(digits)), groups - 1))
        parts = [digits[a:b] for a, b in zip([0, *cuts], [*cuts, len(digits)])]
        if all(len(p) <= longest for p in parts):
            return separator.join(parts)


def bsn_variant(rng: random.Random) -> tuple[str, str]:
    value = grouped(valid_bsn(rng), rng, rng.choice([".", "-", " "]))
    template = rng.choice(["BSN: {v}", "bsn moeder {v}.", "Burgerservicenummer {v}, geverifieerd.", "Kind ({v})",
                           "gegevens jeugdige {v}\n"])
    return template.format(v=value), value


@pytest.mark.parametrize("text, value", family(1, bsn_variant, 60))
def test_bsn_in_any_grouping(text, value):
    assert found(BsnRecogniser(), text) == [value]


@pytest.mark.parametrize("text", family(2, lambda rng: "nummer " + grouped(
    (lambda d: d[:8] + str((int(d[8]) + rng.randint(1, 9)) % 10))(valid_bsn(rng)), rng, rng.choice([".", "-", " "]))))
def test_grouped_numbers_failing_the_11_check_are_no_bsn(text):
    assert found(BsnRecogniser(), text) == []


def test_labelled_bsn_is_withheld_in_any_grouping_even_with_a_typo():
    assert found(BsnRecogniser(), "BSN: 12-34-56-789") == ["12-34-56-789"]


def phone_variant(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.4:
        area, rest = "06", "".join(str(rng.randint(0, 9)) for _ in range(8))
    else:
        area = rng.choice(["010", "020", "030", "070", "071", "0172", "0226", "0591", "0513"])
        rest = "".join(str(rng.randint(1, 9)) for _ in range(10 - len(area)))
    style = rng.choice(["brackets", "brackets", "dots", "dots", "intl dots", "intl brackets"])
    if style == "brackets":
        value = f"({area}){rng.choice(['', ' ', '-'])}{grouped(rest, rng, rng.choice([' ', '', '-']), rng.randint(1, 3), 8)}"
    elif style == "dots":
        value = f"{area}.{grouped(rest, rng, '.', rng.randint(1, 4), 8)}"
    elif style == "intl dots":
        value = f"+31.{area[1:]}.{grouped(rest, rng, '.', rng.randint(1, 3), 8)}"
    else:
        value = f"(+31){rng.choice(['', ' '])}{area[1:]} {grouped(rest, rng, ' ', rng.randint(1, 3), 8)}"
    template = rng.choice(["Bel {v} graag.", "tel. {v}", "Telefoon: {v}\n", "bereikbaar op {v}, ook 's avonds"])
    return template.format(v=value), value


@pytest.mark.parametrize("text, value", family(3, phone_variant, 60))
def test_phone_numbers_with_brackets_or_dots(text, value):
    assert found(TelefoonRecogniser(), text) == [value]


@pytest.mark.parametrize("text", [
    "op 01.03.2019 om 14.30 uur", "geboren 03.11.2015", "versie 0.12.3", "bedrag 0.75", "tussen 09.00 en 17.00",
    "(0800) 2000", "0900.8844", "(06) 1234", "artikel 1.3.4.5",
])
def test_dotted_or_bracketed_lookalikes_are_no_phone_numbers(text):
    assert found(TelefoonRecogniser(), text) == []


def valid_iban(rng: random.Random) -> str:
    bank = rng.choice(["ABNA", "INGB", "RABO", "SNSB", "TRIO", "ASNB"])
    account = "".join(str(rng.randint(0, 9)) for _ in range(10))
    return "NL" + iban.calc_check_digits(f"NL00{bank}{account}") + bank + account


def iban_variant(rng: random.Random) -> tuple[str, str]:
    compact = valid_iban(rng)
    separator = rng.choice(["", " ", "-", "-"])
    value = separator.join(compact[i:i + 4] for i in range(0, len(compact), 4)) if separator else compact
    value = rng.choice([value.lower(), value, value[:2] + value[2:].lower(), value.lower()])
    template = rng.choice(["rekening {v}", "IBAN: {v}.", "Bankrekening {v} (ten name van moeder)", "{v}\n",
                           "op rekening {v} of contant"])
    return template.format(v=value), value


def foreign_iban_variant(rng: random.Random) -> tuple[str, str]:
    country, length = rng.choice([("PL", 24), ("DE", 18), ("BE", 12), ("TR", 22)])
    while True:
        bban = "".join(str(rng.randint(0, 9)) for _ in range(length))
        compact = country + iban.calc_check_digits(f"{country}00{bban}") + bban
        if iban.is_valid(compact):
            break
    value = " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))
    return rng.choice(["rekening {v} bij", "te betalen op rekening {v} of contant", "IBAN {v} van oom"]).format(v=value), value


@pytest.mark.parametrize("text, value", family(13, foreign_iban_variant))
def test_foreign_iban_before_a_short_word(text, value):
    assert found(IbanRecogniser(), text) == [value]


@pytest.mark.parametrize("text, value", family(4, iban_variant))
def test_iban_in_lowercase_or_with_hyphens(text, value):
    assert found(IbanRecogniser(), text) == [value]


@pytest.mark.parametrize("text", ["rekening nl92abna0417164300", "NL92-ABNA-0417-1643-00", "nl12 abcd efgh ijkl mn"])
def test_iban_lookalikes_failing_mod_97(text):
    assert found(IbanRecogniser(), text) == []


# --- spelled-out e-mail and handles ---------------------------------------------------------

def spelled_email(rng: random.Random) -> tuple[str, str]:
    user = rng.choice(["sanne.devries", "p.jansen", "milan_k08", "fleur-hofstede", "noor1987"])
    domain = rng.choice(["hotmail", "gmail", "ziggo", "kpnmail", "outlook"])
    tld = rng.choice(["nl", "com"])
    at = rng.choice([" [at] ", "[at]", " (at) ", "(at)", " [@] ", " {at} ", " [apenstaartje] "])
    dot = rng.choice([" [punt] ", "[punt]", " (punt) ", " [dot] ", "(dot)", ".", " punt "])
    value = f"{user}{at}{domain}{dot}{tld}"
    template = rng.choice(["mail naar {v} graag", "E-mail: {v}\n", "Haar adres is {v}.", "({v})"])
    return template.format(v=value), value.strip()


@pytest.mark.parametrize("text, value", family(5, spelled_email))
def test_spelled_out_email(text, value):
    assert found(SpelledEmailRecogniser(), text) == [value]


@pytest.mark.parametrize("text", ["Moeder is [at] home", "zie punt 3 (at) de bijlage", "vader at het op"])
def test_no_email_without_a_domain(text):
    assert found(SpelledEmailRecogniser(), text) == []


def handle(rng: random.Random) -> tuple[str, str]:
    name = rng.choice(FIRST).lower() + rng.choice(["", "_", ".", ""]) + rng.choice(SURNAMES).lower()[:rng.randint(3, 8)]
    name += rng.choice(["", "08", "_2011", "x", ""])
    template = rng.choice(["Zij zit op instagram als @{v} en post veel.", "tiktok: @{v}\n", "Hij volgt @{v}.",
                           "Via snapchat (@{v}) stuurde hij berichten.", "account @{v} is privé"])
    return template.format(v=name), name


@pytest.mark.parametrize("text, value", family(6, handle))
def test_social_media_handles(pseudonymiser, text, value):
    assert covered(pseudonymiser.analyzer, text, value)


@pytest.mark.parametrize("text", ["mail p.jansen@hotmail.com", "prijs @ 5 euro", "@ 14:00 uur overleg"])
def test_handles_leave_email_and_at_signs_alone(pseudonymiser, text):
    assert [t for t in touched(pseudonymiser.analyzer, text) if not t.endswith(".com")] == []


# --- numbers after a label, court case numbers ------------------------------------------------

def labelled_number(rng: random.Random) -> tuple[str, str]:
    label = rng.choice(["VT-nr", "VT-nr.", "zaaknummer", "Zaaknr.", "ref.", "Ref:", "dossiernr", "dossiernr.",
                        "kenmerk:", "Ons kenmerk", "cliëntnr", "registratienummer", "BRP-nr", "meldingnummer",
                        "AMK-nummer", "casusnummer", "Uw ref.", "referentienr", "SAG-nr"])
    digits = "".join(str(rng.randint(0, 9)) for _ in range(rng.randint(4, 8)))
    value = rng.choice([digits, f"{rng.randint(2019, 2025)}-{digits}", f"JZ/{rng.randint(2019, 2025)}/{digits[:4]}",
                        f"VT{digits}", f"{digits[:3]}.{digits[3:]}", f"AB-{digits}", f"{digits}-{rng.randint(1, 9)}",
                        f"KTB/ZR/{rng.randint(2019, 2025)}-{digits[:4]}"])
    separator = rng.choice([" ", ": ", " ", ":"]) if not label.endswith(":") else " "
    template = rng.choice(LABEL_CONTEXT)
    return template.format(v=f"{label}{separator}{value}"), value


@pytest.mark.parametrize("text, value", family(7, labelled_number, 60))
def test_numbers_after_any_label(pseudonymiser, text, value):
    assert covered(pseudonymiser.analyzer, text, value)


@pytest.mark.parametrize("text", [
    "huisnummer 12 is gesloopt", "groepsnummer 3", "artikelnummer 1:255 BW", "pagina 123 van het rapport",
    "weeknummer 12", "versienummer 2.1", "artikel 1:255 BW", "het Telefoonnummer is onbekend", "het nummer 3 van de lijst",
    "dat nummer 118 bellen", "bus nr. 412 gemist",
])
def test_labels_that_carry_no_identifier(pseudonymiser, text):
    assert touched(pseudonymiser.analyzer, text) == []


def case_number(rng: random.Random) -> str:
    court = f"{rng.choice('CK')}/{rng.randint(1, 19):02d}/{rng.randint(10000, 9999999)}"
    year = rng.randint(19, 25)
    kind = f"{rng.choice(['JE', 'FA', 'EA', 'HA'])}{rng.choice([' ', ''])}{rng.choice(['RK', 'ZA', 'RQ'])}"
    tail = f"{kind}{rng.choice([' ', ''])}{year}{rng.choice(['-', '/', ' '])}{rng.randint(1, 99999)}"
    return rng.choice([court, tail, f"{court}{rng.choice([' / ', '/', ' ', '; ', ' en '])}{tail}",
                       f"{rng.randint(200, 200)}.{rng.randint(100, 999)}.{rng.randint(100, 999)}/{rng.randint(1, 2):02d}"])


def court_variant(rng: random.Random) -> tuple[str, str]:
    value = case_number(rng)
    template = rng.choice(["In de zaak {v} besliste de rechter.", "zaaknummer / rekestnummer: {v}\n",
                           "Beschikking ({v}) van de kinderrechter.", "{v}\nDe kinderrechter,"])
    return template.format(v=value), value


@pytest.mark.parametrize("text, value", family(8, court_variant, 60))
def test_court_style_case_numbers(pseudonymiser, text, value):
    for part in re.split(r" en |; ", value):
        assert covered(pseudonymiser.analyzer, text, part)


# --- names -------------------------------------------------------------------------------------

def capitals_name(rng: random.Random) -> tuple[str, str]:
    first, last = rng.choice(FIRST).upper(), rng.choice(SURNAMES).upper()
    particle = rng.choice(["", "", "VAN ", "DE ", "VAN DER ", "TER "])
    shape = rng.choice(["header", "header", "running", "running", "list"])
    if shape == "header":
        value = f"{particle}{last}, {first}"
        return rng.choice(["{v}\nGeboren: 12-03-2015\n", "Cliënt: {v}\n", "{v}\n"]).format(v=value), value
    value = f"{first} {particle}{last}"
    if shape == "running":
        template = rng.choice(["Vandaag sprak ik met {v} over school.", "Moeder noemde {v} als contactpersoon.",
                               "Daarna belde {v} terug."])
    else:
        template = rng.choice(["Aanwezig: {v}, moeder, jeugdbeschermer.\n", "- {v} (oom)\n"])
    return template.format(v=value), value


@pytest.mark.parametrize("text, value", family(9, capitals_name))
def test_names_in_capitals(pseudonymiser, text, value):
    assert covered(pseudonymiser.analyzer, text, value)


@pytest.mark.parametrize("text", [
    "GESPREKSVERSLAG, BIJLAGE\n", "ZORGEN EN KRACHTEN\n", "VEILIGHEIDSPLAN, VERSIE 2\n", "AFSPRAKEN, ACTIEPUNTEN\n",
    "Er is een OTS UITGESPROKEN door de rechter.", "PLAN VAN AANPAK\n",
])
def test_headings_in_capitals_are_no_names(pseudonymiser, text):
    assert touched(pseudonymiser.analyzer, text) == []


def particle_after_title(rng: random.Random) -> tuple[str, str]:
    title = rng.choice(["mevrouw", "meneer", "Mevrouw", "Meneer", "mw.", "dhr.", "mevr.", "de heer"])
    value = f"{rng.choice(PARTICLES)} {rng.choice(SURNAMES + ['Berg', 'Dijk', 'Groot', 'Hart', 'Vries'])}"
    template = rng.choice(["Gesprek met {t} {v} over de afspraken.", "{T} {v} belde terug.", "Volgens {t} {v}, de buurvrouw, gaat het goed.",
                           "Aanwezig: {t} {v}\n", "Wij spraken {t} {v}."])
    return template.format(t=title, T=title[0].upper() + title[1:], v=value), value


@pytest.mark.parametrize("text, value", family(10, particle_after_title))
def test_title_with_a_particle_surname_and_no_first_name(pseudonymiser, text, value):
    assert covered(pseudonymiser.analyzer, text, value)


@pytest.mark.parametrize("text", ["Gesprek met mevrouw over de school.", "meneer van de gemeente belde",
                                  "mevrouw van het wijkteam was er ook", "Meneer de Voorzitter opende."])
def test_title_before_an_ordinary_phrase_is_no_name(pseudonymiser, text):
    assert [t for t in touched(pseudonymiser.analyzer, text)] == []


#: Surnames that are no Dutch word: after bare initials a plain word ("MDO Verslag", "JS Kroeze") needs a particle.
NOT_WORDS = ["Jansen", "Meijering", "Akkerboom", "Ramdin", "Brinkhuis", "Yilmaz", "Oudshoorn"]


def initials_without_dots(rng: random.Random) -> tuple[str, str]:
    letters = "ABCDEFGHIJKLMNPRSTW"
    initials = "".join(rng.choice(letters) for _ in range(rng.randint(1, 3)))
    while initials in {"IN", "EN", "OF", "IK", "DE", "TE", "OP", "MET", "VAN", "HET", "EEN", "AAN"}:  # words, not initials
        initials = "".join(rng.choice(letters) for _ in range(rng.randint(1, 3)))
    particle = rng.choice(["", "de ", "van ", "van der "]) if len(initials) > 1 else rng.choice(["de ", "van ", "van der "])
    surname = rng.choice(SURNAMES) if particle else rng.choice(NOT_WORDS)
    value = f"{initials} {particle}{surname}"
    template = rng.choice(["{v} belde om 10 uur.", "Aanwezig: {v}, jeugdbeschermer.\n", "Afgesproken met {v} dat zij terugbelt.",
                           "cc: {v}\n", "Notulen: {v}\n"])
    return template.format(v=value), value


@pytest.mark.parametrize("text, value", family(11, initials_without_dots))
def test_initials_without_dots(pseudonymiser, text, value):
    assert covered(pseudonymiser.analyzer, text, value)


@pytest.mark.parametrize("text", ["De GGZ Rivierduinen en VT Hollands Midden", "Het OTS verzoek ging naar de RvdK.",
                                  "BSO de Rakkers", "JGT de Zuidwijk", "MDO Verslag\n", "IB Overleg op school",
                                  "Kerkpad 3, 3981 PJ Bunnikveen"])
def test_abbreviations_before_a_name_are_not_initials(pseudonymiser, text):
    assert not [t for t in touched(pseudonymiser.analyzer, text) if re.match(r"(?:GGZ|VT|OTS|RvdK|MDO|IB|PJ)\b", t)]


def apostrophe_name(rng: random.Random) -> tuple[str, str]:
    kind = rng.choice(["foreign", "foreign", "'t", "van 't"])
    if kind == "foreign":
        value = f"{rng.choice(['D', 'O', 'N', 'M'])}'{rng.choice(['Souza', 'Neill', 'Diaye', 'Hondt', 'Brien', 'Bala'])}"
        value = rng.choice([value, f"{rng.choice(FIRST)} {value}"])
    elif kind == "'t":
        value = f"{rng.choice(FIRST)} 't {rng.choice(['Hart', 'Hoen', 'Lam', 'Jong'])}"
    else:
        value = f"{rng.choice(FIRST)} van 't {rng.choice(['Hof', 'Veld', 'Zand', 'Hek'])}"
    template = rng.choice(["Gesprek met {v} over school.", "{v} belde terug.", "Aanwezig: {v}\n", "Volgens {v} gaat het goed.",
                           "Moeder, {v}, kwam later."])
    return template.format(v=value), value


@pytest.mark.parametrize("text, value", family(12, apostrophe_name))
def test_apostrophe_names(pseudonymiser, text, value):
    assert covered(pseudonymiser.analyzer, text, value)


@pytest.mark.parametrize("text", ["Het gaat 's avonds beter.", "Zij gaat naar 't Kinderhuis, zegt moeder.",
                                  "Dat is 't probleem niet."])
def test_apostrophe_words_are_no_names(pseudonymiser, text):
    assert [t for t in touched(pseudonymiser.analyzer, text) if "avond" in t or "probleem" in t] == []
