"""Soak test: many generated files with planted identifiers through ``run``, killed once half-way, run again.

    python bench/soak_run.py                 # 1,000 files, -j 2, html
    python bench/soak_run.py --files 100     # a quicker first look

Checks and prints:
- the first run, killed with SIGKILL when about half the files are done, leaves the
  output folder without any half-written result and its workers exit by themselves;
- the rerun finishes: every input is either rendered or named with a reason
  (nothing lost), the manifest matches the files, the inputs are unchanged;
- no planted identifier (name, BSN, phone, e-mail, IBAN, address) of a file is in that
  file's outputs (its case folder, its library record); no planted number, e-mail, IBAN or
  address is anywhere. A planted *name* in another case's output is counted apart: the
  surrogates are plausible Dutch names and can coincide with a name planted elsewhere;
- wall time and peak memory (resident set of the whole process tree, sampled).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIRST = ["Sanne", "Noor", "Daan", "Lieke", "Bram", "Fleur", "Sem", "Julia", "Mees", "Tess", "Yusuf", "Fatima",
         "Milan", "Anouk", "Ravi", "Ilse"]
LAST = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos", "Vos",
        "Yilmaz", "El Amrani", "Kramer", "van Dijk", "Hoekstra", "Wijnberg"]
STREETS = ["Kerkstraat", "Molenweg", "Lindelaan", "Dorpsstraat", "Beukenlaan", "Havenkade"]
STORY = [
    "De school meldde dat {kind} vaak zonder ontbijt kwam en vieze kleding droeg.",
    "Moeder gaf aan dat er thuis veel ruzie was; de politie kwam na een incident.",
    "Er werd een veiligheidsplan opgesteld met moeder en het netwerk.",
    "De jeugdbeschermer liep mee zonder maatregel; de hulp kwam langzaam op gang.",
    "Vader was niet bereikbaar en zegde afspraken af.",
    "Bij de evaluatie bleek dat het beter ging; de doelen werden deels behaald.",
]


def bsn(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1)))
        last = total % 11
        if last < 10 and digits[0] != 0:
            return "".join(map(str, digits)) + str(last)


def iban(rng: random.Random) -> str:
    account = f"{rng.randint(0, 10**10 - 1):010d}"
    bank = "ABNA"
    numeric = "".join(str(int(c, 36)) for c in bank + account + "NL00")
    check = 98 - int(numeric) % 97
    return f"NL{check:02d}{bank}{account}"


def case_text(rng: random.Random) -> tuple[str, list[str]]:
    mother = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    child = rng.choice(FIRST)
    number, phone = bsn(rng), f"06-{rng.randint(10_000_000, 99_999_999)}"
    mail = f"{mother.split()[0].lower()}.{rng.randint(100, 999)}@hotmail.com"
    account = iban(rng)
    street = f"{rng.choice(STREETS)} {rng.randint(2, 199)}"
    lines = [f"Dossier van mevrouw {mother}, BSN {number}, wonend aan de {street}.",
             f"Telefoon {phone}, e-mail {mail}, rekeningnummer {account}.",
             f"Het gaat om haar zoon {child} {mother.split(' ', 1)[1]} (9 jaar)."]
    lines += [s.format(kind=child) for s in rng.sample(STORY, 4)]
    lines.append(f"Mevrouw {mother.split(' ', 1)[1]} werd gebeld op {phone}.")
    surname = mother.split(" ", 1)[1]
    return "\n".join(lines) + "\n", [mother, surname, number, phone, mail, account, street]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as fh:
                total += int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            with open(f"/proc/{p}/task/{p}/children") as fh:
                todo += [int(c) for c in fh.read().split()]
        except (OSError, ValueError):
            continue
    return total


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(c) for c in fh.read().split()]
    except OSError:
        return []


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def command(inputs: Path, out: Path, jobs: int) -> list[str]:
    return [sys.executable, "-m", "leerwerkplaats", "run", str(inputs), "-o", str(out), "--formats", "html",
            "-j", str(jobs), "--json", "-q"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
        inputs, out = Path(tmp) / "dossiers", Path(tmp) / "sessie"
        inputs.mkdir()
        planted: set[str] = set()
        by_file: dict[str, list[str]] = {}
        for i in range(args.files):
            text, secrets = case_text(rng)
            (inputs / f"dossier-{i:04d}.txt").write_text(text, encoding="utf-8")
            planted.update(secrets)
            by_file[f"dossier-{i:04d}.txt"] = secrets
        before = {p.name: sha(p) for p in inputs.iterdir()}
        print(f"{args.files} files, {len(planted)} planted identifiers; run -j {args.jobs} --formats html")

        # first run: SIGKILL the parent when about half the cases are in the staging folder
        t0 = time.perf_counter()
        proc = subprocess.Popen(command(inputs, out, args.jobs), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        workers: list[int] = []
        while proc.poll() is None:
            workers = children(proc.pid) or workers
            done = sum(1 for _ in out.glob(".leerwerkplaats-staging-*/casus-*"))
            if done >= args.files // 2:
                break
            time.sleep(0.5)
        if proc.poll() is not None:
            print("first run ended before half-way; cannot test the kill", proc.returncode)
            return 1
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed_at = time.perf_counter() - t0
        t_kill = time.perf_counter()
        while any(alive(w) for w in workers) and time.perf_counter() - t_kill < 30:
            time.sleep(0.2)
        orphans = [w for w in workers if alive(w)]
        visible = [p.name for p in out.iterdir() if not p.name.startswith(".")]
        print(f"killed after {killed_at:.1f} s at about {done} of {args.files} cases; "
              f"workers still alive {time.perf_counter() - t_kill:.1f} s later: {len(orphans)}; "
              f"visible files in the output folder: {len(visible)}")

        # second run, to the end
        t0 = time.perf_counter()
        # the JSON summary of 1,000 cases is larger than a pipe holds: a file, so the run never blocks on it
        with open(Path(tmp) / "summary.json", "w+") as summary_file:
            proc = subprocess.Popen(command(inputs, out, args.jobs), stdout=summary_file, stderr=subprocess.DEVNULL)
            peak = 0
            while proc.poll() is None:
                peak = max(peak, tree_rss(proc.pid))
                time.sleep(0.5)
            wall = time.perf_counter() - t0
            summary_file.seek(0)
            summary = json.load(summary_file)
        rows = summary["cases"]
        sources = {Path(r["source"]).name for r in rows}
        lost = sorted(set(before) - sources)
        withheld = [r for r in rows if r["status"] != "done"]
        manifest = json.loads((out / "leerwerkplaats-manifest.json").read_text())
        mismatch = [f["path"] for f in manifest["files"] if sha(out / f["path"]) != f["sha256"]]
        numbers = {s for secrets in by_file.values() for s in secrets[2:]}  # all but the name and surname
        names = {s for secrets in by_file.values() for s in secrets[:2]}
        leaked: set[str] = set()
        elsewhere: set[str] = set()
        records = {}
        library = out / "library.jsonl"
        if library.exists():
            records = {json.loads(line)["id"]: json.loads(line)["text"] for line in library.read_text().splitlines()}
        for row in rows:
            secrets = by_file[Path(row["source"]).name]
            texts = [p.read_text(encoding="utf-8", errors="replace") for p in (out / row["case"]).rglob("*")
                     if p.is_file()] + [records.get(row["case"], "")]
            leaked.update(s for s in secrets for t in texts if s in t)
        for path in out.rglob("*"):
            if path.is_file():
                data = path.read_text(encoding="utf-8", errors="replace")
                leaked.update(s for s in numbers if s in data)
                elsewhere.update(s for s in names if s in data)
        elsewhere -= leaked
        for s in sorted(elsewhere)[:10]:
            print(f"  planted elsewhere, found in another case's output: {s!r}")
        changed = [n for n, h in before.items() if sha(inputs / n) != h]
        print(f"rerun: exit {proc.returncode}, wall {wall:.1f} s, peak memory (process tree) {peak / 1e6:.0f} MB")
        print(f"cases done {summary['done']}, withheld {len(withheld)}, lost {len(lost)}; "
              f"manifest files {len(manifest['files'])}, checksum mismatches {len(mismatch)}; "
              f"inputs changed {len(changed)}; planted identifiers in their own file's outputs, or any "
              f"planted number/e-mail/IBAN/address anywhere: {len(leaked)}; planted names found in other "
              f"cases' outputs (surrogate coincidences): {len(elsewhere)}")
        for r in withheld[:10]:
            print(f"  withheld {r['source']}: {r['reason']}")
        for s in sorted(leaked)[:10]:
            print(f"  LEAK {s!r}")
        ok = not (orphans or visible or lost or mismatch or changed or leaked) and proc.returncode in (0, 3)
        print("OK" if ok else "FAILED")
        return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
