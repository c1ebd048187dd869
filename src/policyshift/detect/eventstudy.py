"""An event study around a date: how the measure stood before and after, and how its path changed.

Around the period containing ``at`` (the first "after" period, t0), take up to ``window`` periods
on each side (fewer where the series ends). Under the empty-period rule of
policyshift.detect.signal:

- Means. The mean of each side with a 95% confidence interval, and the difference after - before
  with its interval and p-value. Standard errors are HAC (Newey-West: Bartlett weights
  ``1 - l/(L+1)`` for lags l <= L, with the small-sample factor n/(n-k)) because a month's tone
  follows the last month's; intervals use Student's t with n - k degrees of freedom. The
  difference is the ``post`` coefficient of y = a + d·post.
- Interrupted time series. y_t = b0 + b1·t + b2·post_t + b3·(t - t0)·post_t, by OLS with the same
  HAC errors: b1 is the slope before, b2 the jump in level at t0, b3 the change in slope.

L defaults to the Newey-West rule ``floor(4 · (n/100)^(2/9))`` for the n periods of the whole
window; the same L serves every regression (capped at the observations each has, minus one).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from policyshift.dates import parse_date
from policyshift.detect.signal import describe, measure_signal
from policyshift.errors import UsageError
from policyshift.measure.series import GRANULARITIES

MIN_SIDE = 3  # periods each side: the ITS has 4 coefficients and needs residual degrees of freedom
LEVEL = 0.95


@dataclass(frozen=True)
class Estimate:
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float | None = None  # for "is it 0?"; None for a mean, whose zero is no hypothesis

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class EventStudy:
    at: date
    period: date  # first period after (the one containing ``at``)
    measure: str
    window: int
    n_before: int
    n_after: int
    lags: int
    before: Estimate
    after: Estimate
    difference: Estimate
    pre_slope: Estimate  # b1, per period
    level_change: Estimate  # b2
    slope_change: Estimate  # b3, per period

    def to_dict(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"at": self.at.isoformat(), "period": self.period.isoformat(), "measure": self.measure,
                               "window": self.window, "n_before": self.n_before, "n_after": self.n_after,
                               "lags": self.lags, "standard_errors": "HAC (Newey-West, Bartlett)", "level": LEVEL}
        for name in ("before", "after", "difference"):
            doc[name] = getattr(self, name).to_dict()
        doc["its"] = {name: getattr(self, name).to_dict() for name in ("pre_slope", "level_change", "slope_change")}
        return doc


def newey_west_lags(n: int) -> int:
    """The Newey-West (1994) rule of thumb: floor(4 · (n/100)^(2/9))."""
    return math.floor(4 * (n / 100) ** (2 / 9)) if n > 0 else 0


def hac_ols(y: np.ndarray, x: np.ndarray, *, lags: int) -> list[Estimate]:
    """OLS of y on the columns of x with HAC standard errors; one Estimate per column."""
    import statsmodels.api as sm

    maxlags = max(0, min(lags, len(y) - 1))
    fit = sm.OLS(y, x).fit(cov_type="HAC", cov_kwds={"maxlags": maxlags, "use_correction": True}, use_t=True)
    low_high = np.asarray(fit.conf_int(alpha=1 - LEVEL))
    out = []
    scale = max(1.0, float(np.max(np.abs(y)))) if len(y) else 1.0
    for j in range(x.shape[1]):
        estimate, se = float(fit.params[j]), float(fit.bse[j])
        if se > 1e-12 * scale:
            low, high = (float(v) for v in low_high[j])
            out.append(Estimate(estimate, se, low, high, float(fit.pvalues[j])))
        else:
            # A perfect fit (a constant side, say) leaves no spread: the estimate is exact, not unknowable.
            exact = 0.0 if abs(estimate) <= 1e-12 * scale else estimate
            out.append(Estimate(exact, 0.0, exact, exact, 0.0 if exact else 1.0))
    return out


def at_row(frame: pd.DataFrame, at: date) -> int:
    """The row of the period containing ``at``; a UsageError when the series does not cover it."""
    by = str(frame.attrs.get("by", "month"))
    freq = GRANULARITIES.get(by, GRANULARITIES["month"])[1]
    start = pd.Period(pd.Timestamp(at), freq=freq).start_time
    index = pd.DatetimeIndex(frame.index)
    if len(index) == 0 or start < index[0] or start > index[-1]:
        end = pd.Period(index[-1], freq=freq).end_time.date() if len(index) else None
        raise UsageError(f"{at} is outside the series, which runs from "
                         f"{index[0].date() if len(index) else '-'} to {end}", where="--at",
                         fix="choose a date inside that range, or widen --from/--to")
    return int(index.get_loc(start))


def event_study(series_frame: pd.DataFrame, at: str | date, *, measure: str = "net_cooperation",
                window: int = 12, empty: str = "zero", lags: int | None = None) -> EventStudy:
    """Before/after means, their difference and an interrupted-time-series fit around ``at`` (module doc)."""
    day = parse_date(at, "--at")
    if not isinstance(window, int) or window < MIN_SIDE:
        raise UsageError(f"bad value {window!r}", where="--window", fix=f"use {MIN_SIDE} or more periods (default 12)")
    if lags is not None and lags < 0:
        raise UsageError(f"bad value {lags!r}", where="lags", fix="use 0 or more lags, or None for the Newey-West rule")
    signal = measure_signal(series_frame, measure, empty=empty)
    t0_row = at_row(series_frame, day)
    rows, values = signal.rows, signal.values
    before = np.flatnonzero((rows < t0_row) & (rows >= t0_row - window))
    after = np.flatnonzero((rows >= t0_row) & (rows < t0_row + window))
    if len(before) < MIN_SIDE or len(after) < MIN_SIDE:
        side, have = ("before", len(before)) if len(before) < MIN_SIDE else ("after", len(after))
        extra = " with events" if empty == "drop" else ""
        raise UsageError(f"only {have} period(s){extra} {side} {day} within --window {window} "
                         f"(the series has {describe(series_frame)}); the event study needs {MIN_SIDE} on each side",
                         where="--at", fix="move --at, widen --from/--to, or raise --window")
    idx = np.concatenate([before, after])
    y = values[idx]
    t = (rows[idx] - rows[idx[0]]).astype("float64")
    t0 = float(t0_row - rows[idx[0]])
    post = (rows[idx] >= t0_row).astype("float64")
    n_lags = newey_west_lags(len(y)) if lags is None else lags
    mean_before = hac_ols(values[before], np.ones((len(before), 1)), lags=n_lags)[0]
    mean_after = hac_ols(values[after], np.ones((len(after), 1)), lags=n_lags)[0]
    difference = hac_ols(y, np.column_stack([np.ones_like(y), post]), lags=n_lags)[1]
    _, slope, level, slope_change = hac_ols(y, np.column_stack([np.ones_like(y), t, post, (t - t0) * post]),
                                            lags=n_lags)
    return EventStudy(at=day, period=pd.Timestamp(series_frame.index[t0_row]).date(), measure=measure,
                      window=window, n_before=len(before), n_after=len(after), lags=n_lags,
                      before=_no_p(mean_before), after=_no_p(mean_after), difference=difference,
                      pre_slope=slope, level_change=level, slope_change=slope_change)


def _no_p(e: Estimate) -> Estimate:
    return Estimate(e.estimate, e.se, e.ci_low, e.ci_high, None)


__all__ = ["Estimate", "EventStudy", "at_row", "event_study", "hac_ols", "newey_west_lags"]
