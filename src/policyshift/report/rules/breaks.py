"""Rule ``break``: the change-point detector finds a turn in a dyad's series inside a window.

Holds when a break of the series (policyshift.detect.detect_changes, the detector settings of the
spec) starts in the window ``between`` (from the period containing its first date to its last),
moves the measure the stated way, and has confidence (1 - p of the permutation test) at least
``min_confidence``. The deciding break is the largest such one; its driving events are the evidence.
"""

from __future__ import annotations

from typing import Any

from policyshift.detect import Break
from policyshift.measure.series import MEASURES
from policyshift.report.rules import Outcome, Param, ids_text, num, spec_default
from policyshift.report.spec import GRANULARITIES, CaseSpec, DyadSpec
from policyshift.report.workbench import Workbench, period_label, period_start

PARAMS = {
    "dyad": Param("pair", help="the dyad, [SOURCE, TARGET], e.g. [PAK, TAL]"),
    "undirected": Param("bool", False, "pool both directions"),
    "measure": Param("choice", "net_cooperation", "the measure of the series", choices=tuple(MEASURES)),
    "by": Param("choice", spec_default("by"), "the period of the series", choices=GRANULARITIES),
    "between": Param("dates", help="the window the break must start in, [FROM, TO]"),
    "direction": Param("choice", "down", "which way the measure must move", choices=("down", "up", "any")),
    "min_confidence": Param("float", 0.9, "the least confidence (1 - p) of the break", low=0.0, high=1.0),
}
WAYS = {"down": "falls", "up": "rises", "any": "moves"}


def dyad_of(p: dict[str, Any]) -> DyadSpec:
    return DyadSpec(p["dyad"][0], p["dyad"][1], p["undirected"])


def describe(p: dict[str, Any], spec: CaseSpec) -> str:
    lo, hi = p["between"]
    return (f"Holds if the change-point detector finds a break in {dyad_of(p).label} {p['measure'].replace('_', ' ')} "
            f"(by {p['by']}) that starts between {period_label(lo, p['by'])} and {hi.isoformat()}, whose size is "
            f"{'negative' if p['direction'] == 'down' else 'positive' if p['direction'] == 'up' else 'not zero'} "
            f"and whose confidence is at least {p['min_confidence']:g}.")


def _qualifies(b: Break, p: dict[str, Any]) -> bool:
    lo, hi = p["between"]
    inside = period_start(lo, p["by"]) <= b.date <= hi
    way = {"down": b.size < 0, "up": b.size > 0, "any": b.size != 0}[p["direction"]]
    return inside and way and b.confidence >= p["min_confidence"]


def break_numbers(b: Break) -> dict[str, Any]:
    return {"date": b.date.isoformat(), "before": b.before, "after": b.after, "size": b.size,
            "confidence": b.confidence, "p_value": b.p_value, "n_before": b.n_before, "n_after": b.n_after,
            "drivers": [d.event_id for d in b.drivers]}


def evaluate(bench: Workbench, p: dict[str, Any]) -> Outcome:
    dyad = dyad_of(p)
    breaks = bench.breaks(dyad, by=p["by"], measure=p["measure"])
    found = [b for b in breaks if _qualifies(b, p)]
    measure = p["measure"].replace("_", " ")
    zero = f", a {p['by']} without events counting as 0" if bench.spec.detector.empty == "zero" else ""
    numbers: dict[str, Any] = {"dyad": dyad.label, "measure": p["measure"], "by": p["by"],
                               "breaks": [break_numbers(b) for b in breaks], "deciding_break": None}
    if found:
        b = max(found, key=lambda x: abs(x.size))
        numbers["deciding_break"] = break_numbers(b)
        drivers = [d.event_id for d in b.drivers]
        summary = (f"break {period_label(b.date, p['by'])} in {dyad.label} {measure}: {num(b.before)} -> {num(b.after)} "
                   f"(size {num(b.size)}, confidence {b.confidence:.3f}); drivers {ids_text(drivers)}")
        verdict = (f"The detector finds a break starting {period_label(b.date, p['by'])}: {dyad.label} {measure} {WAYS[p['direction']]} "
                   f"from {num(b.before)} to {num(b.after)} (size {num(b.size)}, confidence {b.confidence:.3f}, "
                   f"{b.n_before} periods before, {b.n_after} after; the levels are segment means of the per-{p['by']} "
                   f"values{zero}). The events that drive it: {ids_text(drivers)}.")
        return Outcome(True, verdict, summary, numbers, tuple(drivers))
    others = "; ".join(f"{period_label(b.date, p['by'])} size {num(b.size)} confidence {b.confidence:.3f}" for b in breaks)
    lo, hi = p["between"]
    summary = f"no qualifying break in {dyad.label} {measure} ({len(breaks)} break(s) found" + \
        (f": {others})" if breaks else ")")
    verdict = (f"The data do not support it: the detector finds no break in {dyad.label} {measure} between "
               f"{period_label(lo, p['by'])} and {hi.isoformat()} that {WAYS[p['direction']]} with confidence >= "
               f"{p['min_confidence']:g}." + (f" Breaks it does find: {others}." if breaks else
                                               " It finds no break at all in the series."))
    ids = [d.event_id for b in breaks for d in b.drivers]
    return Outcome(False, verdict, summary, numbers, tuple(dict.fromkeys(ids)))
