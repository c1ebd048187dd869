"""A file is ingested in one transaction: kill -9 in the middle of it and the store is as it was.

The ingest runs as a real process (``python -m policyshift ingest``) and is killed with SIGKILL
twice: early, once its transaction is open and rows are reaching the database file; and later,
once a whole chunk of the file has been stored in the transaction. Each time the store must hold
exactly what it held before; then it takes the file in full, and a third time "already ingested".
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from policyshift.cameo import codebook
from policyshift.ingest import base, ingest_file
from policyshift.store import Store
from tests import gdelt_rows

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

# The file spans more than one of the chunker's chunks, so the kill lands mid-file; its rows are
# long (a long SOURCEURL), so that takes few rows and the test stays short. DuckDB writes a large
# transaction's full row groups (122,880 rows) before commit, so at least that many come first.
MIN_ROWS = 150_000
BAD_EVERY = 9_973  # these rows carry an impossible date: quarantined
REPEAT_EVERY = 15_013  # these rows repeat the previous row's id: duplicates
SEED = 9


def _write_big(path: Path) -> dict[str, int]:
    """A seeded GDELT 2.0 file with a known truth: how many rows are bad and how many repeat."""
    rng = random.Random(SEED)
    codes = sorted(c for c in codebook() if len(c) >= 3)
    actors = ["USAGOV", "PAKGOV", "AFGGOV", "INDGOV", "PAKMIL", "TAL", "USAMIL", "CHNGOV"]
    tails = []
    for _ in range(400):
        code = rng.choice(codes)
        day = f"20{rng.randint(1, 19):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        a1, a2 = rng.sample(actors, 2)
        line = gdelt_rows.row(GLOBALEVENTID="0", SQLDATE=day, Actor1Code=a1, Actor1CountryCode=a1[:3],
                              Actor2Code=a2, Actor2CountryCode=a2[:3], EventCode=code, EventBaseCode=code[:3],
                              EventRootCode=code[:2], QuadClass="", GoldsteinScale="",
                              SOURCEURL=f"https://example.org/news/{day}/" + "-".join(
                                  rng.choice(actors).lower() + str(rng.randrange(10**6)) for _ in range(22)))
        tails.append(line[line.index("\t"):])
    bad_tail = tails[0].replace(tails[0].split("\t")[1], "20011345", 1)
    rows = max(MIN_ROWS, int(1.25 * base.CHUNK_BYTES / (sum(map(len, tails)) / len(tails) + 10)))
    truth = {"read": rows, "stored": 0, "quarantined": 0, "duplicates": 0}
    lines = []
    seen: set[int] = set()
    event_id = 50_000_000
    for i in range(1, rows + 1):
        if i % REPEAT_EVERY:
            event_id += 1  # else the same id as the row before
        if i % BAD_EVERY == 0:
            truth["quarantined"] += 1
            tail = bad_tail
        else:
            truth["duplicates" if event_id in seen else "stored"] += 1
            seen.add(event_id)
            tail = tails[rng.randrange(len(tails))]
        lines.append(f"{event_id}{tail}\n")
    path.write_text("".join(lines), encoding="utf-8")
    assert truth["quarantined"] and truth["duplicates"]
    return truth


def _snapshot(db: Path) -> dict[str, object]:
    with Store(db) as store:
        con = store.con
        return {
            "events": con.execute("SELECT count(*), sum(hash(event_id, origin_file, origin_line)) "
                                  "FROM events").fetchone(),
            "files": con.execute("SELECT batch_id, name, sha256, rows_read, rows_stored, rows_quarantined, "
                                 "rows_duplicate FROM ingest_files ORDER BY batch_id").fetchall(),
            "quarantine": con.execute("SELECT count(*), sum(hash(file, line)) FROM quarantine").fetchone(),
            "duplicates": con.execute("SELECT count(*), sum(hash(file, line)) FROM duplicates").fetchone(),
        }


def _ingest_cmd(path: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "policyshift", "ingest", str(path), "--db", str(db), "--format", "json"]


def _run_ingest(path: Path, db: Path) -> dict[str, object]:
    proc = subprocess.run(_ingest_cmd(path, db), capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    try:
        (result,) = json.loads(proc.stdout)
    except ValueError:
        raise AssertionError(f"not the one JSON result expected: {proc.stdout!r} (stderr: {proc.stderr!r})") from None
    return result  # type: ignore[no-any-return]


# ingest_file through the API, saying on stderr how far it has read: the chunker reads a chunk's
# bytes only once the chunk before it is stored, so past CHUNK_BYTES the first chunk is in the
# (open) transaction. The CLI shows that only as a bar on a terminal.
_API_INGEST = """
import sys
from policyshift.ingest import ingest_file
from policyshift.store import Store
with Store(sys.argv[2]) as store:
    ingest_file(store, sys.argv[1], progress=lambda done, total: print("read", done, file=sys.stderr, flush=True),
                on_start=lambda source, reader: print("ingesting", source.name, file=sys.stderr, flush=True))
"""


def _kill_when(cmd: list[str], ready: Callable[[str], bool], db: Path, *, grown: bool) -> None:
    """Run ``cmd``; SIGKILL it once a line of its stderr is ``ready`` (and, with ``grown``, once
    uncommitted rows have reached the database file: DuckDB writes a large transaction's full row
    groups before commit). It must still be running then."""
    start_size = db.stat().st_size
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seen = threading.Event()
    stderr: list[str] = []

    def watch() -> None:
        for line in proc.stderr:  # type: ignore[union-attr]
            stderr.append(line)
            if ready(line):
                seen.set()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        assert seen.wait(60), f"the ingest never got there: {''.join(stderr)[-2000:]}"
        deadline = time.monotonic() + 30
        while grown and db.stat().st_size <= start_size and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert proc.poll() is None, (
            f"the ingest ended (exit {proc.returncode}) before it could be killed; make MIN_ROWS bigger")
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        watcher.join(5)


def _assert_as_before(db: Path, before: dict[str, object], big: Path) -> None:
    assert _snapshot(db) == before
    with Store(db) as store:
        assert store.con.execute("SELECT count(*) FROM quarantine WHERE file = ?", [str(big)]).fetchone() == (0,)
        assert store.con.execute("SELECT count(*) FROM events WHERE origin_file = ?", [str(big)]).fetchone() == (0,)


def test_kill_9_mid_ingest_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    small = gdelt_rows.write(tmp_path / "small.export.CSV", [
        *gdelt_rows.numbered(40, start=1),
        gdelt_rows.row(GLOBALEVENTID="41", SQLDATE="20010230"),  # impossible date: quarantined
        gdelt_rows.row(GLOBALEVENTID="7"),  # repeats an id: a duplicate
    ])
    with Store(db) as store:
        first = ingest_file(store, small)
    assert (first.stored, first.quarantined, first.duplicates) == (40, 1, 1)
    before = _snapshot(db)
    big = tmp_path / "big.export.CSV"
    truth = _write_big(big)

    # 1. The CLI, killed early: its transaction is open (it says "ingesting FILE as DATASET" from
    #    on_start, after BEGIN and the file's ingest_files row) and rows are reaching the file.
    _kill_when(_ingest_cmd(big, db), lambda line: line.startswith("ingesting "), db, grown=True)
    _assert_as_before(db, before, big)
    # 2. Killed later: once the first chunk is stored (in the transaction) and the next is being
    #    read. A pipeline that committed chunk by chunk would leave that chunk behind.
    _kill_when([sys.executable, "-c", _API_INGEST, str(big), str(db)],
               lambda line: line.startswith("read ") and int(line.split()[1]) > base.CHUNK_BYTES, db, grown=False)
    _assert_as_before(db, before, big)

    again = _run_ingest(big, db)
    assert again["status"] == "stored"
    assert {k: again[k] for k in truth} == truth
    full = _snapshot(db)
    assert full["events"][0] == before["events"][0] + truth["stored"]  # type: ignore[index]
    assert full["files"][:1] == before["files"]  # type: ignore[index]
    assert [f[3:] for f in full["files"][1:]] == [  # type: ignore[index]
        (truth["read"], truth["stored"], truth["quarantined"], truth["duplicates"])]
    assert full["quarantine"][0] == before["quarantine"][0] + truth["quarantined"]  # type: ignore[index]
    assert full["duplicates"][0] == before["duplicates"][0] + truth["duplicates"]  # type: ignore[index]

    with Store(db) as store:  # in process: the CLI's start-up is the slow part of a no-op
        third = ingest_file(store, big)
    assert (third.status, third.batch_id, third.stored) == ("already ingested", again["batch_id"], 0)
    assert _snapshot(db) == full
