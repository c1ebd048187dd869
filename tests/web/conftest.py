"""Shared web fixtures: the demo store (built once per session) and a real server over it.

``web_db`` is the built-in Pakistan 2001 case in a fresh store; ``live_server`` runs
``policyshift serve`` on it in a subprocess (real Uvicorn, real HTTP, 127.0.0.1, a free port) and
yields its base URL; ``client`` is an in-process client of the same app, for tests that need no
real socket.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from policyshift.demo import run_demo
from policyshift.errors import PolicyshiftError
from policyshift.web import create_app
from policyshift.web.launch import serving

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


@pytest.fixture(scope="session")
def live_server(web_db: Path) -> Iterator[str]:
    """``policyshift serve --db web_db`` on 127.0.0.1 and a free port; yields http://127.0.0.1:PORT."""
    with serve_log(web_db).open("w") as log:  # what serve printed: test_api reads its URL line
        try:
            with serving(web_db, log=log, cwd=ROOT) as url:
                yield url
        except PolicyshiftError as e:
            pytest.fail(f"{e}: {serve_log(web_db).read_text()}")


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
