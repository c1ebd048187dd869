"""Bad input: one clear line naming file, line and field, exit 1 where nothing could be read, no traceback.

These run the real command line in a subprocess, as a user would.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest

from policyshift.ingest import ingest_file
from policyshift.store import Store
from tests import gdelt_rows


def run(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "POLICYSHIFT_DB": str(db), "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "policyshift", *args], capture_output=True, text=True, env=env,
                          timeout=120, check=False)


def assert_one_line_error(proc: subprocess.CompletedProcess[str], *fragments: str) -> str:
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("error: ")]
    assert len(errors) == 1, proc.stderr
    for fragment in fragments:
        assert fragment in errors[0], errors[0]
    return errors[0]


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.CSV"
    path.write_bytes(b"")
    assert_one_line_error(run("ingest", str(path), db=tmp_path / "s.duckdb"), str(path), "empty")


def test_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "noise.bin"
    path.write_bytes(bytes(range(256)) * 64)
    assert_one_line_error(run("ingest", str(path), db=tmp_path / "s.duckdb"), str(path), "not a data set")


def test_truncated_gzip(tmp_path: Path) -> None:
    data = gzip.compress("".join(r + "\n" for r in gdelt_rows.numbered(3000)).encode())
    path = tmp_path / "cut.CSV.gz"
    path.write_bytes(data[: len(data) // 2])
    assert_one_line_error(run("ingest", str(path), db=tmp_path / "s.duckdb"), str(path), "truncated")


def test_wrong_dataset_claimed(tmp_path: Path) -> None:
    path = gdelt_rows.write(tmp_path / "g2.CSV", gdelt_rows.numbered(3))
    line = assert_one_line_error(run("ingest", str(path), "--dataset", "gdelt1", db=tmp_path / "s.duckdb"),
                                 str(path), "GDELT 1.0")
    assert "61" in line and "57 or 58" in line


def test_unknown_dataset_option(tmp_path: Path) -> None:
    path = gdelt_rows.write(tmp_path / "g2.CSV", gdelt_rows.numbered(3))
    proc = run("ingest", str(path), "--dataset", "gdelt3", db=tmp_path / "s.duckdb")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "gdelt3" in proc.stderr


@pytest.mark.parametrize("change,line,field,reason", [
    ({"SQLDATE": "20010230"}, 2, "SQLDATE", "not a valid date"),
    ({"SQLDATE": ""}, 2, "SQLDATE", "missing date"),
    ({"GoldsteinScale": "11.5"}, 2, "GoldsteinScale", "out of range"),
    ({"GoldsteinScale": "high"}, 2, "GoldsteinScale", "not a number"),
    ({"EventCode": "999", "EventRootCode": "99"}, 2, "EventCode", "unknown CAMEO event code"),
    ({"QuadClass": "7"}, 2, "QuadClass", "not a quad class"),
    ({"ActionGeo_Lat": "123.0"}, 2, "ActionGeo_Lat", "out of range"),
    ({"GLOBALEVENTID": "abc"}, 2, "GLOBALEVENTID", "not a GDELT event id"),
])
def test_bad_rows_are_quarantined_with_line_and_field(tmp_path: Path, change: dict[str, str], line: int,
                                                       field: str, reason: str) -> None:
    rows = gdelt_rows.numbered(3)
    rows[1] = gdelt_rows.row(**{"GLOBALEVENTID": "2", **change})
    path = gdelt_rows.write(tmp_path / "bad.CSV", rows)
    db = tmp_path / "s.duckdb"
    proc = run("ingest", str(path), "--format", "json", db=db)
    assert proc.returncode == 0, proc.stderr
    with Store(db, read_only=True) as store:
        q = store.con.execute("SELECT file, line, field, reason FROM quarantine").fetchall()
    assert len(q) == 1 and q[0][:3] == (str(path), line, field) and reason in q[0][3]
    strict = run("ingest", str(path), "--strict", db=tmp_path / "strict.duckdb")
    assert_one_line_error(strict, f"{path}:{line}", f"field {field}", reason)
    with Store(tmp_path / "strict.duckdb", read_only=True) as store:
        assert store.con.execute("SELECT count(*) FROM events").fetchone()[0] == 0


def test_wrong_column_count(store: Store, tmp_path: Path) -> None:
    rows = gdelt_rows.numbered(3)
    rows[2] = "\t".join(rows[2].split("\t")[:40])
    result = ingest_file(store, gdelt_rows.write(tmp_path / "short.CSV", rows))
    assert (result.stored, result.quarantined) == (2, 1)
    assert store.con.execute("SELECT line, field, value, reason FROM quarantine").fetchone() == \
        (3, "(row)", "40", "has 40 columns where this data set has 61")


def test_invalid_utf8(store: Store, tmp_path: Path) -> None:
    rows = [r.encode() for r in gdelt_rows.numbered(3)]
    rows[1] = rows[1].replace(b"PAKISTAN", b"PAK\xffSTAN")
    path = tmp_path / "latin.CSV"
    path.write_bytes(b"\n".join(rows) + b"\n")
    result = ingest_file(store, path)
    assert (result.stored, result.quarantined) == (2, 1)
    line, field, value, reason = store.con.execute("SELECT line, field, value, reason FROM quarantine").fetchone()
    assert (line, field) == (2, "Actor2Name") and value == "PAK\\xffSTAN" and "invalid UTF-8" in reason


def test_blank_line_is_quarantined_not_dropped(store: Store, tmp_path: Path) -> None:
    rows = gdelt_rows.numbered(2) + [""] + gdelt_rows.numbered(1, start=9)
    result = ingest_file(store, gdelt_rows.write(tmp_path / "blank.CSV", rows))
    assert (result.read, result.stored, result.quarantined) == (4, 3, 1)
    assert store.con.execute("SELECT line, reason FROM quarantine").fetchone() == (3, "blank line")


def test_every_row_bad_exits_1(tmp_path: Path) -> None:
    rows = [gdelt_rows.row(GLOBALEVENTID=str(i), EventCode="999", EventRootCode="99") for i in range(3)]
    path = gdelt_rows.write(tmp_path / "allbad.CSV", rows)
    assert_one_line_error(run("ingest", str(path), db=tmp_path / "s.duckdb"), str(path), "no row could be read")


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert_one_line_error(run("ingest", str(tmp_path / "nope.CSV"), db=tmp_path / "s.duckdb"), "no such file")
    assert_one_line_error(run("ingest", str(tmp_path), db=tmp_path / "s.duckdb"), "is a folder")


def test_bad_dates_in_options(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    run("ingest", str(gdelt_rows.write(tmp_path / "g.CSV", gdelt_rows.numbered(2))), db=db)
    assert_one_line_error(run("events", "--from", "2001-02-30", db=db), "--from", "YYYY-MM-DD")
    assert_one_line_error(run("events", "--from", "2002-01-01", "--to", "2001-01-01", db=db), "swap")


def test_store_that_is_not_a_database(tmp_path: Path) -> None:
    junk = tmp_path / "junk.duckdb"
    junk.write_text("hello")
    assert_one_line_error(run("stats", db=junk), str(junk))
