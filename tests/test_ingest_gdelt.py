"""GDELT 1.0 and 2.0: the real samples ingest with counts that match the files; compression; layouts."""

from __future__ import annotations

import gzip
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest

from policyshift.ingest import ingest_file
from policyshift.store import Store
from tests import gdelt_rows
from tests.conftest import shared_path

REAL = [
    (("gdelt_spark-gdelt_fixtures", "events1.csv"), "gdelt1", 100),
    (("gdelt_spark-gdelt_fixtures", "events.csv"), "gdelt2", 100),
    (("gdelt_spark-gdelt_fixtures", "eventsT.csv"), "gdelt2", 100),
    (("gdelt2_insight-gdelt-feed", "events.csv"), "gdelt2", 2116),
    (("gdelt2_insight-gdelt-feed", "20190121220000.export.CSV"), "gdelt2", 1629),
]


def _lines(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(1 for _ in f)


@pytest.mark.parametrize("parts,dataset,rows", REAL, ids=[f"{p[0]}/{p[1]}" for p, _, _ in REAL])
def test_real_samples_ingest_completely(store: Store, parts: tuple[str, str], dataset: str, rows: int) -> None:
    path = shared_path("data", *parts)
    assert _lines(path) == rows
    result = ingest_file(store, path)
    assert (result.dataset, result.read, result.stored, result.quarantined, result.duplicates) == \
        (dataset, rows, rows, 0, 0)
    assert store.con.execute("SELECT count(*), min(origin_line), max(origin_line), count(DISTINCT origin_line) "
                             "FROM events").fetchone() == (rows, 1, rows, rows)


def test_mixed_57_and_58_columns_in_one_file(store: Store) -> None:
    path = shared_path("data", "gdelt_spark-gdelt_fixtures", "events1.csv")
    ingest_file(store, path)
    with_url, without = store.con.execute(
        "SELECT count(origin_url), count(*) - count(origin_url) FROM events").fetchone()
    assert (with_url, without) == (60, 40)


def test_row_values_are_mapped(store: Store) -> None:
    path = shared_path("data", "gdelt2_insight-gdelt-feed", "events.csv")
    ingest_file(store, path)
    row = store.con.execute(
        "SELECT date, date_precision, source_actor, target_actor, cameo_code, root_code, quad_class, goldstein, "
        "location_country, origin_line, origin_url, plover FROM events WHERE event_id = 'gdelt2:479491241'").fetchone()
    assert row[:8] == (date(2014, 10, 27), "day", None, "IRL", "051", "05", 1, 3.4)
    assert row[8] == "USA"  # ActionGeo_CountryCode US is FIPS for the United States
    assert row[9] == 3
    assert row[10].startswith("http://www.irishcentral.com/")
    assert row[11] == "SUPPORT"  # 051 praise or endorse


def test_pak_afg_rows_of_the_2015_file(store: Store) -> None:
    ingest_file(store, shared_path("data", "gdelt2_insight-gdelt-feed", "events.csv"))
    n = store.con.execute("SELECT count(*) FROM events WHERE source_country = 'PAK' AND target_country = 'AFG'"
                          ).fetchone()[0]
    assert n == 1  # SOURCE.md: PAK->AFG 1


def test_own_fixture_with_both_layouts(store: Store, tmp_path: Path) -> None:
    rows = gdelt_rows.numbered(3, gdelt_rows.GDELT1_58) + gdelt_rows.numbered(2, gdelt_rows.GDELT1_57, start=10)
    result = ingest_file(store, gdelt_rows.write(tmp_path / "mixed.tsv", rows), dataset="gdelt1")
    assert (result.read, result.stored) == (5, 5)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_line_endings(store: Store, tmp_path: Path, newline: str) -> None:
    path = gdelt_rows.write(tmp_path / "e.tsv", gdelt_rows.numbered(4), newline=newline)
    result = ingest_file(store, path)
    assert (result.dataset, result.stored) == ("gdelt2", 4)
    assert store.con.execute("SELECT max(length(origin_url)) FROM events").fetchone()[0] == \
        len(gdelt_rows.DEFAULTS["SOURCEURL"])  # no stray carriage return


def test_gzip_and_zip(tmp_path: Path) -> None:
    plain = gdelt_rows.write(tmp_path / "e.export.CSV", gdelt_rows.numbered(25))
    gz = tmp_path / "e.export.CSV.gz"
    with open(plain, "rb") as src, gzip.open(gz, "wb") as dst:
        shutil.copyfileobj(src, dst)
    zp = tmp_path / "e.export.CSV.zip"
    with zipfile.ZipFile(zp, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.write(plain, "e.export.CSV")
    for path in (plain, gz, zp):
        with Store(tmp_path / f"{path.suffix}.duckdb") as store:
            result = ingest_file(store, path)
            assert (result.dataset, result.read, result.stored) == ("gdelt2", 25, 25), path
            origin = store.con.execute("SELECT origin_file FROM events LIMIT 1").fetchone()[0]
            assert origin == str(path) + ("!e.export.CSV" if path.suffix == ".zip" else "")


def test_compression_is_detected_by_content_not_name(store: Store, tmp_path: Path) -> None:
    plain = gdelt_rows.write(tmp_path / "e.tsv", gdelt_rows.numbered(5))
    disguised = tmp_path / "e.txt"
    disguised.write_bytes(gzip.compress(plain.read_bytes()))
    assert ingest_file(store, disguised).stored == 5


def test_large_file_spans_many_chunks(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from policyshift.ingest import base

    monkeypatch.setattr(base, "CHUNK_BYTES", 4096)  # force ~10 rows per chunk to test chunk seams
    rows = gdelt_rows.numbered(300)
    rows[137] = rows[137].replace("\t20010922\t", "\t20010230\t", 1)  # an impossible date mid-file
    result = ingest_file(store, gdelt_rows.write(tmp_path / "big.tsv", rows))
    assert (result.read, result.stored, result.quarantined) == (300, 299, 1)
    assert store.con.execute("SELECT line, field FROM quarantine").fetchone() == (138, "SQLDATE")
    lines = [r[0] for r in store.con.execute("SELECT origin_line FROM events ORDER BY origin_line").fetchall()]
    assert lines == [n for n in range(1, 301) if n != 138]
