"""Evidence selection: the events each rule of a demands spec finds, as one Ibis query.

Every rule becomes a boolean column over the backend's ``events`` table; the query keeps the
events that at least one rule finds. One scan serves the whole spec, on DuckDB or Spark alike
(only startswith, lower, a regular-expression search and date comparisons are used).

An event is evidence for a rule when:

- its source matches one of the rule's source selectors and its target one of the target
  selectors, roles resolved on the event's date (policyshift.selectors.matches);
- its CAMEO code is one of the rule's codes or under one of them ("17" covers 170 to 175);
- it has one of the keywords, if the rule gives any: case-insensitive, at the start of a word, in
  the description (origin_sentence), source_name or target_name ("ban" finds "bans" and
  "banned" but not "Taliban");
- the period its date stands for overlaps the rule's window: a day-precision event must fall in
  it, a month-precision event counts when any day of its month does (likewise a year). Such an
  event may predate the demand; the result says so (``window_certain``), it does not invent a day.
"""

from __future__ import annotations

import calendar
import functools
import operator
from dataclasses import dataclass
from datetime import date
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from policyshift.backends import Backend
from policyshift.demands.spec import DemandSpec, Rule
from policyshift.roles import Role
from policyshift.selectors import matches

EVIDENCE_COLUMNS = ("event_id", "date", "date_precision", "source_actor", "source_name", "target_actor",
                    "target_name", "cameo_code", "origin_sentence", "origin_document", "origin_url", "origin_file",
                    "origin_line")
TEXT_COLUMNS = ("origin_sentence", "source_name", "target_name")


@dataclass(frozen=True)
class RuleWindow:
    """A rule's window in dates: ``start``/``end`` as specified, ``until`` cut at as_of (None: empty)."""

    start: date
    end: date
    until: date | None


def rule_window(rule: Rule, issued: date, as_of: date | None) -> RuleWindow:
    start, end = rule.window.dates(issued)
    until = min(end, as_of) if as_of is not None else end
    return RuleWindow(start, end, until if until >= start else None)


def period_end(day: date, precision: str) -> date:
    """The last day of the period an event's date stands for (its month, its year, or the day)."""
    if precision == "month":
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if precision == "year":
        return day.replace(month=12, day=31)
    return day


def overlaps(t: ir.Table, start: date, until: date) -> ir.BooleanValue:
    """Events whose day, month or year (by date_precision) overlaps [start, until].

    A month overlaps when its first day is on or before ``until`` and it is not an earlier month
    than ``start``'s; comparing with the first day of ``start``'s month and year keeps the
    expression to plain date comparisons that every engine runs.
    """
    month_start, year_start = start.replace(day=1), start.replace(month=1, day=1)
    starts_in = ibis.cases((t.date_precision == "month", t.date >= month_start),
                           (t.date_precision == "year", t.date >= year_start),
                           else_=t.date >= start)
    return (t.date <= until) & starts_in


def keyword_pattern(keyword: str) -> str:
    """A regular expression for ``keyword`` (lower case) at the start of a word, portable to RE2 and Java."""
    body = "".join("\\" + c if c.isascii() and not c.isalnum() and c != " " else c for c in keyword)
    return f"(^|[^a-z0-9]){body}"


def has_keyword(t: ir.Table, keywords: tuple[str, ...]) -> ir.BooleanValue:
    found = [t[column].lower().re_search(keyword_pattern(k)).fill_null(False)
             for column in TEXT_COLUMNS for k in keywords]
    return functools.reduce(operator.or_, found)


def rule_filter(t: ir.Table, rule: Rule, window: RuleWindow, roles: list[Role]) -> ir.BooleanValue:
    """True for the events that are evidence for ``rule`` in ``window`` (see the module doc)."""
    if window.until is None:
        return ibis.literal(False)
    source = functools.reduce(operator.or_, [matches(t.source_actor, t.date, s, roles) for s in rule.source])
    target = functools.reduce(operator.or_, [matches(t.target_actor, t.date, s, roles) for s in rule.target])
    cameo = functools.reduce(operator.or_, [t.cameo_code.startswith(c) for c in rule.cameo])
    condition = source & target & cameo.fill_null(False) & overlaps(t, window.start, window.until)
    if rule.keywords:
        condition &= has_keyword(t, rule.keywords)
    return condition.fill_null(False)


def select_evidence(backend: Backend, spec: DemandSpec, *, as_of: date | None = None) -> pd.DataFrame:
    """The events any rule of ``spec`` finds: EVIDENCE_COLUMNS plus one boolean column per rule.

    The rule columns are ``r0``, ``r1``, ... in the order of ``[rule for d in spec.demands for rule
    in d.rules]``; rows are ordered by date and event_id.
    """
    t = backend.events
    rules = [rule for demand in spec.demands for rule in demand.rules]
    flags = {f"r{i}": rule_filter(t, rule, rule_window(rule, spec.issued, as_of), backend.roles)
             for i, rule in enumerate(rules)}
    marked = t.mutate(**flags)
    hits = marked.filter(functools.reduce(operator.or_, [marked[name] for name in flags]))
    return backend.execute(hits.select(*EVIDENCE_COLUMNS, *flags).order_by(["date", "event_id"]))


def store_facts(backend: Backend, selectors: list[str]) -> tuple[date | None, list[str]]:
    """The latest event date in the store, and the selectors no event or role can match (one scan)."""
    t = backend.events
    by_role = {s for s in selectors if any(r.role.startswith(s) for r in backend.roles)}
    unresolved = [s for s in selectors if s not in by_role]
    seen: dict[str, Any] = {
        f"s{i}": (t.source_actor.startswith(s).fill_null(False) | t.target_actor.startswith(s).fill_null(False)).any()
        for i, s in enumerate(unresolved)}
    row = backend.execute(t.aggregate(last=t.date.max(), **seen))
    last = row["last"].iloc[0]
    last_day = pd.Timestamp(last).date() if pd.notna(last) else None
    unknown = [s for i, s in enumerate(unresolved) if not (pd.notna(row[f"s{i}"].iloc[0]) and bool(row[f"s{i}"].iloc[0]))]
    return last_day, unknown


__all__ = ["EVIDENCE_COLUMNS", "RuleWindow", "keyword_pattern", "overlaps", "period_end", "rule_filter",
           "rule_window", "select_evidence", "store_facts"]
