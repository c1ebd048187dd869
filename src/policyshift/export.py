"""Export the store's events to Parquet, partitioned by year and month (for Spark and others)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from policyshift.errors import UsageError
from policyshift.schema import EVENT_COLUMN_NAMES
from policyshift.store import Store


def export_parquet(store: Store, out: str | Path, *, partition: bool = True, overwrite: bool = False) -> dict[str, Any]:
    """Write every event to ``out``: a folder of year=/month= partitions, or one file.

    Columns are exactly the event record (schema.EVENT_COLUMNS), so ``policyshift ingest
    --dataset parquet`` reads the files back.
    """
    out = Path(out)
    if out.exists() and not overwrite and (out.is_file() or any(out.iterdir())):
        raise UsageError("the output exists", where=str(out), fix="choose a new path or pass --overwrite")
    cols = ", ".join(EVENT_COLUMN_NAMES)
    n = store.con.execute("SELECT count(*) FROM events").fetchone()[0]
    if n == 0:
        raise UsageError("the store holds no events to export", where=str(store.path),
                         fix="ingest files first (policyshift ingest FILE)")
    # COPY takes no parameter for its target; the path is quoted as an SQL string literal.
    target = "'" + str(out).replace("'", "''") + "'"
    if partition:
        store.con.execute(
            f"COPY (SELECT {cols}, year(date) AS year, month(date) AS month FROM events ORDER BY date) "
            f"TO {target} (FORMAT parquet, PARTITION_BY (year, month), OVERWRITE_OR_IGNORE {str(overwrite).lower()})")
    else:
        store.con.execute(f"COPY (SELECT {cols} FROM events ORDER BY date) TO {target} (FORMAT parquet)")
    files = sorted(out.rglob("*.parquet")) if out.is_dir() else [out]
    return {"path": str(out), "events": int(n), "files": len(files), "partitioned": partition}
