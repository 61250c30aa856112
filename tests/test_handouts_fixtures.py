"""Fictional tagged cases for the handout tests, built by hand (no model, no pseudonymiser).

Other handout tests import from here; the one test checks the fixture itself.
"""

from __future__ import annotations

import re

from leerwerkplaats.core.cases import CaseFields, PseudonymisedCase, Tag, TaggedCase
from leerwerkplaats.core.records import PiiSpan

TEXT = """VERSLAG HUISBEZOEK - gezin Bakker
Datum: 12-03-2023

1. Aanleiding
Op 12-03-2023 meldde school dat Lotte blauwe plekken had; vader sloeg haar volgens Lotte.
De zorgen over verwaarlozing bleken onterecht: er is eten en de kleding is schoon.
Moeder werkt goed mee & houdt zich aan afspraken <script>alert("x")</script>.

2. Afspraken
We maken een veiligheidsplan met opa en oma.
"""


#: The pseudonyms in the fixture texts (the pseudonymiser marks its surrogates so; session and handouts check it).
PSEUDONYMS = {"Bakker": "PERSOON", "Lotte": "PERSOON", "12-03-2023": "DATUM"}


def pseudonym_spans(text: str) -> tuple[PiiSpan, ...]:
    return tuple(sorted(PiiSpan(m.start(), m.end(), kind) for word, kind in PSEUDONYMS.items()
                        for m in re.finditer(re.escape(word), text)))


def span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def tagged_case(text: str = TEXT, name: str = "casus-test") -> TaggedCase:
    """A TaggedCase over ``text`` with tags on the sentences of :data:`TEXT`."""
    def tag(needle: str, label: str, cues: tuple[str, ...] = ("cue",)) -> Tag:
        return Tag(*span(text, needle), label, 0.8, cues)

    violence = "Op 12-03-2023 meldde school dat Lotte blauwe plekken had; vader sloeg haar volgens Lotte."
    ruled = "De zorgen over verwaarlozing bleken onterecht: er is eten en de kleding is schoon."
    helps = 'Moeder werkt goed mee & houdt zich aan afspraken <script>alert("x")</script>.'
    plan = "We maken een veiligheidsplan met opa en oma."
    tags = (
        tag(violence, "trigger:fysiek_geweld", ("sloeg", "blauwe plekken")),
        tag(violence, "bouwsteen:signalering", ("meldde", "partij: school")),
        tag(ruled, "trigger:ontkrachtend_signaal"),
        tag(helps, "trigger:medewerking_ouders", ("werkt goed mee",)),
        tag(plan, "bouwsteen:plan"),
        tag(plan, "trigger:steunend_netwerk"),
        tag("veiligheidsplan met opa", "bouwsteen:netwerk"),  # overlaps the plan tag
    )
    ruled_out = (tag(ruled, "trigger:verwaarlozing", ("verwaarlozing",)),)
    fields = CaseFields("D", ("school", "gi"), "structureel", ("aansluiten_ondersteunen",),
                        {"clientroute": "maatregel na werken zonder maatregel"})
    return TaggedCase(PseudonymisedCase(name, text, pseudonym_spans(text)), tags, fields, ruled_out, "testmodel 0.0")


def test_fixture_spans_point_at_their_text():
    case = tagged_case()
    for t in case.tags:
        assert case.case.text[t.start:t.end].strip()


# A small fictional library: three cases of different kinds (a report, a mail thread, a rapportage of a
# measure for three children), tagged by hand the way the tagger writes its tags: with its machine cues
# ("partij: lokaal_team", "<num> huisbezoek") and the rule texts of the case fields, keys and all.
MAILS = """Van: Petra Smit <p.smit@wijkteam-noord.nl>
Verzonden: maandag 6 februari 2023 10:12
Aan: Karim Amrani <k.amrani@jbwest.nl>
Onderwerp: vraag over gezin Visser

Beste Karim,
Ik heb op 6 februari 2023 een huisbezoek gedaan bij moeder en de twee kinderen.
Moeder heeft schulden en de energie wordt afgesloten; er is vaak geen eten in huis.
Ik wil graag met jou sparren over wat we nu moeten doen.
Groet, Petra

Van: Karim Amrani <k.amrani@jbwest.nl>
Verzonden: donderdag 9 maart 2023 14:30
Aan: Petra Smit <p.smit@wijkteam-noord.nl>
Onderwerp: RE: vraag over gezin Visser

Beste Petra,
Ik sluit aan bij het volgende gesprek en loop een paar maanden mee; de regie blijft bij het wijkteam.
Op 20 april 2023 bleek dat moeder zich goed aan de afspraken houdt en opa helpt met de boodschappen.
Groet, Karim
"""

RAPPORTAGE = """RAPPORTAGE JEUGDBESCHERMING
Datum: 3 mei 2022

Het gezin heeft drie kinderen: Noor (5), Sem (8) en Fenna (11).
Op 14 januari 2022 meldde de politie een incident van huiselijk geweld; de kinderen waren erbij.
Vader ontkent dat er iets is gebeurd en wil niet met het wijkteam praten.
Op 2 februari 2022 heeft Veilig Thuis een verzoek tot onderzoek bij de Raad voor de Kinderbescherming gedaan.
Op 3 mei 2022 sprak de kinderrechter een ondertoezichtstelling uit voor alle drie de kinderen.
Moeder wil graag hulp en gaat naar een cursus.
"""


def _tags(text: str, rows) -> tuple[Tag, ...]:
    return tuple(Tag(*span(text, needle), label, 0.8, cues) for needle, label, cues in rows)


def mail_case(name: str = "casus-002") -> TaggedCase:
    """Route C: the GI advises and works alongside the local team; the regie stays with it."""
    visit = "Ik heb op 6 februari 2023 een huisbezoek gedaan bij moeder en de twee kinderen."
    money = "Moeder heeft schulden en de energie wordt afgesloten; er is vaak geen eten in huis."
    spar = "Ik wil graag met jou sparren over wat we nu moeten doen."
    along = "Ik sluit aan bij het volgende gesprek en loop een paar maanden mee; de regie blijft bij het wijkteam."
    good = "Op 20 april 2023 bleek dat moeder zich goed aan de afspraken houdt en opa helpt met de boodschappen."
    tags = _tags(MAILS, [
        (visit, "bouwsteen:gesprek_gezin", ("huisbezoek", "<num> huisbezoek", "partij: lokaal_team")),
        (money, "trigger:financiele_problemen", ("schulden", "afgesloten")),
        (money, "trigger:verwaarlozing", ("geen eten",)),
        (spar, "bouwsteen:consultatie", ("sparren", "partij: gi")),
        (along, "bouwsteen:samen_optrekken_gi", ("sluit aan", "loop <num> mee")),
        (along, "bouwsteen:regie", ("regie", "partij: lokaal_team", "partij: gi")),
        (good, "trigger:medewerking_ouders", ("afspraken",)),
        (good, "trigger:steunend_netwerk", ("opa helpt",)),
        (good, "trigger:vooruitgang", ("goed",)),
    ])
    fields = CaseFields("C", ("lokaal_team", "gi"), "structureel", ("informatie_advies", "aansluiten_ondersteunen"), {
        "clientroute": "de GI trok op zonder maatregel en er volgde geen maatregel",
        "partijen": "genoemd in de tekst (niet ontkend of hypothetisch); afgeleid: gi (uit bouwsteen:samen_optrekken_gi)",
        "onveiligheid": "signalen in het gezin (2 labels), geen acute onveiligheid",
        "gi_inzet": "informatie_advies: consultatie bij de GI getagd; "
                    "aansluiten_ondersteunen: de GI sluit aan / loopt mee (samen optrekken)",
    })
    return TaggedCase(PseudonymisedCase(name, MAILS), tags, fields, (), "testmodel 0.0")


def measure_case(name: str = "casus-003") -> TaggedCase:
    """Route B: a police report, Veilig Thuis asks the Raad, an OTS for three children."""
    police = "Op 14 januari 2022 meldde de politie een incident van huiselijk geweld; de kinderen waren erbij."
    denial = "Vader ontkent dat er iets is gebeurd en wil niet met het wijkteam praten."
    raad = "Op 2 februari 2022 heeft Veilig Thuis een verzoek tot onderzoek bij de Raad voor de Kinderbescherming gedaan."
    ots = "Op 3 mei 2022 sprak de kinderrechter een ondertoezichtstelling uit voor alle drie de kinderen."
    help_ = "Moeder wil graag hulp en gaat naar een cursus."
    tags = _tags(RAPPORTAGE, [
        (police, "trigger:huiselijk_geweld", ("incident", "partij: politie")),
        (police, "bouwsteen:signalering", ("meldde", "partij: politie")),
        (denial, "trigger:ontkenning", ("ontkent",)),
        (denial, "trigger:geen_contact_ouders", ("wil niet",)),
        (raad, "bouwsteen:melding_veilig_thuis", ("partij: veilig_thuis",)),
        (raad, "bouwsteen:opschaling", ("verzoek tot onderzoek", "partij: raad_kinderbescherming")),
        (ots, "bouwsteen:maatregel", ("ondertoezichtstelling", "<num> mei <num>")),
        (help_, "trigger:medewerking_ouders", ("wil graag hulp",)),
        (help_, "bouwsteen:hulp_inzet", ("cursus",)),
    ])
    fields = CaseFields("B", ("veilig_thuis", "raad_kinderbescherming", "rechtbank", "politie", "gi"),
                        "structureel", (), {
        "clientroute": "direct een maatregel zonder acute onveiligheid: werken zonder maatregel was mogelijk geweest",
        "partijen": "genoemd in de tekst (niet ontkend of hypothetisch); afgeleid: gi (uit bouwsteen:maatregel)",
        "onveiligheid": "signalen in het gezin (1 labels), geen acute onveiligheid",
        "gi_inzet": "geen GI-inzet zonder maatregel getagd",
    })
    return TaggedCase(PseudonymisedCase(name, RAPPORTAGE), tags, fields, (), "testmodel 0.0")


def library() -> list[TaggedCase]:
    """The fixture library: the report (route D), the mail thread (route C) and the measure (route B)."""
    return [tagged_case(name="casus-001"), mail_case(), measure_case()]


def test_library_spans_point_at_their_text():
    for case in library():
        for t in case.tags:
            assert case.case.text[t.start:t.end].strip()
