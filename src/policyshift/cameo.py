"""The CAMEO codebook: every code, its name, Goldstein weight, quad class and PLOVER category.

The table (data/cameo.tsv) is built by tools/build_cameo.py from GDELT's published lookups, with
ICEWS' one extra code (1213) and the PLOVER project's crosswalk (CAMEO2PLOVER-2021).

Quad classes: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material
conflict. GDELT carries its own QuadClass and we keep it. For every other source we apply the rule
GDELT applies (roots 01-05 -> 1, 06-09 -> 2, 10-14 -> 3, 15-20 -> 4), which a cross-tab of every
GDELT sample row confirms (tests/test_cameo.py). The ICEWS/Phoenix tooling instead puts 09
(investigate) in verbal conflict and 14 (protest) in material conflict; one rule for the whole store
keeps quad shares comparable across data sets. See docs/cameo.md.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation",
              3: "verbal conflict", 4: "material conflict"}


@dataclass(frozen=True)
class CameoCode:
    code: str
    name: str
    goldstein: float
    root_code: str
    quad_class: int
    plover: str | None
    plover_mode: str | None
    plover_context: str | None


def quad_class_for_root(root_code: str) -> int:
    """The quad class of a CAMEO root code ("01".."20"), by the GDELT rule."""
    root = int(root_code)
    if not 1 <= root <= 20:
        raise ValueError(f"CAMEO root code {root_code!r} is not between 01 and 20")
    return 1 if root <= 5 else 2 if root <= 9 else 3 if root <= 14 else 4


@cache
def codebook() -> dict[str, CameoCode]:
    """Every CAMEO code, keyed by code ("01", "010", "0874", ...)."""
    text = files("policyshift.data").joinpath("cameo.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines(), delimiter="\t")
    return {r["code"]: CameoCode(code=r["code"], name=r["name"], goldstein=float(r["goldstein"]),
                                 root_code=r["root_code"], quad_class=int(r["quad_class"]),
                                 plover=r["plover_event"] or None, plover_mode=r["plover_mode"] or None,
                                 plover_context=r["plover_context"] or None)
            for r in rows}


def lookup(code: str) -> CameoCode | None:
    """The entry for a code, or None when CAMEO has no such code."""
    return codebook().get(code)
