"""Web app under load: many concurrent requests over the main pages and API endpoints.

    python bench/load.py [--requests 2000] [--concurrency 200] [--big-requests 200] [--big-concurrency 20]
                         [--store demo|big|PATH]
                         [--url URL] [--repeat] [--json]

1. Starts ``policyshift serve`` (a second process: real Uvicorn, real sockets, 127.0.0.1 only) over
   the demo store (built in a temporary folder) and, when it is there, over the 20-million-event
   store of bench/series.py (bench/.data/, read-only; skipped when absent). There each request is
   about a second of DuckDB work, so the run is smaller (``--big-requests``, ``--big-concurrency``):
   200 different queries at once over 20 million events on two cores queue past the server's 30 s
   query timeout, and the server answers 503 ``query_timeout`` (as designed: bounded, not a
   fault). ``--url`` uses a
   server that is already running instead (tests/web/test_load.py does).
2. Sends ``--requests`` GETs, at most ``--concurrency`` in flight at once (httpx.AsyncClient,
   asyncio.gather), cycling over the main endpoints: /, /dyad, /api/series, /api/changes,
   /api/events, /api/triad, /api/shift, /api/overview. Each request asks a different variant (another
   ``from`` date, window, page size...): the server keeps answers per URL, and a run of eight
   repeated URLs would measure that cache rather than the queries (``--repeat`` does just that,
   for comparison). The answers the server took from its cache are counted (``X-Cache: hit``).
3. Baseline, in this process against the same server: the same number of requests at the same
   concurrency to /openapi.json (a static document through the same Uvicorn, FastAPI and
   middleware and answer cache, with no query): what serving costs before any DuckDB work.
4. Prints per endpoint the count, the statuses, p50 and p99 latency; overall requests/s; and the
   ratios app / baseline of requests/s and of p50.

Every request is bounded (``--timeout`` seconds each, ``--deadline`` for the whole run); the run
fails (exit 1) when any answer is a 5xx or a request fails. ``--json`` prints one JSON document
instead of the table, for a program to read.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx

from policyshift.web.launch import serving

ROOT = Path(__file__).resolve().parent.parent
BIG = Path(__file__).resolve().parent / ".data" / "series-20000000-250c-300m-s20010911.duckdb"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class Actors:
    """The actors and date the endpoints ask about (the demo's case by default)."""

    source: str = "PAK"
    target: str = "AFG"
    broker: str = "USA"
    at: str = "2001-09-11"


DEMO = Actors()
BIG_ACTORS = Actors(source="XAA", target="XAB", broker="XAC")  # the synthetic store's busiest countries


def endpoints(a: Actors, i: int | None = None) -> dict[str, str]:
    """Name -> path and query of each main endpoint; the ``i``-th variant (a different range, window,
    page...) when ``i`` is given, so that the server's answer cache (kept per URL) does not answer
    from memory and the run measures real queries."""
    first = "" if i is None else f"&from={date(1995, 1, 1) + timedelta(days=i % 3000)}"
    dyad = f"source={a.source}&target={a.target}{first}"
    n = 0 if i is None else i
    return {
        "/": "/" if i is None else f"/?v={i}",
        "/dyad": f"/dyad?{dyad}&by=month",
        "/api/series": f"/api/series?{dyad}&by=month",
        "/api/changes": f"/api/changes?{dyad}&by=month",
        "/api/events": f"/api/events?{dyad}&limit={100 - n % 50}",
        "/api/triad": f"/api/triad?broker={a.broker}&a={a.source}&b={a.target}&by=quarter{first}",
        "/api/shift": f"/api/shift?at={a.at}&focal={a.source}&window={12 + n % 12}&top={20 + n // 12 % 100}",
        "/api/overview": f"/api/overview?top={10 + n % 90}",
    }


@dataclass
class Result:
    """What one run saw: per endpoint the latencies (seconds) and the statuses, and the failures."""

    seconds: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, Counter[int]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    peak: int = 0  # the most requests in flight at one moment
    hits: int = 0  # answers the server took from its answer cache

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.latencies.values()) + len(self.failures)

    @property
    def server_errors(self) -> int:
        return sum(n for c in self.statuses.values() for s, n in c.items() if s >= 500)

    def summary(self) -> dict[str, Any]:
        every = [x for v in self.latencies.values() for x in v]
        return {
            "requests": self.count, "seconds": round(self.seconds, 3),
            "rps": round(self.count / self.seconds, 1) if self.seconds else None,
            "p50_ms": ms(percentile(every, 50)), "p99_ms": ms(percentile(every, 99)),
            "peak_in_flight": self.peak, "cache_hits": self.hits, "server_errors": self.server_errors, "failures": self.failures[:20],
            "endpoints": {name: {"requests": len(v), "statuses": {str(k): n for k, n in sorted(self.statuses[name].items())},
                                 "p50_ms": ms(percentile(v, 50)), "p99_ms": ms(percentile(v, 99))}
                          for name, v in self.latencies.items()},
        }


def percentile(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if q < 100 else max(values)


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


async def hammer(base: str, paths: Callable[[int], dict[str, str]], *, requests: int, concurrency: int,
                 timeout: float) -> Result:
    """``requests`` GETs cycling over the endpoints ``paths(i)`` names, at most ``concurrency`` at once;
    every one timed, and counted as answered from the server's cache or not (``X-Cache``)."""
    host = urlparse(base).hostname
    if host not in LOCAL_HOSTS:  # a load generator must never point at somebody else's server
        raise SystemExit(f"refusing to load {base}: only 127.0.0.1 / localhost")
    names = list(paths(0))
    result = Result(latencies={n: [] for n in names}, statuses={n: Counter() for n in names})
    gate = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    in_flight = 0

    async with httpx.AsyncClient(base_url=base, timeout=timeout, limits=limits) as client:
        async def one(i: int) -> None:
            nonlocal in_flight
            name = names[i % len(names)]
            async with gate:
                in_flight += 1
                result.peak = max(result.peak, in_flight)
                start = time.perf_counter()
                try:
                    r = await client.get(paths(i // len(names))[name])
                except httpx.HTTPError as e:
                    result.failures.append(f"{name}: {type(e).__name__}: {e}")
                    return
                finally:
                    in_flight -= 1
                result.latencies[name].append(time.perf_counter() - start)
                result.statuses[name][r.status_code] += 1
                result.hits += r.headers.get("x-cache") == "hit"

        start = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(requests)))
        result.seconds = time.perf_counter() - start
    return result


def run(base: str, *, actors: Actors = DEMO, requests: int = 2000, concurrency: int = 200, timeout: float = 120.0,
        deadline: float = 600.0, baseline: bool = True, repeat: bool = False) -> dict[str, Any]:
    """The load run (and its baseline) against the server at ``base``: the summary as a dict.

    ``repeat``: ask the same eight URLs over and over (what the server's answer cache is for)
    instead of a different variant each time."""
    def variant(i: int) -> dict[str, str]:
        return endpoints(actors) if repeat else endpoints(actors, i)

    async def both() -> dict[str, Any]:
        # One request to each first, so that the timed run does not measure the first visit's
        # one-off work (the overview's counts, the actor list).
        await hammer(base, lambda i: endpoints(actors), requests=len(endpoints(actors)), concurrency=1,
                     timeout=timeout)
        app = await hammer(base, variant, requests=requests, concurrency=concurrency, timeout=timeout)
        a = app.summary()
        doc: dict[str, Any] = {"url": base, "concurrency": concurrency, "repeat": repeat, "app": a}
        if baseline:
            static = await hammer(base, lambda i: {"/openapi.json": "/openapi.json"}, requests=requests,
                                  concurrency=concurrency, timeout=timeout)
            b = doc["baseline"] = static.summary()
            doc["ratio_rps"] = round(a["rps"] / b["rps"], 3) if a["rps"] and b["rps"] else None
            doc["ratio_p50"] = round(a["p50_ms"] / b["p50_ms"], 2) if a["p50_ms"] and b["p50_ms"] else None
        return doc

    return asyncio.run(asyncio.wait_for(both(), deadline))


def table(label: str, doc: dict[str, Any]) -> str:
    kind = "the same 8 URLs repeated" if doc["repeat"] else "a different URL each"
    lines = [(f"--- {label}: {doc['url']}, {doc['app']['requests']} requests ({kind}), "
              f"concurrency {doc['concurrency']}"),
             f"{'endpoint':<16}{'n':>6}{'p50 ms':>10}{'p99 ms':>10}  statuses"]
    for name, e in doc["app"]["endpoints"].items():
        lines.append(f"{name:<16}{e['requests']:>6}{e['p50_ms']!s:>10}{e['p99_ms']!s:>10}  {e['statuses']}")
    a = doc["app"]
    lines.append(f"{'all':<16}{a['requests']:>6}{a['p50_ms']!s:>10}{a['p99_ms']!s:>10}  "
                 f"{a['rps']} requests/s over {a['seconds']} s; peak in flight {a['peak_in_flight']}; "
                 f"cache hits {a['cache_hits']}; "
                 f"5xx: {a['server_errors']}; failed: {len(a['failures'])}")
    if "baseline" in doc:
        b = doc["baseline"]
        lines.append(f"{'/openapi.json':<16}{b['requests']:>6}{b['p50_ms']!s:>10}{b['p99_ms']!s:>10}  "
                     f"{b['rps']} requests/s (baseline: static document, same server)")
        lines.append(f"ratio app / baseline: requests/s {doc['ratio_rps']}, p50 {doc['ratio_p50']}x")
    return "\n".join(lines)


def ok(doc: dict[str, Any]) -> bool:
    parts = [doc["app"]] + ([doc["baseline"]] if "baseline" in doc else [])
    return all(p["server_errors"] == 0 and not p["failures"] for p in parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per run")
    parser.add_argument("--big-requests", type=int, default=200,
                        help="requests per run on the 20-million-event store (about 1 s of work each)")
    parser.add_argument("--big-concurrency", type=int, default=20,
                        help="requests in flight at once on the 20-million-event store")
    parser.add_argument("--concurrency", type=int, default=200, help="requests in flight at once")
    parser.add_argument("--store", action="append", help="demo, big or a store path (repeatable; default demo and big)")
    parser.add_argument("--url", help="load a server already running at this 127.0.0.1 URL (demo actors)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per request")
    parser.add_argument("--deadline", type=float, default=900.0, help="seconds for each whole run")
    parser.add_argument("--no-baseline", action="store_true", help="skip the /openapi.json baseline")
    parser.add_argument("--repeat", action="store_true",
                        help="the same eight URLs every time (mostly answered from the server's cache)")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args(argv)
    options = {"requests": args.requests, "concurrency": args.concurrency, "timeout": args.timeout,
               "deadline": args.deadline, "baseline": not args.no_baseline, "repeat": args.repeat}

    docs: dict[str, dict[str, Any]] = {}
    load_before = os.getloadavg()
    if args.url:
        docs["url"] = run(args.url, **options)
    else:
        for store in args.store or ["demo", "big"]:
            if store == "demo":
                from policyshift.demo import run_demo

                with tempfile.TemporaryDirectory() as tmp:
                    db = run_demo(out=Path(tmp) / "demo").store
                    with serving(db, startup=120.0, cwd=ROOT) as url:
                        docs["demo"] = run(url, **options)
                if not args.json:
                    print(table("demo", docs["demo"]), flush=True)
            elif store == "big" or Path(store).exists():
                db = BIG if store == "big" else Path(store)
                if not db.exists():
                    print(f"skipped {db.name}: absent (python bench/series.py builds it)", file=sys.stderr)
                    continue
                with serving(db, startup=120.0, cwd=ROOT) as url:
                    big = ({**options, "requests": min(args.requests, args.big_requests),
                            "concurrency": min(args.concurrency, args.big_concurrency)} if store == "big" else options)
                    docs[store] = run(url, actors=BIG_ACTORS if store == "big" else DEMO, **big)
                if not args.json:
                    print(table(store, docs[store]), flush=True)
            else:
                parser.error(f"--store {store}: not demo, big or an existing store file")
    if args.json:
        print(json.dumps(docs, indent=2))
    else:
        if args.url:
            print(table("url", docs["url"]), flush=True)
        after = os.getloadavg()
        print(f"load average before {load_before[0]:.1f}, after {after[0]:.1f} ({os.cpu_count()} CPUs; other work "
              "on the machine slows every figure alike)")
    return 0 if all(ok(d) for d in docs.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
