"""The report command: the full HTML report for any case spec over a store."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from policyshift.cli import DbOption, FormatOption, command
from policyshift.render import Format, console_err, emit

if TYPE_CHECKING:  # the report package (Ibis, matplotlib, Jinja) loads only when a command runs
    from policyshift.report import Finding

SUMMARY_COLUMNS = ["id", "holds", "summary"]


def finding_rows(findings: Sequence[Finding]) -> list[dict[str, object]]:
    return [{"id": f.id, "holds": f.holds, "summary": f.summary} for f in findings]


def print_findings(findings: Sequence[Finding]) -> None:
    """One line per finding: its id, holds or not, and the numbers that decide it."""
    if not findings:
        typer.echo("the spec names no findings to test")
        return
    width = max(len(f.id) for f in findings)
    for f in findings:
        typer.echo(f"  {f.id:<{width}}  {'holds        ' if f.holds else 'does not hold'}  {f.summary}")
    typer.echo(f"{sum(f.holds for f in findings)} of {len(findings)} hold")


@command
def report(spec: Annotated[str, typer.Option("--spec", help="The case spec (YAML; format in docs/case.md), or the "
                                             "name of a built-in case (pakistan_2001).", show_default=False)],
           out: Annotated[Path, typer.Option("--out", help="The HTML file to write (self-contained; opens offline).",
                                             show_default=False)],
           db: DbOption = None,
           findings: Annotated[Path | None, typer.Option("--findings", help="Also write the findings, with their "
                                                            "numbers and event ids, to this JSON file.")] = None,
           fmt: FormatOption = Format.table) -> None:
    """The full report for a case spec: findings, timeline, series and breaks, triad, say-do, compliance, ledger."""
    from policyshift.report import make_report

    result, loaded = make_report(spec=spec, out=out, db=db, findings=findings)
    for r in loaded:
        console_err(f"{r.path}: {r.status}, {r.stored} events stored" if r.status == "stored"
                    else f"{r.path}: already in the store")
    if fmt is Format.json:
        emit(result.document, fmt)
    elif fmt is Format.csv:
        emit(finding_rows(result.findings), fmt, columns=SUMMARY_COLUMNS)
    else:
        typer.echo(result.spec.name)
        print_findings(result.findings)
    console_err(f"report: {out}" + (f"; findings: {findings}" if findings else ""))
