"""The command line: every command has help and docs; --format table|csv|json; JSON on stdout only."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policyshift.cli import app
from tests import gdelt_rows

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import cli_reference


def invoke(*args: str, db: Path) -> object:
    return CliRunner().invoke(app, list(args), env={"POLICYSHIFT_DB": str(db), "COLUMNS": "200"})


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "cli.duckdb"
    rows = gdelt_rows.numbered(5) + [gdelt_rows.row(GLOBALEVENTID="77", SQLDATE="20010230")]
    result = invoke("ingest", str(gdelt_rows.write(tmp_path / "g.CSV", rows)), db=path)
    assert result.exit_code == 0, result.output
    return path


def test_every_command_has_help_and_is_documented() -> None:
    docs = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in cli_reference.command_names():
        text = cli_reference.help_text(name)
        summary = text.split("\n\n")[1].strip()
        assert len(summary) > 20, f"{name} has no help text"
        assert f"## policyshift {name}" in docs, f"docs/cli.md lacks {name}"


def test_cli_reference_is_current() -> None:
    docs = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert docs.strip() == cli_reference.reference().strip(), "docs/cli.md is stale: run make docs"


def test_ingest_json_is_one_document(tmp_path: Path) -> None:
    path = gdelt_rows.write(tmp_path / "g.CSV", gdelt_rows.numbered(3))
    env = {**os.environ, "POLICYSHIFT_DB": str(tmp_path / "j.duckdb")}
    proc = subprocess.run([sys.executable, "-m", "policyshift", "ingest", str(path), "--format", "json"],
                          capture_output=True, text=True, env=env, timeout=60, check=False)
    assert proc.returncode == 0
    doc = json.loads(proc.stdout)
    assert doc[0]["read"] == 3 and doc[0]["stored"] == 3 and doc[0]["dataset"] == "gdelt2"
    assert "ingesting" in proc.stderr  # messages on stderr, not in the JSON


def test_stats_formats(db: Path) -> None:
    doc = json.loads(invoke("stats", "--format", "json", db=db).output)
    assert doc["events"] == 5 and doc["rows"] == {"read": 6, "stored": 5, "quarantined": 1, "duplicates": 0}
    assert doc["top_dyads"][0] == {"source": "USAGOV", "target": "PAKGOV", "events": 5}
    rows = list(csv.DictReader(io.StringIO(invoke("stats", "--format", "csv", db=db).output)))
    assert rows == [{"dataset": "gdelt2", "events": "5", "first": "2001-09-22", "last": "2001-09-22", "files": "1"}]
    table = invoke("stats", db=db).output
    assert "USAGOV" in table and "quarantined 1" in table


def test_events_filters_and_provenance(db: Path) -> None:
    doc = json.loads(invoke("events", "--format", "json", "--source", "USA", "--limit", "2", db=db).output)
    assert len(doc) == 2 and doc[0]["origin_line"] == 1 and doc[0]["origin_file"].endswith("g.CSV")
    assert doc[0]["date"] == "2001-09-22"
    none = json.loads(invoke("events", "--format", "json", "--target", "IND", db=db).output)
    assert none == []
    assert invoke("events", "--limit", "0", db=db).exit_code == 1


def test_quarantine_lists_rows(db: Path) -> None:
    doc = json.loads(invoke("quarantine", "--format", "json", db=db).output)
    assert [(r["line"], r["field"]) for r in doc] == [(6, "SQLDATE")]
    assert "not a valid date" in doc[0]["reason"] and doc[0]["value"] == "20010230"


def test_files_lists_batches(db: Path) -> None:
    doc = json.loads(invoke("files", "--format", "json", db=db).output)
    assert len(doc) == 1 and len(doc[0]["sha256"]) == 64 and doc[0]["read"] == 6


def test_doctor(db: Path, tmp_path: Path) -> None:
    doc = json.loads(invoke("doctor", "--format", "json", db=db).output)
    assert {c["check"]: c["ok"] for c in doc}["counts reconcile"] is True
    missing = invoke("doctor", "--format", "json", db=tmp_path / "none.duckdb")
    assert missing.exit_code == 1
    assert any("ingest" in (c["fix"] or "") for c in json.loads(missing.output))


def test_export_parquet_partitions(db: Path, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "parquet"
    doc = json.loads(invoke("export", str(out), "--format", "json", db=db).output)
    assert doc[0]["events"] == 5
    files = sorted(out.rglob("*.parquet"))
    assert files and "year=2001" in str(files[0]) and "month=9" in str(files[0])
    assert pq.read_table(files[0]).num_rows == 5
    again = invoke("export", str(out), db=db)
    assert again.exit_code == 1 and "--overwrite" in again.output


def test_export_takes_a_memory_limit(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "limited"
    doc = json.loads(invoke("export", str(out), "--memory-limit", "256MB", "--format", "json", db=db).output)
    assert doc[0]["events"] == 5 and sorted(out.rglob("*.parquet"))
    bad = invoke("export", str(tmp_path / "bad"), "--memory-limit", "lots", db=db)
    assert bad.exit_code == 1 and "'lots'" in bad.output and "2GB" in bad.output
    assert not (tmp_path / "bad").exists()


def test_version() -> None:
    proc = subprocess.run([sys.executable, "-m", "policyshift", "--version"], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0 and proc.stdout.startswith("policyshift ")
