"""The events that drive a break: every break is explained by its evidence.

Rule. The window is the last period of the old segment and the first period of the new one (the
break period and the period before it; under the ``drop`` empty-period rule, the last and first
periods *with events*). Each of the dyad's events there gets its *contribution* to the measure of
its own period, the amount the period's value would lose without it:

==================================  ===================================================
measure                             contribution of one event in a period of n events
==================================  ===================================================
net_cooperation                     +1/n for quad class 1-2, -1/n for 3-4
goldstein_mean                      goldstein / n
goldstein_sum                       goldstein
events                              1
cooperation, conflict, quad counts  1 if the event is of that kind, else 0
``<quad>_share``                    1/n if the event is of that quad class, else 0
``<count>_per_volume``              the count's contribution / the period's store volume
==================================  ===================================================

An event drives the break when its contribution points the way of the break (negative for a fall,
positive for a rise); drivers are ranked by the size of that contribution, ties by the size of the
Goldstein weight (the more extreme act first), then date and event id. A fall in a count (fewer
events) has no events pushing it, so it has no drivers: the absence of events is the evidence.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from policyshift.backends import Backend
from policyshift.errors import UsageError
from policyshift.measure.series import GRANULARITIES, QUADS, dyad_events, precise_enough

COLUMNS = ["event_id", "date", "source_actor", "target_actor", "cameo_code", "quad_class", "goldstein",
           "origin_file", "origin_line", "origin_url"]
_KINDS: dict[str, tuple[int, ...]] = {**{name: (q,) for q, name in QUADS.items()},
                                      "cooperation": (1, 2), "conflict": (3, 4)}


@dataclass(frozen=True)
class Driver:
    """One event that pushed the measure the way of the break, with where it came from."""

    event_id: str
    date: date
    period: date
    source_actor: str | None
    target_actor: str | None
    cameo_code: str | None
    quad_class: int | None
    goldstein: float | None
    contribution: float  # to its period's value of the measure (see the module doc)
    origin: str | None  # the source URL, else file:line

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def contributions(events: pd.DataFrame, measure: str, n: pd.Series, volume: pd.Series | None) -> pd.Series | None:
    """Each event's contribution to its period's ``measure`` (None: the measure has no per-event part).

    ``n`` and ``volume`` are the dyad's events and the store's events in each event's period.
    """
    base, per_volume = (measure.removesuffix("_per_volume"), True) if measure.endswith("_per_volume") \
        else (measure, False)
    quad = events["quad_class"].astype("float64")
    goldstein = events["goldstein"].astype("float64").fillna(0.0)
    if base == "net_cooperation":
        value = quad.isin([1, 2]).astype(float) - quad.isin([3, 4]).astype(float)
        value = value / n
    elif base == "goldstein_mean":
        value = goldstein / n
    elif base == "goldstein_sum":
        value = goldstein
    elif base == "events":
        value = pd.Series(1.0, index=events.index)
    elif base in _KINDS:
        value = quad.isin(_KINDS[base]).astype(float)
    elif base.endswith("_share") and base.removesuffix("_share") in _KINDS:
        value = quad.isin(_KINDS[base.removesuffix("_share")]).astype(float) / n
    else:
        return None  # volume: every event in the store, not this dyad's
    if per_volume:
        if volume is None:
            return None
        value = value / volume
    return value.astype("float64")


def _origin(row: pd.Series) -> str | None:
    url = row.get("origin_url")
    if isinstance(url, str) and url:
        return url
    file = row.get("origin_file")
    if isinstance(file, str) and file:
        line = row.get("origin_line")
        return f"{file}:{int(line)}" if pd.notna(line) else file
    return None


def _period_end(start: pd.Timestamp, by: str) -> date:
    freq = GRANULARITIES[by][1]
    return pd.Period(start, freq=freq).end_time.date()


def drivers_at(backend: Backend, frame: pd.DataFrame, *, measure: str, rows: tuple[int, int], direction: float,
               top: int = 5) -> list[Driver]:
    """The ``top`` events of frame rows ``rows`` (last old period, first new) pushing the way of ``direction``."""
    attrs = frame.attrs
    if not {"source", "target", "by"} <= set(attrs):
        raise UsageError("the series frame does not say which dyad it is (frame.attrs lacks source/target/by)",
                         where="drivers", fix="pass a frame from policyshift.measure.series(), or backend=None")
    if top <= 0 or direction == 0:
        return []
    by = str(attrs["by"])
    first, last = (pd.Timestamp(frame.index[r]) for r in rows)
    t = dyad_events(backend, str(attrs["source"]), str(attrs["target"]), directed=bool(attrs.get("directed", True)),
                    start=first.date(), end=_period_end(last, by))
    events = backend.execute(t.filter(precise_enough(t, by)).select(*COLUMNS))
    if events.empty:
        return []
    events["date"] = pd.to_datetime(events["date"])
    freq = GRANULARITIES[by][1]
    events["period"] = events["date"].dt.to_period(freq).dt.start_time
    window = {pd.Timestamp(frame.index[r]) for r in rows}
    events = events[events["period"].isin(window)].reset_index(drop=True)
    n = frame["events"].reindex(events["period"]).to_numpy(dtype="float64")
    volume = frame["volume"].reindex(events["period"]).to_numpy(dtype="float64") if "volume" in frame else None
    value = contributions(events, measure, pd.Series(n, index=events.index),
                          pd.Series(volume, index=events.index) if volume is not None else None)
    if value is None:
        return []
    events["contribution"] = value
    events["score"] = np.sign(direction) * value
    events["extremity"] = events["goldstein"].astype("float64").abs().fillna(0.0)
    pushing = events[events["score"] > 0].sort_values(["score", "extremity", "date", "event_id"],
                                                      ascending=[False, False, True, True])
    return [_driver(row) for _, row in pushing.head(top).iterrows()]


def _driver(row: pd.Series) -> Driver:
    def text(name: str) -> str | None:
        value = row.get(name)
        return str(value) if isinstance(value, str) and value else None

    quad = row.get("quad_class")
    goldstein = row.get("goldstein")
    return Driver(event_id=str(row["event_id"]), date=pd.Timestamp(row["date"]).date(),
                  period=pd.Timestamp(row["period"]).date(), source_actor=text("source_actor"),
                  target_actor=text("target_actor"), cameo_code=text("cameo_code"),
                  quad_class=int(quad) if pd.notna(quad) else None,
                  goldstein=float(goldstein) if pd.notna(goldstein) else None,
                  contribution=float(row["contribution"]), origin=_origin(row))


__all__ = ["Driver", "contributions", "drivers_at"]
