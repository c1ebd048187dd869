"""Small own-schema event files for measure tests, written by the tests themselves."""

from __future__ import annotations

import csv
from pathlib import Path

from policyshift.ingest import ingest_file
from policyshift.store import Store

COLUMNS = ["event_id", "date", "date_precision", "source_actor", "target_actor", "cameo_code"]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    """An own-schema CSV of ``rows`` given in COLUMNS order, ids included."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return path


def load(store: Store, tmp_path: Path, rows: list[tuple[str, str, str, str, str]], name: str = "events.csv") -> None:
    """rows: (date, precision, source, target, cameo); ids are numbered in order."""
    path = tmp_path / name
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        for i, (day, precision, source, target, code) in enumerate(rows, start=1):
            writer.writerow([f"t:{name}:{i}", day, precision, source, target, code])
    result = ingest_file(store, path, dataset="csv")
    assert result.stored == len(rows), result
