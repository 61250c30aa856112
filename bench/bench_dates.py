"""Yearless dates on a set written apart: how often the resolved date is right, and which intervals would mislead.

Scores :func:`leerwerkplaats.core.dates.resolve` against ``corpus_dates/gold.jsonl``
(23 fictional files, 288 date mentions, written apart from the date code; never tune
on it). A gold mention is *found* when a resolved mention overlaps it. The figure
that matters for a workshop: an interval between two dates the toolkit calls sure
is shown to participants; such an interval is *wrong* when its day count differs
from the gold one.

    python bench/bench_dates.py [--gold corpus_dates/gold.jsonl]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from leerwerkplaats.core.dates import resolve  # noqa: E402


def score(records: list[dict]) -> dict[str, int]:
    out = dict.fromkeys(("mentions", "found", "gold_sure", "right_when_knowable", "gold_unsure",
                         "marked_unsure", "called_sure", "sure_but_wrong", "intervals_shown",
                         "intervals_wrong", "intervals_held_back"), 0)
    for rec in records:
        resolved = resolve(rec["text"])
        match = []
        for g in rec["dates"]:
            hit = next((r for r in resolved if r.mention.start < g["end"] and g["start"] < r.mention.end), None)
            match.append(hit)
            out["mentions"] += 1
            out["found"] += hit is not None
            if g["sure"]:
                out["gold_sure"] += 1
                out["right_when_knowable"] += bool(hit and hit.date and hit.date.isoformat() == g["date"])
            else:
                out["gold_unsure"] += 1
                out["marked_unsure"] += bool(hit is None or not hit.sure)
            if hit is not None and hit.sure:
                out["called_sure"] += 1
                out["sure_but_wrong"] += hit.date is None or hit.date.isoformat() != g["date"]
        for pair in rec.get("intervals", []):
            a, b = match[pair["from"]], match[pair["to"]]
            if a is None or b is None or not (a.sure and b.sure) or a.date is None or b.date is None:
                out["intervals_held_back"] += 1
                continue
            out["intervals_shown"] += 1
            out["intervals_wrong"] += abs((b.date - a.date).days) != abs(pair["days"])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default=str(ROOT / "corpus_dates" / "gold.jsonl"))
    args = ap.parse_args()
    records = [json.loads(line) for line in Path(args.gold).read_text(encoding="utf-8").splitlines() if line.strip()]
    s = score(records)
    print(f"{len(records)} files, {s['mentions']} date mentions ({args.gold})")
    print(f"| found | {s['found']} of {s['mentions']} |")
    print(f"| knowable year resolved right | {s['right_when_knowable']} of {s['gold_sure']} |")
    print(f"| unknowable year marked unsure | {s['marked_unsure']} of {s['gold_unsure']} |")
    print(f"| called sure but wrong | {s['sure_but_wrong']} of {s['called_sure']} |")
    print(f"| gold intervals shown (both ends sure) | {s['intervals_shown']}, wrong: {s['intervals_wrong']}; "
          f"held back as 'datum onzeker': {s['intervals_held_back']} |")


if __name__ == "__main__":
    main()
