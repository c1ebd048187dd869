"""Reciprocity: does B's behaviour toward A follow A's behaviour toward B?

Two series of one measure (default ``goldstein_mean``) on the same periods: x = A -> B and
y = B -> A. The index reports

- lagged cross-correlations r(k) = corr(x_t, y_{t+k}) for k = -K..K over the overlapping periods
  (k > 0: B answers A k periods later; k < 0: A answers B);
- Granger tests in both directions (statsmodels ``grangercausalitytests``, the SSR F test) for
  each lag 1..p, where p is given or chosen by AIC (statsmodels ``VAR.select_order``, 1..K).

An empty period (no event in that direction) counts as 0, the neutral point of every measure here
(Goldstein 0, net cooperation 0, no events): silence is neither cooperation nor conflict. The
number of empty periods per direction is reported, so a series that is mostly silence is visible.
Both directions come from one Ibis aggregation (policyshift.measure.triad.pair_series); only the
per-period table is finished in pandas and statsmodels.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from policyshift.backends import Backend
from policyshift.errors import UsageError
from policyshift.measure.series import MEASURES
from policyshift.measure.triad import pair_series
from policyshift.plot import figure_path

DEFAULT_MEASURE = "goldstein_mean"
DEFAULT_MAX_LAG = 3


@dataclass(frozen=True)
class Reciprocity:
    """The two series, the cross-correlations and the Granger tests, with the query in ``attrs``."""

    frame: pd.DataFrame  # per period: a_to_b, b_to_a (the measure, empty = 0) and the event counts
    correlations: pd.DataFrame  # lag, r, pairs
    granger: pd.DataFrame  # cause, effect, lag, F, p, df_num, df_denom
    attrs: dict[str, Any]

    def to_document(self) -> dict[str, Any]:
        def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
            return [{k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in row.items()}
                    for row in frame.to_dict(orient="records")]

        periods = records(self.frame.reset_index().assign(period=lambda f: f["period"].dt.date.map(str)))
        return {**self.attrs, "correlations": records(self.correlations), "granger": records(self.granger),
                "periods": periods}

    def by_lag(self) -> list[dict[str, Any]]:
        """One row per lag: r, and the Granger F and p of each direction where tested (for tables and CSV)."""
        rows = []
        for c in self.correlations.itertuples():
            row: dict[str, Any] = {"lag": c.lag, "r": c.r, "pairs": c.pairs}
            for key, cause in (("a_b", "A->B"), ("b_a", "B->A")):
                hit = self.granger[(self.granger["cause"] == cause) & (self.granger["lag"] == c.lag)]
                row[f"granger_{key}_F"] = float(hit["F"].iloc[0]) if len(hit) else None
                row[f"granger_{key}_p"] = float(hit["p"].iloc[0]) if len(hit) else None
            rows.append(row)
        return rows


def cross_correlations(x: np.ndarray, y: np.ndarray, *, max_lag: int) -> pd.DataFrame:
    """r(k) = Pearson correlation of x_t and y_{t+k} over the periods where both exist."""
    rows = []
    n = len(x)
    for k in range(-max_lag, max_lag + 1):
        xs, ys = (x[: n - k], y[k:]) if k >= 0 else (x[-k:], y[: n + k])
        r = float(np.corrcoef(xs, ys)[0, 1]) if len(xs) > 2 and xs.std() > 0 and ys.std() > 0 else float("nan")
        rows.append({"lag": k, "r": r, "pairs": len(xs)})
    return pd.DataFrame(rows)


def min_periods(order: int) -> int:
    """The fewest periods a Granger test (or an AIC search) of this lag order can run on."""
    # Each regression has 2 * order + 1 coefficients on n - order rows; statsmodels refuses n <= 3 * order + 1.
    return 3 * order + 2


def choose_order(x: np.ndarray, y: np.ndarray, *, max_lag: int) -> int:
    """The VAR lag order with the smallest AIC among 0..max_lag, at least 1 (a Granger test needs a lag)."""
    from statsmodels.tsa.api import VAR

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        chosen = VAR(np.column_stack([x, y])).select_order(maxlags=max_lag, trend="c").aic
    return max(1, int(chosen))


def granger(cause: np.ndarray, effect: np.ndarray, *, order: int) -> list[dict[str, float]]:
    """The SSR F test of "cause does not Granger-cause effect", for each lag 1..order."""
    from statsmodels.tsa.stattools import grangercausalitytests

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels warns about its own verbose flag
        results = grangercausalitytests(np.column_stack([effect, cause]), maxlag=order)
    rows = []
    for lag in range(1, order + 1):
        f, p, df_denom, df_num = results[lag][0]["ssr_ftest"]
        rows.append({"lag": lag, "F": float(f), "p": float(p), "df_num": int(df_num), "df_denom": int(df_denom)})
    return rows


def reciprocity(backend: Backend, a: str, b: str, *, by: str = "month", start: str | date | None = None,
                end: str | date | None = None, measure: str = DEFAULT_MEASURE, max_lag: int = DEFAULT_MAX_LAG,
                order: int | None = None) -> Reciprocity:
    """How B's behaviour toward A follows A's toward B: cross-correlations for lags -max_lag..max_lag
    and Granger tests both ways with lag order ``order`` (None: chosen by AIC among 1..max_lag)."""
    if measure not in MEASURES:
        raise UsageError(f"unknown measure {measure!r}", where="--measure", fix=f"use one of {', '.join(MEASURES)}")
    if max_lag < 1:
        raise UsageError(f"--max-lag must be at least 1, not {max_lag}", where="--max-lag", fix="use e.g. 3")
    if order is not None and order < 1:
        raise UsageError(f"--order must be at least 1, not {order}", where="--order",
                         fix="give a positive lag order, or leave it out to choose it by AIC")
    ps = pair_series(backend, {"A": a, "B": b}, [("A", "B"), ("B", "A")], by=by, start=start, end=end)
    sa, sb = ps.attrs["a"], ps.attrs["b"]
    ab, ba = ps.frames[("A", "B")], ps.frames[("B", "A")]
    frame = pd.DataFrame({"a_to_b": ab[measure].fillna(0.0).astype("float64"),
                          "b_to_a": ba[measure].fillna(0.0).astype("float64"),
                          "a_to_b_events": ab["events"], "b_to_a_events": ba["events"]}, index=ps.index)
    frame.index.name = "period"
    n = len(frame)
    where = f"{sa} {sb}"
    need = min_periods(order if order is not None else max_lag)
    if n < need:
        what = f"a Granger test of order {order}" if order is not None else f"choosing the order by AIC up to {max_lag}"
        raise UsageError(f"the series has {n} periods of {by}; {what} needs at least {need} (3 x lags + 2)",
                         where=where, fix="use a finer --by, a wider --from/--to, or a smaller "
                         + ("--order" if order is not None else "--max-lag"))
    if n < max_lag + 3:
        raise UsageError(f"the series has {n} periods of {by}; cross-correlations up to lag {max_lag} need at least "
                         f"{max_lag + 3} (3 pairs at the longest lag)", where=where,
                         fix="use a smaller --max-lag, a finer --by or a wider --from/--to")
    for column, label in (("a_to_b", f"{sa}->{sb}"), ("b_to_a", f"{sb}->{sa}")):
        if frame[column].std() == 0:
            raise UsageError(f"{label} {measure} is constant ({frame[column].iloc[0]:g} in all {n} periods, "
                             f"{int(frame[column + '_events'].sum())} events): nothing to correlate", where=where,
                             fix="choose a wider --from/--to, another --by or another --measure")
    x, y = frame["a_to_b"].to_numpy(), frame["b_to_a"].to_numpy()
    chosen = order if order is not None else choose_order(x, y, max_lag=max_lag)
    tests = [{"cause": "A->B", "effect": "B->A", **row} for row in granger(x, y, order=chosen)]
    tests += [{"cause": "B->A", "effect": "A->B", **row} for row in granger(y, x, order=chosen)]
    attrs = {"a": sa, "b": sb, "by": by, "from": ps.attrs["from"], "to": ps.attrs["to"], "measure": measure,
             "n_periods": n, "empty_periods": {"a_to_b": int((ab["events"] == 0).sum()),
                                             "b_to_a": int((ba["events"] == 0).sum())},
             "empty_rule": "an empty period counts as 0", "max_lag": max_lag, "order": chosen,
             "order_rule": "given" if order is not None else f"AIC (VAR.select_order, 0..{max_lag}, at least 1)",
             "imprecise_excluded": ps.attrs["imprecise_excluded"], "backend": ps.attrs["backend"]}
    return Reciprocity(frame, cross_correlations(x, y, max_lag=max_lag), pd.DataFrame(tests), attrs)


def plot_reciprocity(result: Reciprocity, path: str | Path) -> Path:
    """The two series (top) and the cross-correlations by lag (bottom)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = figure_path(path)
    attrs, frame = result.attrs, result.frame
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 6), height_ratios=[3, 2], constrained_layout=True)
    x = pd.to_datetime(frame.index)
    top.plot(x, frame["a_to_b"], color="#1f4e79", linewidth=1.2, label=f"{attrs['a']} -> {attrs['b']}")
    top.plot(x, frame["b_to_a"], color="#c0392b", linewidth=1.2, label=f"{attrs['b']} -> {attrs['a']}")
    top.axhline(0, color="#999999", linewidth=0.6)
    top.set_ylabel(attrs["measure"].replace("_", " "))
    top.legend(fontsize=8, loc="upper left")
    top.set_title(f"reciprocity of {attrs['a']} and {attrs['b']}, by {attrs['by']}")
    c = result.correlations
    bottom.bar(c["lag"], c["r"].fillna(0.0), color="#6a9fca")
    band = 1.96 / np.sqrt(attrs["n_periods"])
    for level in (band, -band):
        bottom.axhline(level, color="#999999", linestyle="--", linewidth=0.8)
    bottom.set_xlabel(f"lag k ({attrs['b']} -> {attrs['a']} k periods after {attrs['a']} -> {attrs['b']})")
    bottom.set_ylabel("r(k)")
    bottom.set_ylim(-1, 1)
    fig.savefig(path)
    plt.close(fig)
    return path


__all__ = ["DEFAULT_MAX_LAG", "DEFAULT_MEASURE", "Reciprocity", "choose_order", "cross_correlations", "granger",
           "min_periods", "plot_reciprocity", "reciprocity"]
