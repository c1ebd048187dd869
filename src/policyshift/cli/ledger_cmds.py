"""The ledger command: the benefits and costs an actor received, before and after a date."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from policyshift.cli import DbOption, FormatOption, command, open_store
from policyshift.render import Format, console_err, emit, emit_table

if TYPE_CHECKING:  # the ledger module (Ibis, pandas) loads only when the command runs
    from policyshift.ledger import Ledger, LedgerEvent


class LedgerBy(str, enum.Enum):
    category = "category"
    domain = "domain"
    sign = "sign"
    source = "source"


EVENT_COLUMNS = ["side", "date", "date_precision", "event_id", "source_actor", "target_actor", "cameo_code",
                 "goldstein", "description", "citation"]


@command
def ledger(actor: Annotated[str, typer.Argument(help="Whose ledger: a country (PAK), a government (PAKGOV) or a "
                                                "group (TAL); roles resolved by date.", show_default=False)],
           db: DbOption = None,
           at: Annotated[str | None, typer.Option("--at", help="Split before/after this date, YYYY-MM-DD (the "
                                                     "date itself counts as after). Without it: one column over the "
                                                     "whole store.")] = None,
           window: Annotated[int, typer.Option("--window", help="Days on each side of --at.")] = 365,
           by: Annotated[LedgerBy, typer.Option("--by", help="Lines per category (with domain and sign), per "
                                                "domain, per sign, or per category and giver (source).")]
           = LedgerBy.category,
           rules: Annotated[Path | None, typer.Option("--rules", help="A YAML rules file instead of the built-in "
                                                         "one (format in docs/ledger.md).")] = None,
           max_events: Annotated[int | None, typer.Option("--max-events", help="List at most this many events per "
                                                             "rule and side (counts still cover all).")] = None,
           events: Annotated[bool, typer.Option("--events", help="Table and CSV: one row per event behind the lines, "
                                                "instead of the lines.")] = False,
           fmt: FormatOption = Format.table) -> None:
    """Benefits and costs received by A (aid, sanctions, debt relief, attacks, raids...), before and after a date."""
    from policyshift.backends import duckdb_backend
    from policyshift.ledger import ledger as compute

    with open_store(db) as store:
        result = compute(duckdb_backend(store), actor, at=at, window=window, by=by.value, rules=rules,
                         max_events=max_events)
    if fmt is Format.json:
        emit(result.to_document(), fmt)
        return
    if events:
        rows = result.event_rows()
        keys = [k for k in ("domain", "sign", "category", "source") if rows and k in rows[0]]
        emit(rows, fmt, columns=[*keys, *EVENT_COLUMNS] if fmt is Format.table else None)
        return
    if fmt is Format.csv:
        emit(result.rows(), fmt)
        return
    span = (f"{result.start} to {result.end}, {result.window} days each side of {result.at}" if result.window
            else f"before and after {result.at}" if result.at else "the whole store")
    rows = result.rows()
    emit_table(rows, list(rows[0]) if rows else ["category", "total"], title=f"ledger of {result.actor}: {span}")
    totals = [{"sign": sign, **{side: c.events for side, c in sides.items()},
               **{f"{side}_goldstein": round(c.goldstein, 3) for side, c in sides.items()}}
              for sign, sides in result.totals.items()]
    emit_table(totals, list(totals[0]), title="totals")
    print_events(result)
    missed = sum(u["events"] for u in result.unclassified)
    if missed:
        codes = ", ".join(sorted({u["cameo_code"] for u in result.unclassified})[:10])
        console_err(f"{missed} event{'s' if missed != 1 else ''} in scope matched no rule (CAMEO {codes}); "
                    "--format json lists them by code")


def shown_date(event: LedgerEvent) -> str:
    """The date as the data knows it: 2001-12 (month), never an invented day."""
    text = event.date.isoformat()[: {"day": 10, "month": 7, "year": 4}.get(event.date_precision, 10)]
    if event.date_precision == "day":
        return text
    return text + (f" ({event.date_precision}, spans --at)" if event.spans_at else f" ({event.date_precision})")


def actor(code: str | None, role: str | None) -> str:
    return f"{code or '?'}" + (f" (as {role})" if role and code and not code.startswith(role) else "")


def print_events(result: Ledger) -> None:
    # Plain lines rather than a table: descriptions and citations are long, and a table folds them.
    for line in result.lines:
        if not line.events:
            continue
        typer.echo("\n" + " / ".join(line.key.values()))
        for e in line.events:
            typer.echo(f"  {e.side:<6} {shown_date(e):<10}  {e.event_id}  {actor(e.source_actor, e.source_role)} -> "
                       f"{actor(e.target_actor, e.target_role)}  {e.cameo_code}  {e.description or e.cameo_name or ''}")
            if e.citation:
                typer.echo(f"         source: {e.citation}")
