"""The store: one transaction per file, re-ingest changes nothing, duplicates recorded, strict mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyshift.errors import BadRowError, InputFileError, StoreError
from policyshift.ingest import ingest_file
from policyshift.store import Store, default_db_path
from tests import gdelt_rows


def _counts(store: Store) -> tuple[int, ...]:
    return store.con.execute(
        "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM quarantine), "
        "(SELECT count(*) FROM duplicates), (SELECT count(*) FROM ingest_files)").fetchone()


def test_reingest_same_file_adds_nothing(store: Store, tmp_path: Path) -> None:
    path = gdelt_rows.write(tmp_path / "a.tsv", gdelt_rows.numbered(10))
    first = ingest_file(store, path)
    before = _counts(store)
    again = ingest_file(store, path)
    assert first.status == "stored" and again.status == "already ingested"
    assert again.batch_id == first.batch_id and again.sha256 == first.sha256
    assert _counts(store) == before == (10, 0, 0, 1)


def test_same_content_under_another_name_is_recognised(store: Store, tmp_path: Path) -> None:
    a = gdelt_rows.write(tmp_path / "a.tsv", gdelt_rows.numbered(10))
    b = tmp_path / "copy.tsv"
    b.write_bytes(a.read_bytes())
    ingest_file(store, a)
    assert ingest_file(store, b).status == "already ingested"


def test_overlapping_files_count_duplicates(store: Store, tmp_path: Path) -> None:
    a = gdelt_rows.write(tmp_path / "a.tsv", gdelt_rows.numbered(10, start=1))
    b = gdelt_rows.write(tmp_path / "b.tsv", gdelt_rows.numbered(10, start=6) + [gdelt_rows.row(GLOBALEVENTID="15")])
    ingest_file(store, a)
    result = ingest_file(store, b)
    assert (result.read, result.stored, result.duplicates) == (11, 5, 6)
    assert result.read == result.stored + result.quarantined + result.duplicates
    rules = store.con.execute("SELECT rule, count(*) FROM duplicates GROUP BY rule").fetchall()
    assert rules == [("same event id", 6)]
    assert store.con.execute("SELECT line, event_id FROM duplicates ORDER BY line DESC LIMIT 1").fetchone() == \
        (11, "gdelt2:15")


def test_one_a_day_dedupe(store: Store, tmp_path: Path) -> None:
    rows = (gdelt_rows.numbered(3, start=1)  # same day, dyad and code: one kept
            + gdelt_rows.numbered(2, start=10, SQLDATE="20010923")  # another day: one kept
            + [gdelt_rows.row(GLOBALEVENTID="20", EventCode="0871", EventBaseCode="087")])
    path = gdelt_rows.write(tmp_path / "d.tsv", rows)
    result = ingest_file(store, path, dedupe="one-a-day")
    assert (result.read, result.stored, result.duplicates) == (6, 3, 3)
    kept = store.con.execute("SELECT duplicate_of, count(*) FROM duplicates WHERE rule = 'one-a-day' "
                             "GROUP BY 1 ORDER BY 1").fetchall()
    assert kept == [("gdelt2:1", 2), ("gdelt2:10", 1)]
    # A later file's events of the same day and dyad are duplicates of the stored one.
    later = gdelt_rows.write(tmp_path / "later.tsv", [gdelt_rows.row(GLOBALEVENTID="99")])
    assert ingest_file(store, later, dedupe="one-a-day").duplicates == 1
    # Without dedupe, they are all stored.
    with Store(tmp_path / "plain.duckdb") as plain:
        assert ingest_file(plain, path).stored == 6


def test_strict_stops_and_stores_nothing(store: Store, tmp_path: Path) -> None:
    ok = gdelt_rows.write(tmp_path / "ok.tsv", gdelt_rows.numbered(5))
    ingest_file(store, ok)
    before = _counts(store)
    rows = gdelt_rows.numbered(5, start=100)
    rows[3] = rows[3].replace("\t7.0\t", "\t42\t")
    bad = gdelt_rows.write(tmp_path / "bad.tsv", rows)
    with pytest.raises(BadRowError) as e:
        ingest_file(store, bad, strict=True)
    assert str(e.value).startswith(f"{bad}:4: field GoldsteinScale = '42': Goldstein value out of range")
    assert _counts(store) == before
    assert ingest_file(store, bad).quarantined == 1  # without --strict the rest is kept


def test_failed_file_leaves_store_unchanged(store: Store, tmp_path: Path) -> None:
    import gzip

    ingest_file(store, gdelt_rows.write(tmp_path / "ok.tsv", gdelt_rows.numbered(5)))
    before = _counts(store)
    data = gzip.compress("".join(r + "\n" for r in gdelt_rows.numbered(2000, start=100)).encode())
    truncated = tmp_path / "cut.tsv.gz"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputFileError, match="truncated"):
        ingest_file(store, truncated)
    assert _counts(store) == before


def test_default_db_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("POLICYSHIFT_DB", raising=False)
    assert default_db_path() == Path("policyshift.duckdb")
    monkeypatch.setenv("POLICYSHIFT_DB", str(tmp_path / "x.duckdb"))
    assert default_db_path() == tmp_path / "x.duckdb"


def test_read_only_store_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store here"):
        Store(tmp_path / "missing.duckdb", read_only=True)
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError):
        Store(junk)


def test_counts_reconcile_in_ingest_files(store: Store, tmp_path: Path) -> None:
    rows = gdelt_rows.numbered(8) + ["short\trow"] + [gdelt_rows.row(GLOBALEVENTID="3")]
    ingest_file(store, gdelt_rows.write(tmp_path / "m.tsv", rows))
    read, stored, q, d = store.con.execute(
        "SELECT rows_read, rows_stored, rows_quarantined, rows_duplicate FROM ingest_files").fetchone()
    assert (read, stored, q, d) == (10, 8, 1, 1)
    assert _counts(store)[:3] == (stored, q, d)
