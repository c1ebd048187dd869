"""The case report: a spec names a case (actors, dates, files, findings); the report tests the
findings on a store and renders a self-contained HTML brief.

    from policyshift.report import build_report, load_case_spec, write_report

Modules: ``spec`` (the case spec), ``workbench`` (the general API, each result once), ``rules``
(one module per finding rule), ``sections``, ``timeline`` and ``methods`` (the report's parts),
``charts`` (inline PNGs), ``html`` (the template), ``build`` (all of it together). See docs/case.md.
"""

from policyshift.report.build import (
    Report,
    build_report,
    findings_document,
    load_case_files,
    make_report,
    write_report,
)
from policyshift.report.rules import RULES, Finding
from policyshift.report.spec import BUILTIN_CASES, CaseSpec, builtin_spec_path, load_case_spec, parse_case_spec

__all__ = ["BUILTIN_CASES", "RULES", "CaseSpec", "Finding", "Report", "build_report", "builtin_spec_path",
           "findings_document", "load_case_files", "load_case_spec", "make_report", "parse_case_spec",
           "write_report"]
