"""The dyad series against hand-computed values: zero-filling, pooling, roles, precision, errors."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest

from policyshift.backends import duckdb_backend
from policyshift.errors import UsageError
from policyshift.measure.series import series, to_document
from policyshift.roles import Role
from policyshift.store import Store
from tests.series_fixtures import load

ROWS = [
    # 2001-01: PAK->AFG one verbal coop (042 visit, Goldstein 1.9) and one material conflict (195, -10)
    ("2001-01-05", "day", "PAKGOV", "AFGGOV", "042"),
    ("2001-01-20", "day", "PAKMIL", "AFGGOV", "195"),
    # 2001-02: nothing PAK->AFG; AFG->PAK one verbal conflict (112, -2.0)
    ("2001-02-10", "day", "AFGGOV", "PAKGOV", "112"),
    # 2001-03: PAK->AFG material coop (071 aid, 7.4)
    ("2001-03-03", "day", "PAKGOV", "AFGGOV", "071"),
    # A month-precision event in 2001-03 and a year-precision one in 2001
    ("2001-03-01", "month", "PAKGOV", "AFGGOV", "163"),
    ("2001-01-01", "year", "PAKGOV", "AFGGOV", "120"),
    # Someone else, for volume
    ("2001-01-07", "day", "USAGOV", "IND", "040"),
]


@pytest.fixture
def backend(store: Store, tmp_path: Path):
    load(store, tmp_path, ROWS)
    return duckdb_backend(store)


def test_monthly_series_hand_computed(backend) -> None:
    f = series(backend, "PAK", "AFG", by="month")
    assert list(f.index.strftime("%Y-%m")) == ["2001-01", "2001-02", "2001-03"]
    assert list(f["events"]) == [2, 0, 2]  # February zero-filled; March: the aid and the month-precise 163
    jan = f.loc["2001-01-01"]
    assert jan["verbal_coop"] == 1 and jan["material_conflict"] == 1
    assert jan["goldstein_sum"] == pytest.approx(1.9 - 10.0)
    assert jan["goldstein_mean"] == pytest.approx((1.9 - 10.0) / 2)
    assert jan["net_cooperation"] == pytest.approx(0.0)
    assert jan["verbal_coop_share"] == pytest.approx(0.5)
    feb = f.loc["2001-02-01"]
    assert math.isnan(feb["goldstein_mean"]) and math.isnan(feb["net_cooperation"])
    mar = f.loc["2001-03-01"]
    assert (mar["material_coop"], mar["material_conflict"], mar["net_cooperation"]) == (1, 1, 0.0)
    assert f.attrs["imprecise_excluded"] == 1  # the year-precision event
    doc = to_document(f)
    assert doc["periods"][1]["net_cooperation"] is None and doc["periods"][1]["events"] == 0


def test_precision_rule_by_granularity(backend) -> None:
    day = series(backend, "PAK", "AFG", by="day")
    assert day["events"].sum() == 3 and day.attrs["imprecise_excluded"] == 2
    assert len(day) == (date(2001, 3, 3) - date(2001, 1, 5)).days + 1
    year = series(backend, "PAK", "AFG", by="year")
    assert list(year["events"]) == [5] and year.attrs["imprecise_excluded"] == 0


def test_sector_selector_and_undirected(backend) -> None:
    mil = series(backend, "PAKMIL", "AFG", by="month")
    assert list(mil["events"]) == [1]
    pooled = series(backend, "PAK", "AFG", by="month", directed=False)
    assert list(pooled["events"]) == [2, 1, 2]
    assert pooled.loc["2001-02-01", "verbal_conflict"] == 1


def test_explicit_range_zero_fills_both_ends(backend) -> None:
    f = series(backend, "PAK", "AFG", by="quarter", start="2000-10-01", end="2001-12-31")
    assert list(f.index.strftime("%Y-%m")) == ["2000-10", "2001-01", "2001-04", "2001-07", "2001-10"]
    assert list(f["events"]) == [0, 4, 0, 0, 0]


def test_weeks_start_on_monday(backend) -> None:
    f = series(backend, "PAK", "AFG", by="week", start="2001-01-01", end="2001-01-31")
    assert f.index[0].date() == date(2001, 1, 1) and f.index[0].day_name() == "Monday"
    assert f.loc["2001-01-01", "events"] == 1 and f.loc["2001-01-15", "events"] == 1


def test_normalize_divides_by_store_volume(backend) -> None:
    f = series(backend, "PAK", "AFG", by="month", normalize=True)
    assert list(f["volume"]) == [3, 1, 2]  # January: 2 PAK->AFG and USA->IND; the year-precise one is out
    assert f.loc["2001-01-01", "events_per_volume"] == pytest.approx(2 / 3)
    assert f.loc["2001-02-01", "events_per_volume"] == 0


def test_roles_resolve_by_date(store: Store, tmp_path: Path) -> None:
    load(store, tmp_path, [
        ("1999-05-01", "day", "PAKGOV", "TAL", "057"),  # the Taliban are AFGGOV in 1999 (built-in role)
        ("2003-05-01", "day", "PAKGOV", "TAL", "172"),  # ... and not in 2003
        ("2003-06-01", "day", "PAKGOV", "AFGGOV", "042"),  # Karzai's government is coded AFGGOV
    ])
    f = series(duckdb_backend(store), "PAKGOV", "AFGGOV", by="year")
    assert dict(zip(f.index.year, f["events"])) == {1999: 1, 2000: 0, 2001: 0, 2002: 0, 2003: 1}
    assert f.loc["2003-01-01", "verbal_coop"] == 1  # the 042, not the 172
    # A user's role: Massoud's code counts as AFGREB until 2001-09-09.
    store.add_roles([Role("AFGMAS", "AFGREB", None, date(2001, 9, 9))])
    load(store, tmp_path, [("2000-01-01", "day", "AFGMAS", "TAL", "190"),
                           ("2002-01-01", "day", "AFGMAS", "TAL", "190")], name="more.csv")
    reb = series(duckdb_backend(store), "AFGREB", "TAL", by="year")
    assert reb["events"].sum() == 1


def test_errors_say_what_to_try(backend) -> None:
    with pytest.raises(UsageError, match="unknown actor XYZ.*nearest codes|unknown actor XYZ"):
        series(backend, "XYZ", "AFG")
    with pytest.raises(UsageError, match="nearest codes in the store: PAK"):
        series(backend, "PAX", "AFG")
    with pytest.raises(UsageError, match="no events from AFG to USA"):
        series(backend, "AFG", "USA")
    with pytest.raises(UsageError, match="outside the data"):
        series(backend, "PAK", "AFG", start="2005-01-01")
    with pytest.raises(UsageError, match="unknown granularity"):
        series(backend, "PAK", "AFG", by="fortnight")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="not an actor code"):
        series(backend, "pak; drop table events", "AFG")
    with pytest.raises(UsageError, match="swap"):
        series(backend, "PAK", "AFG", start="2001-03-01", end="2001-01-01")
