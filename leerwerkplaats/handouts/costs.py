"""Indicative costs of the youth-protection work in a case, from a tariffs data file.

The tariffs are data (``leerwerkplaats/data/tarieven.toml`` or a file the user
passes with ``--tariffs``), each with a source and a year; no amount lives in
code. :func:`estimate` maps a tagged case onto them by this rule:

1. Each ``gi_inzet`` value of the case fields adds one line:
   ``aansluiten_ondersteunen`` and ``specialistisch_casemanagement`` add their
   package tariff (counted in the total); ``informatie_advies`` and ``nazorg``
   add the hourly rate as a reference only (the hours are unknown, so the line
   is not counted).
2. Each measure of :func:`leerwerkplaats.tagging.case_facts.measures` (the
   same facts the client route is read from: named in a span tagged
   ``bouwsteen:maatregel`` and not denied there) adds its yearly tariff *per
   child it covers*: *voogdij* / *gezagsbeëindigend* → ``voogdij``;
   *jeugdreclassering* → ``jeugdreclassering``; *(voorlopige)
   ondertoezichtstelling*, *(V)OTS* → ``ots_eerste_jaar``, plus
   ``ots_volgend_jaar`` when a tagged span speaks of an extension (*verleng*).
   A measure tag without a recognisable kind counts as a first OTS year.
   "OTS voor alle drie de kinderen" is three times the tariff.
3. A case on client route A, B or D without any measure line gets a first OTS
   year, marked as derived from the route (those routes end in a measure).

Every line is indicative: tariffs differ per region and year, and the hours of
the packages are averages. The handout says so next to the lines.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from leerwerkplaats.core.cases import TaggedCase
from leerwerkplaats.core.errors import LeerwerkplaatsError
from leerwerkplaats.handouts import weergave
from leerwerkplaats.tagging import case_facts

log = logging.getLogger(__name__)

REQUIRED_IDS: tuple[str, ...] = (
    "uurtarief", "aansluiten_ondersteunen", "specialistisch_casemanagement",
    "ots_eerste_jaar", "ots_volgend_jaar", "voogdij", "jeugdreclassering",
)
_PACKAGES = {"aansluiten_ondersteunen": "aansluiten_ondersteunen",
             "specialistisch_casemanagement": "specialistisch_casemanagement"}
_HOURLY = ("informatie_advies", "nazorg")
_MEASURE_TARIFF = {"voogdij": "voogdij", "jeugdreclassering": "jeugdreclassering", "ots": "ots_eerste_jaar"}
_MEASURE_ROUTES = frozenset({"A", "B", "D"})


@dataclass(frozen=True)
class Tariff:
    """One tariff of the data file."""

    id: str
    omschrijving: str
    bedrag: float
    eenheid: str
    bron: str
    jaar: int
    uren: float | None = None


@dataclass(frozen=True)
class CostLine:
    """One indicative cost line on a handout; ``counted`` says whether it is in the total."""

    tariff: Tariff
    reden: str  # Dutch: why this line applies to the case
    counted: bool = True
    aantal: int = 1  # children a per-child tariff is counted for

    @property
    def bedrag(self) -> float:
        """The amount of the line: the tariff times the number of children."""
        return self.tariff.bedrag * self.aantal


def load_tariffs(path: str | Path | None = None) -> dict[str, Tariff]:
    """Read and validate a tariffs file; ``None`` reads the shipped one.

    Raises
    ------
    LeerwerkplaatsError
        When the file cannot be read, a line lacks a field, an id repeats, or
        an id the mapping needs is missing. The message names the file.
    """
    if path is None:
        name = "leerwerkplaats/data/tarieven.toml"
        data = resources.files("leerwerkplaats").joinpath("data/tarieven.toml").read_bytes()
    else:
        name = str(path)
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise LeerwerkplaatsError(f"{name}: cannot read the tariffs file ({exc.strerror})") from None
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LeerwerkplaatsError(f"{name}: not a valid TOML file ({exc})") from None
    out: dict[str, Tariff] = {}
    for i, row in enumerate(doc.get("tarief", []), start=1):
        try:
            tariff = Tariff(
                id=str(row["id"]), omschrijving=str(row["omschrijving"]), bedrag=float(row["bedrag"]),
                eenheid=str(row["eenheid"]), bron=str(row["bron"]), jaar=int(row["jaar"]),
                uren=float(row["uren"]) if "uren" in row else None,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise LeerwerkplaatsError(
                f"{name}: tariff {i} lacks or has a bad field ({exc}); every tariff needs "
                "id, omschrijving, bedrag, eenheid, bron and jaar") from None
        if tariff.id in out:
            raise LeerwerkplaatsError(f"{name}: tariff id {tariff.id!r} appears twice")
        if tariff.bedrag < 0:
            raise LeerwerkplaatsError(f"{name}: tariff {tariff.id!r} has a negative amount")
        out[tariff.id] = tariff
    missing = [t for t in REQUIRED_IDS if t not in out]
    if missing:
        raise LeerwerkplaatsError(f"{name}: missing tariff ids {', '.join(missing)}")
    return out


def measure_kinds(tagged: TaggedCase) -> list[tuple[str, int, str]]:
    """``(tariff id, children, why)`` of the measures of the case (:func:`case_facts.measures`)."""
    out: list[tuple[str, int, str]] = []
    for m in case_facts.measures(tagged.case.text, tagged.tags, tagged.case.replaced):
        out.append((_MEASURE_TARIFF[m.kind], m.children, m.children_why))
        if m.extended:
            out.append(("ots_volgend_jaar", m.children, m.children_why))
    return out


def estimate(tagged: TaggedCase, tariffs: dict[str, Tariff]) -> list[CostLine]:
    """The indicative cost lines of one case, by the rule in the module docstring."""
    words = weergave.data()["kosten"]
    lines: list[CostLine] = []
    for inzet in tagged.fields.gi_inzet:
        if inzet in _PACKAGES:
            lines.append(CostLine(tariffs[_PACKAGES[inzet]],
                                  words["reden_pakket"].format(naam=weergave.gi_inzet(inzet).lower())))
        elif inzet in _HOURLY:
            lines.append(CostLine(tariffs["uurtarief"], words["reden_uren"].format(naam=weergave.gi_inzet(inzet)),
                                  counted=False))
    kinds = measure_kinds(tagged)
    for kind, children, why in kinds:
        reden = (words["reden_kinderen"].format(aantal=children, waarom=why) if children > 1
                 else words["reden_maatregel"])
        lines.append(CostLine(tariffs[kind], reden, aantal=children))
    if not kinds and tagged.fields.clientroute in _MEASURE_ROUTES:
        lines.append(CostLine(tariffs["ots_eerste_jaar"],
                              words["reden_route"].format(route=tagged.fields.clientroute)))
    return lines


def line_view(line: CostLine) -> dict:
    """What a handout shows of one cost line: the tariff per unit and, apart, the amount for this case.

    A per-child tariff counted for several children shows the tariff *per
    child* and the *total* for them on separate labels, each with its source.
    """
    words = weergave.data()["kosten"]
    t = line.tariff
    per = words["per_eenheid"].format(bedrag=euro(t.bedrag), eenheid=t.eenheid, bron=t.bron, jaar=t.jaar)
    if not line.counted:
        amount = words["niet_geteld"]
    elif line.aantal > 1:
        amount = words["totaal_kinderen"].format(aantal=line.aantal, bedrag=euro(line.bedrag), per=euro(t.bedrag),
                                                 bron=t.bron, jaar=t.jaar)
    else:
        amount = words["totaal_een"].format(bedrag=euro(line.bedrag))
    return {"omschrijving": t.omschrijving, "per": per, "bedrag": amount, "reden": line.reden,
            "counted": line.counted, "aantal": line.aantal, "bron": t.bron, "jaar": t.jaar}


def total_view(lines: list[CostLine]) -> dict:
    """The total of the counted lines, with the sources it is built from."""
    words = weergave.data()["kosten"]
    sources = sorted({f"{line.tariff.bron}, {line.tariff.jaar}" for line in lines if line.counted})
    return {"naam": words["totaal"], "bedrag": euro(total(lines)),
            "bron": words["bronnen"].format(bronnen="; ".join(sources)) if sources else ""}


def total(lines: list[CostLine]) -> float:
    """Sum of the counted lines."""
    return sum(line.bedrag for line in lines if line.counted)


def euro(amount: float) -> str:
    """Dutch notation: ``€ 9.417``."""
    return "€ " + f"{amount:,.0f}".replace(",", ".")
