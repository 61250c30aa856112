"""doccano and Label Studio import/export: UTF-16 offsets and quote checks."""

from __future__ import annotations

import pytest

from leerwerkplaats.core.errors import CorpusError
from leerwerkplaats.core.records import CaseRecord, LabelSpan, PiiSpan
from leerwerkplaats.research.annotation_tools import (
    Offsets,
    export_file,
    from_doccano,
    from_labelstudio,
    import_file,
    to_doccano,
    to_labelstudio,
)

# The emoji is two UTF-16 units: every later offset differs between the two counts.
TEXT = "Bericht 😀 van Sanne: vader sloeg Daan."


def record() -> CaseRecord:
    s = TEXT.index("Sanne")
    t = TEXT.index("vader")
    return CaseRecord("casus-900", TEXT, (PiiSpan(s, s + 5, "PERSOON"),),
                      (LabelSpan(t, len(TEXT), "trigger:fysiek_geweld"),), {"clientroute": "C"}, "train")


def test_offsets_round_trip_and_surrogate_split():
    off = Offsets(TEXT)
    i = TEXT.index("Sanne")
    assert off.to_utf16(i) == i + 1
    assert off.from_utf16(i + 1, "x") == i
    with pytest.raises(CorpusError, match="inside a character"):
        off.from_utf16(TEXT.index("😀") + 1, "x")


@pytest.mark.parametrize(("to", "back"), [(to_doccano, from_doccano), (to_labelstudio, from_labelstudio)])
def test_round_trip_keeps_spans(to, back):
    original = record()
    exported = to([original])
    (again,) = back(exported)
    assert again.id == original.id
    assert again.pii == original.pii and again.spans == original.spans
    assert dict(again.case) == dict(original.case) and again.split == "train"


def test_doccano_export_counts_utf16():
    (obj,) = to_doccano([record()])
    start, end, tag = obj["label"][0]
    assert tag == "PERSOON" and start == TEXT.index("Sanne") + 1


def test_labelstudio_quote_mismatch_is_refused():
    (task,) = to_labelstudio([record()])
    task["annotations"][0]["result"][0]["value"]["text"] = "Sannes"
    with pytest.raises(CorpusError, match="quoted text"):
        from_labelstudio([task])


def test_labelstudio_codepoint_offsets_are_caught():
    (task,) = to_labelstudio([record()])
    value = task["annotations"][0]["result"][0]["value"]
    value["start"] -= 1  # as if a tool had counted code points
    value["end"] -= 1
    with pytest.raises(CorpusError):
        from_labelstudio([task])


def test_doccano_entities_and_unknown_tag():
    s16 = TEXT.index("Sanne") + 1
    obj = {"id": 7, "text": TEXT, "entities": [{"start_offset": s16, "end_offset": s16 + 5, "label": "PERSOON",
                                               "text": "Sanne"}]}
    (r,) = from_doccano([obj])
    assert TEXT[r.pii[0].start:r.pii[0].end] == "Sanne"
    obj["entities"][0]["label"] = "NAAM"
    with pytest.raises(CorpusError, match="unknown tag"):
        from_doccano([obj])


def test_doccano_span_with_whitespace_edge_refused():
    i = TEXT.index("Sanne") + 1
    with pytest.raises(CorpusError, match="whitespace"):
        from_doccano([{"id": "x", "text": TEXT, "label": [[i - 1, i + 5, "PERSOON"]]}])


@pytest.mark.parametrize("fmt", ["doccano", "labelstudio"])
def test_files_round_trip(tmp_path, fmt):
    path = tmp_path / f"out.{fmt}"
    export_file([record()], path, fmt)
    (again,) = import_file(path, fmt)
    assert again.spans == record().spans
