"""Query parameters shared by the API, the pages and the exports (one declaration, one meaning)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from policyshift.web.limits import DEFAULT_ROWS, MAX_DRIVERS, MAX_ROWS, MAX_SHIFT_TOP

Source = Annotated[str, Query(description="Source actor selector: PAK, PAKGOV, TAL, UNO (roles resolved by date).",
                              max_length=64)]
Target = Annotated[str, Query(description="Target actor selector.", max_length=64)]
By = Annotated[str, Query(description="Period length: day, week, month, quarter or year.", max_length=16)]
From = Annotated[str | None, Query(alias="from", description="First date, YYYY-MM-DD (default: first event).",
                                   max_length=32)]
To = Annotated[str | None, Query(alias="to", description="Last date, YYYY-MM-DD (default: last event).",
                                 max_length=32)]
Undirected = Annotated[bool, Query(description="Pool both directions (A to B and B to A): 1 or 0.")]
Normalize = Annotated[bool, Query(description="Also divide counts by the store's total events per period.")]
Measure = Annotated[str, Query(description="The series column to examine: net_cooperation, goldstein_mean, "
                                           "events, conflict, ...", max_length=64)]
Limit = Annotated[int, Query(ge=1, le=MAX_ROWS, description=f"At most this many rows (default {DEFAULT_ROWS}, "
                                                            f"at most {MAX_ROWS:,}; more is refused with 422).")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Skip this many rows first.")]
Drivers = Annotated[int, Query(ge=1, le=MAX_DRIVERS, description="Driving events shown per break.")]
ShiftTop = Annotated[int, Query(ge=1, le=MAX_SHIFT_TOP, description="How many dyads to show.")]
Spec = Annotated[str, Query(description="builtin:<case> or a YAML file inside the server's --specs folder.",
                            max_length=256)]


def blank(value: str | None) -> str | None:
    """An empty form field means 'not given'."""
    return value.strip() or None if value is not None else None
