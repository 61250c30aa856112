"""Pick the cases of one session: two to four that contrast, each with the reason it was chosen.

Contrast means: different client routes; at least one case where working
without a measure worked (route C) and one where it did not (route D) when the
library has them; different signals. The pick is greedy and deterministic:
each next case is the one that adds most (score below), ties by name.

    >>> picks = choose(cases, 3, themes=("trigger:vechtscheiding",))   # doctest: +SKIP
    >>> [(p.case.case.name, p.reason) for p in picks]                  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass

from leerwerkplaats.core import schema
from leerwerkplaats.core.cases import TaggedCase
from leerwerkplaats.handouts import weergave

DEFAULT_CASES = 3
#: Above this many cases a session gets too long to discuss each one (the CLI warns).
MAX_ADVISED = 4
#: Routes that show the two outcomes of working without a measure.
WORKED, DID_NOT = "C", "D"
_SIGNAL_GROUPS = ("gezin", "proces")


@dataclass(frozen=True)
class Pick:
    case: TaggedCase
    reason: str


def check_themes(values) -> tuple[str, ...]:
    """Validate ``--theme`` values: a label id (``trigger:…``, ``bouwsteen:…``) or ``route:X``."""
    out = []
    for value in values:
        kind, _, rest = value.partition(":")
        if (kind == "route" and rest in schema.CLIENTROUTES) or value in schema.LABELS:
            out.append(value)
        else:
            raise ValueError(f"--theme {value!r}: use a label id such as trigger:vechtscheiding "
                             f"or a route such as route:D")
    return tuple(out)


def theme_name(theme: str) -> str:
    """``trigger:vechtscheiding`` → ``Vechtscheiding``; ``route:D`` → ``Route D``."""
    if theme.startswith("route:"):
        return weergave.route_short(theme[6:])
    return weergave.label(theme)


def matches(tagged: TaggedCase, themes: tuple[str, ...]) -> bool:
    """True when no theme is given or the case has any of them."""
    if not themes:
        return True
    return any(tagged.fields.clientroute == t[6:] if t.startswith("route:") else t in tagged.labels
               for t in themes)


def signals(tagged: TaggedCase) -> frozenset[str]:
    return frozenset(lab for lab in tagged.labels
                     if schema.LABELS.get(lab) and schema.LABELS[lab].group in _SIGNAL_GROUPS)


def _score(c: TaggedCase, chosen: list[TaggedCase]) -> float:
    routes = {x.fields.clientroute for x in chosen}
    route = c.fields.clientroute
    score = 0.0
    if route != "onbekend" and route not in routes:
        score += 3.0
    if route in (WORKED, DID_NOT) and route not in routes:
        score += 4.0
    own = signals(c)
    seen = frozenset().union(*(signals(x) for x in chosen)) if chosen else frozenset()
    score += 0.5 * len(own - seen)
    for x in chosen:  # overlap with any chosen case counts against
        other = signals(x)
        if own | other:
            score -= 3.0 * len(own & other) / len(own | other)
    score += 0.1 * sum(1 for lab in c.labels if lab.startswith("bouwsteen:"))
    return score


def _reason(c: TaggedCase, others: list[TaggedCase], by_hand: bool) -> str:
    route = c.fields.clientroute
    parts = ["met de hand gekozen (--case)"] if by_hand else []
    if route == WORKED:
        parts.append("route C: werken zonder maatregel lukte, er volgde geen maatregel")
    elif route == DID_NOT:
        parts.append("route D: eerst zonder maatregel, toch een maatregel")
    elif route in ("A", "B"):
        parts.append(weergave.route(route)[0].lower() + weergave.route(route)[1:])
    else:
        parts.append("route niet vast te stellen")
    if any(o.fields.clientroute == route for o in others) and route != "onbekend":
        parts[-1] += " (zelfde route als een andere casus)"
    seen = frozenset().union(*(signals(o) for o in others)) if others else frozenset()
    order = {lab.id: i for i, lab in enumerate(schema.ALL_LABELS)}
    own = sorted(signals(c) - seen, key=order.__getitem__)
    if own:
        names = [weergave.label(lab).lower() for lab in own[:4]]
        more = f" en {len(own) - 4} meer" if len(own) > 4 else ""
        parts.append("signalen die de andere casussen niet hebben: " + ", ".join(names) + more)
    elif signals(c):
        parts.append("geen signalen die de andere casussen niet ook hebben")
    else:
        parts.append("geen signalen gemarkeerd")
    return "; ".join(parts)


def choose(cases: list[TaggedCase], n: int | None = None, themes: tuple[str, ...] = (),
           by_hand: tuple[str, ...] = ()) -> list[Pick]:
    """Pick ``n`` cases (default: the hand-picked ones, else :data:`DEFAULT_CASES`).

    ``by_hand`` names cases that must be in (their names, in that order); the
    rest are picked by contrast among the cases that match ``themes``. Raises
    ``ValueError`` for an unknown name or a theme no case matches.
    """
    by_name = {c.case.name: c for c in cases}
    unknown = [name for name in by_hand if name not in by_name]
    if unknown:
        raise ValueError(f"--case {', '.join(unknown)}: not in the library")
    n = n if n is not None else (len(by_hand) or DEFAULT_CASES)
    chosen = [by_name[name] for name in dict.fromkeys(by_hand)]
    pool = sorted((c for c in cases if matches(c, themes) and c.case.name not in by_hand),
                  key=lambda c: c.case.name)
    if themes and not pool and not chosen:
        raise ValueError(f"no case in the library matches {', '.join(themes)}")
    while len(chosen) < n and pool:
        best = max(pool, key=lambda c: _score(c, chosen))  # first of equals: pool is sorted by name
        chosen.append(best)
        pool.remove(best)
    hand = set(by_hand)
    return [Pick(c, _reason(c, [o for o in chosen if o is not c], c.case.name in hand)) for c in chosen]
