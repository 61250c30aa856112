"""A trainer's corrections file (``session --corrections FILE``): fix a fact of a case and render again.

The file is TOML, one table per case (see ``docs/handouts.md`` and
``docs/correcties-voorbeeld.toml``)::

    [casus-004]
    clientroute = "D"
    onveiligheid = "structureel"
    partijen = ["lokaal_team", "gi", "school"]
    gi_inzet = ["aansluiten_ondersteunen"]
    verwijder = ["trigger:vechtscheiding"]
    voeg_toe = [{label = "trigger:verslaving_ouder", regel = 12}]

A field set here replaces what the tagger derived; ``verwijder`` drops every
tag of a label; ``voeg_toe`` tags the text of a line (without the whitespace
at its edges). The other fields are not derived again: a trainer who removes
the only measure says the route too. Every entry is checked against the schema
and the case before anything is applied; a bad one stops the command with one
line naming the file and the entry. Corrections are applied to the cases of
the library after loading and before choosing, so themes and contrast use the
corrected facts.
"""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path
from typing import Any

from leerwerkplaats.core import schema
from leerwerkplaats.core.cases import Tag, TaggedCase
from leerwerkplaats.core.errors import LeerwerkplaatsError
from leerwerkplaats.handouts import layout, weergave

FIELDS: dict[str, tuple[str, ...]] = {
    "clientroute": schema.CLIENTROUTES, "onveiligheid": schema.ONVEILIGHEID,
    "partijen": schema.PARTIJEN, "gi_inzet": schema.GI_INZET,
}
LIST_FIELDS = ("partijen", "gi_inzet")
KEYS = (*FIELDS, "verwijder", "voeg_toe")


class CorrectionError(LeerwerkplaatsError):
    """A corrections file that cannot be applied; the message names the file and the entry."""


@dataclasses.dataclass(frozen=True)
class CaseCorrection:
    """What a trainer changes in one case: fields to set, labels to drop, ``(label, line)`` to tag."""

    case: str
    fields: dict[str, Any]
    remove: tuple[str, ...] = ()
    add: tuple[tuple[str, int], ...] = ()


def load(path: Path | str) -> list[CaseCorrection]:
    """Read and check the shape of a corrections file (values against the schema); see the module docstring."""
    name = str(path)
    try:
        doc = tomllib.loads(Path(path).read_bytes().decode("utf-8"))
    except OSError as exc:
        raise CorrectionError(f"{name}: cannot read the corrections file ({exc.strerror})") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CorrectionError(f"{name}: not a valid TOML file ({exc})") from None
    if not doc:
        raise CorrectionError(f"{name}: holds no corrections; write one table per case, e.g. [casus-004]")
    return [_case(name, case, entry) for case, entry in doc.items()]


def _fail(name: str, where: str, problem: str) -> CorrectionError:
    return CorrectionError(f"{name}: [{where}]: {problem}")


def _case(name: str, case: str, entry: Any) -> CaseCorrection:
    if not isinstance(entry, dict):
        raise _fail(name, case, "is not a table of corrections; write [" + case + "] on a line of its own")
    unknown = [k for k in entry if k not in KEYS]
    if unknown:
        raise _fail(name, case, f"unknown entry '{unknown[0]}'; known are {', '.join(KEYS)}")
    fields: dict[str, Any] = {}
    for key, allowed in FIELDS.items():
        if key not in entry:
            continue
        value = entry[key]
        values = value if key in LIST_FIELDS else [value]
        if key in LIST_FIELDS and not isinstance(value, list):
            raise _fail(name, case, f"{key} must be a list, e.g. {key} = [\"{allowed[0]}\"]")
        bad = [v for v in values if not isinstance(v, str) or v not in allowed]
        if bad:
            raise _fail(name, case, f"{key} = {bad[0]!r} is not a known value; choose from {', '.join(allowed)}")
        fields[key] = tuple(dict.fromkeys(values)) if key in LIST_FIELDS else value
    remove = entry.get("verwijder", [])
    if not isinstance(remove, list) or not all(isinstance(r, str) for r in remove):
        raise _fail(name, case, 'verwijder must be a list of labels, e.g. verwijder = ["trigger:vechtscheiding"]')
    for label in remove:
        _label(name, case, "verwijder", label)
    add = []
    items = entry.get("voeg_toe", [])
    if not isinstance(items, list):
        raise _fail(name, case, 'voeg_toe must be a list, e.g. voeg_toe = [{label = "trigger:verslaving_ouder", '
                                'regel = 12}]')
    for item in items:
        if not isinstance(item, dict) or set(item) != {"label", "regel"} or not isinstance(item["regel"], int) \
                or isinstance(item["regel"], bool):
            raise _fail(name, case, "each voeg_toe item needs exactly a label and a line number: "
                                    '{label = "trigger:verslaving_ouder", regel = 12}')
        add.append((_label(name, case, "voeg_toe", item["label"]), item["regel"]))
    if not (fields or remove or add):
        raise _fail(name, case, "holds no correction")
    return CaseCorrection(case, fields, tuple(dict.fromkeys(remove)), tuple(dict.fromkeys(add)))


def _label(name: str, case: str, key: str, label: Any) -> str:
    if not isinstance(label, str) or label not in schema.LABELS:
        raise _fail(name, case, f"{key}: unknown label {label!r}; labels look like trigger:vechtscheiding or "
                                "bouwsteen:plan (ANNOTATION.md §2–3)")
    return label


def apply(cases: list[TaggedCase], corrections: list[CaseCorrection], path: Path | str) -> list[TaggedCase]:
    """The cases with the corrections applied (same order); every correction is checked against its case first."""
    by_name = {c.case.name: i for i, c in enumerate(cases)}
    out = list(cases)
    for corr in corrections:
        if corr.case not in by_name:
            known = ", ".join(sorted(by_name)[:5]) + (" …" if len(by_name) > 5 else "")
            raise _fail(str(path), corr.case, f"no such case in the library (cases are named like {known})")
        i = by_name[corr.case]
        out[i] = apply_one(out[i], corr, str(path))
    return out


def apply_one(tagged: TaggedCase, corr: CaseCorrection, name: str = "corrections") -> TaggedCase:
    """One case with one table of corrections applied; raises :class:`CorrectionError` for a bad entry."""
    text = tagged.case.text
    present = {t.label for t in tagged.tags}
    for label in corr.remove:
        if label not in present:
            raise _fail(name, corr.case, f"verwijder: {label} is not tagged in this case")
    lines = layout.lines(text)
    added: list[Tag] = []
    for label, number in corr.add:
        if not 1 <= number <= len(lines):
            raise _fail(name, corr.case, f"voeg_toe: {label}: line {number} does not exist "
                                         f"(the case has lines 1 to {len(lines)})")
        line = lines[number - 1]
        stripped = line.text.strip()
        if not stripped:
            raise _fail(name, corr.case, f"voeg_toe: {label}: line {number} is empty")
        start = line.start + line.text.index(stripped)
        if any((t.start, t.end, t.label) == (start, start + len(stripped), label) for t in tagged.tags):
            raise _fail(name, corr.case, f"voeg_toe: {label}: line {number} is already tagged so")
        added.append(Tag(start, start + len(stripped), label, 1.0))
    tags = tuple(t for t in tagged.tags if t.label not in corr.remove) + tuple(added)
    tags = tuple(sorted(tags, key=lambda t: (t.start, t.end, t.label)))
    why = dict(tagged.fields.why)
    reason = weergave.data()["controle"]["reden_gecorrigeerd"]
    why.update({key: reason for key in corr.fields})
    fields = dataclasses.replace(tagged.fields, **corr.fields, why=why)
    done = (*corr.fields, *(f"verwijder:{label}" for label in corr.remove),
            *(f"voeg_toe:{label}:{number}" for label, number in corr.add))
    return dataclasses.replace(tagged, tags=tags, fields=fields,
                               corrections=tuple(dict.fromkeys((*tagged.corrections, *done))))
