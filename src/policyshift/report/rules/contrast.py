"""Rule ``contrast``: a dyad is calmer and more cooperative in one window than in an earlier one.

For each window the rule counts the dyad's events (roles resolved by date, every date precision)
and takes

- net cooperation: (cooperative - conflictual events) / events, pooled over the window;
- the conflict share: conflictual events / events;
- the mean and the variance (population) of the per-period net cooperation over the periods
  that have events (periods without events say nothing about tone in a sparse dyad).

Holds when both windows have at least ``min_events`` events, net cooperation rises by at least
``min_rise``, and the later window is no more conflictual (conflict share) and no more volatile
(per-period variance) than the earlier.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from policyshift.errors import PolicyshiftError
from policyshift.report.rules import Outcome, Param, ids_text, num, plural, span, spec_default
from policyshift.report.spec import GRANULARITIES, CaseSpec, DyadSpec
from policyshift.report.workbench import Workbench

PARAMS = {
    "dyad": Param("pair", help="the dyad, [A, B], e.g. [PAKGOV, AFGGOV]"),
    "undirected": Param("bool", True, "pool both directions (the default here)"),
    "before": Param("dates", help="the earlier window, [FROM, TO]"),
    "after": Param("dates", help="the later window, [FROM, TO]"),
    "min_rise": Param("float", 0.5, "the least rise in net cooperation (scale -1 to +1)", low=0.0, high=2.0),
    "min_events": Param("int", 3, "the fewest events each window needs for a judgement", low=1, high=1_000_000),
    "by": Param("choice", spec_default("by"), "the period of the per-period variance", choices=GRANULARITIES),
}


def describe(p: dict[str, Any], spec: CaseSpec) -> str:
    dyad = DyadSpec(p["dyad"][0], p["dyad"][1], p["undirected"])
    (b0, b1), (a0, a1) = p["before"], p["after"]
    return (f"Holds if, for {dyad.label} (roles resolved by date), net cooperation over {a0} to {a1} exceeds "
            f"that over {b0} to {b1} by at least {p['min_rise']:g}, while the conflict share and the variance of "
            f"the per-{p['by']} net cooperation do not rise; each window needs at least {p['min_events']} events.")


def window_numbers(bench: Workbench, dyad: DyadSpec, lo: date, hi: date, by: str) -> dict[str, Any]:
    c = bench.counts(dyad, lo, hi)
    try:
        frame = bench.series(dyad, by=by)
        part = frame[(frame.index >= pd.Timestamp(lo)) & (frame.index <= pd.Timestamp(hi)) & (frame["events"] > 0)]
        values = part["net_cooperation"].to_numpy(dtype="float64")
    except PolicyshiftError:  # a dyad without a series has no per-period figures; the numbers show it
        values = np.array([])
    return {"from": lo.isoformat(), "to": hi.isoformat(), "events": c.events,
            "cooperation": c.n("verbal_coop") + c.n("material_coop"),
            "conflict": c.n("verbal_conflict") + c.n("material_conflict"),
            "net_cooperation": c.net_cooperation, "conflict_share": c.conflict_share,
            "periods_with_events": len(values),
            "period_mean": float(values.mean()) if len(values) else None,
            "period_variance": float(values.var()) if len(values) else None,
            "event_ids": c.ids()}


def evaluate(bench: Workbench, p: dict[str, Any]) -> Outcome:
    dyad = DyadSpec(p["dyad"][0], p["dyad"][1], p["undirected"])
    before = window_numbers(bench, dyad, p["before"][0], p["before"][1], p["by"])
    after = window_numbers(bench, dyad, p["after"][0], p["after"][1], p["by"])
    numbers: dict[str, Any] = {"dyad": dyad.label, "before": before, "after": after}
    ids = tuple(before["event_ids"] + after["event_ids"])
    enough = before["events"] >= p["min_events"] and after["events"] >= p["min_events"]
    rise = (after["net_cooperation"] - before["net_cooperation"]) if enough else None
    numbers["rise"] = rise
    b, a = before, after
    (b0, b1), (a0, a1) = p["before"], p["after"]
    summary = (f"{dyad.label} net cooperation {num(b['net_cooperation'])} ({plural(b['events'], 'event')}, "
               f"{span(b0, b1)}) -> {num(a['net_cooperation'])} ({plural(a['events'], 'event')}, "
               f"{span(a0, a1)}); conflict share {num(b['conflict_share'], sign=False)} -> "
               f"{num(a['conflict_share'], sign=False)}; per-{p['by']} variance "
               f"{num(b['period_variance'], 3, sign=False)} -> {num(a['period_variance'], 3, sign=False)}")
    if not enough:
        verdict = (f"Too few events to judge: {b['events']} in {b['from']} to {b['to']} and {a['events']} in "
                   f"{a['from']} to {a['to']}; the rule needs {p['min_events']} in each.")
        return Outcome(False, verdict, summary, numbers, ids)
    calmer = a["conflict_share"] <= b["conflict_share"] and (
        a["period_variance"] is None or b["period_variance"] is None or a["period_variance"] <= b["period_variance"])
    holds = rise is not None and rise >= p["min_rise"] and calmer
    reasons = []
    if rise is not None and rise < p["min_rise"]:
        reasons.append(f"net cooperation rises by {num(rise)}, less than {p['min_rise']:g}")
    if a["conflict_share"] > b["conflict_share"]:
        reasons.append("the conflict share rises")
    if not calmer and a["conflict_share"] <= b["conflict_share"]:
        reasons.append("the per-period variance rises")
    head = "It holds" if holds else "The data do not support it"
    verdict = (f"{head}: net cooperation of {dyad.label} goes from {num(b['net_cooperation'])} "
               f"({b['cooperation']} cooperative, {b['conflict']} conflictual events) to {num(a['net_cooperation'])} "
               f"({a['cooperation']} cooperative, {a['conflict']} conflictual), a rise of {num(rise)}; the conflict "
               f"share goes from {num(b['conflict_share'], sign=False)} to {num(a['conflict_share'], sign=False)}, "
               f"the variance of the per-{p['by']} net cooperation from {num(b['period_variance'], 3, sign=False)} "
               f"({plural(b['periods_with_events'], p['by'])} with events) to "
               f"{num(a['period_variance'], 3, sign=False)} ({plural(a['periods_with_events'], p['by'])})"
               + (f" ({'; '.join(reasons)})" if reasons else "") + f". Events: {ids_text(ids, 10)}.")
    return Outcome(holds, verdict, summary, numbers, ids)
