"""Start ``policyshift serve`` in a child process and wait until it answers.

For the browser and load tests, the load benchmark and the docs' screenshots: each needs a real
server over HTTP on 127.0.0.1, started and stopped the same way.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx

from policyshift.errors import PolicyshiftError


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(db: Path, *, startup: float = 60.0, log: IO[str] | None = None,
            cwd: Path | None = None) -> Iterator[str]:
    """``policyshift serve --db db`` on 127.0.0.1 and a free port; yields its base URL until the block ends.

    What the server prints goes to ``log`` (discarded when None). A server that exits or does not
    answer within ``startup`` seconds raises PolicyshiftError.
    """
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "policyshift", "serve", "--db", str(db), "--port", str(port)],
                            cwd=cwd, env={**os.environ, "PYTHONUNBUFFERED": "1"},
                            stdout=log or subprocess.DEVNULL, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup
        while True:
            if proc.poll() is not None:
                raise PolicyshiftError(f"policyshift serve exited with {proc.returncode}", where=str(db),
                                       fix="run the same command by hand to see its message")
            try:
                if httpx.get(f"{url}/api/overview", timeout=startup).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise PolicyshiftError(f"policyshift serve did not answer within {startup:.0f} s", where=url,
                                       fix="give it a longer start-up time, or check the store opens")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


__all__ = ["free_port", "serving"]
