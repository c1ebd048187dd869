"""The report's general sections, each a plain mapping for the template: series and breaks, triad,
say-do, compliance, ledger. Any spec gets them; a section whose data is missing says so in a note
instead of failing the report.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from policyshift.demands import evidence_rows, summary_rows
from policyshift.errors import PolicyshiftError
from policyshift.measure.saydo import saydo
from policyshift.report import charts
from policyshift.report.rules.dual import tones
from policyshift.report.spec import DyadSpec
from policyshift.report.workbench import Workbench, period_label, period_start

LISTED = 8  # events listed per group (a demand, a ledger line and side); the rest are counted


def anchor(text: str) -> str:
    """An HTML id from any text (event ids such as pk:019 hold colons)."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")


def span(lo: date, hi: date, by: str = "month") -> str:
    if by in ("day", "week"):
        return f"{lo} to {hi}"
    return f"{lo:%Y-%m} to {hi:%Y-%m}"


def windows(bench: Workbench) -> dict[str, tuple[date, date]]:
    """Before and after the date of interest, split at the start of its period."""
    cut = period_start(bench.spec.at, bench.spec.by)
    return {"before": (bench.start, cut - timedelta(days=1)), "after": (cut, bench.end)}


# --- series and breaks ----------------------------------------------------------------------------

def series_sections(bench: Workbench) -> list[dict[str, Any]]:
    by = bench.spec.by
    out = []
    for dyad in bench.spec.chart_dyads:
        item: dict[str, Any] = {"label": dyad.label, "id": "series-" + anchor(dyad.label), "breaks": [], "note": None}
        out.append(item)
        try:
            frame = bench.series(dyad)
        except PolicyshiftError as e:
            item["note"] = f"No series: {e.what}."
            continue
        try:
            breaks = bench.breaks(dyad)
        except PolicyshiftError as e:
            breaks = []
            item["note"] = f"No change points: {e.what}."
        item["events"] = int(frame["events"].sum())
        item["imprecise"] = int(frame.attrs.get("imprecise_excluded", 0))
        item["chart"] = charts.series_chart(frame, breaks, title=f"{dyad.label}, by {by}", at=bench.spec.at,
                                            empty=bench.spec.detector.empty)
        ids = [d.event_id for b in breaks for d in b.drivers]
        details = bench.details(ids)
        for b in breaks:
            item["breaks"].append({"date": period_label(b.date, by),
                                   "before": b.before, "after": b.after, "size": b.size,
                                   "confidence": b.confidence, "n_before": b.n_before, "n_after": b.n_after,
                                   "drivers": [details[d.event_id] for d in b.drivers if d.event_id in details]})
        rule = bench.spec.detector.empty
        item["caption"] = (
            f"{dyad.label}, {span(bench.start, bench.end, by)} (left) and the {by}s around {bench.spec.at} (right); "
            f"{item['events']} events. Top: events per {by}. Bottom: net cooperation, (cooperative - conflictual "
            f"events) / events, from -1 (all conflict) to +1 (all cooperation): a dot per {by} with events, "
            f"larger for more events, blue at or above 0, red below"
            + (f"; the grey line is the series the detector reads, with a {by} without events as 0"
               if rule == "zero" else f"; {by}s without events are left out") +
            f". Red dashed lines, numbered as in the table below: the breaks the change-point detector confirms; "
            f"orange: the mean level of each segment between breaks. Dotted line: {bench.spec.at}."
            + (f" {item['imprecise']} event(s) dated less precisely than a {by} are left out of this chart."
               if item["imprecise"] else ""))
    return out


# --- the triad --------------------------------------------------------------------------------------

TRIAD_ROWS = [("pooled_share", "broker's share of all interactions (pooled)"),
              ("broker_share", "broker's share, mean over periods with interactions"),
              ("constraint", "Burt's constraint of the broker (lower: more brokerage)"),
              ("effective_size", "Burt's effective size of the broker"),
              ("gf_brokerage", "Gould-Fernandez liaison brokerage, mean per period")]


def triad_section(bench: Workbench) -> dict[str, Any] | None:
    broker = bench.spec.broker
    if broker is None:
        return None
    cut = period_start(bench.spec.at, bench.spec.by)
    item: dict[str, Any] = {"broker": broker.actor, "a": broker.a, "b": broker.b, "rows": [], "note": None,
                            "cut": period_label(cut, bench.spec.by)}
    try:
        result = bench.triad(broker)
    except PolicyshiftError as e:
        item["note"] = f"No triad: {e.what}."
        return item
    change = result.change or {}
    for key, label in TRIAD_ROWS:
        c = change.get(key, {})
        item["rows"].append({"label": label, "before": c.get("before"), "after": c.get("after"),
                             "difference": c.get("difference")})
    pooled = change.get("pooled_share", {})
    item["events_before"], item["events_after"] = pooled.get("events_before"), pooled.get("events_after")
    item["chart"] = charts.triad_chart(result)
    at = bench.spec.at
    item["caption"] = (
        f"{broker.actor} between {broker.a} and {broker.b}, {span(bench.start, bench.end, bench.spec.by)}, by {bench.spec.by}; "
        f"both directions pooled, roles resolved by date. Top: interactions per {bench.spec.by} of each pair, "
        f"stacked ({broker.a}-{broker.b} is the direct channel). Bottom: {broker.actor}'s share of the three pairs' "
        f"interactions (blue) and its Burt constraint (red). Dashed line: {at}.")
    return item


# --- say-do ---------------------------------------------------------------------------------------

def saydo_section(bench: Workbench) -> dict[str, Any]:
    spec = bench.spec
    rows = []
    tests = []
    dyads = [d for d in spec.chart_dyads if not d.undirected and d.source == spec.focal]
    for dyad in dyads:
        for side, (lo, hi) in windows(bench).items():
            if lo > hi:
                continue
            t = tones(bench.counts(dyad, lo, hi))
            rows.append({"dyad": dyad.label, "window": side, "window_label": span(lo, hi, spec.by), **t})
        tests.append(_saydo_test(bench, dyad))
    item: dict[str, Any] = {"rows": rows, "tests": tests, "note": None if rows else "The spec names no dyads."}
    if any(r["events"] for r in rows):
        item["chart"] = charts.saydo_chart([r for r in rows if r["events"]],
                                           title=f"words and deeds of {spec.focal}, before and after {spec.at}")
        item["caption"] = (
            f"For each dyad and window (before the {spec.by} of {spec.at}, and from it on): the tone of "
            f"{spec.focal}'s words, (verbal cooperation - verbal conflict) / verbal events (circle), and of its "
            f"deeds, the same for material events (square). The grey line between them is the say-do gap; a dyad "
            f"without verbal or without material events has only one mark. All date precisions count.")
    return item


def _saydo_test(bench: Workbench, dyad: DyadSpec) -> dict[str, Any]:
    try:
        result = saydo(bench.backend, dyad.source, dyad.target, by=bench.spec.by, start=bench.start, end=bench.end)
    except PolicyshiftError as e:
        return {"dyad": dyad.label, "note": e.what}
    o = result.overall["coop_gap"]
    return {"dyad": dyad.label, "note": None, "mean": o["mean"], "n_periods": o["n_periods"], "t": o["t"],
            "p": o["p"], "pooled": o["pooled"]}


# --- compliance ----------------------------------------------------------------------------------------

def compliance_section(bench: Workbench) -> dict[str, Any] | None:
    if bench.spec.demands is None:
        return None
    try:
        result = bench.compliance()
    except PolicyshiftError as e:
        return {"note": f"No compliance table: {e.what}.", "rows": [], "evidence": []}
    assert result is not None
    s = result.spec
    listed: list[dict[str, Any]] = []
    evidence = evidence_rows(result, short=True)
    for demand in dict.fromkeys(r["demand"] for r in evidence):
        mine = [r for r in evidence if r["demand"] == demand]
        listed += mine[:LISTED]
        if len(mine) > LISTED:
            listed.append({"demand": demand, "more": len(mine) - LISTED})
    return {"note": None, "name": s.name, "issuer": s.issuer, "target": s.target, "issued": s.issued.isoformat(),
            "reference": result.reference_date.isoformat(), "rows": summary_rows(result),
            "evidence": evidence, "listed": listed, "warnings": result.warnings}


# --- the ledger ------------------------------------------------------------------------------------------

def ledger_section(bench: Workbench) -> dict[str, Any]:
    spec = bench.spec
    try:
        result = bench.ledger()
    except PolicyshiftError as e:
        return {"note": f"No ledger: {e.what}.", "rows": [], "events": []}
    rows = result.rows()
    sides = [s for s in result.sides if s != "total"] or ["total"]
    item: dict[str, Any] = {"note": None, "rows": rows, "sides": list(result.sides), "actor": result.actor,
                            "window": result.window, "rules": result.rules_source,
                            "totals": {sign: {side: c.events for side, c in v.items()}
                                       for sign, v in result.totals.items()},
                            "unclassified": sum(u["events"] for u in result.unclassified),
                            "events": ledger_rows(result)}
    if rows:
        item["chart"] = charts.ledger_chart(rows, sides=sides,
                                            title=f"what {result.actor} received, {result.window} days each side "
                                                  f"of {spec.at}")
        item["caption"] = (
            f"Events {result.actor} received from foreign actors (and, as domestic costs, from its own society), "
            f"classified by the ledger's rules ({result.rules_source}), {result.window} days before {spec.at} "
            f"(grey) and from it on (blue). Benefits extend right, costs left; one bar per category.")
    return item


def ledger_rows(result: Any, *, per_side: int = LISTED) -> list[dict[str, Any]]:
    """The events behind each line, at most ``per_side`` before and after the date; then how many more."""
    rows: list[dict[str, Any]] = []
    for line in result.lines:
        for side in result.sides:
            if side == "total" and len(result.sides) > 1:
                continue
            events = [e for e in line.events if side == "total" or e.side == side]
            rows += [{"event": e} for e in events[:per_side]]
            more = line.sides[side].events - min(per_side, len(events))
            if more > 0:
                rows.append({"more": more, "side": side, "category": line.key.get("category", ""),
                             "sign": line.key.get("sign", "")})
    return rows


__all__ = ["anchor", "compliance_section", "ledger_section", "saydo_section", "series_sections", "triad_section",
           "windows"]
