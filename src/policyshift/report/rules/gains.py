"""Rule ``gains_costs``: benefits arrive soon after a date, and costs are recorded too.

Reads the ledger (policyshift.ledger: what the actor received, classified by the documented rules)
``window`` days on each side of ``at``. Holds when at least ``min_benefits`` benefits of the
``benefit_domains`` arrive within ``within_months`` months after the date, at least ``min_costs``
costs of the ``cost_domains`` are recorded after it, and (``more_than_before``) more such benefits
come in the window after than in the window before. The ledger counts the date itself as after; an
event dated only to the month or year of the date counts as before (the ledger marks it).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from policyshift.ledger import DOMAINS, LedgerEvent
from policyshift.report.rules import Outcome, Param, ids_text, spec_default
from policyshift.report.spec import CaseSpec
from policyshift.report.workbench import Workbench

PARAMS = {
    "actor": Param("actor", spec_default("focal"), "whose ledger (default: the spec's focal actor)"),
    "at": Param("date", spec_default("at"), "the date (default: the spec's at)"),
    "window": Param("int", spec_default("ledger_window"), "days on each side (default: the spec's ledger window)",
                    low=1, high=100_000),
    "within_months": Param("int", 6, "months after the date in which the benefits must arrive", low=1, high=600),
    "min_benefits": Param("int", 1, "the fewest benefits that must arrive", low=1, high=1_000_000),
    "min_costs": Param("int", 1, "the fewest costs that must be recorded after the date", low=0, high=1_000_000),
    "benefit_domains": Param("choices", DOMAINS, "the domains of benefits that count", choices=DOMAINS),
    "cost_domains": Param("choices", DOMAINS, "the domains of costs that count", choices=DOMAINS),
    "more_than_before": Param("bool", True, "benefits after must outnumber benefits before"),
}
DAYS_PER_MONTH = 365.25 / 12


def describe(p: dict[str, Any], spec: CaseSpec) -> str:
    return (f"Holds if {p['actor']}'s ledger (window {p['window']} days each side of {p['at']}) records at least "
            f"{p['min_benefits']} benefit(s) in {', '.join(p['benefit_domains'])} arriving within "
            f"{p['within_months']} months after the date"
            + (", more such benefits after the date than before" if p["more_than_before"] else "")
            + f", and at least {p['min_costs']} cost(s) in {', '.join(p['cost_domains'])} after it.")


def _months(e: LedgerEvent, at: date) -> float:
    return round((e.date - at).days / DAYS_PER_MONTH, 1)


def _row(e: LedgerEvent, at: date) -> dict[str, Any]:
    return {"event_id": e.event_id, "date": e.date.isoformat(), "date_precision": e.date_precision,
            "category": e.category, "domain": e.domain, "months_after": _months(e, at)}


def evaluate(bench: Workbench, p: dict[str, Any]) -> Outcome:
    at: date = p["at"]
    result = bench.ledger(p["actor"], at=at, window=p["window"])
    limit = (pd.Timestamp(at) + pd.DateOffset(months=p["within_months"])).date()
    # Totals from the ledger's lines (which count every event); the events listed come earliest first, so
    # those within the months after the date are all there.
    lines = [ln for ln in result.find(sign="benefit") if ln.key["domain"] in p["benefit_domains"]]
    benefits_after = sum(ln.sides["after"].events for ln in lines)
    benefits_before = sum(ln.sides["before"].events for ln in lines)
    listed = [e for e in result.events(sign="benefit", side="after") if e.domain in p["benefit_domains"]]
    within = sorted((e for e in listed if e.date <= limit), key=lambda e: (e.date, e.event_id))
    costs = sorted((e for e in result.events(sign="cost", side="after") if e.domain in p["cost_domains"]),
                   key=lambda e: (e.date, e.event_id))
    categories = sorted({e.category for e in within})
    numbers: dict[str, Any] = {
        "actor": p["actor"], "at": at.isoformat(), "within_months": p["within_months"], "window_days": p["window"],
        "benefits_within": [_row(e, at) for e in within], "benefits_after": benefits_after,
        "benefits_before": benefits_before, "costs_after": [_row(e, at) for e in costs],
        "benefit_categories": categories, "cost_categories": sorted({e.category for e in costs}),
        "first_benefit_months": _months(within[0], at) if within else None}
    enough = len(within) >= p["min_benefits"] and len(costs) >= p["min_costs"]
    rises = not p["more_than_before"] or benefits_after > benefits_before
    holds = enough and rises
    ids = tuple(dict.fromkeys([e.event_id for e in within] + [e.event_id for e in costs]))
    a = p["actor"]
    summary = (f"{len(within)} benefit(s) within {p['within_months']} months ({ids_text([e.event_id for e in within])}; "
               f"first after {numbers['first_benefit_months']} months); benefits before/after "
               f"{benefits_before}/{benefits_after}; {len(costs)} cost(s) after "
               f"({ids_text([e.event_id for e in costs])})")
    reasons = []
    if len(within) < p["min_benefits"]:
        reasons.append(f"only {len(within)} benefit(s) arrive within {p['within_months']} months "
                       f"(the rule asks {p['min_benefits']})")
    if len(costs) < p["min_costs"]:
        reasons.append(f"only {len(costs)} cost(s) are recorded (the rule asks {p['min_costs']})")
    if not rises:
        reasons.append(f"benefits do not increase ({benefits_before} before, {benefits_after} after)")
    head = "It holds" if holds else "The data do not support it (" + "; ".join(reasons) + ")"
    gains = "; ".join(f"{e.event_id} {e.category} ({_months(e, at)} months)" for e in within) or "none"
    losses = "; ".join(f"{e.event_id} {e.category}" for e in costs) or "none"
    verdict = (f"{head}. Benefits to {a} within {p['within_months']} months of {at}: {gains}. Benefits in the "
               f"{p['window']}-day window before: {benefits_before}, after: {benefits_after}. "
               f"Costs after: {losses}.")
    return Outcome(holds, verdict, summary, numbers, ids)
