"""Fictional tagged cases for the handout tests, built by hand (no model, no pseudonymiser).

Other handout tests import from here; the one test checks the fixture itself.
"""

from __future__ import annotations

from leerwerkplaats.core.cases import CaseFields, PseudonymisedCase, Tag, TaggedCase

TEXT = """VERSLAG HUISBEZOEK - gezin Bakker
Datum: 12-03-2023

1. Aanleiding
Op 12-03-2023 meldde school dat Lotte blauwe plekken had; vader sloeg haar volgens Lotte.
De zorgen over verwaarlozing bleken onterecht: er is eten en de kleding is schoon.
Moeder werkt goed mee & houdt zich aan afspraken <script>alert("x")</script>.

2. Afspraken
We maken een veiligheidsplan met opa en oma.
"""


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
    return TaggedCase(PseudonymisedCase(name, text), tags, fields, ruled_out, "testmodel 0.0")


def test_fixture_spans_point_at_their_text():
    case = tagged_case()
    for t in case.tags:
        assert case.case.text[t.start:t.end].strip()
