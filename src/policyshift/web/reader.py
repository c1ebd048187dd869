"""Per-request access to the read-only store: cursors of their own, and a query timeout.

A DuckDB connection must not be used by two threads at once, so each request works on cursors
of the server's one read-only connection (cursors share the database, not the session). The
request's cursors are tracked so that a watchdog can interrupt every one of them when the
request runs past the timeout; the interrupted query raises, and the request answers 503.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from policyshift.errors import PolicyshiftError
from policyshift.roles import Role
from policyshift.web.errors import QueryTimeout


class TrackedConnection:
    """A cursor that remembers the cursors made from it, so all can be interrupted at once."""

    def __init__(self, parent: duckdb.DuckDBPyConnection) -> None:
        self._lock = threading.Lock()
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self.expired = False
        self._con = self.cursor_of(parent)

    def cursor_of(self, con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
        with self._lock:
            if self.expired:  # a request past its time starts no new query
                raise duckdb.InterruptException("the request ran past its time")
            cursor = con.cursor()
            self._cursors.append(cursor)
            return cursor

    def cursor(self) -> duckdb.DuckDBPyConnection:
        return self.cursor_of(self._con)

    def interrupt(self) -> None:
        with self._lock:
            self.expired = True
            for c in self._cursors:
                c.interrupt()

    def close(self) -> None:
        with self._lock:
            for c in self._cursors:
                try:
                    c.close()
                except duckdb.Error:
                    pass
            self._cursors.clear()

    def __getattr__(self, name: str) -> Any:  # execute, sql, ... on the request's own cursor
        return getattr(self._con, name)


@dataclass
class Reader:
    """What the API functions need of a Store (``con``, ``path``, ``roles()``), scoped to one request."""

    con: TrackedConnection
    path: Path
    _roles: list[Role] = field(default_factory=list)

    def roles(self) -> list[Role]:
        return list(self._roles)


class Watchdog:
    """Interrupts a request's cursors after ``timeout`` seconds, and keeps doing so until it ends
    (an interrupt that lands between two queries would otherwise be lost)."""

    def __init__(self, con: TrackedConnection, timeout: float) -> None:
        self.con, self.timeout = con, timeout
        self.fired = False
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True, name="policyshift-query-timeout")
        self._thread.start()

    def _watch(self) -> None:
        if self._done.wait(self.timeout):
            return
        self.fired = True
        while not self._done.is_set():
            self.con.interrupt()
            self._done.wait(0.02)

    def stop(self) -> None:
        self._done.set()


@contextmanager
def reading(con: duckdb.DuckDBPyConnection, path: Path, roles: list[Role], *, timeout: float) -> Iterator[Reader]:
    """A Reader for one request; its queries are interrupted after ``timeout`` seconds (QueryTimeout)."""
    tracked = TrackedConnection(con)
    dog = Watchdog(tracked, timeout)
    late = QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped",
                        fix="narrow the range (from/to), choose a coarser 'by', or ask for fewer rows")
    try:
        yield Reader(tracked, path, roles)
    except PolicyshiftError:
        raise
    except Exception as e:
        if dog.fired or isinstance(e, duckdb.InterruptException):
            raise late from None
        raise
    finally:
        dog.stop()
        tracked.close()
    if dog.fired:  # past its time between two queries, where no interrupt could land: the same answer
        raise late
