"""The DuckDB event store: schema, the one writer, provenance of every file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Self

import duckdb
import pyarrow as pa

from policyshift.actors import fips_to_iso3_table
from policyshift.cameo import codebook
from policyshift.errors import StoreError
from policyshift.roles import Role, builtin_roles
from policyshift.schema import DDL, SCHEMA_VERSION

DEFAULT_DB = "policyshift.duckdb"


def default_db_path() -> Path:
    """``$POLICYSHIFT_DB``, else ./policyshift.duckdb."""
    return Path(os.environ.get("POLICYSHIFT_DB") or DEFAULT_DB)


class Store:
    """An open store. One process writes at a time (DuckDB locks the file); readers open read-only."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False,
                 memory_limit: str | None = None) -> None:
        self.path = Path(path) if path is not None else default_db_path()
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise StoreError("no store here", where=str(self.path),
                             fix="ingest a file first (policyshift ingest FILE) or pass --db PATH")
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.IOException as e:
            msg = str(e).splitlines()[0]
            if "lock" in msg.lower():
                raise StoreError("the store is in use by another policyshift process", where=str(self.path),
                                 fix="wait for it to finish; one process writes at a time") from None
            raise StoreError(f"cannot open the store ({msg})", where=str(self.path),
                             fix="check the path, or remove a file that is not a DuckDB database") from None
        except duckdb.Error as e:
            raise StoreError(f"not a DuckDB database ({str(e).splitlines()[0]})", where=str(self.path),
                             fix="pass --db with a policyshift store, or a new path to create one") from None
        # DuckDB's own progress bar writes to stdout, where JSON output goes; ingest has its own.
        self.con.execute("SET enable_progress_bar = false")
        if memory_limit:
            self.con.execute(f"SET memory_limit = '{_safe_size(memory_limit)}'")
        if not read_only:
            self._ensure_schema()
        elif not self._has_table("events"):
            raise StoreError("not a policyshift store (it has no events table)", where=str(self.path),
                             fix="pass --db with a store made by policyshift ingest")

    def _has_table(self, name: str) -> bool:
        return bool(self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchone()[0])

    def _ensure_schema(self) -> None:
        fresh = not self._has_table("events")
        self.con.execute("BEGIN TRANSACTION")
        for statement in DDL:
            self.con.execute(statement)
        if fresh or not self.con.execute("SELECT count(*) FROM cameo").fetchone()[0]:
            self.con.execute("DELETE FROM cameo")
            self.con.executemany(
                "INSERT INTO cameo VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [[c.code, c.name, c.goldstein, c.root_code, c.quad_class, c.plover, c.plover_mode,
                  c.plover_context] for c in codebook().values()])
            self.con.execute("DELETE FROM fips_iso3")
            self.con.executemany("INSERT INTO fips_iso3 VALUES (?, ?)", sorted(fips_to_iso3_table().items()))
            self.con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])
        # The package's roles are refreshed on every writable open, so a newer policyshift's apply.
        self.con.execute("DELETE FROM actors WHERE origin = 'builtin'")
        self._insert_roles(builtin_roles(), "builtin")
        self.con.execute("COMMIT")

    def _insert_roles(self, roles: list[Role], origin: str) -> None:
        if roles:
            self.con.executemany("INSERT INTO actors VALUES (?, ?, ?, ?, ?, ?, ?)",
                                 [[r.code, r.role, r.valid_from, r.valid_to, r.name, r.source, origin] for r in roles])

    def add_roles(self, roles: list[Role], *, origin: str = "user") -> int:
        """Store roles (replacing this origin's earlier ones with the same code and role)."""
        self.con.execute("BEGIN TRANSACTION")
        for r in {(r.code, r.role) for r in roles}:
            self.con.execute("DELETE FROM actors WHERE origin = ? AND code = ? AND role = ?", [origin, *r])
        self._insert_roles(roles, origin)
        self.con.execute("COMMIT")
        return len(roles)

    def roles(self) -> list[Role]:
        """Every role the store knows (built-in, from cases, from the user)."""
        rows = self.con.execute(
            "SELECT code, role, valid_from, valid_to, name, source FROM actors ORDER BY code, valid_from").fetchall()
        return [Role(*row) for row in rows]

    def has_file_of_size(self, size: int) -> bool:
        return bool(self.con.execute("SELECT count(*) FROM ingest_files WHERE bytes = ?", [size]).fetchone()[0])

    def file_with_hash(self, source: object) -> tuple[int, str] | None:
        """The batch that stored a file with this content, if any (hashes the file now)."""
        sha = source.hash_upfront()  # type: ignore[attr-defined]
        row = self.con.execute("SELECT batch_id, sha256 FROM ingest_files WHERE sha256 = ?", [sha]).fetchone()
        return (int(row[0]), str(row[1])) if row else None

    def next_batch_id(self) -> int:
        return int(self.con.execute("SELECT coalesce(max(batch_id), 0) + 1 FROM ingest_files").fetchone()[0])

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _safe_size(value: str) -> str:
    import re

    if not re.fullmatch(r"\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)", value.strip()):
        raise StoreError(f"not a memory size: {value!r}", fix="use e.g. 2GB or 512MiB")
    return value.strip()


def fetch_arrow(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> pa.Table:
    """A query's result as an Arrow table, without the extra copy a DB-API result would make.

    On a cursor of its own: DuckDB 2 refuses a relation query on a connection that still holds an
    unfinished execute() result.
    """
    relation = con.cursor().sql(sql, params=params or None)
    fetch = getattr(relation, "to_arrow_table", None) or relation.arrow  # DuckDB 2 / older
    return fetch()
