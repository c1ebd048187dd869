"""The CAMEO codebook, the quad-class rule checked on real GDELT rows, PLOVER, country codes."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from policyshift.actors import cameo_to_iso3, country_name_to_iso3, fips_to_iso3_table, iso3_to_cameo
from policyshift.cameo import codebook, lookup, quad_class_for_root
from tests.conftest import shared_path

GDELT2_SAMPLES = [("gdelt2_insight-gdelt-feed", "events.csv"),
                  ("gdelt2_insight-gdelt-feed", "20190121220000.export.CSV"),
                  ("gdelt_spark-gdelt_fixtures", "events.csv"),
                  ("gdelt_spark-gdelt_fixtures", "eventsT.csv")]


def test_codebook_is_complete() -> None:
    book = codebook()
    assert len(book) == 312
    roots = {c.root_code for c in book.values()}
    assert roots == {f"{i:02d}" for i in range(1, 21)}
    assert lookup("0874").name == "Retreat or surrender militarily"
    assert lookup("1213") is not None  # ICEWS' code that GDELT's lookup lacks
    assert lookup("044").name == "Meet at a third location"  # GDELT's mojibake repaired
    assert all(-10 <= c.goldstein <= 10 for c in book.values())
    assert all(c.code.startswith(c.root_code) for c in book.values())
    assert lookup("999") is None


def test_codebook_matches_gdelt_lookups() -> None:
    with open(shared_path("data", "gdelt_lookups", "CAMEO.goldsteinscale.txt"), encoding="utf-8") as f:
        weights = {r["CAMEOEVENTCODE"]: float(r["GOLDSTEINSCALE"]) for r in csv.DictReader(f, delimiter="\t")}
    book = codebook()
    assert set(weights) <= set(book)
    assert all(book[c].goldstein == w for c, w in weights.items())


def test_quad_class_rule_matches_every_gdelt_sample_row() -> None:
    crosstab: Counter[tuple[str, str]] = Counter()
    for folder, name in GDELT2_SAMPLES:
        with open(shared_path("data", folder, name), encoding="utf-8") as f:
            for line in f:
                cols = line.rstrip("\n").split("\t")
                crosstab[(cols[28], cols[29])] += 1  # EventRootCode, QuadClass
    assert sum(crosstab.values()) == 2116 + 1629 + 100 + 100
    disagreements = {k: n for k, n in crosstab.items() if quad_class_for_root(k[0]) != int(k[1])}
    assert disagreements == {}
    # The roots where the ICEWS/Phoenix tooling differs: GDELT puts 09 in 2 and 14 in 3.
    assert {q for (r, q) in crosstab if r == "09"} == {"2"}
    assert {q for (r, q) in crosstab if r == "14"} == {"3"}


@pytest.mark.parametrize("root,quad", [("01", 1), ("05", 1), ("06", 2), ("09", 2), ("10", 3), ("14", 3),
                                       ("15", 4), ("20", 4)])
def test_quad_class_boundaries(root: str, quad: int) -> None:
    assert quad_class_for_root(root) == quad


def test_quad_class_rejects_non_roots() -> None:
    with pytest.raises(ValueError, match="between 01 and 20"):
        quad_class_for_root("21")


def test_plover_crosswalk() -> None:
    assert lookup("0874").plover == "RETREAT"
    assert lookup("190").plover == "ASSAULT"
    assert lookup("191").plover == "COERCE"
    assert lookup("010").plover is None  # PLOVER drops plain statements
    assert sum(1 for c in codebook().values() if c.plover) >= 250


def test_country_codes() -> None:
    assert cameo_to_iso3("PAK") == "PAK"
    assert cameo_to_iso3("ROM") == "ROU"
    assert cameo_to_iso3("SAS") is None  # a region, not a country
    assert cameo_to_iso3("XYZ") is None
    assert iso3_to_cameo("ROU") == "ROM"
    assert country_name_to_iso3("Pakistan") == "PAK"
    assert country_name_to_iso3("Russian Federation") == "RUS"
    assert country_name_to_iso3("Occupied Palestinian Territory") == "PSE"
    assert country_name_to_iso3("Government of Afghanistan") == "AFG"
    assert country_name_to_iso3("Atlantis") is None
    assert fips_to_iso3_table()["PK"] == "PAK"
    assert fips_to_iso3_table()["AF"] == "AFG"
    assert fips_to_iso3_table()["UK"] == "GBR"


def test_every_cameo_country_code_of_gdelt_resolves_or_is_a_region() -> None:
    with open(shared_path("data", "gdelt_lookups", "cameoCountry.txt"), encoding="utf-8") as f:
        codes = [r["CODE"] for r in csv.DictReader(f, delimiter="\t")]
    unresolved = [c for c in codes if cameo_to_iso3(c) is None]
    from policyshift.actors import CAMEO_REGIONS

    assert set(unresolved) <= CAMEO_REGIONS | {"ANT"}  # Netherlands Antilles: dissolved, no ISO code now
