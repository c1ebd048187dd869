"""Reciprocity: the two series (empty periods as 0), lagged correlations by hand, Granger tests on seeded pairs."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from policyshift.backends import Backend, duckdb_backend
from policyshift.cli import app
from policyshift.errors import UsageError
from policyshift.ingest import ingest_file
from policyshift.measure.reciprocity import cross_correlations, reciprocity
from policyshift.store import Store
from tests.series_fixtures import write_csv

# The worked example of docs/measure.md. Goldstein weights: 010 0, 020 3, 036 4, 040 1, 057 8, 111 -2, 190 -10.
ROWS = [
    ["r1", "2001-01-04", "day", "PAKGOV", "USAGOV", "010"],   # A -> B: Jan (0 + 8) / 2 = 4
    ["r2", "2001-01-05", "day", "PAKGOV", "USAGOV", "057"],
    ["r3", "2001-03-08", "day", "PAKMIL", "USAMIL", "190"],   # Mar -10 (February empty: 0)
    ["r4", "2001-04-02", "day", "PAKGOV", "USAGOV", "020"],   # Apr 3
    ["r5", "2001-05-09", "day", "PAKGOV", "USAGOV", "111"],   # May -2
    ["r6", "2001-06-01", "day", "PAKGOV", "USAGOV", "057"],   # Jun 8
    ["r7", "2001-01-20", "day", "USAGOV", "PAKGOV", "040"],   # B -> A: Jan 1
    ["r8", "2001-02-11", "day", "USAGOV", "PAKGOV", "036"],   # Feb 4 (March empty: 0)
    ["r9", "2001-04-15", "day", "USAGOV", "PAKGOV", "190"],   # Apr -10
    ["r10", "2001-05-20", "day", "USAGOV", "PAKGOV", "020"],  # May 3
    ["r11", "2001-06-10", "day", "USAGOV", "PAKGOV", "111"],  # Jun (-2 + 1 - 10) / 3 = -11/3
    ["r12", "2001-06-11", "day", "USAGOV", "PAKGOV", "040"],
    ["r13", "2001-06", "month", "USAGOV", "PAKGOV", "190"],   # month precision: counts at month
]
X = [4.0, 0.0, -10.0, 3.0, -2.0, 8.0]
Y = [1.0, 4.0, 0.0, -10.0, 3.0, (-2 + 1 - 10) / 3]


@pytest.fixture
def backend(store: Store, tmp_path: Path) -> Backend:
    ingest_file(store, write_csv(tmp_path / "recip.csv", ROWS), dataset="csv")
    return duckdb_backend(store)


def test_series_with_empty_periods_as_zero(backend: Backend) -> None:
    result = reciprocity(backend, "PAK", "USA", max_lag=1, order=1)
    assert result.frame["a_to_b"].tolist() == X
    assert result.frame["b_to_a"].tolist() == pytest.approx(Y)
    assert result.frame["a_to_b_events"].tolist() == [2, 0, 1, 1, 1, 1]
    assert result.attrs["empty_periods"] == {"a_to_b": 1, "b_to_a": 1}
    assert (result.attrs["from"], result.attrs["to"], result.attrs["n_periods"]) == ("2001-01-01", "2001-06-01", 6)


def test_lagged_correlations_by_hand(backend: Backend) -> None:
    c = reciprocity(backend, "PAK", "USA", max_lag=1, order=1).correlations.set_index("lag")
    assert c["pairs"].tolist() == [5, 6, 5]
    # Lag 1 pairs A -> B in month t with B -> A in month t + 1: x = 4 0 -10 3 -2, y = 4 0 -10 3 -11/3;
    # r = sum(dx dy) / sqrt(sum(dx^2) sum(dy^2)) with dx, dy the deviations from the means.
    x, y = np.array(X[:5]), np.array(Y[1:])
    dx, dy = x - x.mean(), y - y.mean()
    assert c.loc[1, "r"] == pytest.approx((dx @ dy) / math.sqrt((dx @ dx) * (dy @ dy)))
    assert c.loc[1, "r"] > 0.97  # B answers A a month later
    # Lag -1 pairs x = 0 -10 3 -2 8 with y = 1 4 0 -10 3: means -0.2 and -0.4; sums 3.6, 176.8, 125.2.
    assert c.loc[-1, "r"] == pytest.approx(3.6 / math.sqrt(176.8 * 125.2))
    assert c.loc[0, "r"] == pytest.approx(np.corrcoef(X, Y)[0, 1])


def test_cross_correlation_alignment() -> None:
    x = np.array([1.0, 3.0, 2.0, 5.0, 4.0, 0.0])
    y = np.concatenate([[9.0], x[:-1]])  # y follows x by one period exactly
    c = cross_correlations(x, y, max_lag=2).set_index("lag")["r"]
    assert c[1] == pytest.approx(1.0) and abs(c[-1]) < 0.9


def test_granger_shape_on_the_small_fixture(backend: Backend) -> None:
    result = reciprocity(backend, "PAK", "USA", max_lag=1, order=1)
    g = result.granger
    assert g[["cause", "effect", "lag"]].values.tolist() == [["A->B", "B->A", 1], ["B->A", "A->B", 1]]
    # 6 periods, lag 1: 5 rows, 3 coefficients in the unrestricted regression.
    assert g["df_num"].tolist() == [1, 1] and g["df_denom"].tolist() == [2, 2]
    assert result.attrs["order_rule"] == "given"


def _synthetic(rng: np.random.Generator, a: str, b: str, follows: bool, months: int = 60) -> list[list[str]]:
    """Monthly A -> B and B -> A events (12 each, cooperative 050 or conflictual 111); with ``follows``,
    B's chance of cooperating in month t + 1 is A's chance in month t, else an independent draw."""
    rows = []
    p = rng.uniform(0.05, 0.95, months)
    q = np.concatenate([[0.5], p[:-1]]) if follows else rng.uniform(0.05, 0.95, months)
    for t in range(months):
        day = f"{2005 + t // 12}-{t % 12 + 1:02d}"
        for i in range(12):
            rows.append([f"{a}{b}{t}-{i}", f"{day}-{i + 1:02d}", "day", a, b, "050" if rng.random() < p[t] else "111"])
            rows.append([f"{b}{a}{t}-{i}", f"{day}-{i + 13:02d}", "day", b, a, "050" if rng.random() < q[t] else "111"])
    return rows


@pytest.fixture
def synthetic(store: Store, tmp_path: Path) -> Backend:
    rng = np.random.default_rng(20010911)
    rows = _synthetic(rng, "PAKGOV", "USAGOV", follows=True) + _synthetic(rng, "INDGOV", "CHNGOV", follows=False)
    ingest_file(store, write_csv(tmp_path / "synthetic.csv", rows), dataset="csv")
    return duckdb_backend(store)


def test_granger_finds_a_follower(synthetic: Backend) -> None:
    result = reciprocity(synthetic, "PAK", "USA", measure="net_cooperation", order=1)
    g = result.granger.set_index(["cause", "lag"])
    assert g.loc[("A->B", 1), "p"] < 1e-6  # USA's answer follows PAK's behaviour a month later
    assert g.loc[("B->A", 1), "p"] > 0.05  # PAK does not follow USA
    assert result.correlations.set_index("lag").loc[1, "r"] > 0.7


def test_granger_on_an_independent_pair(synthetic: Backend) -> None:
    g = reciprocity(synthetic, "IND", "CHN", measure="net_cooperation", order=1).granger.set_index(["cause", "lag"])
    assert g.loc[("A->B", 1), "p"] > 0.05 and g.loc[("B->A", 1), "p"] > 0.05


def test_aic_chooses_the_order(synthetic: Backend) -> None:
    result = reciprocity(synthetic, "PAK", "USA", measure="net_cooperation", max_lag=4)
    assert result.attrs["order"] == 1 and result.attrs["order_rule"].startswith("AIC")
    assert result.granger["lag"].tolist() == [1, 1]
    assert result.correlations["lag"].tolist() == list(range(-4, 5))


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"order": 2, "max_lag": 1}, "the series has 6 periods of month; a Granger test of order 2 needs at least 8"),
    ({"max_lag": 2}, "choosing the order by AIC up to 2 needs at least 8 .*smaller --max-lag"),
    ({"order": 1, "max_lag": 4}, "cross-correlations up to lag 4 need at least 7"),
    ({"measure": "tone"}, "--measure: unknown measure 'tone'; use one of events, goldstein_sum"),
    ({"order": 0}, "--order must be at least 1"),
    ({"max_lag": 0}, "--max-lag must be at least 1"),
])
def test_errors(backend: Backend, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        reciprocity(backend, "PAK", "USA", **kwargs)  # type: ignore[arg-type]


def test_a_silent_side_is_refused(store: Store, tmp_path: Path) -> None:
    rows = [[f"s{m}", f"2001-{m:02d}-01", "day", "PAKGOV", "USAGOV", "057" if m % 2 else "111"] for m in range(1, 13)]
    rows.append(["o", "2001-05-05", "day", "USAGOV", "CHNGOV", "010"])
    ingest_file(store, write_csv(tmp_path / "silent.csv", rows), dataset="csv")
    with pytest.raises(UsageError, match=r"USA->PAK goldstein_mean is constant \(0 in all 12 periods, 0 events\)"):
        reciprocity(duckdb_backend(store), "PAK", "USA", max_lag=1)


def test_overlapping_actors_are_refused(backend: Backend) -> None:
    with pytest.raises(UsageError, match="A PAK and B PAKGOV overlap: every PAKGOV event is also a PAK event"):
        reciprocity(backend, "PAK", "PAKGOV")
    with pytest.raises(UsageError, match="A B: A and B are the same actor, USA; name two different actors"):
        reciprocity(backend, "usa", "USA")


def test_cli_formats_and_plot(store: Store, tmp_path: Path) -> None:
    ingest_file(store, write_csv(tmp_path / "r.csv", ROWS), dataset="csv")
    store.close()
    env = {"POLICYSHIFT_DB": str(tmp_path / "test.duckdb"), "COLUMNS": "200"}
    chart = tmp_path / "recip.png"
    args = ["reciprocity", "PAK", "USA", "--max-lag", "1", "--order", "1"]
    result = CliRunner().invoke(app, [*args, "--format", "json", "--plot", str(chart)], env=env)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (doc["a"], doc["b"], doc["measure"], doc["order"]) == ("PAK", "USA", "goldstein_mean", 1)
    assert doc["periods"][1] == {"period": "2001-02-01", "a_to_b": 0.0, "b_to_a": 4.0, "a_to_b_events": 0,
                                 "b_to_a_events": 1}
    assert [c["lag"] for c in doc["correlations"]] == [-1, 0, 1]
    assert set(doc["granger"][0]) == {"cause", "effect", "lag", "F", "p", "df_num", "df_denom"}
    assert chart.read_bytes()[:4] == b"\x89PNG"
    out = CliRunner().invoke(app, [*args, "--format", "csv"], env=env).stdout.splitlines()
    assert out[0] == "lag,r,pairs,granger_a_b_F,granger_a_b_p,granger_b_a_F,granger_b_a_p"
    assert out[1].startswith("-1,") and out[1].endswith(",,,,") and len(out) == 4
    bad = CliRunner().invoke(app, [*args[:3], "--order", "3"], env=env)
    assert bad.exit_code == 1 and "needs at least 11" in bad.output and "Traceback" not in bad.output
