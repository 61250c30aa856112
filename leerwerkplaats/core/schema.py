"""The label set of ANNOTATION.md: PII types, triggers, building blocks, case fields.

Ids are stable and English-free where the guide says so; display names are Dutch,
because trainers and participants read them.
"""

from __future__ import annotations

from dataclasses import dataclass

PII_TYPES: tuple[str, ...] = (
    "PERSOON", "BSN", "TELEFOON", "EMAIL", "ADRES", "POSTCODE", "PLAATS", "DATUM",
    "INSTELLING", "IBAN", "DOSSIERNUMMER", "KENTEKEN", "URL",
)
#: A miss of one of these is a leak, whatever else is right (ANNOTATION.md §6).
LEAK_TYPES: frozenset[str] = frozenset({"BSN", "TELEFOON", "EMAIL", "IBAN"})


@dataclass(frozen=True)
class Label:
    """One trigger, strength or building-block label."""

    id: str  # full id, e.g. "trigger:verwaarlozing"
    name: str  # Dutch display name
    group: str  # gezin | proces | krachten | bouwsteen

    @property
    def short(self) -> str:
        return self.id.split(":", 1)[1]


def _labels(prefix: str, group: str, rows: str) -> tuple[Label, ...]:
    out = []
    for line in rows.strip().splitlines():
        key, name = (part.strip() for part in line.split("|"))
        out.append(Label(f"{prefix}:{key}", name, group))
    return tuple(out)


TRIGGERS_GEZIN = _labels("trigger", "gezin", """
fysiek_geweld | Fysiek geweld tegen kind
huiselijk_geweld | Huiselijk geweld tussen volwassenen
verwaarlozing | Verwaarlozing (lichamelijk of emotioneel)
psychische_mishandeling | Psychische mishandeling
seksueel_misbruik | Seksueel misbruik / grensoverschrijdend gedrag
vechtscheiding | Complexe (vecht)scheiding
psychische_problemen_ouder | Psychische problemen ouder
verslaving_ouder | Verslaving ouder
beperking_lvb | Licht verstandelijke beperking (ouder of jeugdige)
financiele_problemen | Schulden en financiële problemen
huisvesting | Huisvestingsproblemen
opvoedvaardigheden | Tekortschietende opvoedvaardigheden
ontwikkelingszorgen | Zorgen over ontwikkeling kind
risicogedrag_jongere | Risicogedrag jongere
schoolverzuim | Schoolverzuim
criminaliteit_overlast | Criminaliteit of overlast
""")

TRIGGERS_PROCES = _labels("trigger", "proces", """
geen_contact_ouders | Ouders onbereikbaar of werken niet mee
stagnatie_hulp | Hulp stagneert
handelingsverlegenheid | Handelingsverlegenheid professional
eerdere_meldingen | Eerdere meldingen of voorgeschiedenis
druk_omgeving | Druk van buurt of bestuur
ontkenning | Ontkennen of bagatelliseren
regie_ontbreekt | Niemand heeft de regie
informatieverlies | Informatieverlies bij overdracht
tunnelvisie | Eenzijdige beeldvorming
""")

KRACHTEN = _labels("trigger", "krachten", """
medewerking_ouders | Ouders werken mee
steunend_netwerk | Steunend netwerk
vooruitgang | Vooruitgang
ontkrachtend_signaal | Zorg ontkracht
""")

#: In the usual order of the chain, from signal to securing the result.
BOUWSTENEN = _labels("bouwsteen", "bouwsteen", """
signalering | Signalering
melding_veilig_thuis | Melding of advies Veilig Thuis
consultatie | Consultatie en advies
gesprek_gezin | Gesprek met ouders
gesprek_kind | Gesprek met het kind
consequenties_benoemen | Grenzen en consequenties benoemen
analyse | Analyse en weging
plan | Plan (veiligheidsplan, gezinsplan)
netwerk | Netwerk betrekken
hulp_inzet | Hulp inzetten
crisisinterventie | Acute interventie
samen_optrekken_gi | GI sluit aan (werken zonder maatregel)
regie | Regie en casemanagement
opschaling | Opschaling
maatregel | Kinderbeschermingsmaatregel
uithuisplaatsing | Uithuisplaatsing
evaluatie | Evaluatie
overdracht | Overdracht
afschaling_nazorg | Afschaling, nazorg en borging
""")

TRIGGER_LABELS: tuple[Label, ...] = TRIGGERS_GEZIN + TRIGGERS_PROCES + KRACHTEN
ALL_LABELS: tuple[Label, ...] = TRIGGER_LABELS + BOUWSTENEN
LABELS: dict[str, Label] = {label.id: label for label in ALL_LABELS}

GROUP_NAMES: dict[str, str] = {
    "gezin": "Signalen in het gezin",
    "proces": "Signalen in de hulpverlening",
    "krachten": "Wat gaat goed",
    "bouwsteen": "Bouwstenen van de werkwijze",
}

CLIENTROUTES: tuple[str, ...] = ("A", "B", "C", "D", "onbekend")
CLIENTROUTE_NAMES: dict[str, str] = {
    "A": "Route A: direct een maatregel; werken zonder maatregel was niet mogelijk",
    "B": "Route B: direct een maatregel, terwijl werken zonder maatregel mogelijk was",
    "C": "Route C: de GI werkte mee zonder maatregel, er volgde geen maatregel",
    "D": "Route D: eerst zonder maatregel, toch een maatregel gevolgd",
    "onbekend": "Route onbekend",
}
PARTIJEN: tuple[str, ...] = (
    "lokaal_team", "gi", "veilig_thuis", "raad_kinderbescherming", "rechtbank",
    "politie", "school", "leerplicht", "huisarts", "jgz_consultatiebureau",
    "kinderopvang", "ggz", "zorgaanbieder", "mee", "gemeente",
    "jeugdbeschermingstafel", "veiligheidshuis", "crisisdienst",
)
PARTIJ_NAMES: dict[str, str] = {
    "lokaal_team": "Lokaal team (JGT / wijkteam)", "gi": "Gecertificeerde instelling (GI)",
    "veilig_thuis": "Veilig Thuis", "raad_kinderbescherming": "Raad voor de Kinderbescherming",
    "rechtbank": "Rechtbank / kinderrechter", "politie": "Politie", "school": "School",
    "leerplicht": "Leerplicht", "huisarts": "Huisarts", "jgz_consultatiebureau": "JGZ / consultatiebureau",
    "kinderopvang": "Kinderopvang", "ggz": "GGZ", "zorgaanbieder": "Zorgaanbieder",
    "mee": "MEE", "gemeente": "Gemeente", "jeugdbeschermingstafel": "Jeugdbeschermingstafel",
    "veiligheidshuis": "Veiligheidshuis", "crisisdienst": "Crisisdienst",
}
ONVEILIGHEID: tuple[str, ...] = ("acuut", "structureel", "geen", "onbekend")
GI_INZET: tuple[str, ...] = (
    "informatie_advies", "aansluiten_ondersteunen", "specialistisch_casemanagement", "nazorg",
)
GI_INZET_NAMES: dict[str, str] = {
    "informatie_advies": "Informatie en advies",
    "aansluiten_ondersteunen": "Aansluiten en ondersteunen",
    "specialistisch_casemanagement": "Specialistisch casemanagement",
    "nazorg": "Nazorg",
}

#: Allowed values per case-level field; list fields take several.
CASE_FIELDS: dict[str, tuple[tuple[str, ...], bool]] = {
    "clientroute": (CLIENTROUTES, False),
    "partijen": (PARTIJEN, True),
    "onveiligheid": (ONVEILIGHEID, False),
    "gi_inzet": (GI_INZET, True),
}
SPLITS: tuple[str, ...] = ("train", "test")
