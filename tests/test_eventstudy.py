"""The event study: before/after means, their difference and the interrupted time series, checked by hand."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from typer.testing import CliRunner

from policyshift.backends import duckdb_backend
from policyshift.cli import app
from policyshift.detect import changes, event_study
from policyshift.detect.eventstudy import newey_west_lags
from policyshift.errors import UsageError
from policyshift.store import Store
from tests.test_changepoints import case_store  # noqa: F401  (the fixture: a store where USAGOV turns on PAKGOV)

BEFORE, AFTER = [1.0, 2.0, 3.0, 2.0], [5.0, 6.0, 4.0, 5.0]


def frame_of(values: list[float], start: str = "2000-01") -> pd.DataFrame:
    index = pd.period_range(start, periods=len(values), freq="M").start_time
    frame = pd.DataFrame({"net_cooperation": values, "events": 1}, index=index)
    frame.attrs = {"by": "month"}
    return frame


def newey_west(x: np.ndarray, y: np.ndarray, lags: int) -> tuple[np.ndarray, np.ndarray]:
    """OLS with Newey-West errors, written out: Bartlett weights, small-sample factor n/(n-k)."""
    n, k = x.shape
    xtx_inv = np.linalg.inv(x.T @ x)
    beta = xtx_inv @ x.T @ y
    u = (y - x @ beta)[:, None] * x  # scores
    s = u.T @ u
    for lag in range(1, lags + 1):
        gamma = u[lag:].T @ u[:-lag]
        s += (1 - lag / (lags + 1)) * (gamma + gamma.T)
    cov = xtx_inv @ s @ xtx_inv * n / (n - k)
    return beta, np.sqrt(np.diag(cov))


def test_means_difference_and_its_against_hand_computation() -> None:
    study = event_study(frame_of(BEFORE + AFTER), "2000-05-01", window=4)
    assert (study.period, study.n_before, study.n_after) == (date(2000, 5, 1), 4, 4)
    assert study.lags == newey_west_lags(8) == 2  # floor(4 · 0.08^(2/9)) = floor(2.28)
    # Before: mean 2, residuals -1 0 1 0. S = Σe² + 2·Σ_l w_l·Σ e_t e_(t-l) = 2 + 2·(2/3·0 + 1/3·(-1)) = 4/3;
    # var = S/n² · n/(n-1) = 1/9, so se = 1/3, and the interval is 2 ± t(0.975, 3)/3.
    t3 = stats.t.ppf(0.975, 3)
    assert study.before.estimate == pytest.approx(2.0) and study.before.se == pytest.approx(1 / 3)
    assert (study.before.ci_low, study.before.ci_high) == (pytest.approx(2 - t3 / 3), pytest.approx(2 + t3 / 3))
    # After: mean 5, residuals 0 1 -1 0: S = 2 + 2·(2/3·(-1)) = 2/3, var = 1/18.
    assert study.after.estimate == pytest.approx(5.0) and study.after.se == pytest.approx(np.sqrt(1 / 18))
    assert study.before.p_value is None
    # The difference is the post coefficient of y = a + d·post.
    y = np.array(BEFORE + AFTER)
    post = np.array([0.0] * 4 + [1.0] * 4)
    beta, se = newey_west(np.column_stack([np.ones(8), post]), y, 2)
    t6 = stats.t.ppf(0.975, 6)
    assert study.difference.estimate == pytest.approx(3.0) == pytest.approx(beta[1])
    assert study.difference.se == pytest.approx(se[1])
    assert study.difference.ci_low == pytest.approx(3.0 - t6 * se[1])
    assert study.difference.p_value == pytest.approx(2 * stats.t.sf(3.0 / se[1], 6))
    # ITS: with a line on each side the fit is the two separate lines: before 1.4 + 0.4·t, after
    # 5.3 - 0.2·(t - 4). So b1 = 0.4, b2 = 5.3 - (1.4 + 0.4·4) = 2.3, b3 = -0.2 - 0.4 = -0.6.
    t = np.arange(8.0)
    x = np.column_stack([np.ones(8), t, post, (t - 4) * post])
    beta, se = newey_west(x, y, 2)
    assert study.pre_slope.estimate == pytest.approx(0.4)
    assert study.level_change.estimate == pytest.approx(2.3)
    assert study.slope_change.estimate == pytest.approx(-0.6)
    assert [study.pre_slope.se, study.level_change.se, study.slope_change.se] == pytest.approx(list(se[1:]))
    t4 = stats.t.ppf(0.975, 4)
    assert study.level_change.ci_high == pytest.approx(2.3 + t4 * se[2])


def test_at_inside_a_period_makes_that_period_the_first_after() -> None:
    frame = frame_of([0.0] * 6 + [1.0] * 6)
    study = event_study(frame, "2000-07-19", window=6)
    assert study.period == date(2000, 7, 1) and study.at == date(2000, 7, 19)
    assert [study.before.estimate, study.after.estimate, study.difference.estimate] == pytest.approx([0, 1, 1])
    # Constant sides: the means are exact, so their intervals have no width.
    assert study.before.se == 0 and study.before.ci_low == study.before.ci_high == 0.0


def test_window_is_cut_at_the_series_edges() -> None:
    values = list(np.random.default_rng(0).normal(size=20))
    study = event_study(frame_of(values), "2000-06-01", window=8)
    assert (study.n_before, study.n_after) == (5, 8)
    assert study.before.estimate == pytest.approx(np.mean(values[:5]))
    assert study.after.estimate == pytest.approx(np.mean(values[5:13]))


def test_empty_periods_zero_or_drop() -> None:
    values = [1.0, np.nan, 1.0, 0.0, 1.0, -1.0, np.nan, -1.0, -1.0, 0.0]
    zero = event_study(frame_of(values), "2000-06-01", window=5)
    drop = event_study(frame_of(values), "2000-06-01", window=5, empty="drop")
    assert zero.before.estimate == pytest.approx(3 / 5) and zero.after.estimate == pytest.approx(-3 / 5)
    assert (drop.n_before, drop.n_after) == (4, 4)
    assert drop.before.estimate == pytest.approx(3 / 4) and drop.after.estimate == pytest.approx(-3 / 4)


def test_errors_say_what_exists_and_what_to_try() -> None:
    frame = frame_of([0.0] * 12)
    with pytest.raises(UsageError, match=r"^--at: 2003-01-01 is outside the series, which runs from 2000-01-01 to "
                                         r"2000-12-31; choose a date inside that range, or widen --from/--to$"):
        event_study(frame, "2003-01-01")
    with pytest.raises(UsageError, match=r"only 1 period\(s\) before 2000-02-01 within --window 12 .*12 monthly "
                                         r"periods.*needs 3 on each side; move --at"):
        event_study(frame, "2000-02-01")
    with pytest.raises(UsageError, match=r"--at: not a date: 'yesterday'; use YYYY-MM-DD"):
        event_study(frame, "yesterday")
    with pytest.raises(UsageError, match=r"--window: bad value 1; use 3 or more"):
        event_study(frame, "2000-06-01", window=1)
    with pytest.raises(UsageError, match=r"--measure: unknown measure 'tone'"):
        event_study(frame, "2000-06-01", measure="tone")


def test_store_event_study_and_cli_json(case_store: Store) -> None:  # noqa: F811
    result = changes(duckdb_backend(case_store), "USAGOV", "PAKGOV", at="2001-10-01", window=6)
    study = result.study
    assert study is not None and study.period == date(2001, 10, 1)
    # Six months before: 1 each but June 2001, which holds a criticism among three (1/3). After:
    # October -1/2 (three conflicts, one visit), November 2001 -1/3, then -1.
    assert study.before.estimate == pytest.approx((5 + 1 / 3) / 6)
    assert study.after.estimate == pytest.approx((-0.5 - 1 / 3 - 4) / 6)
    assert study.level_change.estimate < -1 and study.level_change.ci_high < 0
    mark = result.marks()[0]
    assert (mark["date"], mark["before_from"]) == ("2001-10-01", "2001-04-01")
    db = Path(case_store.path)
    case_store.close()
    out = CliRunner().invoke(app, ["changes", "USAGOV", "PAKGOV", "--at", "2001-10-01", "--window", "6", "--format",
                                   "json"], env={"POLICYSHIFT_DB": str(db)})
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert {doc[k] for k in ("source", "target", "by", "measure")} == {"USAGOV", "PAKGOV", "month", "net_cooperation"}
    es = doc["event_study"]
    assert set(es) >= {"at", "period", "window", "n_before", "n_after", "lags", "before", "after", "difference", "its"}
    assert set(es["its"]) == {"pre_slope", "level_change", "slope_change"}
    assert set(es["difference"]) == {"estimate", "se", "ci_low", "ci_high", "p_value"}
    assert es["before"]["estimate"] == pytest.approx(study.before.estimate)
