#!/usr/bin/env python3
"""Build the second written-apart evaluation set of leerwerkplaats (corpus_apart2).

Standard library only; it does NOT import leerwerkplaats (the set must stay
independent of the toolkit).  Reads every ``annotated/apart2-NNN.txt``
(front matter + ``[[surface|TYPE]]`` PII markup), and writes

* ``gold.jsonl``            one record per file: id, text, pii, spans ([]), register, format
* ``raw/apart2-NNN.txt``    the plain text (UTF-8, no BOM), identical to ``text``

Authoring extension (as in corpus_apart): a line break inside a PII span is
written ``␤`` (U+2424) in the annotated file and becomes ``\\n`` in the text;
allowed only in the ``ocr-brief`` register.

Checks (the build fails with exit 1 on any of them):
* markup: unbalanced ``[[ ]]``, no ``|``, unknown type, empty surface,
  ``{{ }}`` evidence markup (not used here), nested markup;
* every span equals its quoted surface in the final text (re-checked on the
  written gold.jsonl);
* span edges: no whitespace / invisible characters at an edge, no trailing
  ``,;:`` and no trailing ``.`` on number-like types, no title inside PERSOON,
  no month-without-day DATUM;
* BSN 11-check, IBAN mod-97 (any country);
* overlapping spans; NFC text; id = file name; known register and format;
  250-900 words;
* a leak check for likely unmarked PII (digit runs, phone-like groups, ``@``,
  names marked elsewhere in the same file but not here, initials), with a
  short list of deliberate exceptions in ``ALLOWED_FINDINGS``.

Run:  python corpus_apart2/build.py             (build + checks + README counts)
      python corpus_apart2/build.py --no-write  (checks only)
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ANNOTATED = HERE / "annotated"
RAW = HERE / "raw"
GOLD = HERE / "gold.jsonl"
README = HERE / "README.md"

TYPES = {"PERSOON", "BSN", "TELEFOON", "EMAIL", "ADRES", "POSTCODE", "PLAATS", "DATUM",
         "INSTELLING", "IBAN", "DOSSIERNUMMER", "KENTEKEN", "URL"}
REGISTERS = ["deelnemerslijst", "hoofdletters", "chat", "ocr-brief", "notulen-initialen", "emaildraad"]
FORMATS = {"txt", "pdf", "docx"}
NEWLINE_MARK = "\u2424"
INVISIBLE = {"\u00ad", "\u200b", "\u200c", "\u200d", "\ufeff", "\u2060"}
MIN_WORDS, MAX_WORDS = 250, 900
MONTHS = (r"(?:jan(?:uari)?|feb(?:ruari)?|maa?rt|mrt|apr(?:il)?|mei|jun[i]?|jul[i]?|aug(?:ustus)?|"
          r"sep(?:t|tember)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
MONTH_YEAR = MONTHS + r"\.?(?:\s+'?\d{2,4})?"
TITLES = (r"(?:mw|mevr|mevrouw|dhr|heer|de heer|meneer|mr|dr|drs|ir|prof|fam|familie|juf|meester|"
          r"dokter|tante|oom|oma|opa)\.?\s")


class BuildError(Exception):
    pass


# ---------------------------------------------------------------- parsing

def parse(source: str, name: str) -> tuple[dict, str, list[dict]]:
    """Return (meta, text, spans) of one authoring file."""
    if source.startswith("\ufeff"):
        raise BuildError(f"{name}: starts with a BOM")
    lines = source.split("\n")
    if not lines or lines[0].strip() != "---":
        raise BuildError(f"{name}: no front matter")
    try:
        close = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise BuildError(f"{name}: front matter not closed") from None
    meta = {}
    for line in lines[1:close]:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if ":" not in line:
            raise BuildError(f"{name}: bad front-matter line {line!r}")
        key, value = line.split(":", 1)
        meta[key.strip()] = value.split("#", 1)[0].strip()
    body = "\n".join(lines[close + 1:]).rstrip() + "\n"
    if "{{" in body or "}}" in body:
        raise BuildError(f"{name}: evidence markup {{{{…}}}} is not used in this set")
    out: list[str] = []
    spans: list[dict] = []
    pos = 0
    length = 0
    while True:
        i = body.find("[[", pos)
        j_stray = body.find("]]", pos)
        if j_stray != -1 and (i == -1 or j_stray < i):
            raise BuildError(f"{name}: stray ']]' near {body[max(0, j_stray - 40):j_stray + 10]!r}")
        if i == -1:
            out.append(body[pos:])
            break
        while body.startswith("[[[", i):  # a literal '[' right before markup, e.g. "[[[12-01-23|DATUM]] 08:02]"
            i += 1
        out.append(body[pos:i])
        length += i - pos
        j = body.find("]]", i + 2)
        if j == -1:
            raise BuildError(f"{name}: unclosed '[[' near {body[i:i + 50]!r}")
        inner = body[i + 2:j]
        if "[[" in inner:
            raise BuildError(f"{name}: nested markup near {body[i:j + 2]!r}")
        if "\n" in inner:
            raise BuildError(f"{name}: line break inside markup near {body[i:j + 2]!r} (use ␤)")
        if "|" not in inner:
            raise BuildError(f"{name}: markup without '|' near {body[i:j + 2]!r}")
        surface, kind = inner.rsplit("|", 1)
        kind = kind.strip()
        if kind not in TYPES:
            raise BuildError(f"{name}: unknown PII type {kind!r} on {surface!r}")
        if not surface:
            raise BuildError(f"{name}: empty surface near {body[i:j + 2]!r}")
        surface = surface.replace(NEWLINE_MARK, "\n")
        spans.append({"start": length, "end": length + len(surface), "type": kind, "surface": surface})
        out.append(surface)
        length += len(surface)
        pos = j + 2
    text = "".join(out)
    if NEWLINE_MARK in text:
        raise BuildError(f"{name}: '␤' outside a PII span")
    return meta, text, spans


# ---------------------------------------------------------------- validators

def bsn_ok(surface: str) -> bool:
    digits = re.sub(r"\D", "", surface)
    if len(digits) not in (8, 9):
        return False
    digits = digits.zfill(9)
    total = sum(w * int(d) for w, d in zip(range(9, 1, -1), digits[:8])) - int(digits[8])
    return total % 11 == 0


def iban_ok(surface: str) -> bool:
    s = re.sub(r"[\s.\-\u00ad\u200b]", "", surface).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", s):
        return False
    rearranged = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def words(text: str) -> int:
    return len(re.findall(r"\w+(?:[-'’]\w+)*", text))


# ---------------------------------------------------------------- leak check

INTERFIXES = {"de", "der", "den", "van", "ter", "ten", "te", "het", "la", "le", "el", "al",
              "op", "in", "t", "'t", "bin", "ben", "da", "do", "dos", "di", "du", "von", "d"}


def leak_check(rid: str, text: str, pii: list[dict]) -> list[str]:
    covered = [False] * len(text)
    for p in pii:
        for i in range(p["start"], p["end"]):
            covered[i] = True
    found: list[str] = []

    def ctx(a: int, b: int) -> str:
        return text[max(0, a - 30):b + 30].replace("\n", "⏎")

    def outside(a: int, b: int) -> bool:
        return not any(covered[a:b])

    for m in re.finditer(r"\d(?:[\u00ad\u200b]?\d){5,}", text):
        if any(not covered[i] for i in range(m.start(), m.end())):
            found.append(f"{rid}: digit run outside a span: {m.group()!r} … {ctx(*m.span())!r}")
    for m in re.finditer(r"(?<![\w/])(?:\+|00)?\(?\d{2,4}\)?(?:[ \u00a0.\-]\d{2,4}){2,}(?![\w/])", text):
        if re.fullmatch(r"\(?\d{1,2}[.:]\d{2}(?:\s?-\s?\d{1,2}[.:]\d{2})+", m.group()):
            continue  # clock times such as 13.00-16.30
        if len(re.sub(r"\D", "", m.group())) >= 8 and outside(*m.span()):
            found.append(f"{rid}: number group outside a span: {m.group()!r} … {ctx(*m.span())!r}")
    for i, ch in enumerate(text):
        if ch == "@" and not covered[i]:
            found.append(f"{rid}: '@' outside a span … {ctx(i, i + 1)!r}")
    names: set[str] = set()
    initials: set[str] = set()
    for p in pii:
        if p["type"] != "PERSOON":
            continue
        surface = text[p["start"]:p["end"]].replace("\n", "").replace("\u00ad", "")
        if re.fullmatch(r"(?:[A-Z][a-z]?\.\s?)+", surface) or (
                re.fullmatch(r"[A-Z][A-Za-z]{1,4}", surface) and sum(c.isupper() for c in surface) >= 2
                and not (surface.isupper() and len(surface) >= 3)):
            initials.add(surface.strip())
            continue
        names.add(surface.lower())
        for tok in re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)*", surface):
            if len(tok) >= 3 and tok.lower() not in INTERFIXES:
                names.add(tok.lower())
    for name in sorted(names, key=len, reverse=True):
        for m in re.finditer(r"(?<![\w@.])" + re.escape(name) + r"(?![\w])", text, flags=re.IGNORECASE):
            if outside(m.start(), m.end()):
                found.append(f"{rid}: name {m.group()!r} unmarked here (marked PERSOON elsewhere) … {ctx(*m.span())!r}")
    for ini in sorted(initials):
        for m in re.finditer(r"(?<![\w.@])" + re.escape(ini) + r"(?![\w])", text):
            if outside(m.start(), m.end()):
                found.append(f"{rid}: initials {ini!r} unmarked here … {ctx(*m.span())!r}")
    return found


# Deliberate exceptions: (id, substring of the finding).  Each is an ordinary
# word that equals a name elsewhere in the same file and is NOT a name here.
ALLOWED_FINDINGS: list[tuple[str, str]] = [
    ("apart2-013", "ER IS HOOP VOOR DIT GEZIN"),  # the word hope, not the family Hoop
    ("apart2-013", 'DAT "HOOP" IS GEEN NAAM'),  # the word quoted, not the family
    ("apart2-013", 'GELDT VOOR "ROOS" IN DE NOTITIE'),  # the flower quoted, not Marco Roos
    ("apart2-013", "GEEN ROOS VOOR MIJ"),  # the flower, not Marco Roos
    ("apart2-025", "RECHTBANK GELDER-⏎LAND"),  # court named after a province, not the mother's 'Van 't Land'
]


def allowed(finding: str) -> bool:
    return any(finding.startswith(rid + ":") and sub in finding for rid, sub in ALLOWED_FINDINGS)


# ---------------------------------------------------------------- build

def build_one(path: Path) -> dict:
    meta, text, spans = parse(path.read_text(encoding="utf-8"), path.name)
    rid = meta.get("id", "")
    if rid != path.stem:
        raise BuildError(f"{path.name}: front-matter id {rid!r} does not match the file name")
    if meta.get("register") not in REGISTERS:
        raise BuildError(f"{path.name}: unknown register {meta.get('register')!r}")
    if meta.get("format") not in FORMATS:
        raise BuildError(f"{path.name}: unknown format {meta.get('format')!r}")
    if unicodedata.normalize("NFC", text) != text:
        raise BuildError(f"{path.name}: text is not NFC-normalised")
    if "\n" in "".join(s["surface"] for s in spans) and meta["register"] != "ocr-brief":
        raise BuildError(f"{path.name}: line break inside a span outside the ocr-brief register")
    pii = []
    for s in spans:
        start, end, kind, surface = s["start"], s["end"], s["type"], s["surface"]
        if text[start:end] != surface:
            raise BuildError(f"{path.name}: offset error on {surface!r}")
        if surface[0].isspace() or surface[-1].isspace() or surface[0] in INVISIBLE or surface[-1] in INVISIBLE:
            raise BuildError(f"{path.name}: span {surface!r} ({kind}) has whitespace or an invisible character at its edge")
        if surface[-1] in ",;:" or (surface[-1] == "." and kind not in ("PERSOON", "DATUM", "INSTELLING", "ADRES")):
            raise BuildError(f"{path.name}: span {surface!r} ({kind}) ends with punctuation")
        if kind == "PERSOON" and re.match(TITLES, surface, flags=re.IGNORECASE):
            raise BuildError(f"{path.name}: PERSOON span {surface!r} starts with a title (titles stay outside)")
        if kind == "DATUM" and re.fullmatch(MONTH_YEAR, surface, flags=re.IGNORECASE):
            raise BuildError(f"{path.name}: DATUM span {surface!r} is a month without a day")
        if kind == "BSN" and not bsn_ok(surface):
            raise BuildError(f"{path.name}: BSN {surface!r} fails the 11-check")
        if kind == "IBAN" and not iban_ok(surface):
            raise BuildError(f"{path.name}: IBAN {surface!r} fails mod-97")
        if kind == "EMAIL" and not re.search(r"@[^@]*-demo\.", re.sub(r"\s", "", surface).lower().replace("rn", "m")):  # OCR may read m as rn
            raise BuildError(f"{path.name}: e-mail {surface!r} has no '-demo' domain")
        pii.append({"start": start, "end": end, "type": kind})
    pii.sort(key=lambda p: (p["start"], p["end"]))
    for a, b in zip(pii, pii[1:]):
        if b["start"] < a["end"]:
            raise BuildError(f"{path.name}: overlapping PII spans at {a} and {b}")
    return {"id": rid, "text": text, "pii": pii, "spans": [],
            "register": meta["register"], "format": meta["format"]}, spans


def main(argv: list[str]) -> int:
    write = "--no-write" not in argv
    paths = sorted(ANNOTATED.glob("apart2-*.txt"))
    if not paths:
        raise SystemExit("no annotated files found")
    records, surfaces, errors, findings, all_findings = [], {}, [], [], []
    for path in paths:
        try:
            rec, spans = build_one(path)
        except BuildError as exc:
            errors.append(str(exc))
            continue
        records.append(rec)
        surfaces[rec["id"]] = sorted(((s["start"], s["end"], s["type"], s["surface"]) for s in spans))
        n = words(rec["text"])
        if not MIN_WORDS <= n <= MAX_WORDS:
            errors.append(f"{path.name}: {n} words, outside {MIN_WORDS}-{MAX_WORDS}")
        these = leak_check(rec["id"], rec["text"], rec["pii"])
        all_findings += these
        findings += [f for f in these if not allowed(f)]
    for rid, sub in ALLOWED_FINDINGS:
        if not any(sub in f for f in all_findings if f.startswith(rid + ":")):
            errors.append(f"stale ALLOWED_FINDINGS entry: {rid} {sub!r}")
    for e in errors:
        print("ERROR", e, file=sys.stderr)
    for f in findings:
        print("LEAK?", f, file=sys.stderr)
    if errors or findings:
        print(f"\nbuild FAILED: {len(errors)} errors, {len(findings)} leak findings", file=sys.stderr)
        return 1

    per_type = Counter(p["type"] for r in records for p in r["pii"])
    per_reg_type = {reg: Counter(p["type"] for r in records if r["register"] == reg for p in r["pii"]) for reg in REGISTERS}
    total_words = sum(words(r["text"]) for r in records)
    lines = ["| register | files | words | PII spans |", "|---|---:|---:|---:|"]
    for reg in REGISTERS:
        rs = [r for r in records if r["register"] == reg]
        lines.append(f"| {reg} | {len(rs)} | {sum(words(r['text']) for r in rs)} | {sum(len(r['pii']) for r in rs)} |")
    lines.append(f"| **total** | {len(records)} | {total_words} | {sum(per_type.values())} |")
    lines += ["", "| type | " + " | ".join(REGISTERS) + " | total |", "|---|" + "---:|" * (len(REGISTERS) + 1)]
    for t in sorted(TYPES, key=lambda t: (-per_type[t], t)):
        lines.append(f"| {t} | " + " | ".join(str(per_reg_type[reg][t]) for reg in REGISTERS) + f" | {per_type[t]} |")
    table = "\n".join(lines)
    print(table)
    if write:
        RAW.mkdir(exist_ok=True)
        for old in RAW.glob("apart2-*.txt"):
            old.unlink()
        with GOLD.open("w", encoding="utf-8", newline="\n") as fh:
            for r in records:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
                with open(RAW / f"{r['id']}.txt", "w", encoding="utf-8", newline="") as out:
                    out.write(r["text"])
        # re-read what was written and check every span against its quoted text
        back = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
        for r in back:
            with open(RAW / f"{r['id']}.txt", encoding="utf-8", newline="") as inp:
                raw = inp.read()
            if raw != r["text"]:
                raise SystemExit(f"{r['id']}: raw/ differs from gold text")
            got = [(p["start"], p["end"], p["type"], r["text"][p["start"]:p["end"]]) for p in r["pii"]]
            if got != surfaces[r["id"]]:
                raise SystemExit(f"{r['id']}: gold spans do not match their quoted text")
        if README.exists():
            readme = README.read_text(encoding="utf-8")
            a, b = "<!-- counts:start -->", "<!-- counts:end -->"
            if a in readme and b in readme:
                head, rest = readme.split(a, 1)
                _, tail = rest.split(b, 1)
                README.write_text(f"{head}{a}\n{table}\n{b}{tail}", encoding="utf-8")
        print(f"\nwrote {GOLD.name} ({len(records)} records) and raw/*.txt; all spans re-checked")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
