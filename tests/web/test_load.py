"""Load: a second process sends 240 concurrent requests over the main endpoints to a real server.

The load generator is bench/load.py (the benchmark that reports latencies) run as a subprocess,
against ``policyshift serve`` on 127.0.0.1 (the ``live_server`` fixture), bounded in count (240
requests, all in flight at once) and in time (a deadline for the run, a timeout per request).
No timing is asserted beyond those bounds: the figures belong in bench/, not in a test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.web.conftest import fingerprint

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = 240
DEADLINE = 150  # seconds for the whole run: about 25 s on two busy cores


def test_240_concurrent_requests_no_server_error(live_server: str, web_db: Path) -> None:
    before = fingerprint(web_db)
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "load.py"), "--url", live_server,
                          "--requests", str(REQUESTS), "--concurrency", str(REQUESTS), "--no-baseline", "--json",
                          "--timeout", str(DEADLINE - 10), "--deadline", str(DEADLINE)],
                         check=False, cwd=ROOT, capture_output=True, text=True,
                         timeout=DEADLINE + 30)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    app = json.loads(run.stdout)["url"]["app"]
    assert app["failures"] == [] and app["server_errors"] == 0
    assert app["requests"] == REQUESTS
    assert app["peak_in_flight"] >= 200, "the requests were not concurrent"
    endpoints = app["endpoints"]
    assert set(endpoints) == {"/", "/dyad", "/api/series", "/api/changes", "/api/events", "/api/triad",
                              "/api/shift", "/api/overview"}
    # Every endpoint answered every request it got, and answered it well (the demo's own actors).
    for name, e in endpoints.items():
        assert e["statuses"] == {"200": REQUESTS // len(endpoints)}, (name, e)
    assert app["seconds"] < DEADLINE
    assert fingerprint(web_db) == before, "the store changed under load"


def test_load_generator_refuses_a_remote_host() -> None:
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "load.py"), "--url", "http://example.org",
                          "--requests", "1", "--no-baseline"], check=False, cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    assert run.returncode != 0 and "only 127.0.0.1" in run.stderr
