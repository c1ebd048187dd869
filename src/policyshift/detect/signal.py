"""From a dyad series to the numbers a detector or an event study reads: one measure, empty periods ruled.

A ratio measure (net_cooperation, goldstein_mean, the quad shares, the ``*_per_volume`` columns) is
undefined, NaN, in a period without events. The *empty-period rule* says what the detectors see there:

- ``"zero"`` (default): the period counts as 0. For net_cooperation and goldstein_mean 0 is the
  neutral point of the scale, so a month without interaction counts as neutral, and a turn from
  "nothing" to "much cooperation" is itself a change. For a share, 0 means "none of no events".
- ``"drop"``: the period is left out; the detector reads only periods with events, and a break's
  date is the first *non-empty* period of its new segment. Use it for sparse dyads whose silences
  say nothing about tone.

Count measures (events, cooperation, the quad counts, goldstein_sum) are never NaN: a zero there is
a real zero under either rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from policyshift.errors import UsageError

EmptyRule = Literal["zero", "drop"]
EMPTY_RULES: tuple[str, ...] = ("zero", "drop")


@dataclass(frozen=True)
class Signal:
    """A measure's values in time order, and each value's row in the series frame."""

    values: np.ndarray  # float64, no NaN
    rows: np.ndarray  # int64 positions in the frame, increasing

    def __len__(self) -> int:
        return len(self.values)


def numeric_measures(frame: pd.DataFrame) -> list[str]:
    return [str(c) for c in frame.columns if frame[c].dtype.kind in "if"]


def check_measure(names: Sequence[str], measure: str) -> None:
    """A UsageError listing ``names`` when ``measure`` is not one of them."""
    if measure not in names:
        hint = " (the *_per_volume measures need --normalize)" if measure.endswith("_per_volume") else ""
        raise UsageError(f"unknown measure {measure!r}{hint}", where="--measure",
                         fix=f"use one of {', '.join(names)} (net_cooperation is the default)")


def check_empty(empty: str) -> None:
    if empty not in EMPTY_RULES:
        raise UsageError(f"unknown empty-period rule {empty!r}", where="--empty",
                         fix=f"use one of {', '.join(EMPTY_RULES)}")


def measure_signal(frame: pd.DataFrame, measure: str, *, empty: str = "zero") -> Signal:
    """The values of ``measure`` under the empty-period rule (see the module doc)."""
    check_measure(numeric_measures(frame), measure)
    check_empty(empty)
    values = frame[measure].to_numpy(dtype="float64")
    rows = np.arange(len(values), dtype="int64")
    missing = np.isnan(values)
    if empty == "zero":
        return Signal(np.where(missing, 0.0, values), rows)
    return Signal(values[~missing], rows[~missing])


def describe(frame: pd.DataFrame) -> str:
    """'36 monthly periods from 2000-01-01 to 2002-12-01' (for error messages)."""
    by = frame.attrs.get("by", "")
    unit = {"day": "daily", "week": "weekly", "month": "monthly", "quarter": "quarterly", "year": "yearly"}.get(by, "")
    if len(frame) == 0:
        return "no periods"
    first, last = (pd.Timestamp(frame.index[i]).date() for i in (0, -1))
    return f"{len(frame)} {unit + ' ' if unit else ''}periods from {first} to {last}"
