"""Demands and compliance: which of a set of demands the target met, by evidence from events.

A spec (YAML, docs/demands.md) names the issuer, the target, the date issued and, for each demand,
rules for the events that fulfil it and that violate it. ``compliance`` selects those events on
the backend (one Ibis query, DuckDB or Spark) and judges each demand by a documented rule::

    from policyshift.backends import duckdb_backend
    from policyshift.demands import compliance

    result = compliance(duckdb_backend(store), "demands.yaml", as_of="2002-12-31")
    result["7"].status, result["7"].first_evidence

Modules: ``spec`` (loading and validation), ``evidence`` (the backend query), ``compliance``
(statuses and the result's JSON shape).
"""

from policyshift.demands.compliance import (
    CSV_COLUMNS,
    Compliance,
    DemandResult,
    EvidenceEvent,
    RuleResult,
    citation_text,
    compliance,
    csv_rows,
    date_label,
    evidence_rows,
    status_of,
    summary_rows,
)
from policyshift.demands.spec import STATUSES, Demand, DemandSpec, Rule, Window, load_spec, parse_spec

__all__ = ["CSV_COLUMNS", "STATUSES", "Compliance", "Demand", "DemandResult", "DemandSpec", "EvidenceEvent",
           "Rule", "RuleResult", "Window", "citation_text", "compliance", "csv_rows", "date_label",
           "evidence_rows", "load_spec", "parse_spec", "status_of", "summary_rows"]
