"""The Spark master: a bad URL or an unreachable master is one line at once, and the JVM keeps quiet.

Spark itself retries an unreachable master for about a minute and then prints a Java stack trace;
these run the command line in a subprocess, so what a user sees on stderr is what is checked.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policyshift.backends.spark import check_master
from policyshift.errors import UsageError
from policyshift.export import export_parquet
from policyshift.store import Store
from tests.series_fixtures import load

ROWS = [("2001-01-05", "day", "PAKGOV", "AFGGOV", "042"), ("2001-03-05", "day", "PAKGOV", "AFGGOV", "172")]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("master")
    with Store(folder / "store.duckdb") as store:
        load(store, folder, ROWS)
        export_parquet(store, folder / "events")
    return folder / "store.duckdb", folder / "events"


def run(db: Path, parquet: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "policyshift", "series", "PAK", "AFG", "--db", str(db),
                           "--backend", "spark", "--parquet", str(parquet), "--format", "csv", *extra],
                          capture_output=True, text=True, timeout=300, check=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(("master", "message"), [
    ("bogus", "not a Spark master URL: 'bogus'"),
    ("local[2", "not a Spark master URL: 'local[2'"),
    ("spark://head", "no port in 'head'"),
])
def test_a_malformed_master_is_refused_in_one_line(exported: tuple[Path, Path], master: str, message: str) -> None:
    proc = run(*exported, "--spark-master", master)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and message in proc.stderr and "--spark-master" in proc.stderr


def test_an_unreachable_master_is_refused_in_seconds(exported: tuple[Path, Path]) -> None:
    port = free_port()  # closed again: nothing listens there
    started = time.monotonic()
    proc = run(*exported, "--spark-master", f"spark://127.0.0.1:{port}")
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and f"cannot reach the Spark master at 127.0.0.1:{port}" in proc.stderr
    # Spark would retry for about a minute; the check answers before any JVM starts.
    assert time.monotonic() - started < 30


@pytest.mark.parametrize("master", ["local", "local[*]", "local[4]", "local[2,3]", "yarn", "k8s://https://head:6443",
                                    "local-cluster[2,1,1024]"])
def test_the_master_forms_spark_takes_pass(master: str) -> None:
    check_master(master)


def test_a_master_is_checked_before_anything_starts() -> None:
    with pytest.raises(UsageError, match="cannot reach"):
        check_master(f"spark://127.0.0.1:{free_port()},127.0.0.1:{free_port()}")


def test_a_spark_run_leaves_stderr_to_policyshift(exported: tuple[Path, Path], spark: object) -> None:
    # ``spark`` only for its skip without Java; the subprocess starts its own JVM, whose log4j lines
    # and warnings go to Spark's log file, not to the terminal.
    proc = run(*exported, "--spark-master", "local[1]")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout.splitlines()[1].startswith("2001-01-01,1,")
