"""The triad: pooled counts, the broker's share, Burt's constraint and effective size, Gould-Fernandez, --at."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policyshift.backends import Backend, duckdb_backend
from policyshift.cli import app
from policyshift.errors import UsageError
from policyshift.ingest import ingest_file
from policyshift.measure.triad import burt, gould_fernandez, triad
from policyshift.roles import Role
from policyshift.store import Store
from tests.series_fixtures import write_csv

# The worked example of docs/measure.md: PAK between the US and the government of Afghanistan in 2001.
# TAL counts as AFGGOV until 2001-11-13 (a built-in role), so t6 and t5 are A-B and B-A events, but t12
# (December) is not a B event at all.
ROWS = [
    ["t1", "2001-08-03", "day", "USAGOV", "PAKGOV", "042"],    # A -> X
    ["t2", "2001-08-10", "day", "PAKGOV", "TAL", "057"],      # X -> B (TAL as AFGGOV)
    ["t3", "2001-08-20", "day", "PAKGOV", "USAGOV", "010"],   # X -> A
    ["t4", "2001-10-02", "day", "USAGOV", "TAL", "190"],      # A -> B (TAL as AFGGOV)
    ["t5", "2001-10-05", "day", "TAL", "USAGOV", "111"],      # B -> A
    ["t6", "2001-10-07", "day", "PAKGOV", "USAGOV", "040"],   # X -> A
    ["t7", "2001-10-09", "day", "AFGGOV", "PAKGOV", "020"],   # B -> X
    ["t8", "2001-10", "month", "PAKGOV", "AFGGOV", "036"],    # X -> B, month precision
    ["t9", "2001-12-03", "day", "AFGGOV", "USAGOV", "036"],   # B -> A
    ["t10", "2001-12-04", "day", "USAGOV", "AFGGOV", "071"],  # A -> B
    ["t11", "2001-12-05", "day", "PAKGOV", "AFGGOV", "040"],  # X -> B
    ["t12", "2001-12-01", "day", "TAL", "PAKGOV", "020"],     # not B: the Taliban no longer govern
    ["t13", "2003-01-01", "day", "IRNGOV", "IRQGOV", "010"],  # another dyad, later
]


@pytest.fixture
def backend(store: Store, tmp_path: Path) -> Backend:
    ingest_file(store, write_csv(tmp_path / "triad.csv", ROWS), dataset="csv")
    return duckdb_backend(store)


def test_monthly_counts_share_and_brokerage_by_hand(backend: Backend) -> None:
    result = triad(backend, "PAK", "USA", "AFGGOV", by="month")
    f = result.frame
    assert [p.date() for p in f.index] == [date(2001, m, 1) for m in (8, 9, 10, 11, 12)]
    # Pooled (undirected) counts; September and November are zero-filled.
    assert f["a_b"].tolist() == [0, 0, 2, 0, 2]
    assert f["a_broker"].tolist() == [2, 0, 1, 0, 0]
    assert f["b_broker"].tolist() == [1, 0, 2, 0, 1]
    assert (f["a_b"] == f["a_to_b"] + f["b_to_a"]).all()
    assert f["total"].tolist() == [3, 0, 5, 0, 3]
    share = f["broker_share"].tolist()
    assert share[0] == 1.0 and share[2] == pytest.approx(3 / 5) and share[4] == pytest.approx(1 / 3)
    assert math.isnan(share[1]) and math.isnan(share[3])
    # Burt, August: w(X,A) = 2, w(X,B) = 1, no A-B tie: c = (2/3)^2 + (1/3)^2; two non-redundant contacts.
    assert f["constraint"].iloc[0] == pytest.approx(5 / 9)
    assert f["effective_size"].iloc[0] == pytest.approx(2.0)
    # October: w(X,A) = 1, w(X,B) = 2, w(A,B) = 2: p_XA = 1/3, p_XB = 2/3, p_AB = 2/3, p_BA = 1/2;
    # c = (1/3 + 2/3 * 1/2)^2 + (2/3 + 1/3 * 2/3)^2 = 100/81; effective size (1 - 2/3) + (1 - 1/3) = 1.
    assert f["constraint"].iloc[2] == pytest.approx(100 / 81)
    assert f["effective_size"].iloc[2] == pytest.approx(1.0)
    # December: X's only tie is to B: fully constrained, one contact.
    assert f["constraint"].iloc[4] == pytest.approx(1.0) and f["effective_size"].iloc[4] == pytest.approx(1.0)
    # Gould-Fernandez: August has A -> X -> B without A -> B; October's B -> X -> A has the direct B -> A.
    assert f["gf_brokerage"].tolist() == [1, 0, 0, 0, 0]
    assert result.attrs["imprecise_excluded"] == 0


def test_roles_resolve_by_date(backend: Backend) -> None:
    f = triad(backend, "PAK", "USA", "AFGGOV", by="month").frame
    # t4 (USAGOV -> TAL, October) is A -> B; t12 (TAL -> PAKGOV, December) is not B -> X.
    assert f.loc["2001-10-01", "a_to_b"] == 1
    assert f.loc["2001-12-01", "b_to_broker"] == 0


def test_added_role_counts_from_its_date(store: Store, tmp_path: Path) -> None:
    ingest_file(store, write_csv(tmp_path / "t.csv", ROWS + [
        ["k1", "2001-12-20", "day", "KAR", "PAKGOV", "040"],   # before Karzai's role: not B
        ["k2", "2001-12-23", "day", "KAR", "PAKGOV", "040"],   # after: B -> X
    ]), dataset="csv")
    store.add_roles([Role("KAR", "AFGGOV", date(2001, 12, 22), None, "Karzai administration")])
    f = triad(duckdb_backend(store), "PAK", "USA", "AFGGOV", by="month").frame
    assert f.loc["2001-12-01", "b_to_broker"] == 1


def test_month_precision_is_left_out_of_weeks(backend: Backend) -> None:
    result = triad(backend, "PAK", "USA", "AFGGOV", by="week")
    assert result.attrs["imprecise_excluded"] == 1  # t8
    assert result.frame["broker_to_b"].sum() == 2  # t2 and t11 only
    assert result.frame.index[0].date() == date(2001, 7, 30)  # the Monday of t1's week


def test_change_around_a_date(backend: Backend) -> None:
    change = triad(backend, "PAK", "USA", "AFGGOV", by="month", at="2001-10-01").change
    assert change is not None
    share = change["broker_share"]
    # Before: August 1.0 (September empty, left out); after: October 3/5 and December 1/3 (November empty).
    assert share["before"] == 1.0 and share["after"] == pytest.approx((3 / 5 + 1 / 3) / 2)
    assert share["difference"] == pytest.approx((3 / 5 + 1 / 3) / 2 - 1)
    assert (share["periods_before"], share["periods_after"]) == (1, 2)
    pooled = change["pooled_share"]
    assert (pooled["before"], pooled["after"]) == (1.0, pytest.approx((3 + 1) / (5 + 3)))
    assert change["gf_brokerage"]["before"] == 0.5  # August 1, September 0: no events, no brokerage


def test_the_period_of_at_counts_as_after(backend: Backend) -> None:
    change = triad(backend, "PAK", "USA", "AFGGOV", by="month", at="2001-10-20").change
    assert change is not None and change["broker_share"]["periods_after"] == 2


def test_from_to_zero_fills_the_ends(backend: Backend) -> None:
    f = triad(backend, "PAK", "USA", "AFGGOV", by="month", start="2001-07-01", end="2001-10-31").frame
    assert f["total"].tolist() == [0, 3, 0, 5]


def test_measures_by_hand_on_their_own() -> None:
    assert gould_fernandez({"a_to_b": 0, "b_to_a": 0, "a_to_broker": 1, "broker_to_a": 3, "b_to_broker": 2,
                            "broker_to_b": 1}) == 2
    assert gould_fernandez({"a_to_b": 1, "b_to_a": 0, "a_to_broker": 1, "broker_to_a": 0, "b_to_broker": 0,
                            "broker_to_b": 1}) == 0
    constraint, size = burt({"a_b": 2, "a_broker": 4, "b_broker": 2})
    # p_XA = 2/3, p_XB = 1/3, p_AB = 1/3, p_BA = 1/2; m_AB = 2/4, m_BA = 2/2.
    assert constraint == pytest.approx((2 / 3 + 1 / 3 * 1 / 2) ** 2 + (1 / 3 + 2 / 3 * 1 / 3) ** 2)
    assert size == pytest.approx((1 - 1 / 3 * 1 / 2) + (1 - 2 / 3 * 1))
    assert all(math.isnan(v) for v in burt({"a_b": 5, "a_broker": 0, "b_broker": 0}))


@pytest.mark.parametrize(("args", "kwargs", "message"), [
    (("PAK", "PAKGOV", "USA"), {}, "BROKER PAK and A PAKGOV overlap"),
    (("PAK", "TAL", "AFGGOV"), {}, "A TAL and B AFGGOV overlap: TAL counts as AFGGOV from 1996-09-27 to 2001-11-13"),
    (("PAK", "USA", "XYZ"), {}, "unknown actor XYZ"),
    (("PAK", "USA", "AFGGOV"), {"start": "2002-06-01"}, "no events among BROKER PAK A USA B AFGGOV from 2002-06-01"),
    (("PAK", "USA", "AFGGOV"), {"start": "2005-01-01"}, "outside the data, which runs from 2001-08-03 to 2003-01-01"),
    (("PAK", "USA", "AFGGOV"), {"at": "2002-05-01"}, "--at 2002-05-01 is outside the periods of the triad"),
    (("PAK", "USA", "AFGGOV"), {"at": "May 2001"}, "--at: not a date"),
    (("PAK", "USA", "AFGGOV"), {"by": "decade"}, "unknown granularity 'decade'"),
])
def test_errors(backend: Backend, args: tuple[str, str, str], kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(UsageError, match=message.replace("(", r"\(")):
        triad(backend, *args, **kwargs)


def test_roles_outside_the_window_do_not_overlap(backend: Backend) -> None:
    # Between the two Taliban governments TAL and AFGGOV are different actors; an open end reaches 2021.
    with pytest.raises(UsageError, match="TAL counts as AFGGOV from 2021-08-15 on"):
        triad(backend, "PAK", "TAL", "AFGGOV", start="2002-01-01")
    f = triad(backend, "PAK", "TAL", "AFGGOV", start="2002-01-01", end="2020-12-31", by="year").frame
    assert f["total"].tolist() == [0] * 19


def test_cli_json_table_and_plot(store: Store, tmp_path: Path) -> None:
    ingest_file(store, write_csv(tmp_path / "t.csv", ROWS), dataset="csv")
    store.close()
    env = {"POLICYSHIFT_DB": str(tmp_path / "test.duckdb"), "COLUMNS": "200"}
    chart = tmp_path / "triad.png"
    result = CliRunner().invoke(app, ["triad", "PAK", "USA", "AFGGOV", "--at", "2001-10-01", "--format", "json",
                                      "--plot", str(chart)], env=env)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (doc["broker"], doc["a"], doc["b"], doc["at"]) == ("PAK", "USA", "AFGGOV", "2001-10-01")
    assert doc["periods"][1] == {"period": "2001-09-01", "a_b": 0, "a_broker": 0, "b_broker": 0, "total": 0,
                                 "broker_share": None, "constraint": None, "effective_size": None,
                                 "gf_brokerage": 0, "a_to_b": 0, "b_to_a": 0, "a_to_broker": 0, "broker_to_a": 0,
                                 "b_to_broker": 0, "broker_to_b": 0}
    assert doc["change"]["broker_share"]["before"] == 1.0
    assert chart.read_bytes()[:4] == b"\x89PNG"
    table = CliRunner().invoke(app, ["triad", "PAK", "USA", "AFGGOV", "--at", "2001-10-01"], env=env)
    assert "broker_share" in table.stdout and "before and after 2001-10-01" in table.stdout
    csv_out = CliRunner().invoke(app, ["triad", "PAK", "USA", "AFGGOV", "--format", "csv"], env=env).stdout
    assert csv_out.splitlines()[1].startswith("2001-08-01,0,2,1,3,1.0,")
    bad = CliRunner().invoke(app, ["triad", "PAK", "PAKGOV", "USA"], env=env)
    assert bad.exit_code == 1 and bad.output.count("\n") == 1 and "overlap" in bad.output
    svg = CliRunner().invoke(app, ["triad", "PAK", "USA", "AFGGOV", "--plot", str(tmp_path / "t.txt")], env=env)
    assert svg.exit_code == 1 and "--plot" in svg.output and ".png or .svg" in svg.output
