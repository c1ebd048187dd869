"""The shift scan's inputs (one row of sums per dyad) and its results are the same on DuckDB and Spark.

The store is tests/test_scan.py's seeded synthetic one (552 dyads x 48 months, planted shifts at
2002-01-01, 40 month-precision events), exported to Parquet for Spark.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pandas as pd
import pytest

from policyshift.backends import Backend, duckdb_backend
from policyshift.backends.spark import spark_backend
from policyshift.detect import changes
from policyshift.detect.scan import dyad_sums, scan
from policyshift.export import export_parquet
from policyshift.ingest import ingest_file
from policyshift.store import Store
from tests.test_scan import SHIFT, TONE, VOLUME, write_events

pytestmark = pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory, spark: Any) -> Iterator[tuple[Backend, Backend]]:
    folder = tmp_path_factory.mktemp("scan_parity")
    with Store(folder / "scan.duckdb") as store:
        ingest_file(store, write_events(folder / "events.csv"), dataset="csv")
        export_parquet(store, folder / "events")
    store = Store(folder / "scan.duckdb", read_only=True)
    yield duckdb_backend(store), spark_backend(folder / "events", session=spark, roles=store.roles())
    store.close()


def sorted_rows(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["source", "target"]).reset_index(drop=True)


@pytest.mark.parametrize(("measure", "level", "directed", "normalize", "by"), [
    ("events", "actor", True, True, "month"),  # the per-period volume join
    ("net_cooperation", "actor", True, False, "month"),  # the ratio sums
    ("goldstein_sum", "country", False, False, "quarter"),  # pooled country dyads, least/greatest keys
    ("events", "actor", True, False, "week"),  # month-precision events left out, and counted
])
def test_dyad_sums_are_equal(engines: tuple[Backend, Backend], measure: str, level: str, directed: bool,
                             normalize: bool, by: str) -> None:
    duck, spark = engines
    here = {"month": date(2002, 1, 1), "quarter": date(2002, 1, 1), "week": date(2001, 12, 31)}[by]
    kwargs = {"at": here, "lo": date(2001, 1, 1), "hi": date(2003, 1, 1), "by": by, "measure": measure,
              "level": level, "focal": None, "directed": directed, "normalize": normalize}
    (a, ia), (b, ib) = dyad_sums(duck, **kwargs), dyad_sums(spark, **kwargs)
    pd.testing.assert_frame_equal(sorted_rows(a), sorted_rows(b))
    assert ia == ib == (40 if by == "week" else 0)
    assert len(b) == (36 if level == "country" else 552)  # 8 countries pooled: 8 x 7 / 2 + 8 domestic


def test_scan_results_are_equal_and_find_the_planted_shifts(engines: tuple[Backend, Backend]) -> None:
    duck, spark = engines
    a, b = scan(duck, at=SHIFT, window=12, top=None), scan(spark, at=SHIFT, window=12, top=None)
    pd.testing.assert_frame_equal(a.dyads, b.dyads)
    assert {**a.query, "backend": "-"} == {**b.query, "backend": "-"} and a.untested == b.untested
    assert set(zip(b.dyads["source"].head(len(VOLUME)), b.dyads["target"].head(len(VOLUME)))) == set(VOLUME)
    focal = {"at": SHIFT, "window": 12, "top": None, "focal": "USAMIL", "measure": "net_cooperation"}
    a, b = scan(duck, **focal), scan(spark, **focal)
    pd.testing.assert_frame_equal(a.dyads, b.dyads)
    assert ("USAMIL", "IRNMIL") == tuple(b.dyads.iloc[0][["source", "target"]]) and TONE[0] == ("USAMIL", "IRNMIL")


def test_change_points_are_equal(engines: tuple[Backend, Backend]) -> None:
    duck, spark = engines
    kwargs = {"by": "month", "measure": "events", "top": 2}
    a, b = changes(duck, "PAKGOV", "USAGOV", **kwargs), changes(spark, "PAKGOV", "USAGOV", **kwargs)
    doc_a, doc_b = a.document, b.document
    assert [x["date"] for x in doc_b["breaks"]] == [x["date"] for x in doc_a["breaks"]]
    assert "2002-01-01" in [x["date"] for x in doc_b["breaks"]]  # the planted quadrupling
    assert doc_a["breaks"] == doc_b["breaks"]
