"""Regenerate src/policyshift/data/cameo.tsv from the public CAMEO lookups.

Inputs (from ../shared/data, never copied into the project): GDELT's CAMEO.eventcodes.txt and
CAMEO.goldsteinscale.txt, ICEWS' cameo-codes.csv (for the one code GDELT lacks, 1213), and the
PLOVER project's CAMEO2PLOVER-2021.txt. The output merges them into one table of our own layout.

    python tools/build_cameo.py ../shared/data > src/policyshift/data/cameo.tsv
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path


def quad_class(root: str) -> int:
    # The rule GDELT applies in its own QuadClass column (checked by a cross-tab on the samples).
    r = int(root)
    return 1 if r <= 5 else 2 if r <= 9 else 3 if r <= 14 else 4


def main(data: Path) -> None:
    names: dict[str, str] = {}
    weights: dict[str, str] = {}
    with open(data / "gdelt_lookups/CAMEO.eventcodes.txt", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            name = row["EVENTDESCRIPTION"].strip()
            # GDELT's own Mac-Roman mojibake in 044 ("Meet at a ÒhirdÓlocation").
            name = name.replace("ÒhirdÓlocation", "third location")
            if name.isupper():
                name = name.capitalize()
            names[row["CAMEOEVENTCODE"]] = name
    with open(data / "gdelt_lookups/CAMEO.goldsteinscale.txt", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            weights[row["CAMEOEVENTCODE"]] = row["GOLDSTEINSCALE"]
    with open(data / "icews_andybega_sample/cameo-codes.csv", encoding="latin-1") as f:
        for row in csv.DictReader(f):
            code = row["code"]
            if code not in names:
                names[code] = row["name"].strip()
                weights[code] = row["goldstein"]
    plover: dict[str, tuple[str, str, str]] = {}
    with open(data / "plover_cameo_map/CAMEO2PLOVER-2021.txt", encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            m = re.match(r"^(\d+):\s*(.*)$", line)
            if not m:
                continue
            parts = [p.strip() for p in m.group(2).split(",")] + ["", "", ""]
            plover[m.group(1)] = (parts[0], parts[1], parts[2])
    out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    out.writerow(["code", "name", "goldstein", "root_code", "quad_class",
                  "plover_event", "plover_mode", "plover_context"])
    for code in sorted(names, key=lambda c: (c[:2], c)):
        root = code[:2]
        # A code with no PLOVER line of its own takes its parent's (0874 -> 087 -> 08).
        p = next((plover[code[:n]] for n in range(len(code), 1, -1) if code[:n] in plover),
                 ("", "", ""))
        out.writerow([code, names[code], float(weights[code]), root, quad_class(root), *p])


if __name__ == "__main__":
    main(Path(sys.argv[1]))
