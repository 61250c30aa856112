"""The Dutch texts of ``data/vragen.toml``: session questions, discussion questions, Meldcode, system conditions.

Questions are data so trainers can change them without reading code; this
module loads and validates them and picks the ones a case calls for.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from leerwerkplaats.core import schema
from leerwerkplaats.core.cases import TaggedCase
from leerwerkplaats.core.errors import LeerwerkplaatsError
from leerwerkplaats.handouts import weergave

#: At most this many discussion questions per case, most evidenced triggers first.
MAX_QUESTIONS = 8
#: The kinds of question about one case, each a table of ``[casusvragen]``.
CASE_KINDS = ("zorgen", "ontkracht", "krachten", "tijdlijn", "regie", "bouwstenen", "route")


@dataclass(frozen=True)
class Condition:
    """A system condition and the signals, routes and GI work that point at it."""

    id: str
    naam: str
    toelichting: str
    vraag: str
    signalen: tuple[str, ...] = ()
    routes: tuple[str, ...] = ()
    gi_inzet: tuple[str, ...] = ()


@dataclass(frozen=True)
class Questions:
    """Everything of ``vragen.toml``, validated."""

    deelnemers: tuple[str, ...]
    algemeen: tuple[str, ...]
    per_trigger: dict[str, tuple[str, ...]]  # full label id → questions
    per_route: dict[str, tuple[str, ...]]
    meldcode: tuple[tuple[str, str], ...]  # (id, question)
    conditions: tuple[Condition, ...]
    #: The wording of the questions about one case (``[casusvragen]``): per kind the participants'
    #: question, the trainer's point and the key; a file without the table takes the shipped one.
    casus: dict[str, dict] = field(default_factory=dict)


def _strs(value: object, where: str, name: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LeerwerkplaatsError(f"{name}: {where} must be a list of strings")
    return tuple(value)


def load(path: str | Path | None = None) -> Questions:
    """Load and validate a questions file; ``None`` reads the shipped one."""
    name = str(path) if path else "leerwerkplaats/data/vragen.toml"
    try:
        data = (Path(path).read_bytes() if path else
                resources.files("leerwerkplaats").joinpath("data/vragen.toml").read_bytes())
        doc = tomllib.loads(data.decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LeerwerkplaatsError(f"{name}: cannot read the questions file ({exc.__class__.__name__})") from None
    per_trigger = {}
    for key, table in doc.get("trigger", {}).items():
        label = f"trigger:{key}"
        if label not in schema.LABELS:
            raise LeerwerkplaatsError(f"{name}: unknown trigger {key!r}")
        per_trigger[label] = _strs(table.get("vragen"), f"trigger.{key}.vragen", name)
    per_route = {}
    for key, table in doc.get("route", {}).items():
        if key not in schema.CLIENTROUTES:
            raise LeerwerkplaatsError(f"{name}: unknown client route {key!r}")
        per_route[key] = _strs(table.get("vragen"), f"route.{key}.vragen", name)
    conditions = []
    for key, table in doc.get("systeemcondities", {}).items():
        signals = _strs(table.get("signalen", []), f"systeemcondities.{key}.signalen", name)
        unknown = [s for s in signals if s not in schema.LABELS]
        if unknown:
            raise LeerwerkplaatsError(f"{name}: systeemcondities.{key} names unknown labels {unknown}")
        conditions.append(Condition(
            key, str(table["naam"]), str(table["toelichting"]), str(table.get("vraag", "")), signals,
            _strs(table.get("routes", []), f"systeemcondities.{key}.routes", name),
            _strs(table.get("gi_inzet", []), f"systeemcondities.{key}.gi_inzet", name)))
    meldcode = tuple((str(row["id"]), str(row["vraag"])) for row in doc.get("meldcode", []))
    casus = doc.get("casusvragen") or (load().casus if path else {})
    for kind in CASE_KINDS:
        if not isinstance(casus.get(kind), dict) or not casus[kind].get("vraag"):
            raise LeerwerkplaatsError(f"{name}: casusvragen.{kind} needs at least a 'vraag'")
    return Questions(
        _strs(doc.get("deelnemers", {}).get("vragen"), "deelnemers.vragen", name),
        _strs(doc.get("algemeen", {}).get("vragen", []), "algemeen.vragen", name),
        per_trigger, per_route, meldcode, tuple(conditions), casus)


@lru_cache(maxsize=4)
def load_cached(path: str | None = None) -> Questions:
    """:func:`load`, once per process and path."""
    return load(path)


def discussion(tagged: TaggedCase, questions: Questions, limit: int = MAX_QUESTIONS) -> list[tuple[str, str]]:
    """Discussion questions for one case as ``(reason, question)`` pairs.

    The route question comes first, then the questions of the triggers present,
    the most evidenced first (ties in schema order), then the general ones
    until ``limit``.
    """
    out: list[tuple[str, str]] = []
    route = tagged.fields.clientroute
    for q in questions.per_route.get(route, ()):
        out.append((weergave.route_short(route), q))
    counts = Counter(t.label for t in tagged.tags)
    order = {lab.id: i for i, lab in enumerate(schema.TRIGGER_LABELS)}
    present = sorted((lab for lab in counts if lab in order), key=lambda lab: (-counts[lab], order[lab]))
    for label in present:
        for q in questions.per_trigger.get(label, ()):
            out.append((weergave.label(label), q))
    for q in questions.algemeen:
        out.append(("Algemeen", q))
    return out[:limit]
