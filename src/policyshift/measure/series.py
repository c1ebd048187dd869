"""The dyad series: per period, how much A did to B and how cooperative or conflictual it was.

Written once as Ibis expressions (the aggregation runs on DuckDB or Spark); the small per-period
result is zero-filled and finished in pandas.

Date precision rule: an event counts in a period only when its data set knows the date at least
as precisely as the period. Month-precision events count at month, quarter and year granularity;
year-precision events only at year granularity. Coarser events are left out of finer series and
counted in ``imprecise_excluded`` (in ``frame.attrs`` and the JSON output); they are never placed
on the first day of their month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from policyshift.backends import Backend
from policyshift.dates import parse_date
from policyshift.errors import UsageError
from policyshift.selectors import check_known, matches, normalise

Granularity = Literal["day", "week", "month", "quarter", "year"]
GRANULARITIES: dict[str, tuple[str, str, int]] = {
    # name: (Ibis truncate unit, pandas period frequency, rank)
    "day": ("D", "D", 0),
    "week": ("W", "W-SUN", 1),  # ISO weeks, Monday to Sunday, labelled by their Monday
    "month": ("M", "M", 2),
    "quarter": ("Q", "Q", 3),
    "year": ("Y", "Y", 4),
}
PRECISION_RANK = {"day": 0, "month": 2, "year": 4}
QUADS = {1: "verbal_coop", 2: "material_coop", 3: "verbal_conflict", 4: "material_conflict"}
COUNT_COLUMNS = ["events", "goldstein_sum", *QUADS.values(), "cooperation", "conflict"]
MEASURES = ["events", "goldstein_sum", "goldstein_mean", *QUADS.values(),
            *(f"{q}_share" for q in QUADS.values()), "cooperation", "conflict", "net_cooperation"]


@dataclass(frozen=True)
class Dyad:
    source: str
    target: str
    directed: bool = True


def granularity(by: str) -> tuple[str, str, int]:
    if by not in GRANULARITIES:
        raise UsageError(f"unknown granularity {by!r}", where="--by", fix=f"use one of {', '.join(GRANULARITIES)}")
    return GRANULARITIES[by]


def precise_enough(t: ir.Table, by: str) -> ir.BooleanValue:
    """Events whose date precision is at least as fine as the period (see the module doc)."""
    rank = granularity(by)[2]
    allowed = [p for p, r in PRECISION_RANK.items() if r <= rank]
    return t.date_precision.isin(allowed)


def dyad_filter(backend: Backend, t: ir.Table, dyad: Dyad) -> ir.BooleanValue:
    roles = backend.roles
    forward = matches(t.source_actor, t.date, dyad.source, roles) & matches(t.target_actor, t.date, dyad.target, roles)
    if dyad.directed:
        return forward
    back = matches(t.source_actor, t.date, dyad.target, roles) & matches(t.target_actor, t.date, dyad.source, roles)
    return forward | back


def dyad_events(backend: Backend, source: str, target: str, *, directed: bool = True,
                start: str | date | None = None, end: str | date | None = None) -> ir.Table:
    """The events of a dyad (roles resolved by date), as an Ibis table on the backend."""
    dyad = Dyad(normalise(source, "SOURCE"), normalise(target, "TARGET"), directed)
    t = backend.events
    cond = dyad_filter(backend, t, dyad)
    start_d, end_d = parse_date(start, "--from"), parse_date(end, "--to")
    if start_d:
        cond &= t.date >= start_d
    if end_d:
        cond &= t.date <= end_d
    return t.filter(cond)


def aggregate(t: ir.Table, by: str, *, keys: tuple[str, ...] = ()) -> ir.Table:
    """Per-period counts: the backend half of every series (also used by triads and the scan)."""
    unit = granularity(by)[0]
    t = t.mutate(period=t.date.truncate(unit))
    return t.group_by(["period", *keys]).aggregate(
        events=t.count(),
        goldstein_sum=t.goldstein.sum(),
        **{name: (t.quad_class == q).cast("int64").sum() for q, name in QUADS.items()},
    )


def period_index(start: date, end: date, by: str) -> pd.DatetimeIndex:
    freq = granularity(by)[1]
    return pd.period_range(pd.Timestamp(start), pd.Timestamp(end), freq=freq).start_time


def finish(counts: pd.DataFrame, index: pd.DatetimeIndex) -> pd.DataFrame:
    """Zero-fill the periods and derive means and shares (undefined, NaN, where a period is empty)."""
    frame = counts.assign(period=pd.to_datetime(counts["period"])).set_index("period") if len(counts) else \
        pd.DataFrame(columns=["events", "goldstein_sum", *QUADS.values()], dtype="float64")
    frame = frame.reindex(index, fill_value=0).astype({"events": "int64", **{q: "int64" for q in QUADS.values()}})
    frame["goldstein_sum"] = frame["goldstein_sum"].astype("float64")
    n = frame["events"].where(frame["events"] > 0)
    frame["goldstein_mean"] = frame["goldstein_sum"] / n
    for q in QUADS.values():
        frame[f"{q}_share"] = frame[q] / n
    frame["cooperation"] = frame["verbal_coop"] + frame["material_coop"]
    frame["conflict"] = frame["verbal_conflict"] + frame["material_conflict"]
    frame["net_cooperation"] = (frame["cooperation"] - frame["conflict"]) / n
    frame.index.name = "period"
    return frame[MEASURES]


def data_range(backend: Backend) -> tuple[date | None, date | None]:
    t = backend.events
    row = backend.execute(t.aggregate(first=t.date.min(), last=t.date.max()))
    first, last = row["first"].iloc[0], row["last"].iloc[0]
    return (pd.Timestamp(first).date() if pd.notna(first) else None,
            pd.Timestamp(last).date() if pd.notna(last) else None)


def check_range(backend: Backend, start: date | None, end: date | None) -> None:
    """Refuse --from after --to, an empty store, or a range that lies wholly outside the data."""
    if start and end and start > end:
        raise UsageError(f"--from {start} is after --to {end}", fix="swap them")
    first, last = data_range(backend)
    if first is None or last is None:
        raise UsageError("the store holds no events", where=backend.description, fix="ingest files first")
    if (start and start > last) or (end and end < first):
        raise UsageError(f"the range {start or '...'} to {end or '...'} is outside the data, which runs "
                         f"from {first} to {last}", where="--from/--to", fix="choose dates inside that range")


def series(backend: Backend, source: str, target: str, *, by: Granularity = "month",
           start: str | date | None = None, end: str | date | None = None, directed: bool = True,
           normalize: bool = False) -> pd.DataFrame:
    """The dyad series source -> target (or pooled, ``directed=False``), one row per period.

    Columns: events, goldstein_sum, goldstein_mean, the four quad-class counts and shares,
    cooperation, conflict, net_cooperation ((cooperation - conflict) / events); with ``normalize``,
    also ``volume`` (all events in the store that period) and ``*_per_volume`` for every count.
    ``frame.attrs`` holds the query and ``imprecise_excluded``.
    """
    granularity(by)
    src, tgt = normalise(source, "SOURCE"), normalise(target, "TARGET")
    start_d, end_d = parse_date(start, "--from"), parse_date(end, "--to")
    if start_d or end_d:
        check_range(backend, start_d, end_d)
    events = dyad_events(backend, src, tgt, directed=directed, start=start_d, end=end_d)
    # One query: the events too imprecise for the period are grouped apart and counted, not placed.
    grouped = backend.execute(aggregate(events.mutate(_precise=precise_enough(events, by)), by, keys=("_precise",)))
    precise = grouped["_precise"].astype(bool)
    counts, excluded = grouped[precise].drop(columns="_precise"), int(grouped.loc[~precise, "events"].sum())
    if counts.empty:
        # Only now pay for the checks that turn an empty answer into a helpful error.
        if not (start_d or end_d):
            check_range(backend, None, None)
        check_known(backend.events, src, backend.roles, "SOURCE")
        check_known(backend.events, tgt, backend.roles, "TARGET")
    if counts.empty and not (start_d and end_d):
        way = "between" if not directed else "from"
        raise UsageError(f"no events {way} {src} {'and' if not directed else 'to'} {tgt}"
                         + (f" from {start_d}" if start_d else "") + (f" to {end_d}" if end_d else "")
                         + (f" ({excluded} with a date too imprecise for --by {by})" if excluded else ""),
                         where="SOURCE TARGET",
                         fix="try --undirected, a wider --from/--to, a coarser --by, or shorter codes "
                             "(PAK instead of PAKGOV)")
    lo = start_d or pd.Timestamp(counts["period"].min()).date()
    hi = end_d or pd.Timestamp(counts["period"].max()).date()
    frame = finish(counts, period_index(lo, hi, by))
    if normalize:
        t = backend.events
        last_day = (pd.Period(frame.index[-1], freq=granularity(by)[1]).end_time.date())
        in_range = precise_enough(t, by) & (t.date >= frame.index[0].date()) & (t.date <= last_day)
        volume = backend.execute(aggregate(t.filter(in_range), by).select("period", volume="events"))
        vol = volume.assign(period=pd.to_datetime(volume["period"])).set_index("period")["volume"]
        frame["volume"] = vol.reindex(frame.index, fill_value=0).astype("int64")
        denom = frame["volume"].where(frame["volume"] > 0)
        for c in COUNT_COLUMNS:
            frame[f"{c}_per_volume"] = frame[c] / denom
    frame.attrs = {"source": src, "target": tgt, "by": by, "directed": directed, "normalize": normalize,
                   "from": str(lo), "to": str(hi), "imprecise_excluded": excluded, "backend": backend.name}
    return frame


def periods_of(frame: pd.DataFrame, columns: list[str] | None = None) -> list[dict[str, Any]]:
    """One JSON-safe object per period: the period as an ISO date, counts as ints, NaN as null."""
    periods = []
    table = frame if columns is None else frame[columns]
    # to_dict keeps each column's type (row iteration would turn counts into floats).
    for record in table.rename_axis("period").reset_index().to_dict(orient="records"):
        item: dict[str, Any] = {}
        for key, value in record.items():
            if key == "period":
                item[key] = pd.Timestamp(value).date().isoformat()
            elif isinstance(value, (float, np.floating)):
                item[key] = None if np.isnan(value) else float(value)
            elif isinstance(value, np.integer):
                item[key] = int(value)
            else:
                item[key] = value
        periods.append(item)
    return periods


def to_document(frame: pd.DataFrame) -> dict[str, Any]:
    """The JSON shape of a series: the query, then one object per period."""
    return {**frame.attrs, "periods": periods_of(frame)}


__all__ = [
    "GRANULARITIES",
    "MEASURES",
    "Dyad",
    "aggregate",
    "check_range",
    "dyad_events",
    "finish",
    "period_index",
    "periods_of",
    "series",
    "to_document",
]
_ = ibis  # Ibis is the expression language of this module (see aggregate)
