"""Rule ``broker_share``: a third actor's share of a triad's interactions rises after a date.

The triad (policyshift.measure.triad, roles resolved by date, both directions pooled) counts the
interactions A-B, A-broker and B-broker per period over the spec's period. The broker's pooled
share is (A-broker + B-broker) / all three, over every period before the one containing the date,
and over that period and after. Holds when the share after exceeds the share before by at least
``min_rise``; both sides need events.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from policyshift.report.rules import Outcome, Param, ids_text, num, plural
from policyshift.report.spec import BrokerSpec, CaseSpec, DyadSpec
from policyshift.report.workbench import Workbench, period_label, period_start


def _from_spec(part: str) -> Any:
    def default(spec: CaseSpec) -> Any:
        if spec.broker is None:
            return None
        return spec.broker.actor if part == "actor" else (spec.broker.a, spec.broker.b)
    return default


PARAMS = {
    "broker": Param("actor", _from_spec("actor"), "the broker, e.g. USA (default: the spec's broker)"),
    "between": Param("pair", _from_spec("between"), "the two actors, [A, B] (default: the spec's broker.between)"),
    "at": Param("date", lambda spec: spec.at, "the date that splits before from after (default: the spec's at)"),
    "min_rise": Param("float", 0.1, "the least rise of the broker's share (0 to 1)", low=-1.0, high=1.0),
}


def describe(p: dict[str, Any], spec: CaseSpec) -> str:
    a, b = p["between"]
    cut = period_label(p["at"], spec.by)
    return (f"Holds if {p['broker']}'s share of the interactions among {a}, {b} and {p['broker']} (both directions, "
            f"roles resolved by date) from {cut} on exceeds its share before {cut} by at least "
            f"{p['min_rise']:g}.")


def evaluate(bench: Workbench, p: dict[str, Any]) -> Outcome:
    a, b = p["between"]
    result = bench.triad(BrokerSpec(p["broker"], a, b), at=p["at"])
    change = result.change or {}
    pooled = change.get("pooled_share", {})
    cut = period_start(p["at"], bench.spec.by)
    sides = {"before": (bench.start, cut - timedelta(days=1)), "after": (cut, bench.end)}
    numbers: dict[str, Any] = {"broker": p["broker"], "a": a, "b": b, "at": p["at"].isoformat(),
                               "share_before": pooled.get("before"), "share_after": pooled.get("after"),
                               "difference": pooled.get("difference"),
                               "events_before": pooled.get("events_before"), "events_after": pooled.get("events_after"),
                               "mean_period_share": change.get("broker_share"), "constraint": change.get("constraint"),
                               "gould_fernandez": change.get("gf_brokerage")}
    ids: list[str] = []
    for side, (lo, hi) in sides.items():
        via = [bench.counts(DyadSpec(p["broker"], x, True), lo, hi, by=bench.spec.by) for x in (a, b)]
        direct = bench.counts(DyadSpec(a, b, True), lo, hi, by=bench.spec.by)
        numbers[f"broker_events_{side}"] = sum(c.events for c in via)
        numbers[f"direct_events_{side}"] = direct.events
        numbers[f"broker_event_ids_{side}"] = [i for c in via for i in c.ids()]
        if side == "after":
            ids = numbers["broker_event_ids_after"]
    cut_label = period_label(p["at"], bench.spec.by)
    sb, sa, diff = pooled.get("before"), pooled.get("after"), pooled.get("difference")
    nb, na = numbers["broker_events_before"], numbers["broker_events_after"]
    summary = (f"{p['broker']} share of the {a}/{b}/{p['broker']} triad {num(sb, sign=False)} ({nb} of "
               f"{pooled.get('events_before', 0)} events) -> {num(sa, sign=False)} ({na} of "
               f"{pooled.get('events_after', 0)}), change {num(diff)} (rule: >= {p['min_rise']:+g})")
    if diff is None:
        side = "before" if sb is None else "after"
        verdict = (f"Cannot be judged: the triad has no interactions {side} {cut_label} in the report's "
                   f"period, so the share there is undefined.")
        return Outcome(False, verdict, summary, numbers, tuple(ids))
    holds = diff >= p["min_rise"]
    head = "It holds" if holds else "The data do not support it"
    verdict = (f"{head}: {p['broker']}'s share of the triad's interactions goes from {num(sb, sign=False)} "
               f"({nb} of {pooled['events_before']} events before {cut_label}) to {num(sa, sign=False)} "
               f"({na} of {pooled['events_after']} from then on), a change of {num(diff)} against the "
               f"{p['min_rise']:+g} the rule asks. The direct {a}-{b} channel carries "
               f"{plural(numbers['direct_events_before'], 'event')} before and {numbers['direct_events_after']} after. "
               f"{p['broker']}'s events after: {ids_text(ids, 8)}.")
    return Outcome(holds, verdict, summary, numbers, tuple(ids))
