"""policyshift: measure how a state's foreign policy shifts, from political event data.

The Python API; the command line is a thin layer over it::

    import policyshift as ps

    with ps.open_store("pk.duckdb") as store:
        ps.ingest(store, "20190121220000.export.CSV.zip")
        frame = ps.events(store, source="PAK", target="AFG")
"""

from __future__ import annotations

__version__ = "0.1.0"

from policyshift.errors import PolicyshiftError
from policyshift.export import export_parquet
from policyshift.ingest import FileResult
from policyshift.ingest import ingest_file as ingest
from policyshift.query import events, events_arrow, files, quarantine, stats
from policyshift.store import Store


def open_store(path: str | None = None, *, read_only: bool = False) -> Store:
    """Open (or create) a store; ``path`` defaults to $POLICYSHIFT_DB, else ./policyshift.duckdb."""
    return Store(path, read_only=read_only)


__all__ = ["FileResult", "PolicyshiftError", "Store", "__version__", "events", "events_arrow", "export_parquet",
           "files", "ingest", "open_store", "quarantine", "stats"]
