"""Reading the store: events with their provenance, stats, quarantine, ingested files."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pyarrow as pa

from policyshift.dates import parse_date
from policyshift.errors import UsageError
from policyshift.schema import EVENT_COLUMN_NAMES
from policyshift.store import Store, fetch_arrow

MAX_LIMIT = 1_000_000


def _event_filters(*, actor: str | None, source: str | None, target: str | None, start: Any, end: Any,
                   dataset: str | None, cameo: str | None, batch: int | None) -> tuple[str, list[Any]]:
    """A WHERE clause and its parameters. Actor selectors match code prefixes: PAK matches PAKGOV."""
    where, params = ["TRUE"], []
    if actor:
        where.append("(starts_with(source_actor, ?) OR starts_with(target_actor, ?))")
        params += [actor.upper(), actor.upper()]
    if source:
        where.append("starts_with(source_actor, ?)")
        params.append(source.upper())
    if target:
        where.append("starts_with(target_actor, ?)")
        params.append(target.upper())
    start_d, end_d = parse_date(start, "--from"), parse_date(end, "--to")
    if start_d and end_d and start_d > end_d:
        raise UsageError(f"--from {start_d} is after --to {end_d}", fix="swap them")
    if start_d:
        where.append("date >= ?")
        params.append(start_d)
    if end_d:
        where.append("date <= ?")
        params.append(end_d)
    if dataset:
        where.append("dataset = ?")
        params.append(dataset)
    if cameo:
        where.append("starts_with(cameo_code, ?)")
        params.append(cameo)
    if batch is not None:
        where.append("batch_id = ?")
        params.append(batch)
    return " AND ".join(where), params


def events_arrow(store: Store, *, actor: str | None = None, source: str | None = None,
                 target: str | None = None, start: str | date | None = None, end: str | date | None = None,
                 dataset: str | None = None, cameo: str | None = None, batch: int | None = None,
                 limit: int = 100, offset: int = 0) -> pa.Table:
    """Events matching the filters, in date order, every column of the record (with provenance)."""
    if not 0 < limit <= MAX_LIMIT:
        raise UsageError(f"--limit {limit} is out of range", fix=f"use 1 to {MAX_LIMIT:,}")
    if offset < 0:
        raise UsageError(f"--offset {offset} is negative", fix="use 0 or more")
    where, params = _event_filters(actor=actor, source=source, target=target, start=start, end=end,
                                   dataset=dataset, cameo=cameo, batch=batch)
    cols = ", ".join(EVENT_COLUMN_NAMES)
    sql = f"SELECT {cols} FROM events WHERE {where} ORDER BY date, event_id LIMIT ? OFFSET ?"
    return fetch_arrow(store.con, sql, [*params, limit, offset])


def events(store: Store, **filters: Any) -> pd.DataFrame:
    """As :func:`events_arrow`, as a pandas DataFrame."""
    return events_arrow(store, **filters).to_pandas()


def quarantine(store: Store, *, file: str | None = None, limit: int = 100) -> pd.DataFrame:
    """Rows that could not be read: file, line, field, value, reason, and the raw row."""
    sql = "SELECT file, line, field, value, reason, raw, batch_id FROM quarantine"
    params: list[Any] = []
    if file:
        sql += " WHERE contains(file, ?)"
        params.append(file)
    return store.con.execute(sql + " ORDER BY batch_id, line LIMIT ?", [*params, limit]).df()


def files(store: Store) -> pd.DataFrame:
    """Every ingested file with its hash and counts."""
    return store.con.execute(
        "SELECT batch_id, name AS file, dataset, sha256, bytes, dedupe, rows_read AS read, "
        "rows_stored AS stored, rows_quarantined AS quarantined, rows_duplicate AS duplicates, "
        "started_at, finished_at FROM ingest_files ORDER BY batch_id").df()


def stats(store: Store, *, top: int = 10) -> dict[str, Any]:
    """What the store holds: counts by data set, date range, top actors and dyads, bad rows."""
    con = store.con
    by_dataset = [
        {"dataset": d, "events": n, "first": str(a) if a else None, "last": str(b) if b else None, "files": f}
        for d, n, a, b, f in con.execute(
            "SELECT e.dataset, count(*), min(date), max(date), "
            "(SELECT count(*) FROM ingest_files i WHERE i.dataset = e.dataset) "
            "FROM events e GROUP BY e.dataset ORDER BY e.dataset").fetchall()]
    total, first, last = con.execute("SELECT count(*), min(date), max(date) FROM events").fetchone()
    top_actors = [{"actor": a, "events": n} for a, n in con.execute(
        "SELECT actor, count(*) AS n FROM (SELECT source_actor AS actor FROM events UNION ALL "
        "SELECT target_actor FROM events) WHERE actor IS NOT NULL GROUP BY actor ORDER BY n DESC, actor LIMIT ?",
        [top]).fetchall()]
    top_dyads = [{"source": s, "target": t, "events": n} for s, t, n in con.execute(
        "SELECT source_actor, target_actor, count(*) AS n FROM events WHERE source_actor IS NOT NULL "
        "AND target_actor IS NOT NULL GROUP BY ALL ORDER BY n DESC, source_actor, target_actor LIMIT ?",
        [top]).fetchall()]
    read, stored, quarantined, duplicates, nfiles = con.execute(
        "SELECT coalesce(sum(rows_read), 0), coalesce(sum(rows_stored), 0), coalesce(sum(rows_quarantined), 0), "
        "coalesce(sum(rows_duplicate), 0), count(*) FROM ingest_files").fetchone()
    quad = {int(q): n for q, n in con.execute(
        "SELECT quad_class, count(*) FROM events GROUP BY quad_class ORDER BY quad_class").fetchall()}
    return {
        "store": str(store.path),
        "events": int(total),
        "first": str(first) if first else None,
        "last": str(last) if last else None,
        "files": int(nfiles),
        "rows": {"read": int(read), "stored": int(stored), "quarantined": int(quarantined),
                 "duplicates": int(duplicates)},
        "datasets": by_dataset,
        "quad_classes": quad,
        "top_actors": top_actors,
        "top_dyads": top_dyads,
    }
