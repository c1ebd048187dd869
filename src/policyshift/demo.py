"""`policyshift demo`: the built-in case end to end, in a fresh store.

Builds ``DIR/policyshift.duckdb`` from the case folder (cases/pakistan_2001: its events through the
csv reader, its roles with origin ``case``), tests the case's conclusions and writes
``DIR/report.html`` and ``DIR/findings.json``. The store is kept, so that
every command (and the web app, when it lands) can open it later with ``--db DIR/policyshift.duckdb``.
Everything runs through the general API (policyshift.report); nothing here knows the case.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policyshift.errors import UsageError
from policyshift.report import Finding, build_report, load_case_files, load_case_spec, write_report
from policyshift.store import Store

DEFAULT_CASE = "pakistan_2001"


@dataclass
class DemoResult:
    """Where the demo wrote its files, what it loaded, and the findings."""

    case: str
    store: Path
    report: Path
    findings_file: Path
    findings: list[Finding]
    loaded: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    def to_document(self) -> dict[str, Any]:
        return {"case": self.case, "store": str(self.store), "report": str(self.report),
                "findings_file": str(self.findings_file), "seconds": round(self.seconds, 2), "loaded": self.loaded,
                "holding": sum(f.holds for f in self.findings), "tested": len(self.findings),
                "findings": [{"id": f.id, "holds": f.holds, "summary": f.summary} for f in self.findings]}


def _fresh_store(out: Path) -> Path:
    if out.exists() and not out.is_dir():
        raise UsageError("is a file, not a folder", where=str(out), fix="pass --out with a folder (made if absent)")
    out.mkdir(parents=True, exist_ok=True)
    db = out / "policyshift.duckdb"
    # A fresh store each time: the demo must show the case, not whatever an earlier run left there.
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    return db


def run_demo(*, out: str | Path, case: str = DEFAULT_CASE) -> DemoResult:
    """Build the case in ``out``/policyshift.duckdb (made anew) and write report.html and findings.json there."""
    started = time.perf_counter()
    out = Path(out)
    spec = load_case_spec(case)
    db = _fresh_store(out)
    with Store(db) as store:
        loaded = load_case_files(store=store, spec=spec)
        report = build_report(store=store, spec=spec)
    html, findings = out / "report.html", out / "findings.json"
    write_report(report, html=html, findings=findings)
    return DemoResult(case=spec.name, store=db, report=html, findings_file=findings, findings=report.findings,
                      loaded=[r.as_dict() for r in loaded], seconds=time.perf_counter() - started)


__all__ = ["DEFAULT_CASE", "DemoResult", "run_demo"]
