"""Commands of a case study: compliance with a set of demands."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from policyshift.cli import DbOption, FormatOption, command, open_store
from policyshift.render import Format, console_err, emit, emit_table

SUMMARY_COLUMNS = ["demand", "status", "first_evidence", "fulfil_rules", "fulfilment_events", "violation_events",
                   "expected", "text"]
EVIDENCE_COLUMNS = ["demand", "kind", "rules", "date", "event_id", "source", "target", "cameo", "description",
                    "citation"]


@command
def compliance(spec: Annotated[Path, typer.Argument(help="The demands spec (YAML; see docs/demands.md).",
                                                    show_default=False, metavar="SPEC.yaml")],
               db: DbOption = None,
               as_of: Annotated[str | None, typer.Option(
                   "--as-of", help="Judge as of this date (YYYY-MM-DD): later events do not count, and a window "
                                   "still open then gives 'no evidence yet'.")] = None,
               fmt: FormatOption = Format.table) -> None:
    """Each demand of a spec: status (met, partly met, not met, violated, no evidence yet), first evidence, events."""
    from policyshift.backends import duckdb_backend
    from policyshift.demands import CSV_COLUMNS, csv_rows, evidence_rows, load_spec, summary_rows
    from policyshift.demands import compliance as compute

    demands = load_spec(spec)  # a bad spec fails before the store is opened
    with open_store(db) as store:
        result = compute(duckdb_backend(store), demands, as_of=as_of)
    for warning in result.warnings:
        console_err(f"warning: {warning}")
    if fmt is Format.json:
        emit(result.to_document(), fmt)
    elif fmt is Format.csv:
        emit(csv_rows(result), fmt, columns=CSV_COLUMNS)
    else:
        typer.echo(f"{result.spec.name}: {result.spec.issuer} to {result.spec.target}, issued {result.spec.issued}; "
                   f"judged at {result.reference_date}" + (f" (as of {result.as_of})" if result.as_of else
                                                           " (the latest event in the store)"))
        emit_table(summary_rows(result), SUMMARY_COLUMNS, title="demands")
        rows = evidence_rows(result)
        if rows:
            _evidence_table(rows)


WRAPPED = ("rules", "description", "citation")
RATIOS = {"rules": 1, "description": 2, "citation": 2}


def _evidence_table(rows: list[dict[str, Any]]) -> None:
    # emit_table keeps cells on one line; descriptions and citations are long, so they wrap here.
    console = Console(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 200)
    table = Table(title="evidence")
    for c in EVIDENCE_COLUMNS:
        table.add_column(c, overflow="fold", no_wrap=c not in WRAPPED, ratio=RATIOS.get(c))
    for row in rows:
        table.add_row(*[Text("" if row.get(c) is None else str(row[c])) for c in EVIDENCE_COLUMNS])
    console.print(table)
