"""Build a report: load a case's files into a store, test its findings, compute the sections, render.

    from policyshift.report import build_report, load_case_spec, write_report
    from policyshift.store import Store

    spec = load_case_spec("turkey_syria.yaml")
    with Store("policyshift.duckdb", read_only=True) as store:
        report = build_report(store=store, spec=spec)
    write_report(report, html=Path("report.html"), findings=Path("findings.json"))
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policyshift import __version__
from policyshift.backends import duckdb_backend
from policyshift.errors import UsageError
from policyshift.ingest import FileResult, ingest_file
from policyshift.report.methods import methods_section
from policyshift.report.rules import Finding, evaluate
from policyshift.report.sections import (
    anchor,
    compliance_section,
    ledger_section,
    saydo_section,
    series_sections,
    triad_section,
)
from policyshift.report.spec import CaseSpec
from policyshift.report.timeline import timeline_section
from policyshift.report.workbench import EventInfo, Workbench
from policyshift.roles import load_roles
from policyshift.store import Store

KEY_EVENTS = 15  # events a finding's table shows; findings.json has every one


@dataclass
class Report:
    """A built report: the findings, the rendered HTML, and the findings document."""

    spec: CaseSpec
    findings: list[Finding]
    html: str
    document: dict[str, Any]
    context: dict[str, Any] = field(repr=False, default_factory=dict)


def load_case_files(*, store: Store, spec: CaseSpec) -> list[FileResult]:
    """Ingest the spec's events files and add its roles (origin ``case``); a file already stored is skipped."""
    results = [ingest_file(store, path, dataset=spec.dataset) for path in spec.events]
    if spec.roles is not None:
        store.add_roles(load_roles(spec.roles), origin="case")
    return results


def _cited(findings: list[Finding], shown: dict[str, list[EventInfo]], series: list[dict[str, Any]],
           compliance: dict[str, Any] | None, ledger: dict[str, Any]) -> dict[str, set[str]]:
    """Where the report shows each event (the timeline lists them all, with these labels)."""
    cited: dict[str, set[str]] = {}

    def add(event_id: str, where: str) -> None:
        cited.setdefault(event_id, set()).add(where)

    for f in findings:
        for e in shown[f.id]:
            add(e.event_id, f.id)
    for item in series:
        for b in item["breaks"]:
            for d in b["drivers"]:
                add(d.event_id, f"break {item['label']} {b['date']}")
    for row in (compliance or {}).get("listed", []):
        if "event_id" in row:
            add(row["event_id"], f"demand {row['demand']}")
    for row in ledger.get("events", []):
        if "event" in row:
            add(row["event"].event_id, "ledger")
    return cited


def key_events(bench: Workbench, ids: tuple[str, ...], limit: int = KEY_EVENTS) -> list[EventInfo]:
    """The events a finding's table shows: all of them, or the ``limit`` most extreme by Goldstein weight
    (the rest are in findings.json), in date order."""
    details = list(bench.details(list(ids)).values())
    if len(details) > limit:
        details = sorted(details, key=lambda e: (-abs(e.goldstein or 0.0), e.date, e.event_id))[:limit]
    return sorted(details, key=lambda e: (e.date, e.event_id))


def build_report(*, store: Store, spec: CaseSpec) -> Report:
    """Test the spec's findings on the store and render the report (nothing is written to disk)."""
    from policyshift.report.html import render

    bench = Workbench(duckdb_backend(store), spec)
    if bench.start > bench.end:
        raise UsageError(f"the report's period {bench.start} to {bench.end} is empty", where="from/to",
                         fix="check the spec's from and to against the store's dates")
    findings = [evaluate(bench, f) for f in spec.findings]
    shown = {f.id: key_events(bench, f.event_ids) for f in findings}
    series = series_sections(bench)
    compliance = compliance_section(bench)
    ledger = ledger_section(bench)
    cited = _cited(findings, shown, series, compliance, ledger)
    timeline = timeline_section(bench, cited)
    context = {
        "anchored": {row["event"].event_id for row in timeline["rows"]},
        "spec": spec, "version": __version__, "store": str(store.path), "start": bench.start, "end": bench.end,
        "findings": [{"finding": f, "anchor": "finding-" + anchor(f.id), "events": shown[f.id],
                      "more": len(f.event_ids) - len(shown[f.id]),
                      "numbers_json": json.dumps(_clean(f.numbers), indent=1, ensure_ascii=False)} for f in findings],
        "timeline": timeline, "series": series, "triad": triad_section(bench),
        "saydo": saydo_section(bench), "compliance": compliance, "ledger": ledger,
        "methods": methods_section(store, bench),
    }
    document = findings_document(spec=spec, findings=findings, compliance=compliance, store=store, bench=bench)
    return Report(spec, findings, render(context), document, context)


def findings_document(*, spec: CaseSpec, findings: list[Finding], compliance: dict[str, Any] | None, store: Store,
                      bench: Workbench) -> dict[str, Any]:
    """findings.json: the case, one entry per finding, and the compliance table."""
    table = None
    if compliance and not compliance.get("note"):
        evidence: dict[str, dict[str, list[str]]] = {}
        for row in compliance["evidence"]:
            slot = evidence.setdefault(row["demand"], {"fulfil": [], "violate": []})
            for kind in row["kind"].split("+"):
                slot[kind].append(row["event_id"])
        table = {"name": compliance["name"], "issuer": compliance["issuer"], "target": compliance["target"],
                 "issued": compliance["issued"], "judged_at": compliance["reference"],
                 "demands": [{"id": r["demand"], "text": r["text"], "status": r["status"], "expected": r["expected"],
                              "first_evidence": r["first_evidence"], "fulfil_rules": r["fulfil_rules"],
                              "fulfilment_event_ids": evidence.get(r["demand"], {}).get("fulfil", []),
                              "violation_event_ids": evidence.get(r["demand"], {}).get("violate", [])}
                             for r in compliance["rows"]]}
    doc = {"case": {"name": spec.name, "source": spec.source, "spec": str(spec.path) if spec.path else None,
                    "focal": spec.focal, "at": spec.at.isoformat(), "from": bench.start.isoformat(),
                    "to": bench.end.isoformat(), "by": spec.by},
           "generated_by": f"policyshift {__version__}", "store": str(store.path),
           "holding": sum(f.holds for f in findings), "tested": len(findings),
           "findings": [f.to_document() for f in findings], "compliance": table}
    return _clean(doc)


def _clean(value: Any) -> Any:
    """JSON-ready: numpy numbers as Python numbers, NaN as null, tuples as lists, dates as ISO text."""
    import datetime as dt

    import numpy as np

    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(float(value)) else float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def write_report(report: Report, *, html: Path, findings: Path | None = None) -> None:
    """Write the HTML report and, if asked, findings.json (folders made as needed)."""
    html.parent.mkdir(parents=True, exist_ok=True)
    html.write_text(report.html, encoding="utf-8")
    if findings is not None:
        findings.parent.mkdir(parents=True, exist_ok=True)
        findings.write_text(json.dumps(report.document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def make_report(*, spec: str | Path, out: Path, db: Path | None = None,
                findings: Path | None = None) -> tuple[Report, list[FileResult]]:
    """`policyshift report`: load the spec (a file or a built-in case's name), load its files into the store
    if it names any, build the report and write it; returns the report and what was loaded."""
    from policyshift.report.spec import load_case_spec

    if out.suffix.lower() not in (".html", ".htm"):
        raise UsageError(f"the report is HTML; cannot write it to {out.name}", where="--out",
                         fix="name a .html file, e.g. --out report.html")
    if out.is_dir():
        raise UsageError("is a folder", where=str(out), fix="name the .html file to write, e.g. --out report.html")
    case = load_case_spec(spec)  # a bad spec fails before the store is opened
    writes = bool(case.events or case.roles)
    with Store(db, read_only=not writes) as store:
        loaded = load_case_files(store=store, spec=case) if writes else []
        report = build_report(store=store, spec=case)
    write_report(report, html=out, findings=findings)
    return report, loaded


__all__ = ["Report", "build_report", "findings_document", "load_case_files", "make_report", "write_report"]
