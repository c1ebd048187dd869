"""policyshift's own layouts: a CSV named after the event record, and Parquet as `export --parquet` writes it."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from policyshift.errors import BadRowError, InputFileError
from policyshift.ingest import ingest_file
from policyshift.ingest.base import Head
from policyshift.ingest.source import Source, read_head
from policyshift.ingest.tabular import CsvReader
from policyshift.schema import EVENT_COLUMN_NAMES, EVENT_COLUMNS
from policyshift.store import Store
from tests.conftest import FIXTURES, shared_path

CASE = FIXTURES / "policyshift_pakistan_2001.csv"
BAD = FIXTURES / "policyshift_bad_rows.csv"
PROVENANCE = ("dataset", "origin_file", "origin_line", "batch_id")
CONTENT = [c for c in EVENT_COLUMN_NAMES if c not in PROVENANCE]


def _write_csv(path: Path, header: list[str], *rows: list[str]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    return path


def _rows(store: Store, columns: list[str]) -> list[tuple]:
    return store.con.execute(f"SELECT {', '.join(columns)} FROM events ORDER BY event_id").fetchall()


# ---------------------------------------------------------------------------------------------
# CSV


def test_case_fixture_reads_completely(store: Store) -> None:
    result = ingest_file(store, CASE)
    assert (result.dataset, result.read, result.stored, result.quarantined, result.duplicates) == ("csv", 6, 6, 0, 0)
    row = store.con.execute(
        "SELECT date, date_precision, source_actor, source_country, target_actor, cameo_code, root_code, quad_class, "
        "goldstein, location_country, location_name, lat, lon, origin_document, origin_sentence, origin_offsets, "
        "confidence, dataset, origin_line FROM events WHERE event_id = 'case:2001-09-13'").fetchone()
    assert row == (dt.date(2001, 9, 13), "day", "USAGOV", "USA", "PAKGOV", "10", "10", 3, -5.0, "PAK", "Islamabad",
                   33.7215, 73.0433, "seed",
                   'Powell presents seven demands to Musharraf, among them "stop al-Qaeda operatives at the border".',
                   '{"source": [0, 6], "verb": [7, 15], "target": [37, 46]}', 0.9, "csv", 4)


def test_month_precision_takes_a_year_month_date(store: Store) -> None:
    ingest_file(store, CASE)
    assert store.con.execute("SELECT event_id, date FROM events WHERE date_precision = 'month' ORDER BY date"
                             ).fetchall() == [("case:1998-05", dt.date(1998, 5, 1)), ("case:2001-10", dt.date(2001, 10, 1))]


def test_bad_rows_each_quarantined_with_line_and_field(store: Store) -> None:
    result = ingest_file(store, BAD)
    assert (result.read, result.stored, result.quarantined, result.duplicates) == (10, 1, 8, 1)
    rows = store.con.execute("SELECT line, field, value, reason FROM quarantine ORDER BY line").fetchall()
    assert [r[:3] for r in rows] == [
        (3, "date", "2001-02-30"),
        (4, "cameo_code", "0999"),
        (5, "(row)", "3"),
        (6, "goldstein", "-12"),
        (7, "lat", "north"),
        (8, "root_code", "18"),
        (9, "event_id", ""),
        (11, "date", ""),
    ]
    reasons = [r[3] for r in rows]
    assert reasons[0].startswith("not a valid date (expected YYYY-MM-DD")
    assert reasons[1].startswith("unknown CAMEO event code")
    assert reasons[2] == "has 3 columns where the header has 6"
    assert reasons[3] == "Goldstein value out of range (-10 to 10)"
    assert reasons[4] == "not a number"
    assert reasons[5].startswith("root_code is not the first two digits of cameo_code")
    assert reasons[6:] == ["missing record id", "missing date"]
    assert store.con.execute("SELECT line, event_id, rule FROM duplicates").fetchall() == [(10, "t:1", "same event id")]


@pytest.mark.parametrize("precision,value,stored", [
    ("", "2001-10-07", (dt.date(2001, 10, 7), "day")),  # empty precision: day
    ("month", "2001-10-07", (dt.date(2001, 10, 1), "month")),  # a full date, truncated to its month
    ("year", "2001", (dt.date(2001, 1, 1), "year")),
    ("YEAR", "2001-10", (dt.date(2001, 1, 1), "year")),
    ("day", "2001-10", None),  # a month is not a day: refused, not invented
    ("month", "2001", None),
    ("week", "2001-10-07", None),
])
def test_date_and_precision(store: Store, tmp_path: Path, precision: str, value: str, stored: tuple | None) -> None:
    path = _write_csv(tmp_path / "p.csv", ["event_id", "date", "date_precision", "cameo_code"],
                      ["x:1", value, precision, "042"])
    result = ingest_file(store, path)
    if stored is None:
        assert result.quarantined == 1
        field = store.con.execute("SELECT field FROM quarantine").fetchone()[0]
        assert field == ("date_precision" if precision == "week" else "date")
    else:
        assert store.con.execute("SELECT date, date_precision FROM events").fetchone() == stored


def test_without_a_precision_column_every_date_is_a_day(store: Store, tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "minimal.csv", ["cameo_code", "date", "event_id"], ["042", "2001-10-16", "x:1"])
    assert ingest_file(store, path).stored == 1
    assert store.con.execute("SELECT date, date_precision, source_actor, root_code, quad_class, goldstein FROM events"
                             ).fetchone() == (dt.date(2001, 10, 16), "day", None, "04", 1, 1.9)


def test_the_files_own_weights_win(store: Store, tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "w.csv", ["event_id", "date", "cameo_code", "quad_class", "goldstein"],
                      ["x:1", "2001-10-16", "042", "2", "3.5"], ["x:2", "2001-10-16", "042", "", ""])
    ingest_file(store, path)
    assert _rows(store, ["event_id", "quad_class", "goldstein"]) == [("x:1", 2, 3.5), ("x:2", 1, 1.9)]


def test_provenance_columns_of_the_file_are_not_stored(store: Store, tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "prov.csv",
                      ["event_id", "date", "cameo_code", "dataset", "origin_file", "origin_line", "batch_id", "plover"],
                      ["gdelt2:1", "2001-10-16", "042", "gdelt2", "/elsewhere.csv", "99", "7", "NONSENSE"])
    ingest_file(store, path)
    assert store.con.execute("SELECT dataset, origin_file, origin_line, batch_id, plover FROM events").fetchone() == \
        ("csv", str(path), 2, 1, "CONSULT")


def test_unknown_columns_are_refused_by_name(store: Store, tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "typo.csv", ["event_id", "date", "cameo_code", "sorce_actor", "notes"],
                      ["x:1", "2001-10-16", "042", "PAKGOV", "n"])
    with pytest.raises(InputFileError) as caught:
        ingest_file(store, path)
    message = str(caught.value)
    assert message.startswith(f"{path}:1: the header names columns the event record does not have: "
                              "sorce_actor, notes;")
    assert "source_actor" in message  # the fix lists the valid names
    assert store.con.execute("SELECT count(*) FROM ingest_files").fetchone()[0] == 0


def test_missing_required_column(store: Store, tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "nocode.csv", ["event_id", "date", "source_actor"], ["x:1", "2001-10-16", "PAK"])
    with pytest.raises(InputFileError) as caught:
        ingest_file(store, path, dataset="csv")
    assert "its header lacks cameo_code" in str(caught.value)


def test_a_column_named_twice(store: Store, tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "twice.csv", ["event_id", "date", "cameo_code", "lat", "lat"],
                      ["x:1", "2001-10-16", "042", "1", "2"])
    with pytest.raises(InputFileError) as caught:
        ingest_file(store, path)
    assert "the header names lat more than once" in str(caught.value)


def test_strict_stops_at_the_first_bad_row(store: Store) -> None:
    with pytest.raises(BadRowError) as caught:
        ingest_file(store, BAD, strict=True)
    assert str(caught.value).startswith(f"{BAD}:3: field date = '2001-02-30': not a valid date")
    assert store.con.execute("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM ingest_files)").fetchone() \
        == (0, 0)


def test_auto_detection_picks_csv_and_leaves_gdelt_and_acled(store: Store) -> None:
    assert ingest_file(store, CASE).dataset == "csv"
    reader = CsvReader()
    for path in (shared_path("data", "gdelt_spark-gdelt_fixtures", "events.csv"),
                 shared_path("data", "gdelt_spark-gdelt_fixtures", "events1.csv"),
                 FIXTURES / "acled_pakistan_afghanistan_2021.csv"):
        why = reader.sniff(Head(read_head(Source.inspect(path))))
        assert why is not None and why.startswith("its header lacks event_id"), path


def test_an_unclosed_quote_is_an_error_naming_its_line(store: Store, tmp_path: Path) -> None:
    long = "x" * 200
    lines = ["event_id,date,cameo_code,origin_sentence", "x:1,2001-10-16,042,fine", 'x:2,2001-10-16,042,"never closed']
    lines += [f"x:{i},2001-10-16,042,{long}" for i in range(3, 1000)]
    path = tmp_path / "quote.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        ingest_file(store, path)
    assert str(caught.value).startswith(f"{path}:3: the record that starts here cannot be read")


# ---------------------------------------------------------------------------------------------
# Parquet: the export round trip


@pytest.fixture
def populated(tmp_path: Path) -> Store:
    """A store with rows from four readers, so every column of the record holds values somewhere."""
    s = Store(tmp_path / "first.duckdb")
    for path in (shared_path("data", "gdelt_spark-gdelt_fixtures", "events.csv"),
                 FIXTURES / "acled_pakistan_afghanistan_2021.csv",
                 FIXTURES / "phoenix_oeda_events.full.20150615.txt",
                 CASE):
        ingest_file(s, path)
    return s


def _export(store: Store, path: Path) -> Path:
    """What `policyshift export --parquet` writes: the events table in the schema's layout."""
    table = store.con.sql(f"SELECT {', '.join(EVENT_COLUMN_NAMES)} FROM events").to_arrow_table()
    pq.write_table(table, path)
    return path


def test_parquet_round_trip_keeps_every_value(populated: Store, tmp_path: Path) -> None:
    exported = _export(populated, tmp_path / "events.parquet")
    n = populated.con.execute("SELECT count(*) FROM events").fetchone()[0]
    nonnull = populated.con.execute(
        "SELECT " + ", ".join(f"count({c})" for c in CONTENT) + " FROM events").fetchone()
    assert all(nonnull), "the round trip must see a value in every column"
    with Store(tmp_path / "second.duckdb") as second:
        result = ingest_file(second, exported)
        assert (result.dataset, result.read, result.stored, result.quarantined, result.duplicates) == \
            ("parquet", n, n, 0, 0)
        assert _rows(second, CONTENT) == _rows(populated, CONTENT)
        # Provenance is the new file's: the parquet reader, the row number in the export.
        lines = second.con.execute("SELECT DISTINCT dataset, origin_file, min(origin_line), max(origin_line) FROM events "
                                   "GROUP BY ALL").fetchall()
        assert lines == [("parquet", str(exported), 1, n)]


def test_re_ingesting_an_export_finds_every_event_already_stored(populated: Store, tmp_path: Path) -> None:
    exported = _export(populated, tmp_path / "events.parquet")
    n = populated.con.execute("SELECT count(*) FROM events").fetchone()[0]
    result = ingest_file(populated, exported)
    assert (result.stored, result.duplicates) == (0, n)
    assert populated.con.execute("SELECT count(*) FROM duplicates WHERE batch_id = ? AND rule = 'same event id' "
                                 "AND event_id = duplicate_of", [result.batch_id]).fetchone()[0] == n


def test_csv_export_round_trip(populated: Store, tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    populated.con.execute(f"COPY (SELECT * FROM events) TO '{path}' (HEADER, DELIMITER ',')")
    with Store(tmp_path / "second.duckdb") as second:
        result = ingest_file(second, path)
        assert (result.dataset, result.quarantined) == ("csv", 0)
        assert _rows(second, CONTENT) == _rows(populated, CONTENT)


def _parquet(path: Path, **columns: pa.Array) -> Path:
    pq.write_table(pa.table(columns), path)
    return path


def test_parquet_subset_of_columns_and_a_timestamp_date(store: Store, tmp_path: Path) -> None:
    path = _parquet(tmp_path / "small.parquet",
                    event_id=pa.array(["p:1", "p:2"]),
                    date=pa.array([dt.datetime(2001, 10, 7), dt.datetime(2001, 10, 8)], pa.timestamp("us")),
                    cameo_code=pa.array(["195", "999"]),
                    lat=pa.array([31.6, None], pa.float32()))
    result = ingest_file(store, path)
    assert (result.dataset, result.read, result.stored, result.quarantined) == ("parquet", 2, 1, 1)
    assert store.con.execute("SELECT event_id, date, date_precision, lat FROM events").fetchone()[:3] == \
        ("p:1", dt.date(2001, 10, 7), "day")
    assert store.con.execute("SELECT line, field, value FROM quarantine").fetchall() == [(2, "cameo_code", "999")]


def test_parquet_strict_names_the_row(store: Store, tmp_path: Path) -> None:
    path = _parquet(tmp_path / "bad.parquet", event_id=pa.array(["p:1", "p:2", "p:3"]),
                    date=pa.array(["2001-10-07", "2001-10-07", "2001-02-30"]), cameo_code=pa.array(["195"] * 3))
    with pytest.raises(BadRowError) as caught:
        ingest_file(store, path, strict=True)
    assert str(caught.value).startswith(f"{path}:3: field date = '2001-02-30'")


@pytest.mark.parametrize("columns,message", [
    ({"event_id": pa.array(["p:1"]), "date": pa.array(["2001-10-07"]), "cameo_code": pa.array(["195"]),
      "fatalities": pa.array([3])}, "the Parquet schema names columns the event record does not have: fatalities"),
    ({"event_id": pa.array(["p:1"]), "cameo_code": pa.array(["195"])}, "the Parquet schema lacks date"),
    ({"event_id": pa.array(["p:1"]), "date": pa.array(["2001-10-07"]), "cameo_code": pa.array(["195"]),
      "origin_offsets": pa.array([[1, 2]])}, "column origin_offsets is of type list<"),
])
def test_parquet_layout_errors(store: Store, tmp_path: Path, columns: dict, message: str) -> None:
    path = _parquet(tmp_path / "x.parquet", **columns)
    with pytest.raises(InputFileError) as caught:
        ingest_file(store, path)
    assert str(path) in str(caught.value) and message in str(caught.value)


def test_a_file_with_parquet_magic_but_no_parquet_inside(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "fake.parquet"
    path.write_bytes(b"PAR1" + b"not really" * 20)
    with pytest.raises(InputFileError) as caught:
        ingest_file(store, path)
    assert str(caught.value).startswith(f"{path}: is not a readable Parquet file")


def test_a_corrupt_page_is_an_error_and_nothing_is_stored(store: Store, tmp_path: Path) -> None:
    n = 120_000  # three row groups: the first reads, the damage is in a later one
    path = tmp_path / "damaged.parquet"
    pq.write_table(pa.table({"event_id": [f"p:{i}" for i in range(n)], "date": ["2001-10-07"] * n,
                             "cameo_code": ["195"] * n}), path, row_group_size=40_000)
    data = bytearray(path.read_bytes())
    for i in range(len(data) // 2, len(data) // 2 + 2000):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(InputFileError) as caught:
        ingest_file(store, path)
    assert str(caught.value).startswith(f"{path}: a part of the Parquet file cannot be read")
    assert store.con.execute("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM ingest_files)").fetchone() \
        == (0, 0)


def test_schema_types_are_what_the_parquet_reader_expects() -> None:
    # export --parquet writes these DuckDB types; each has a text form the reader's SQL parses.
    assert {c.type for c in EVENT_COLUMNS} <= {"VARCHAR", "DATE", "TINYINT", "DOUBLE", "BIGINT", "INTEGER"}
