"""`policyshift demo`: build a fresh store from the sample shipped in the package, and report on it.

Until the built-in Pakistan-2001 case lands, the demo ingests data/sample/pakistan_2001_sample.csv
(25 events from the case brief, each with its citation, in policyshift's own CSV layout).
"""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

from policyshift.ingest import ingest_file
from policyshift.query import stats
from policyshift.store import Store

SAMPLE = "pakistan_2001_sample.csv"


def run_demo(out: str | Path) -> dict[str, Any]:
    """Ingest the sample into ``out``/policyshift.duckdb (made anew) and return what it holds."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    db = out / "policyshift.duckdb"
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    with as_file(files("policyshift.data").joinpath("sample", SAMPLE)) as sample, Store(db) as store:
        result = ingest_file(store, sample, dataset="csv")
        summary = stats(store)
    return {"store": str(db), "ingest": result.as_dict(), "stats": summary}
