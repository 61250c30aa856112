#!/usr/bin/env python3
"""Authoring helper: print random fictional BSNs (11-check) and IBANs (mod-97).

Used once while writing corpus_apart2; the numbers in annotated/ were taken
from its output.  Standard library only.  Run: python corpus_apart2/gen_ids.py [seed]
"""
import random
import sys


def bsn(rng):
    while True:
        d = [rng.randint(0, 9) for _ in range(8)]
        if d[0] == 0:
            continue
        last = sum(w * x for w, x in zip(range(9, 1, -1), d)) % 11
        if last < 10:
            return "".join(map(str, d + [last]))


def iban(rng, country="NL", bban_fmt=("ABNA", 10)):
    bank, n = bban_fmt
    bban = bank + "".join(str(rng.randint(0, 9)) for _ in range(n))
    num = int("".join(str(int(c, 36)) for c in bban + country + "00"))
    return f"{country}{98 - num % 97:02d}{bban}"


def groups(s, n=4):
    return " ".join(s[i:i + n] for i in range(0, len(s), n))


if __name__ == "__main__":
    rng = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 53817)
    print("BSN (plain | dotted 4.2.3 | dashed 3-3-3 | spaced 3 3 3)")
    for _ in range(40):
        b = bsn(rng)
        print(f"  {b} | {b[:4]}.{b[4:6]}.{b[6:]} | {b[:3]}-{b[3:6]}-{b[6:]} | {b[:3]} {b[3:6]} {b[6:]}")
    print("IBAN (compact | grouped | lowercase | hyphens)")
    banks = [("NL", ("ABNA", 10)), ("NL", ("INGB", 10)), ("NL", ("RABO", 10)), ("NL", ("SNSB", 10)),
             ("NL", ("TRIO", 10)), ("NL", ("ASNB", 10)), ("NL", ("BUNQ", 10)), ("NL", ("KNAB", 10)),
             ("BE", ("", 12)), ("DE", ("", 18))]
    for i in range(30):
        c, f = banks[i % len(banks)]
        s = iban(rng, c, f)
        print(f"  {s} | {groups(s)} | {groups(s).lower()} | {'-'.join(groups(s).split())}")
