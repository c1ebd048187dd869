"""The shift scan: which dyads changed most around a date, with a significance that allows for
testing thousands of dyads at once.

Per dyad, the ``window`` periods before the date are compared with the ``window`` periods from the
date's own period on (the period that holds the date counts as "after"; pass the first day of a
period for a clean cut). The aggregation is written once as Ibis expressions and runs on the
backend in two group-bys: (dyad, period) -> the period's counts, then dyad -> the sums each side's
test needs. Only one row per dyad comes back, so 40,000 dyads of 300 periods never travel as a
12-million-cell matrix; the tests are then vectorised numpy/scipy over those rows.

Empty periods: for counts and ``goldstein_sum`` an empty period is a zero and counts as one of the
``window`` periods. Means, shares and net cooperation are event-weighted over each window, so an
empty period adds nothing; such a dyad needs two active periods on each side to be tested.

Tests (docs/scan.md gives the formulas and the reasons): counts, a quasi-Poisson rate test
(``rate_test``); Goldstein sums, Welch's t with a compound-Poisson variance floor
(``welch_sum_test``); means and shares, a quasi-likelihood test of event-weighted means
(``mean_test``). Benjamini-Hochberg q-values run over the tested dyads. Dyads below
``min_events`` are not tested (they are counted, by reason, in ``untested``); the filter looks only
at the total of both windows, which under the null says nothing about the split between them, so
it does not bias the FDR.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd
from scipy import special
from statsmodels.stats.multitest import multipletests

from policyshift.backends import Backend
from policyshift.dates import parse_date
from policyshift.errors import UsageError
from policyshift.measure.series import QUADS, data_range, granularity, precise_enough
from policyshift.selectors import check_known, normalise

COUNT_MEASURES = ("events", *QUADS.values(), "cooperation", "conflict")
# Zero-filled: an empty period is a 0. The rest are undefined where a period has no events.
SUM_MEASURES = (*COUNT_MEASURES, "goldstein_sum")
RATIO_MEASURES = ("goldstein_mean", *(f"{q}_share" for q in QUADS.values()), "net_cooperation")
SCAN_MEASURES = (*SUM_MEASURES, *RATIO_MEASURES)
LEVELS: dict[str, tuple[str, str]] = {"actor": ("source_actor", "target_actor"),
                                      "country": ("source_country", "target_country")}
RANKS = ("significance", "effect")
DEFAULT_MEASURE = "events"
COLUMNS = ["rank", "source", "target", "events_before", "events_after", "before", "after", "difference", "ratio",
           "d", "statistic", "df", "p", "q"]


@dataclass
class ScanResult:
    """The ranked dyads (all tested ones in ``dyads``; ``top`` of them in ``shifts``) and the query."""

    query: dict[str, Any]
    dyads: pd.DataFrame
    top: int | None
    seen: int
    untested: dict[str, int] = field(default_factory=dict)
    imprecise_excluded: int = 0

    @property
    def tested(self) -> int:
        return len(self.dyads)

    @property
    def significant(self) -> int:
        return int((self.dyads["q"] < self.query["alpha"]).sum())

    @property
    def shifts(self) -> pd.DataFrame:
        return self.dyads if self.top is None else self.dyads.head(self.top)


# ---------------------------------------------------------------------------------------------
# Checks


def _choice(value: str, choices: tuple[str, ...] | dict[str, Any], option: str) -> str:
    if value not in choices:
        raise UsageError(f"unknown {option.lstrip('-')} {value!r}", where=option,
                         fix=f"use one of {', '.join(choices)}")
    return value


def _check_numbers(window: int, top: int | None, min_events: int, alpha: float) -> None:
    if window < 2:
        raise UsageError(f"--window {window} is too small: a test needs at least 2 periods on each side",
                         where="--window", fix="use --window 2 or more (12 months is a common choice)")
    if top is not None and top < 1:
        raise UsageError(f"--top {top} shows nothing", where="--top", fix="use --top 1 or more")
    if min_events < 1:
        raise UsageError(f"--min-events {min_events} must be at least 1", where="--min-events",
                         fix="use --min-events 1 or more (default 10)")
    if not 0 < alpha < 1:
        raise UsageError(f"--alpha {alpha} is not a false discovery rate", where="--alpha",
                         fix="use a number between 0 and 1, e.g. 0.05")


def _windows(backend: Backend, at: date, window: int, by: str) -> tuple[date, date, date]:
    """(first day of the before window, the date's period start, first day after the after window)."""
    freq = granularity(by)[1]
    first, last = data_range(backend)
    if first is None or last is None:
        raise UsageError("the store holds no events", where=backend.description, fix="ingest files first")
    if not first <= at <= last:
        raise UsageError(f"--at {at} is outside the data, which runs from {first} to {last}", where="--at",
                         fix="choose a date inside that range")
    here = pd.Period(at, freq=freq)
    before = (here - pd.Period(first, freq=freq)).n
    after = (pd.Period(last, freq=freq) - here).n + 1
    if window > min(before, after):
        unit = f"{by}s"
        fix = (f"use --window {min(before, after)} or less" if min(before, after) >= 2
               else "choose a date further from the ends of the data")
        raise UsageError(f"--window {window} is too large at {at}: the data ({first} to {last}) has {before} {unit} "
                         f"before the {by} of {at} and {after} from it on", where="--window",
                         fix=f"{fix}, or a finer --by" if by != "day" else fix)
    return ((here - window).start_time.date(), here.start_time.date(), (here + window).start_time.date())


def _focal_filter(backend: Backend, t: ir.Table, focal: str, level: str, lo: date, hi: date) -> ir.BooleanValue:
    """Events of the focal actor's dyads. A dyad is the focal actor's when one of its codes starts
    with the selector, or (actor level) holds the selector's role at some time in the windows; then
    all its events count, so a role's first or last day does not show up as a shift of its own."""
    src, tgt = LEVELS[level]
    codes = [focal]
    if level == "actor":
        check_known(t, focal, backend.roles, "--focal")
        codes += sorted({r.code for r in backend.roles if r.role.startswith(focal)
                         and (r.valid_from is None or r.valid_from < hi)
                         and (r.valid_to is None or r.valid_to >= lo)})
    cond = ibis.literal(False)
    for code in codes:
        cond |= t[src].startswith(code) | t[tgt].startswith(code)
    cond = cond.fill_null(False)
    if level == "country" and int(backend.execute(t.filter(cond).limit(1).count())) == 0:
        raise UsageError(f"unknown country {focal}: no event in the store has a source or target country "
                         "starting with it", where="--focal",
                         fix="use a three-letter country code (PAK), or --level actor for sector codes")
    return cond


# ---------------------------------------------------------------------------------------------
# The backend half: two group-bys, one row per dyad


# What a (dyad, period) row counts besides its events: the quad classes a measure looks at.
_QUAD_SETS = {**{name: (q,) for q, name in QUADS.items()}, "cooperation": (1, 2), "conflict": (3, 4)}


def _kind(measure: str) -> str:
    return measure.removesuffix("_share")


def _value(t: ir.Table, measure: str) -> ir.NumericValue:
    """A count or sum measure of one (dyad, period) row."""
    if measure == "events":
        return t.n
    return t.g if measure == "goldstein_sum" else t.q


def _event_values(t: ir.Table, measure: str) -> tuple[ir.NumericValue, ir.NumericValue]:
    """For a ratio measure, the sum and the sum of squares over the period's events of each event's
    value: its Goldstein weight, its quad-class indicator, or +1 cooperation / -1 conflict."""
    if measure == "goldstein_mean":
        return t.g, t.g2
    if measure == "net_cooperation":
        return t.coop - t.conflict, t.coop + t.conflict
    return t.q, t.q  # a share: the indicator is its own square


def _period_key(day: ir.DateValue, by: str) -> ir.IntegerValue:
    # An integer period number groups about a quarter faster than a truncated date (20M events).
    if by == "day":
        return day.epoch_days()
    if by == "week":
        return (day.epoch_days() + 3) // 7  # weeks from Monday 1969-12-29, as ISO weeks start
    if by == "month":
        return day.year() * 12 + day.month() - 1
    if by == "quarter":
        return day.year() * 4 + day.quarter() - 1
    return day.year()


def period_number(day: date, by: str) -> int:
    """The period number of ``day`` (the same numbering as the backend's :func:`_period_key`)."""
    days = (day - date(1970, 1, 1)).days
    return {"day": days, "week": (days + 3) // 7, "month": day.year * 12 + day.month - 1,
            "quarter": day.year * 4 + (day.month - 1) // 3, "year": day.year}[by]


def _per_period(t: ir.Table, keys: tuple[str, str], directed: bool, measure: str, by: str) -> ir.Table:
    src, tgt = t[keys[0]], t[keys[1]]
    if not directed:  # a pooled dyad is keyed by its two codes in order
        src, tgt = ibis.least(src, tgt), ibis.greatest(src, tgt)
    t = t.mutate(source=src, target=tgt, period=_period_key(t.date, by))
    counts: dict[str, ir.Value] = {"n": t.count()}
    # Only what the measure needs: each extra aggregate costs time over millions of groups.
    if measure.startswith("goldstein"):
        counts["g"] = t.goldstein.sum().fill_null(0)
        counts["g2"] = (t.goldstein * t.goldstein).sum().fill_null(0)
    elif measure == "net_cooperation":
        counts["coop"] = t.count(where=t.quad_class.isin((1, 2)))
        counts["conflict"] = t.count(where=t.quad_class.isin((3, 4)))
    elif measure != "events":
        counts["q"] = t.count(where=t.quad_class.isin(_QUAD_SETS[_kind(measure)]))
    return t.group_by(["source", "target", "period"]).aggregate(**counts)


def dyad_sums(backend: Backend, *, at: date, lo: date, hi: date, by: str, measure: str, level: str,
              focal: str | None, directed: bool, normalize: bool) -> tuple[pd.DataFrame, int]:
    """One row per dyad with, for each side of ``at`` (suffix _b before, _a after): events, active
    periods and the sums its measure's test needs. Also the count of imprecise events left out."""
    t = backend.events
    src, tgt = LEVELS[level]
    in_window = (t.date >= lo) & (t.date < hi) & t[src].notnull() & t[tgt].notnull()
    if focal is not None:
        in_window &= _focal_filter(backend, t, focal, level, lo, hi)
    ok = precise_enough(t, by)
    imprecise = int(backend.execute(t.filter(in_window & ~ok).count()))
    rows = _per_period(t.filter(in_window & ok), (src, tgt), directed, measure, by)
    exposure: ir.NumericValue = ibis.literal(1.0)
    if normalize:  # the store's events per period, the denominator of GDELT-style normalisation
        w = t.filter((t.date >= lo) & (t.date < hi) & ok)
        volume = w.mutate(period=_period_key(w.date, by)).group_by("period").aggregate(volume=ibis._.count())
        rows = rows.join(volume, "period")
        exposure = rows.volume.cast("float64")
    n = rows.n.cast("float64")
    # The side of the date is a group key, not a FILTER on every sum: fewer, cheaper aggregates.
    rows = rows.mutate(side=ibis.ifelse(rows.period >= period_number(at, by), "a", "b"))
    sums: dict[str, ir.Value] = {"events": rows.n.sum(), "active": rows.count()}
    if measure in RATIO_MEASURES:
        num, squares = (v.cast("float64") for v in _event_values(rows, measure))
        sums.update(s=num.sum(), r=(num * num / n).sum(), v2=squares.sum())
    else:
        value = _value(rows, measure).cast("float64")
        x = value / exposure
        sums.update(s=x.sum(), ss=(x * x).sum())
        if measure in COUNT_MEASURES and normalize:
            sums.update(y=value.sum(), yy=(value * value / exposure).sum())
        elif measure == "goldstein_sum":  # the events' squared weights, for the compound-Poisson floor
            sums["v2"] = (rows.g2.cast("float64") / (exposure * exposure)).sum()
    long = backend.execute(rows.group_by(["source", "target", "side"]).aggregate(**sums))
    if measure in COUNT_MEASURES and not normalize:  # with an exposure of 1 per period, y is x
        long = long.assign(y=long["s"], yy=long["ss"])
    frame = long.pivot(index=["source", "target"], columns="side")
    frame = frame.reindex(columns=pd.MultiIndex.from_product([frame.columns.levels[0], ["b", "a"]]))
    frame.columns = [f"{name}_{side}" for name, side in frame.columns]
    frame = frame.fillna(0.0).astype("float64").reset_index()
    return frame, imprecise


def _volumes(backend: Backend, *, at: date, lo: date, hi: date, by: str) -> tuple[float, float]:
    t = backend.events
    w = t.filter((t.date >= lo) & (t.date < hi) & precise_enough(t, by))
    after = w.date >= ibis.literal(at)
    row = backend.execute(w.aggregate(before=w.count(where=~after), after=w.count(where=after)))
    return float(row["before"].iloc[0]), float(row["after"].iloc[0])


# ---------------------------------------------------------------------------------------------
# The numpy half: tests, effect sizes, q-values, vectorised over dyads

Arrays = dict[str, np.ndarray]


def _two_sided_t(stat: np.ndarray, df: np.ndarray) -> np.ndarray:
    return 2.0 * special.stdtr(df, -np.abs(stat))


def _cohen_d(diff: np.ndarray, var_b: np.ndarray, var_a: np.ndarray, df_b: np.ndarray,
             df_a: np.ndarray) -> np.ndarray:
    pooled = np.sqrt((df_b * var_b + df_a * var_a) / (df_b + df_a))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(pooled > 0, diff / pooled, np.nan)


def rate_test(c: Arrays, *, window: int, exposure: tuple[float, float]) -> Arrays:
    """Count measures: a quasi-Poisson rate test of after against before.

    Conditional on the dyad's total N, the after count is Binomial(N, e_a / (e_a + e_b)) under the
    null (e = exposure: the number of periods, or the store's volume with normalize); its variance
    is inflated by the Pearson dispersion phi of the periods about their side's rate (floored at 1:
    no credit for underdispersion), hence a t reference on 2*window-2 df.
    """
    e_b, e_a = exposure
    y_b, y_a = c["y_b"], c["y_a"]
    n = y_b + y_a
    pi0 = e_a / (e_a + e_b)
    with np.errstate(divide="ignore", invalid="ignore"):
        # Pearson X^2 of each side, sum((y - mu e)^2 / (mu e)) = sum(y^2 / e) / mu - Y, mu = Y / E
        x2 = np.where(y_b > 0, c["yy_b"] * e_b / y_b - y_b, 0.0) + np.where(y_a > 0, c["yy_a"] * e_a / y_a - y_a, 0.0)
        phi = np.maximum(1.0, x2 / (2 * window - 2))
        z = np.where(n > 0, (y_a - n * pi0) / np.sqrt(phi * n * pi0 * (1 - pi0)), 0.0)
    df = np.full_like(z, 2.0 * window - 2)
    w = float(window)
    m_b, m_a = c["s_b"] / w, c["s_a"] / w
    var_b, var_a = (np.maximum(c["ss_b"] - c["s_b"] * m_b, 0) / (w - 1), np.maximum(c["ss_a"] - c["s_a"] * m_a, 0)
                    / (w - 1))
    return {"before": m_b, "after": m_a, "ratio": ((y_a + 0.5) / e_a) / ((y_b + 0.5) / e_b),
            "d": _cohen_d(m_a - m_b, var_b, var_a, np.full_like(z, w - 1), np.full_like(z, w - 1)),
            "statistic": z, "df": df, "p": _two_sided_t(z, df)}


def welch_sum_test(c: Arrays, *, window: int) -> Arrays:
    """goldstein_sum: Welch's t test on the zero-filled per-period sums.

    Each side's variance is floored at what independent events allow: a period's sum of
    Poisson-many events has variance rate * E[v^2] (compound Poisson), estimated from the events'
    squared weights over both windows. Without the floor, twelve identical months would have
    variance 0 and win with p = 0.
    """
    w = float(window)
    m_b, m_a = c["s_b"] / w, c["s_a"] / w
    var_b = np.maximum(c["ss_b"] - c["s_b"] * m_b, 0) / (w - 1)
    var_a = np.maximum(c["ss_a"] - c["s_a"] * m_a, 0) / (w - 1)
    floor = (c["v2_b"] + c["v2_a"]) / (2 * w)
    u_b, u_a = np.maximum(var_b, floor) / w, np.maximum(var_a, floor) / w
    se2 = u_b + u_a
    diff = m_a - m_b
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(se2 > 0, diff / np.sqrt(se2), 0.0)
        df = np.where(se2 > 0, se2**2 / ((u_a**2 + u_b**2) / (w - 1)), 2 * w - 2)
    return {"before": m_b, "after": m_a, "ratio": np.full_like(t, np.nan),
            "d": _cohen_d(diff, var_b, var_a, np.full_like(t, w - 1), np.full_like(t, w - 1)),
            "statistic": t, "df": df, "p": _two_sided_t(t, df)}


def mean_test(c: Arrays) -> Arrays:
    """Ratio measures (Goldstein mean, shares, net cooperation): a quasi-likelihood test of the
    event-weighted means of the two windows.

    Under the null every event of the dyad has the same distribution, so the difference of the
    means has variance sigma0^2 (1/N_b + 1/N_a), sigma0^2 the events' variance over both windows;
    it is inflated by the Pearson dispersion of the period means about their side's mean
    (periods with n events weigh n; floored at 1), hence a t reference on k_b + k_a - 2 df
    (k: active periods).
    """
    n_b, n_a = c["events_b"], c["events_a"]
    n = n_b + n_a
    m_b, m_a = c["s_b"] / n_b, c["s_a"] / n_a
    sigma0 = np.maximum(c["v2_b"] + c["v2_a"] - (c["s_b"] + c["s_a"]) ** 2 / n, 0) / np.maximum(n - 1, 1)
    within_b = np.maximum(c["v2_b"] - c["s_b"] * m_b, 0)
    within_a = np.maximum(c["v2_a"] - c["s_a"] * m_a, 0)
    between_periods = np.maximum(c["r_b"] - c["s_b"] * m_b, 0) + np.maximum(c["r_a"] - c["s_a"] * m_a, 0)
    df = c["active_b"] + c["active_a"] - 2
    diff = m_a - m_b
    with np.errstate(divide="ignore", invalid="ignore"):
        phi = np.maximum(1.0, np.where(sigma0 > 0, between_periods / sigma0, 0.0) / df)
        se = np.sqrt(phi * sigma0 * (1 / n_b + 1 / n_a))
        t = np.where(se > 0, diff / se, 0.0)  # se is 0 only when every event has the same value
    return {"before": m_b, "after": m_a, "ratio": np.full_like(t, np.nan),
            "d": _cohen_d(diff, within_b / np.maximum(n_b - 1, 1), within_a / np.maximum(n_a - 1, 1), n_b - 1,
                          n_a - 1),
            "statistic": t, "df": df, "p": _two_sided_t(t, df)}


def compare_dyads(sums: pd.DataFrame, *, measure: str, window: int, min_events: int, normalize: bool,
                  volumes: tuple[float, float] | None) -> tuple[pd.DataFrame, dict[str, int]]:
    """The tested dyads with their effect sizes, p- and q-values; the untested counts by reason."""
    count = measure in COUNT_MEASURES
    # Activity: what the test counts (the measure's events for counts, all events otherwise).
    activity = sums["y_b"] + sums["y_a"] if count else sums["events_b"] + sums["events_a"]
    keep = activity >= min_events
    untested = {"below_min_events": int((~keep).sum())}
    if measure in RATIO_MEASURES:
        active = (sums["active_b"] >= 2) & (sums["active_a"] >= 2)
        untested["fewer_than_2_active_periods_a_side"] = int((keep & ~active).sum())
        keep &= active
    s = sums[keep].reset_index(drop=True)
    c = {k: s[k].to_numpy("float64") for k in s.columns if k not in ("source", "target")}
    if count:
        exposure = volumes if normalize and volumes else (float(window), float(window))
        r = rate_test(c, window=window, exposure=exposure)
    elif measure in RATIO_MEASURES:
        r = mean_test(c)
    else:
        r = welch_sum_test(c, window=window)
    p = np.clip(np.nan_to_num(r["p"], nan=1.0), 0.0, 1.0)
    q = multipletests(p, method="fdr_bh")[1] if len(p) else p
    out = pd.DataFrame({
        "source": s["source"], "target": s["target"],
        "events_before": c["events_b"].astype("int64"), "events_after": c["events_a"].astype("int64"),
        "before": r["before"], "after": r["after"], "difference": r["after"] - r["before"], "ratio": r["ratio"],
        "d": r["d"], "statistic": r["statistic"], "df": r["df"], "p": p, "q": q})
    return out, untested


def rank_dyads(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Most significant first (ties: the larger |statistic|, then |d|), or the largest |d| first."""
    if frame.empty:
        return frame.assign(rank=pd.Series(dtype="int64"))[COLUMNS]
    size = np.nan_to_num(np.abs(frame["d"].to_numpy()), nan=-1.0)
    stat = np.abs(frame["statistic"].to_numpy())
    if by == "significance":
        order = np.lexsort((-size, -stat, frame["p"].to_numpy()))
    else:
        order = np.lexsort((-stat, frame["p"].to_numpy(), -size))
    frame = frame.iloc[order].reset_index(drop=True)
    frame.insert(0, "rank", np.arange(1, len(frame) + 1))
    return frame[COLUMNS]


# ---------------------------------------------------------------------------------------------
# The API


def scan(backend: Backend, *, at: str | date, focal: str | None = None, window: int = 12, top: int | None = 20,
         by: str = "month", measure: str = DEFAULT_MEASURE, level: str = "actor", directed: bool = True,
         normalize: bool = False, min_events: int = 10, alpha: float = 0.05,
         rank_by: str = "significance") -> ScanResult:
    """Every dyad of the store (or of ``focal``, either direction) ranked by its change around ``at``.

    ``window`` periods of ``by`` before the date against ``window`` from the date's period on, on
    ``measure``; dyads keyed by stored actor codes (``level="actor"``) or by countries. See the
    module doc and docs/scan.md for the tests and the handling of empty periods.
    """
    granularity(by)
    _choice(measure, SCAN_MEASURES, "--measure")
    _choice(level, LEVELS, "--level")
    _choice(rank_by, RANKS, "--rank")
    _check_numbers(window, top, min_events, alpha)
    if normalize and measure in RATIO_MEASURES:
        raise UsageError(f"--normalize does not apply to {measure}, which is already relative to the dyad's "
                         "own events", where="--normalize",
                         fix=f"drop --normalize, or use a count or sum measure ({', '.join(SUM_MEASURES)})")
    day = parse_date(at, "--at")
    focal_code = normalise(focal, "--focal") if focal is not None else None
    lo, here, hi = _windows(backend, day, window, by)
    sums, imprecise = dyad_sums(backend, at=here, lo=lo, hi=hi, by=by, measure=measure, level=level,
                                focal=focal_code, directed=directed, normalize=normalize)
    volumes = _volumes(backend, at=here, lo=lo, hi=hi, by=by) if normalize else None
    tested, untested = compare_dyads(sums, measure=measure, window=window, min_events=min_events,
                                  normalize=normalize, volumes=volumes)
    test = ("quasi-Poisson rate test" if measure in COUNT_MEASURES else
            "quasi-likelihood test of event-weighted means" if measure in RATIO_MEASURES else
            "Welch t test on per-period sums with a compound-Poisson variance floor")
    query = {"at": day.isoformat(), "by": by, "window": window, "measure": measure, "level": level,
             "focal": focal_code, "directed": directed, "normalize": normalize, "min_events": min_events,
             "alpha": alpha, "rank": rank_by, "test": test,
             "before": {"from": lo.isoformat(), "to": (here - timedelta(days=1)).isoformat()},
             "after": {"from": here.isoformat(), "to": (hi - timedelta(days=1)).isoformat()},
             "empty_periods": "zero" if measure in SUM_MEASURES else "left out",
             "backend": backend.name}
    return ScanResult(query, rank_dyads(tested, rank_by), top, len(sums), untested, imprecise)


def to_document(result: ScanResult) -> dict[str, Any]:
    """The JSON shape of a scan (docs/scan.md): the query, the counts, then the ranked shifts."""
    return {**result.query, "dyads": result.seen, "tested": result.tested, "untested": result.untested,
            "significant": result.significant, "imprecise_excluded": result.imprecise_excluded,
            "shifts": result.shifts.to_dict("records")}


def plot_scan(result: ScanResult, path: str | Path, *, label: int = 10) -> Path:
    """A volcano chart: standardised change (d) against -log10 q for every tested dyad, the top
    ``label`` named, the FDR threshold dashed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg"):
        raise UsageError(f"cannot write a chart to {path.name}", where="--plot", fix="name a .png or .svg file")
    frame = result.dyads
    alpha = result.query["alpha"]
    y = -np.log10(np.maximum(frame["q"].to_numpy("float64"), 1e-300))
    x = frame["d"].to_numpy("float64")
    hit = frame["q"].to_numpy() < alpha
    fig, ax = plt.subplots(figsize=(8, 5.5), constrained_layout=True)
    ax.scatter(x[~hit], y[~hit], s=6, color="#9aa7b8", label="not significant")
    ax.scatter(x[hit], y[hit], s=10, color="#c0392b", label=f"q < {alpha:g}")
    ax.axhline(-np.log10(alpha), color="#c0392b", linestyle="--", linewidth=0.8)
    ax.axvline(0, color="#999999", linewidth=0.6)
    arrow = "->" if result.query["directed"] else "<->"
    for _, row in frame.head(label).iterrows():
        if np.isfinite(row["d"]):
            ax.annotate(f"{row['source']}{arrow}{row['target']}", (row["d"], -np.log10(max(row["q"], 1e-300))),
                        fontsize=7, xytext=(3, 2), textcoords="offset points")
    q = result.query
    ax.set_xlabel(f"standardised change in {q['measure'].replace('_', ' ')} (d)")
    ax.set_ylabel("-log10 q")
    ax.set_title(f"shifts at {q['at']}: {q['window']} {q['by']}s before vs after"
                 + (f", dyads of {q['focal']}" if q["focal"] else ""))
    ax.legend(loc="upper left", fontsize=8)
    fig.savefig(path)
    plt.close(fig)
    return path


__all__ = ["COLUMNS", "SCAN_MEASURES", "ScanResult", "compare_dyads", "dyad_sums", "mean_test", "period_number",
           "plot_scan", "rank_dyads", "rate_test", "scan", "to_document", "welch_sum_test"]
