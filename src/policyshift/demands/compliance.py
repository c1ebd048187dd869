"""Compliance: for each demand of a spec, a status, the first evidence, and the events behind it.

The status rule (docs/demands.md), from which fulfil rules found evidence and whether any
violate rule did:

- met: every fulfil rule has evidence, and no violate rule has;
- partly met: some fulfil rules have evidence but not all, or there is evidence of fulfilment and
  of violation both;
- violated: violation evidence and no fulfilment evidence;
- not met: no evidence either way, and the demand's window (to the latest end among its rules)
  has closed by the reference date;
- no evidence yet: no evidence either way, and the window is still open.

The reference date is ``as_of`` or the latest event in the store, whichever is earlier: the data
cannot show what came after its last event, and with ``as_of`` only events that may have happened
by then count. The selection of events runs on the backend (policyshift.demands.evidence); this
module is the small per-demand logic on its result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from policyshift.backends import Backend
from policyshift.dates import parse_date
from policyshift.demands.evidence import period_end, rule_window, select_evidence, store_facts
from policyshift.demands.spec import Demand, DemandSpec, Rule, load_spec
from policyshift.errors import UsageError

PRECISION_ORDER = {"day": 0, "month": 1, "year": 2}


def date_label(day: date, precision: str) -> str:
    """A date as precisely as it is known: 2001-09-13, 2001-09 or 2001."""
    return day.isoformat()[: {"month": 7, "year": 4}.get(precision, 10)]


@dataclass(frozen=True)
class EvidenceEvent:
    """One event found by one or more rules of a demand, with its citation."""

    event_id: str
    date: date
    date_precision: str
    source_actor: str | None
    source_name: str | None
    target_actor: str | None
    target_name: str | None
    cameo_code: str
    description: str | None
    citation: dict[str, Any]
    fulfils: tuple[str, ...]
    violates: tuple[str, ...]
    window_certain: bool

    @property
    def label(self) -> str:
        return date_label(self.date, self.date_precision)

    def sort_key(self) -> tuple[dt.date, int, str]:
        # At the same first day, the more precisely dated event is the better-known first evidence.
        return self.date, PRECISION_ORDER.get(self.date_precision, 0), self.event_id

    def to_document(self) -> dict[str, Any]:
        return {"event_id": self.event_id, "date": self.date.isoformat(), "date_precision": self.date_precision,
                "source_actor": self.source_actor, "source_name": self.source_name,
                "target_actor": self.target_actor, "target_name": self.target_name, "cameo_code": self.cameo_code,
                "description": self.description, "citation": self.citation, "fulfils": list(self.fulfils),
                "violates": list(self.violates), "window_certain": self.window_certain}


def first_of(events: list[EvidenceEvent]) -> dict[str, Any] | None:
    if not events:
        return None
    first = min(events, key=EvidenceEvent.sort_key)
    return {"date": first.date.isoformat(), "precision": first.date_precision, "label": first.label,
            "event_id": first.event_id}


@dataclass
class RuleResult:
    rule: Rule
    start: date
    end: date
    events: list[EvidenceEvent] = field(default_factory=list)

    def to_document(self) -> dict[str, Any]:
        r = self.rule
        return {"kind": r.kind, "name": r.name, "source": list(r.source), "target": list(r.target),
                "cameo": list(r.cameo), "keywords": list(r.keywords),
                "window": {"from": self.start.isoformat(), "to": self.end.isoformat()},
                "events": len(self.events), "first_evidence": first_of(self.events),
                "event_ids": [e.event_id for e in self.events]}


@dataclass
class DemandResult:
    demand: Demand
    status: str
    window_start: date
    window_end: date
    window_closed: bool
    rules: list[RuleResult]
    evidence: list[EvidenceEvent]

    @property
    def fulfilment(self) -> list[EvidenceEvent]:
        return [e for e in self.evidence if e.fulfils]

    @property
    def violation(self) -> list[EvidenceEvent]:
        return [e for e in self.evidence if e.violates]

    @property
    def first_evidence(self) -> dict[str, Any] | None:
        """The first fulfilment evidence: date, precision, label (2001-09) and event_id."""
        return first_of(self.fulfilment)

    @property
    def agrees(self) -> bool | None:
        return None if self.demand.expected is None else self.demand.expected == self.status

    def to_document(self) -> dict[str, Any]:
        d = self.demand
        return {"id": d.id, "text": d.text, "status": self.status, "expected": d.expected, "agrees": self.agrees,
                "window": {"from": self.window_start.isoformat(), "to": self.window_end.isoformat(),
                           "closed": self.window_closed},
                "first_evidence": self.first_evidence, "first_violation": first_of(self.violation),
                "rules": [r.to_document() for r in self.rules],
                "evidence": [e.to_document() for e in self.evidence]}


@dataclass
class Compliance:
    spec: DemandSpec
    as_of: date | None
    data_end: date
    reference_date: date
    backend: str
    demands: list[DemandResult]
    warnings: list[str]

    def __getitem__(self, demand_id: str) -> DemandResult:
        for result in self.demands:
            if result.demand.id == demand_id:
                return result
        raise KeyError(demand_id)

    def to_document(self) -> dict[str, Any]:
        s = self.spec
        return {"spec": {"name": s.name, "issuer": s.issuer, "target": s.target, "issued": s.issued.isoformat(),
                         "window": [s.window.start_day, s.window.end_day], "source": s.source, "path": s.path},
                "as_of": self.as_of.isoformat() if self.as_of else None, "data_end": self.data_end.isoformat(),
                "reference_date": self.reference_date.isoformat(), "backend": self.backend,
                "warnings": self.warnings, "demands": [d.to_document() for d in self.demands]}


def status_of(*, fulfil_rules: int, fulfilled: int, violated: bool, closed: bool) -> str:
    """The status rule of the module doc, from counts of rules with evidence."""
    if fulfilled == fulfil_rules and not violated:
        return "met"
    if fulfilled:
        return "partly met"
    if violated:
        return "violated"
    return "not met" if closed else "no evidence yet"


def _clean(value: Any) -> Any:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def _event(row: Any, fulfils: list[str], violates: list[str], certain: bool) -> EvidenceEvent:
    line = _clean(row.origin_line)
    citation = {"document": _clean(row.origin_document), "url": _clean(row.origin_url),
                "file": _clean(row.origin_file), "line": None if line is None else int(line)}
    return EvidenceEvent(event_id=str(row.event_id), date=pd.Timestamp(row.date).date(),
                         date_precision=str(row.date_precision), source_actor=_clean(row.source_actor),
                         source_name=_clean(row.source_name), target_actor=_clean(row.target_actor),
                         target_name=_clean(row.target_name), cameo_code=str(row.cameo_code),
                         description=_clean(row.origin_sentence), citation=citation,
                         fulfils=tuple(fulfils), violates=tuple(violates), window_certain=certain)


def compliance(backend: Backend, spec: DemandSpec | str | Path, *, as_of: str | date | None = None) -> Compliance:
    """Judge every demand of ``spec`` (a DemandSpec or the path of a spec file) from the backend's events."""
    if not isinstance(spec, DemandSpec):
        spec = load_spec(spec)
    as_of_day = parse_date(as_of, "--as-of")
    selectors = sorted({s for d in spec.demands for r in d.rules for s in (*r.source, *r.target)})
    data_end, unknown = store_facts(backend, selectors)
    if data_end is None:
        raise UsageError("the store holds no events", where=backend.description or backend.name,
                         fix="ingest files first (policyshift ingest FILE)")
    reference = min(as_of_day, data_end) if as_of_day else data_end
    warnings = [f"no event or role in the store matches {s}, so rules naming it find nothing through it "
                f"(rules: {', '.join(_rules_naming(spec, s))}); check the code" for s in unknown]
    if as_of_day and as_of_day > data_end:
        warnings.append(f"as_of {as_of_day} is after the latest event ({data_end}); windows are judged at {data_end}")

    frame = select_evidence(backend, spec, as_of=as_of_day)
    results, n = [], 0
    for demand in spec.demands:
        rule_results: list[RuleResult] = []
        by_event: dict[str, tuple[Any, list[str], list[str], list[bool]]] = {}
        for rule in demand.rules:
            window = rule_window(rule, spec.issued, as_of_day)
            result = RuleResult(rule, window.start, window.end)
            for row in frame[frame[f"r{n}"]].itertuples(index=False):
                by_event.setdefault(row.event_id, (row, [], [], []))
                entry = by_event[row.event_id]
                (entry[1] if rule.kind == "fulfil" else entry[2]).append(rule.name)
                day = pd.Timestamp(row.date).date()
                entry[3].append(window.until is not None and window.start <= day
                                and period_end(day, str(row.date_precision)) <= window.until)
            rule_results.append(result)
            n += 1
        evidence = sorted((_event(row, f, v, any(c)) for row, f, v, c in by_event.values()),
                          key=EvidenceEvent.sort_key)
        for result in rule_results:
            key = "fulfils" if result.rule.kind == "fulfil" else "violates"
            result.events = [e for e in evidence if result.rule.name in getattr(e, key)]
        fulfilled = sum(1 for r in rule_results if r.rule.kind == "fulfil" and r.events)
        violated = any(r.events for r in rule_results if r.rule.kind == "violate")
        start, end = min(r.start for r in rule_results), max(r.end for r in rule_results)
        closed = end <= reference
        status = status_of(fulfil_rules=len(demand.fulfil), fulfilled=fulfilled, violated=violated, closed=closed)
        results.append(DemandResult(demand, status, start, end, closed, rule_results, evidence))
        if demand.expected is not None and demand.expected != status:
            warnings.append(f"demand {demand.id}: computed {status!r}, the spec expects {demand.expected!r}")
    return Compliance(spec, as_of_day, data_end, reference, backend.name, results, warnings)


def _rules_naming(spec: DemandSpec, selector: str) -> list[str]:
    return [f"{d.id}/{r.name}" for d in spec.demands for r in d.rules if selector in (*r.source, *r.target)]


def citation_text(citation: dict[str, Any], *, short: bool = False) -> str:
    """document; url; file:line (``short``: the file's name only), leaving out what is unknown."""
    parts = [citation.get("document"), citation.get("url")]
    if citation.get("file"):
        name = Path(citation["file"]).name if short else citation["file"]
        parts.append(f"{name}:{citation['line']}" if citation.get("line") is not None else name)
    return "; ".join(str(p) for p in parts if p)


def _kind(event: EvidenceEvent) -> str:
    return "+".join(k for k, names in (("fulfil", event.fulfils), ("violate", event.violates)) if names)


def summary_rows(result: Compliance) -> list[dict[str, Any]]:
    """One row per demand, for tables."""
    rows = []
    for d in result.demands:
        first = d.first_evidence
        rows.append({"demand": d.demand.id, "status": d.status, "first_evidence": first["label"] if first else None,
                     "fulfil_rules": f"{sum(1 for r in d.rules if r.rule.kind == 'fulfil' and r.events)}"
                                     f"/{len(d.demand.fulfil)}",
                     "fulfilment_events": len(d.fulfilment), "violation_events": len(d.violation),
                     "expected": d.demand.expected, "text": d.demand.text})
    return rows


def evidence_rows(result: Compliance, *, short: bool = True) -> list[dict[str, Any]]:
    """One row per (demand, evidence event), for tables."""
    rows = []
    for d in result.demands:
        for e in d.evidence:
            rows.append({"demand": d.demand.id, "kind": _kind(e),
                         "rules": "; ".join((*e.fulfils, *e.violates)), "date": e.label, "event_id": e.event_id,
                         "source": e.source_actor, "target": e.target_actor, "cameo": e.cameo_code,
                         "description": e.description, "citation": citation_text(e.citation, short=short)})
    return rows


CSV_COLUMNS = ["demand", "status", "first_evidence", "expected", "kind", "rules", "event_id", "date",
               "date_precision", "source_actor", "target_actor", "cameo_code", "description", "citation"]


def csv_rows(result: Compliance) -> list[dict[str, Any]]:
    """The long table: one row per (demand, evidence event); a demand without evidence has one row."""
    rows: list[dict[str, Any]] = []
    for d in result.demands:
        first = d.first_evidence
        head = {"demand": d.demand.id, "status": d.status, "first_evidence": first["label"] if first else None,
                "expected": d.demand.expected}
        if not d.evidence:
            rows.append(head)
        for e in d.evidence:
            rows.append({**head, "kind": _kind(e),
                         "rules": "; ".join((*e.fulfils, *e.violates)), "event_id": e.event_id, "date": e.label,
                         "date_precision": e.date_precision, "source_actor": e.source_actor,
                         "target_actor": e.target_actor, "cameo_code": e.cameo_code, "description": e.description,
                         "citation": citation_text(e.citation)})
    return rows


__all__ = ["CSV_COLUMNS", "Compliance", "DemandResult", "EvidenceEvent", "RuleResult", "citation_text",
           "compliance", "csv_rows", "date_label", "evidence_rows", "status_of", "summary_rows"]
