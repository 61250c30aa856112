#!/usr/bin/env python3
"""Check (and optionally rebuild) the yearless-date evaluation set.

    python corpus_dates/build.py            # check raw/ against gold.jsonl
    python corpus_dates/build.py --from-src # rebuild raw/ + gold.jsonl from src/, then check

Standard library only. Checks:
  * every gold `text` equals the NFC form of raw/<id>.txt, byte for byte;
  * every span's text equals its `surface`;
  * the day/month (and year, when written) parsed from the surface agree with `date`;
  * every weekday written in a surface ("dinsdag 9 november 2021", "di 21/3")
    matches the calendar date, and no weekday sits just outside a span;
  * dates written with a year are `sure`;
  * every interval joins two `sure` mentions and its `days` equals the
    difference between their dates.

src/ format (authoring only): markup [[surface|YYYY-MM-DD|1 or 0]]; a first line
"#I a-b c-d ..." lists the interval pairs (mention indices). In a surface,
%wd%/%Wd% give the full Dutch weekday (lower/capitalised), %wa%/%Wa% the
two-letter abbreviation, %en% the English weekday -- filled from the date.
"""
import datetime as dt
import json
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
RAW = HERE / "raw"
SRC = HERE / "src"
GOLD = HERE / "gold.jsonl"

WD_FULL = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
WD_ABBR = ["ma", "di", "wo", "do", "vr", "za", "zo"]
WD_EN = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "febr": 2, "maart": 3, "mrt": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "augustus": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10,
    "november": 11, "nov": 11, "december": 12, "dec": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7,
    "august": 8, "october": 10, "oct": 10,
}
WD_ANY = {w: i for i, w in enumerate(WD_FULL)}
WD_ANY.update({w: i for i, w in enumerate(WD_ABBR)})
WD_ANY.update({w: i for i, w in enumerate(WD_EN)})

MARK = re.compile(r"\[\[([^|\]]+)\|([0-9]{4}-[0-9]{2}-[0-9]{2}|null)\|([01])\]\]")


def nfc(s):
    return unicodedata.normalize("NFC", s)


def parse_surface(s):
    """Return (weekday index or None, day, month or None, year or None)."""
    t = s.strip().lower()
    wd = None
    m = re.match(r"([a-z]+)\.?,?\s+(.*)$", t)
    if m and m.group(1) in WD_ANY:
        wd, t = WD_ANY[m.group(1)], m.group(2)
    m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{2}|\d{4}))?", t)
    if m:
        y = m.group(3)
        y = None if y is None else (2000 + int(y) if len(y) == 2 else int(y))
        return wd, int(m.group(1)), int(m.group(2)), y
    m = re.fullmatch(r"(\d{1,2})\s+([a-z]+)\.?(?:\s+(\d{4}))?", t)
    if m and m.group(2) in MONTHS:
        return wd, int(m.group(1)), MONTHS[m.group(2)], (int(m.group(3)) if m.group(3) else None)
    m = re.fullmatch(r"([a-z]+)\.?\s+(\d{1,2}),?(?:\s+(\d{4}))?", t)  # English: June 29, 2023
    if m and m.group(1) in MONTHS:
        return wd, int(m.group(2)), MONTHS[m.group(1)], (int(m.group(3)) if m.group(3) else None)
    m = re.fullmatch(r"(\d{1,2})", t)  # bare day in "op 2 en 9 december"
    if m:
        return wd, int(m.group(1)), None, None
    raise ValueError("cannot parse surface %r" % s)


def from_src():
    RAW.mkdir(exist_ok=True)
    lines = []
    for p in sorted(SRC.glob("dates-*.txt")):
        src = nfc(p.read_text(encoding="utf-8"))
        first, body = src.split("\n", 1)
        assert first.startswith("#I"), p
        pairs = [tuple(int(x) for x in tok.split("-")) for tok in first[2:].split()]
        out, dates, pos = [], [], 0
        for m in MARK.finditer(body):
            out.append(body[pos:m.start()])
            surface, date, sure = m.group(1), m.group(2), m.group(3) == "1"
            d = None if date == "null" else dt.date.fromisoformat(date)
            if d is not None:
                w = d.weekday()
                surface = (surface.replace("%wd%", WD_FULL[w]).replace("%Wd%", WD_FULL[w].capitalize())
                           .replace("%wa%", WD_ABBR[w]).replace("%Wa%", WD_ABBR[w].capitalize())
                           .replace("%en%", WD_EN[w].capitalize()))
            assert "%" not in surface, (p, surface)
            start = sum(len(x) for x in out)
            out.append(surface)
            dates.append({"start": start, "end": start + len(surface), "surface": surface,
                          "date": date if d else None, "sure": sure})
            pos = m.end()
        out.append(body[pos:])
        text = "".join(out)
        assert "[[" not in text and "]]" not in text, p
        intervals = []
        for a, b in pairs:
            da, db = dt.date.fromisoformat(dates[a]["date"]), dt.date.fromisoformat(dates[b]["date"])
            intervals.append({"from": a, "to": b, "days": (db - da).days})
        fid = p.stem
        (RAW / (fid + ".txt")).write_text(text, encoding="utf-8", newline="")
        lines.append(json.dumps({"id": fid, "text": text, "dates": dates, "intervals": intervals},
                                ensure_ascii=False))
    GOLD.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("rebuilt %d files from src/" % len(lines))


WD_BEFORE = re.compile(r"\b(" + "|".join(WD_FULL + WD_ABBR) + r")\.?,?[ \t]+$", re.I)


def check():
    errors = []
    recs = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    ids = [r["id"] for r in recs]
    raw_ids = sorted(p.stem for p in RAW.glob("*.txt"))
    if sorted(ids) != raw_ids:
        errors.append("ids in gold.jsonl != files in raw/: %s vs %s" % (ids, raw_ids))
    n = {"mentions": 0, "with_year": 0, "without_year": 0, "sure": 0, "unsure": 0,
         "null": 0, "intervals": 0, "weekday_checked": 0}
    for r in recs:
        fid, text = r["id"], r["text"]
        e = lambda msg, fid=fid: errors.append("%s: %s" % (fid, msg))
        rawp = RAW / (fid + ".txt")
        if rawp.exists():
            raw = rawp.read_bytes().decode("utf-8")
            if nfc(raw) != raw:
                e("raw file is not NFC")
            if nfc(raw) != text:
                e("text differs from raw file")
        words = len(text.split())
        if not 250 <= words <= 700:
            e("word count %d outside 250-700" % words)
        prev_end = -1
        for i, d in enumerate(r["dates"]):
            n["mentions"] += 1
            s, t = d["start"], d["end"]
            if text[s:t] != d["surface"]:
                e("mention %d: span %r != surface %r" % (i, text[s:t], d["surface"]))
            if s < prev_end:
                e("mention %d overlaps or is out of order" % i)
            prev_end = t
            n["sure" if d["sure"] else "unsure"] += 1
            try:
                wd, day, mon, yr = parse_surface(d["surface"])
            except ValueError as ex:
                e("mention %d: %s" % (i, ex))
                continue
            n["with_year" if yr else "without_year"] += 1
            if yr and not d["sure"]:
                e("mention %d %r has a written year but sure=false" % (i, d["surface"]))
            if WD_BEFORE.search(text[max(0, s - 14):s]):
                e("mention %d %r: weekday just before the span, outside it" % (i, d["surface"]))
            if d["date"] is None:
                n["null"] += 1
                continue
            g = dt.date.fromisoformat(d["date"])
            if g.day != day or (mon and g.month != mon) or (yr and g.year != yr):
                e("mention %d %r does not agree with date %s" % (i, d["surface"], d["date"]))
            if wd is not None:
                n["weekday_checked"] += 1
                if g.weekday() != wd:
                    e("mention %d %r: weekday wrong, %s is a %s" % (i, d["surface"], d["date"],
                                                                     WD_FULL[g.weekday()]))
        iv = r["intervals"]
        if any(d["sure"] for d in r["dates"]) and not 3 <= len(iv) <= 5:
            e("%d intervals, want 3-5" % len(iv))
        for k, it in enumerate(iv):
            n["intervals"] += 1
            a, b = r["dates"][it["from"]], r["dates"][it["to"]]
            if not (a["sure"] and b["sure"]) or a["date"] is None or b["date"] is None:
                e("interval %d joins a mention that is not sure" % k)
                continue
            days = (dt.date.fromisoformat(b["date"]) - dt.date.fromisoformat(a["date"])).days
            if days != it["days"]:
                e("interval %d: days %d, dates say %d" % (k, it["days"], days))
    n["files"] = len(recs)
    n["files_without_sure"] = sum(1 for r in recs if not any(d["sure"] for d in r["dates"]))
    print(json.dumps(n))
    for x in errors:
        print("ERROR", x)
    print("OK" if not errors else "%d error(s)" % len(errors))
    return 0 if not errors else 1


if __name__ == "__main__":
    if "--from-src" in sys.argv:
        from_src()
    sys.exit(check())
