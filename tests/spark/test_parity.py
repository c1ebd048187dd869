"""The same measures on DuckDB and on Spark (local mode) give the same answers, on the DuckDB tests' fixtures.

One store holds the rows of tests/test_series.py, tests/test_triad.py and the role cases; it is
exported with ``export_parquet`` (what ``policyshift export --parquet`` runs) and read back by the
Spark backend. Every comparison also checks a hand-known value, so a bug common to both engines
fails too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

import tests.test_series as series_case
import tests.test_triad as triad_case
from policyshift.backends import Backend, duckdb_backend
from policyshift.backends.spark import spark_backend
from policyshift.cli import app
from policyshift.errors import InputFileError
from policyshift.export import export_parquet
from policyshift.ingest import ingest_file
from policyshift.measure.series import series
from policyshift.measure.triad import triad
from policyshift.roles import Role
from policyshift.store import Store
from tests.series_fixtures import load, write_csv

# pyspark 4.0's pandas conversion warns under pandas 3; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")

ROLE_ROWS = [
    ("1999-05-01", "day", "PAKGOV", "TAL", "057"),  # the Taliban are AFGGOV in 1999 (built-in role) ...
    ("2001-11-13", "day", "PAKGOV", "TAL", "057"),  # ... on the role's last day ...
    ("2001-11-14", "day", "PAKGOV", "TAL", "172"),  # ... and not from the day after
    ("2003-05-01", "day", "PAKGOV", "TAL", "172"),
    ("2003-06-01", "day", "PAKGOV", "AFGGOV", "042"),
    ("2000-01-01", "day", "AFGMAS", "TAL", "190"),  # a user's role: AFGMAS is AFGREB until 2001-09-09
    ("2002-01-01", "day", "AFGMAS", "TAL", "190"),
]


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory, spark: Any) -> Iterator[tuple[Backend, Backend, Path]]:
    folder = tmp_path_factory.mktemp("parity")
    store = Store(folder / "parity.duckdb")
    load(store, folder, series_case.ROWS)
    load(store, folder, ROLE_ROWS, name="roles.csv")
    ingest_file(store, write_csv(folder / "triad.csv", triad_case.ROWS), dataset="csv")
    store.add_roles([Role("AFGMAS", "AFGREB", None, date(2001, 9, 9))])
    exported = export_parquet(store, folder / "events")
    assert exported["partitioned"] and exported["files"] > 5  # year=/month= folders
    store.close()
    store = Store(folder / "parity.duckdb", read_only=True)  # read-only, so the CLI can open it too
    yield duckdb_backend(store), spark_backend(folder / "events", session=spark, roles=store.roles()), folder
    store.close()


def same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b)
    assert {k: v for k, v in a.attrs.items() if k != "backend"} == {k: v for k, v in b.attrs.items() if k != "backend"}
    assert (a.attrs["backend"], b.attrs["backend"]) == ("duckdb", "spark")


@pytest.mark.parametrize("by", ["day", "week", "month", "quarter", "year"])
def test_series_every_granularity(engines: tuple[Backend, Backend, Path], by: str) -> None:
    duck, spark, _ = engines
    a, b = series(duck, "PAK", "AFG", by=by), series(spark, "PAK", "AFG", by=by)
    same(a, b)
    # By hand: in 2001, 6 day-, 2 month- and 1 year-precision PAK -> AFG events (TAL as AFGGOV included).
    assert int(b.loc[b.index.year == 2001, "events"].sum()) == {"day": 6, "week": 6, "month": 8, "quarter": 8,
                                                                 "year": 9}[by]


def test_series_zero_filled_pooled_normalised_and_ranged(engines: tuple[Backend, Backend, Path]) -> None:
    duck, spark, _ = engines
    ranged = {"by": "quarter", "start": "2000-10-01", "end": "2001-12-31"}
    a, b = series(duck, "PAK", "AFG", **ranged), series(spark, "PAK", "AFG", **ranged)
    same(a, b)
    assert list(b["events"]) == [0, 4, 0, 1, 3]  # zero-filled from the start
    monthly = {"by": "month", "start": "2001-01-01", "end": "2001-03-31", "normalize": True, "directed": False}
    a, b = series(duck, "PAK", "AFG", **monthly), series(spark, "PAK", "AFG", **monthly)
    same(a, b)
    assert list(b["events"]) == [2, 1, 2] and b.loc["2001-02-01", "goldstein_sum"] == -2.0


def test_roles_resolve_by_date(engines: tuple[Backend, Backend, Path]) -> None:
    duck, spark, _ = engines
    a = series(duck, "PAKGOV", "AFGGOV", by="year", start="1999-01-01", end="2003-12-31")
    b = series(spark, "PAKGOV", "AFGGOV", by="year", start="1999-01-01", end="2003-12-31")
    same(a, b)
    # TAL counts as AFGGOV until 2001-11-13 inclusive; the 2001 PAKGOV -> AFGGOV events of the other
    # fixtures count too: 5 day-, 2 month- and 1 year-precision events in 2001.
    assert dict(zip(b.index.year, b["events"])) == {1999: 1, 2000: 0, 2001: 8, 2002: 0, 2003: 1}
    days = series(spark, "PAKGOV", "AFGGOV", by="day", start="2001-11-13", end="2001-11-14")
    assert list(days["events"]) == [1, 0]
    # The store's own role (AFGMAS as AFGREB until 2001-09-09) reaches Spark through roles=.
    reb = series(spark, "AFGREB", "TAL", by="year")
    same(series(duck, "AFGREB", "TAL", by="year"), reb)
    assert int(reb["events"].sum()) == 1


def test_triad(engines: tuple[Backend, Backend, Path]) -> None:
    duck, spark, _ = engines
    for kwargs in ({"by": "month", "at": "2001-10-01"}, {"by": "week"}):
        a, b = triad(duck, "PAK", "USA", "AFGGOV", **kwargs), triad(spark, "PAK", "USA", "AFGGOV", **kwargs)
        pd.testing.assert_frame_equal(a.frame, b.frame)
        assert a.change == b.change
        assert {**a.attrs, "backend": "-"} == {**b.attrs, "backend": "-"}
    monthly = triad(spark, "PAK", "USA", "AFGGOV", by="month", start="2001-08-01", end="2001-12-31").frame
    # tests/test_triad.py's hand count, plus this store's PAKGOV -> TAL of 2001-11-13 (X -> B).
    assert monthly["total"].tolist() == [3, 0, 5, 1, 3]
    assert monthly.loc["2001-12-01", "b_to_broker"] == 0  # TAL -> PAKGOV in December is not B -> X


def test_cli_runs_on_spark_from_an_export(engines: tuple[Backend, Backend, Path]) -> None:
    _, _, folder = engines
    runner = CliRunner()
    db = str(folder / "parity.duckdb")
    args = ["series", "PAK", "AFG", "--db", db, "--from", "2001-01-01", "--to", "2001-03-31", "--format", "json"]
    duck = runner.invoke(app, args)
    spark = runner.invoke(app, [*args, "--backend", "spark", "--parquet", str(folder / "events")])
    assert duck.exit_code == 0 and spark.exit_code == 0, spark.output
    d, s = json.loads(duck.stdout), json.loads(spark.stdout)
    assert (d.pop("backend"), s.pop("backend")) == ("duckdb", "spark")
    assert d == s and [p["events"] for p in s["periods"]] == [2, 0, 2]


def test_cli_and_api_errors_are_one_line(engines: tuple[Backend, Backend, Path], spark: Any) -> None:
    _, _, folder = engines
    runner = CliRunner()
    db = str(folder / "parity.duckdb")
    missing = runner.invoke(app, ["series", "PAK", "AFG", "--db", db, "--backend", "spark"])
    assert missing.exit_code == 1 and "--parquet" in missing.stderr and "export --parquet" in missing.stderr
    wrong = runner.invoke(app, ["series", "PAK", "AFG", "--db", db, "--parquet", str(folder / "events")])
    assert wrong.exit_code == 1 and "needs --backend spark" in wrong.stderr
    with pytest.raises(InputFileError, match="no such folder"):
        spark_backend(folder / "nowhere", session=spark)
    empty = folder / "empty"
    empty.mkdir()
    with pytest.raises(InputFileError, match="holds no Parquet"):
        spark_backend(empty, session=spark)
    bad = folder / "notevents"
    spark.createDataFrame([(1, "x")], ["a", "b"]).write.parquet(str(bad))
    with pytest.raises(InputFileError, match="not an event export: no column date"):
        spark_backend(bad, session=spark)
    nested = folder / "nested"
    spark.createDataFrame([(1, "x")], ["a", "b"]).write.parquet(str(nested / "t"))  # t is no key=value folder
    with pytest.raises(InputFileError, match="Spark cannot read the Parquet"):
        spark_backend(nested, session=spark)
