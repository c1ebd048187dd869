"""Rendering results for the terminal: table (rich), CSV, or one JSON document on stdout.

Data goes to stdout; messages, progress and errors go to stderr, so that JSON output pipes cleanly.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import json
import math
import sys
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.table import Table

_err = Console(stderr=True, highlight=False, soft_wrap=True)


class Format(str, enum.Enum):
    table = "table"
    csv = "csv"
    json = "json"


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 document', '2 documents', '1,234 events': the count and the noun agreeing with it."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def console_err(message: str) -> None:
    """One message line on stderr (no markup interpretation: file names may contain brackets)."""
    _err.print(message, markup=False)


def plain(value: Any) -> Any:
    """A JSON-safe value: dates as ISO 8601, NaN as null, numpy scalars as Python numbers."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "item"):  # numpy / pandas scalars
        return plain(value.item())
    if value != value:  # noqa: PLR0124 - NaN and NaT are the values unequal to themselves
        return None
    return str(value)


def emit(data: Any, fmt: Format, *, columns: Sequence[str] | None = None) -> None:
    """Print ``data`` (a list of records, or for JSON any document) in the chosen format."""
    if fmt is Format.json:
        sys.stdout.write(json.dumps(plain(data), ensure_ascii=False, indent=2) + "\n")
        return
    rows = data if isinstance(data, list) else [data]
    if columns is None:
        columns = list(rows[0].keys()) if rows else []
    if fmt is Format.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if plain(row.get(c)) is None else plain(row.get(c)) for c in columns])
        return
    emit_table(rows, columns)


def emit_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], title: str | None = None) -> None:
    # Piped output is not cut to 80 columns: rows stay whole for grep and less.
    console = Console(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 250)
    table = Table(title=title, show_lines=False)
    for c in columns:
        table.add_column(c, overflow="fold", no_wrap=c not in ("reason", "detail", "fix", "file", "error"))
    for row in rows:
        table.add_row(*[_cell(row.get(c)) for c in columns])
    console.print(table)
    if not rows:
        console_err("(no rows)")


def _cell(value: Any) -> str:
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".")
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value).replace("[", r"\[")


def print_stats(s: Mapping[str, Any]) -> None:
    """The `stats` document as tables."""
    rows = s["rows"]
    console = Console(highlight=False, soft_wrap=True)
    console.print(f"{s['store']}: {s['events']:,} events, {s['first']} to {s['last']}, from {s['files']} files "
                  f"(read {rows['read']:,} = stored {rows['stored']:,} + quarantined {rows['quarantined']:,} "
                  f"+ duplicates {rows['duplicates']:,})", markup=False)
    emit_table(s["datasets"], ["dataset", "events", "first", "last", "files"], title="by data set")
    quads = [{"quad_class": q, "events": n} for q, n in s["quad_classes"].items()]
    emit_table(quads, ["quad_class", "events"], title="by quad class")
    emit_table(s["top_actors"], ["actor", "events"], title="top actors")
    emit_table(s["top_dyads"], ["source", "target", "events"], title="top dyads")
