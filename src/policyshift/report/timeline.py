"""The timeline of key events: what the focal actor (and the spec's timeline actors) did and received.

The events of the report's period with the focal actor or one of ``timeline.actors`` on either
side, plus every event the report cites anywhere (a break's driver, a demand's evidence, a ledger
line, a finding), in date order. Where they are more than ``timeline.limit``, the cited events stay
and the rest are the most extreme by Goldstein weight: a big data set's timeline stays readable.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from policyshift.report import charts
from policyshift.report.sections import anchor, span
from policyshift.report.workbench import EventInfo, Workbench, event_info


def timeline_section(bench: Workbench, cited: dict[str, set[str]]) -> dict[str, Any]:
    """``cited`` maps event ids to where the report cites them (``break``, ``demand 6``, ...)."""
    spec = bench.spec
    frame = bench.events_of(spec.timeline_actors, bench.start, bench.end)
    total = len(frame)
    cited_in_period = frame["event_id"].astype(str).isin(cited)
    if total > spec.timeline_limit:
        rest = frame[~cited_in_period].assign(_extreme=frame["goldstein"].abs().fillna(0.0))
        room = max(0, spec.timeline_limit - int(cited_in_period.sum()))
        keep = rest.sort_values(["_extreme", "date"], ascending=[False, True]).head(room).index
        shown = frame[cited_in_period | frame.index.isin(keep)]
    else:
        shown = frame
    infos: dict[str, EventInfo] = {str(r["event_id"]): event_info(r, bench.backend.roles)
                                  for r in shown.to_dict("records")}
    roles = dict(zip(frame["event_id"].astype(str), frame["role"], strict=True))
    # Cited events from outside the period or the actors (a finding may look beyond the charts).
    infos.update(bench.details(sorted(set(cited) - set(infos))))
    rows = []
    for info in sorted(infos.values(), key=lambda e: (e.date, e.event_id)):
        rows.append({"event": info, "anchor": "ev-" + anchor(info.event_id), "role": roles.get(info.event_id, ""),
                     "cited": sorted(cited.get(info.event_id, ())),
                     "outside": not (bench.start <= info.date <= bench.end)})
    actors = ", ".join(dict.fromkeys((spec.focal, *spec.timeline_actors)))
    item: dict[str, Any] = {"rows": rows, "total": total, "shown": len(rows), "actors": actors,
                            "limited": total > spec.timeline_limit}
    mine = frame[frame["role"].isin(["did", "received"])]
    if len(mine):
        item["chart"] = charts.timeline_chart(mine.assign(date=pd.to_datetime(mine["date"])), at=spec.at,
                                              title=f"{spec.focal}'s events, {span(bench.start, bench.end, spec.by)}")
        item["caption"] = (
            f"Every event of the period with {spec.focal} as source (top: what it did) or target (bottom: what it "
            f"received), {len(mine)} in all, at its date and its Goldstein weight (-10 most conflictual, +10 most "
            f"cooperative), coloured by CAMEO quad class. Dashed line: {spec.at}. Events dated to the month or "
            f"year sit on the first day of that period.")
    return item


__all__ = ["timeline_section"]
