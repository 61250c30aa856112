"""Display names and sentences from ``data/weergave.toml``: what a reader sees instead of an internal key.

Every key a handout could show (labels, groups, parties, GI work, client
routes, levels of unsafety, case fields) has a Dutch name in the data file;
:func:`humanise` turns the rule texts and cues the tagger writes (which name
keys such as ``informatie_advies`` or ``bouwsteen:maatregel``) into words.

    >>> label("bouwsteen:maatregel")
    'Kinderbeschermingsmaatregel'
    >>> case_title("casus-002")
    'Casus 002'
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources

from leerwerkplaats.core import schema
from leerwerkplaats.core.errors import LeerwerkplaatsError

_LABEL_ID = re.compile(r"\b(?:trigger|bouwsteen):[a-z_]+\b")
_DERIVED = re.compile(r"\b([a-z_]+) \(uit ((?:trigger|bouwsteen):[a-z_]+)\)")
_PLACEHOLDER = re.compile(r"<[a-z]+>\s*")
_PARTY_CUE = re.compile(r"^partij:\s*([a-z_]+)$")


@lru_cache(maxsize=1)
def data() -> dict:
    """The shipped display names, checked: every key of the schema has one."""
    raw = resources.files("leerwerkplaats").joinpath("data/weergave.toml").read_bytes()
    doc = tomllib.loads(raw.decode("utf-8"))
    wanted = {"labels": [lab.id for lab in schema.ALL_LABELS], "groepen": list(schema.GROUP_NAMES),
              "partijen": list(schema.PARTIJEN), "gi_inzet": list(schema.GI_INZET),
              "clientroute": list(schema.CLIENTROUTES), "onveiligheid": list(schema.ONVEILIGHEID),
              "velden": list(schema.CASE_FIELDS)}
    missing = [f"{table}.{key}" for table, keys in wanted.items() for key in keys if key not in doc.get(table, {})]
    if missing:
        raise LeerwerkplaatsError(f"leerwerkplaats/data/weergave.toml: no display name for {', '.join(missing)}")
    return doc


def label(label_id: str) -> str:
    """Display name of a trigger or building block (``trigger:…``, ``bouwsteen:…``)."""
    return data()["labels"].get(label_id, label_id)


def group(key: str) -> str:
    return data()["groepen"].get(key, key)


def party(key: str) -> str:
    return data()["partijen"].get(key, key)


def gi_inzet(key: str) -> str:
    return data()["gi_inzet"].get(key, key)


def route(key: str) -> str:
    """The route with its explanation: ``Route D: eerst zonder maatregel, …``."""
    return data()["clientroute"].get(key, {}).get("lang", key)


def route_short(key: str) -> str:
    """``Route D``."""
    return data()["clientroute"].get(key, {}).get("kort", key)


def onveiligheid(key: str) -> str:
    return data()["onveiligheid"].get(key, key)


def field(key: str) -> str:
    """Display name of a case field (``clientroute`` → ``Cliëntroute``)."""
    return data()["velden"].get(key, {}).get("naam", key)


def case_title(name: str) -> str:
    """``casus-002`` → ``Casus 002``; any other name → ``Casus <name>``."""
    return data()["casus"]["titel"].format(nummer=_number(name))


def case_in_sentence(name: str) -> str:
    """``casus-002`` → ``casus 002``."""
    return data()["casus"]["in_zin"].format(nummer=_number(name))


def _number(name: str) -> str:
    prefix = data()["casus"]["voorvoegsel"]
    return name[len(prefix):] if name.lower().startswith(prefix) and len(name) > len(prefix) else name


def humanise(text: str) -> str:
    """A rule text of the tagger in a reader's words: keys become display names, model words Dutch."""
    doc = data()
    out = _DERIVED.sub(lambda m: doc["afgeleid"]["zin"].format(partij=party(m.group(1)), label=label(m.group(2))),
                       text)
    out = _LABEL_ID.sub(lambda m: label(m.group(0)), out)
    for key, name in (*doc["partijen"].items(), *doc["gi_inzet"].items()):
        if "_" in key:
            out = re.sub(rf"\b{key}\b", name, out)
    for old, new in doc["vervang"].items():
        out = out.replace(old, new)
    return out


def cues(items) -> tuple[str, ...]:
    """The model's cues for a reader: ``partij: lokaal_team`` → ``Lokaal team … genoemd``; ``<num>`` dropped."""
    out: list[str] = []
    for cue in items:
        m = _PARTY_CUE.match(cue.strip())
        text = data()["aanwijzingen"]["partij"].format(naam=party(m.group(1))) if m else (
            " ".join(_PLACEHOLDER.sub(" ", cue).split()))
        if text and text not in out:
            out.append(text)
    return tuple(out)


def field_sentences(fields, corrected: tuple[str, ...] = ()) -> list[str]:
    """How each case field was decided, one sentence per field, in the order of the schema.

    A field in ``corrected`` (``TaggedCase.corrections``) says that the trainer set it.
    """
    velden = data()["velden"]
    values = {
        "clientroute": route_short(fields.clientroute),
        "onveiligheid": onveiligheid(fields.onveiligheid).split(":")[0].lower(),
        "partijen": ", ".join(party(p) for p in fields.partijen),
        "gi_inzet": ", ".join(gi_inzet(g) for g in fields.gi_inzet),
    }
    out = []
    for key in schema.CASE_FIELDS:
        why = fields.why.get(key)
        if key in corrected:
            out.append(data()["controle"]["zin_gecorrigeerd"].format(naam=field(key), waarde=values[key] or "–"))
            continue
        if not why:
            continue
        if key == "gi_inzet":
            why = _gi_reasons(why)
        out.append(velden[key]["zin"].format(waarde=values[key], uitleg=humanise(why).rstrip(".")))
    return out


def _gi_reasons(why: str) -> str:
    """``informatie_advies: consultatie …; nazorg: …`` → ``Informatie en advies (consultatie …), Nazorg (…)``."""
    spec = data()["velden"]["gi_inzet"]
    parts = []
    for piece in why.split("; "):
        key, sep, reason = piece.partition(": ")
        if sep and key in schema.GI_INZET:
            parts.append(spec["inzet"].format(naam=gi_inzet(key).lower(), reden=humanise(reason)))
    return " en ".join(parts) if parts else spec["geen"] + " (" + humanise(why) + ")"
