"""Shared web fixtures: the demo store (built once per session) and a real server over it.

``web_db`` is the built-in Pakistan 2001 case in a fresh store; ``live_server`` runs
``policyshift serve`` on it in a subprocess (real Uvicorn, real HTTP, 127.0.0.1, a free port) and
yields its base URL; ``client`` is an in-process client of the same app, for tests that need no
real socket.
"""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from policyshift.demo import run_demo
from policyshift.web import create_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store: the built-in case (PAK, AFG, TAL, USA... 1994-2021)."""
    return run_demo(out=tmp_path_factory.mktemp("web-demo")).store


@pytest.fixture(scope="session")
def client(web_db: Path) -> Iterator[TestClient]:
    app = create_app(web_db)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c
    app.state.server.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(web_db: Path) -> Iterator[str]:
    """``policyshift serve --db web_db`` on 127.0.0.1 and a free port; yields http://127.0.0.1:PORT."""
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    log = (web_db.parent / "serve.log").open("w")  # what serve printed: test_api reads its URL line
    proc = subprocess.Popen([sys.executable, "-m", "policyshift", "serve", "--db", str(web_db), "--port", str(port)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"policyshift serve exited with {proc.returncode}: {serve_log(web_db).read_text()}")
            try:
                if httpx.get(f"{url}/api/overview", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("policyshift serve did not answer within 60 s")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def serve_log(web_db: Path) -> Path:
    return web_db.parent / "serve.log"


def fingerprint(path: Path) -> tuple[str, int]:
    """The store file's SHA-256 and its events count (read-only), to show nothing wrote to it."""
    import duckdb

    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    con = duckdb.connect(str(path), read_only=True)
    try:
        n = int(con.execute("SELECT count(*) FROM events").fetchall()[0][0])
    finally:
        con.close()
    return digest, n
