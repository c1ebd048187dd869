"""Where the measures run: one Ibis expression, compiled for DuckDB (default) or Spark.

The measure code (policyshift.measure, policyshift.detect) takes a :class:`Backend` and builds Ibis
expressions over its ``events`` table; the backend executes them. Adding an engine is one module
here that returns a Backend, not a second copy of the measures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import ibis
import ibis.expr.types as ir

from policyshift.roles import Role


@dataclass
class Backend:
    """An Ibis connection with an ``events`` table in the event-record schema, and the roles."""

    name: str
    con: Any  # ibis.BaseBackend
    events: ir.Table
    roles: list[Role] = field(default_factory=list)
    description: str = ""

    def execute(self, expr: ir.Expr) -> Any:
        """Run an expression on this backend; tables come back as pandas DataFrames."""
        return expr.to_pandas() if isinstance(expr, ir.Table) else expr.execute()


def duckdb_backend(store: Any) -> Backend:
    """The backend over a policyshift store: a cursor of its DuckDB connection.

    A cursor of its own, because Ibis changes session settings (time zone, replacement scans) that
    the ingest pipeline relies on; the cursor sees the same database.
    """
    con = ibis.duckdb.from_connection(store.con.cursor())
    return Backend("duckdb", con, con.table("events"), store.roles(), str(store.path))


__all__ = ["Backend", "duckdb_backend"]
