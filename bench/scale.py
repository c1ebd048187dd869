"""How the costs grow with the store: 1, 10 and 100 million events, on DuckDB and on Spark (local mode).

    python bench/scale.py [--events 1000000 10000000] [--spark-max 10000000] [--memory-limit 4GB]
                          [--clean] [--report-only]

For each size: generate GDELT-like events (bench/generate.py, seeded, Parquet), then measure, each
step in a child process whose peak memory (RSS of the child and its descendants, the JVM
included, sampled from /proc every 0.25 s; at least the child's own ru_maxrss) and wall clock are
recorded:

1. ingest: ``policyshift ingest --dataset parquet --memory-limit`` into a fresh store (the real
   pipeline; DuckDB spills past the limit);
2. series: the monthly series of one dyad (XAAGOV -> XABGOV, a planted break at 2001-10-01);
3. focal: the shift scan of every dyad of one actor (XAAGOV, the most popular government);
4. scan: the all-dyad shift scan (at 2001-10-01, 12 months a side, normalised);
5. with Spark (sizes up to ``--spark-max``): the export to Parquet (``export_parquet``, what
   ``policyshift export --parquet`` runs, with the same memory limit), then
   steps 2-4 on the Spark backend, local[2]. The Spark child's time is the measure alone; starting
   the session (8-15 s, once per job) is recorded apart. The ratio Spark / DuckDB is printed.

Spark and DuckDB results must agree (the series' counts, the scans' tested dyads and top ten).
Results append to bench/.data/scale/results.jsonl; the table (markdown) and the log-log plot
(docs/img/scaling.png) are made from it at the end (``--report-only`` remakes them).
Targets: no step above 8 GiB peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / ".data" / "scale"
RESULTS = DATA / "results.jsonl"
PLOT = ROOT / "docs" / "img" / "scaling.png"
TARGET_GIB = 8.0
AT = "2001-10-01"
STEPS = ("series", "focal", "scan")
sys.path.insert(0, str(HERE))
import generate as gen

# ---------------------------------------------------------------------------------------------
# Measuring a child: wall clock and the peak RSS of its process tree


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            tree.setdefault(ppid, []).append(int(entry))
    return tree


def _tree_rss(pid: int) -> int:
    tree, total, todo = _children(), 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(tree.get(p, []))
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
    return total


def measure(cmd: list[str], *, log: Path) -> dict[str, Any]:
    """Run ``cmd``; its wall clock, peak RSS in GiB, exit code, and the JSON its last stdout line holds."""
    started = time.perf_counter()
    with open(log, "ab") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, cwd=ROOT)
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], _tree_rss(proc.pid))
                done.wait(0.25)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        out = proc.stdout.read() if proc.stdout else b""
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        sampler.join()
    wall = time.perf_counter() - started
    peak_bytes = max(peak[0], usage.ru_maxrss * 1024)
    lines = out.decode().strip().splitlines()
    try:
        payload = json.loads(lines[-1]) if lines else {}
    except json.JSONDecodeError:
        payload = {"stdout": lines[-1]}
    return {"wall": wall, "peak_gib": peak_bytes / 2**30, "cpu": usage.ru_utime + usage.ru_stime,
            "rc": proc.returncode, **payload}


# ---------------------------------------------------------------------------------------------
# One step, in a child process


def step(name: str, *, backend: str, db: Path, parquet: Path | None, memory_limit: str) -> dict[str, Any]:
    from policyshift.detect.scan import scan
    from policyshift.measure.series import series
    from policyshift.store import Store

    started = time.perf_counter()
    store = Store(db, read_only=True, memory_limit=memory_limit)
    if backend == "spark":
        from pyspark.sql import SparkSession

        from policyshift.backends.spark import spark_backend

        session = (SparkSession.builder.master("local[2]").appName("policyshift-bench")
                   .config("spark.driver.memory", "6g").config("spark.ui.enabled", "false")
                   .config("spark.sql.shuffle.partitions", "16").getOrCreate())
        session.sparkContext.setLogLevel("ERROR")
        b = spark_backend(parquet or "", session=session, roles=store.roles())
    else:
        from policyshift.backends import duckdb_backend

        b = duckdb_backend(store)
    setup = time.perf_counter() - started
    started = time.perf_counter()
    if name == "series":
        frame = series(b, *gen.DYAD, by="month")
        check: Any = [int(frame["events"].sum()), round(float(frame["goldstein_sum"].sum()), 6), len(frame)]
    else:
        focal = gen.FOCAL if name == "focal" else None
        result = scan(b, at=AT, focal=focal, window=12, top=10, normalize=True)
        check = [result.seen, result.tested, [f"{s}>{t}" for s, t in zip(result.shifts["source"],
                                                                          result.shifts["target"])]]
    return {"seconds": time.perf_counter() - started, "setup": setup, "check": check}


# ---------------------------------------------------------------------------------------------
# The run


def label(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else str(n)


def record(row: dict[str, Any]) -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    with open(RESULTS, "a") as f:
        f.write(json.dumps(row) + "\n")
    print(f"{row['events_label']:>5} {row['backend']:<6} {row['step']:<7} wall {row['wall']:8.1f} s"
          + (f" (measure {row['seconds']:.1f} s)" if "seconds" in row else "")
          + f"  peak {row['peak_gib']:5.2f} GiB  rc {row['rc']}", flush=True)


def run_size(n: int, *, spark: bool, memory_limit: str, clean: bool, run_id: str) -> None:
    name = label(n)
    folder = DATA / f"gen-{name}"
    if not folder.exists():
        started = time.perf_counter()
        gen.generate(n, folder)
        print(f"generated {name} in {time.perf_counter() - started:.0f} s", flush=True)
    files = sorted(str(p) for p in folder.glob("*.parquet"))
    db = DATA / f"store-{name}.duckdb"
    for p in (db, Path(str(db) + ".wal")):
        p.unlink(missing_ok=True)
    log = DATA / f"log-{name}.txt"
    py = sys.executable
    base = {"run": run_id, "events_label": name, "memory_limit": memory_limit}
    row = measure([py, "-m", "policyshift", "ingest", "--db", str(db), "--dataset", "parquet", "--memory-limit",
                   memory_limit, "--format", "json", *files], log=log)
    stored = _count(db)
    record({**base, "events": stored, "backend": "duckdb", "step": "ingest", **row,
            "rows_per_s": stored / row["wall"]})
    checks: dict[str, Any] = {}
    for s in STEPS:
        row = measure([py, str(HERE / "scale.py"), "--step", s, "--backend", "duckdb", "--db", str(db),
                       "--memory-limit", memory_limit], log=log)
        checks[s] = row.get("check")
        record({**base, "events": stored, "backend": "duckdb", "step": s, **row})
    if spark:
        pq_dir = DATA / f"parquet-{name}"
        shutil.rmtree(pq_dir, ignore_errors=True)
        # export_parquet (what policyshift export --parquet runs) with the store's memory_limit: without
        # one, DuckDB's sort for the date order took 7.3 GiB at 10 million events.
        row = measure([py, str(HERE / "scale.py"), "--export", "--db", str(db), "--parquet", str(pq_dir),
                       "--memory-limit", memory_limit], log=log)
        record({**base, "events": stored, "backend": "spark", "step": "export", **row})
        for s in STEPS:
            row = measure([py, str(HERE / "scale.py"), "--step", s, "--backend", "spark", "--db", str(db),
                           "--parquet", str(pq_dir), "--memory-limit", memory_limit], log=log)
            row["equal"] = row.get("check") == checks[s]
            record({**base, "events": stored, "backend": "spark", "step": s, **row})
            if not row["equal"]:
                print(f"  MISMATCH {s}: spark {row.get('check')} duckdb {checks[s]}", flush=True)
        if clean:
            shutil.rmtree(pq_dir, ignore_errors=True)
    if clean:
        shutil.rmtree(folder, ignore_errors=True)
        db.unlink(missing_ok=True)


def _count(db: Path) -> int:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute("SELECT count(*) FROM events").fetchone()
        return int(row[0]) if row else 0
    finally:
        con.close()


# ---------------------------------------------------------------------------------------------
# The report: a markdown table and a log-log plot


def load_results() -> list[dict[str, Any]]:
    if not RESULTS.exists():
        return []
    rows = [json.loads(line) for line in RESULTS.read_text().splitlines() if line.strip()]
    latest: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in rows:  # the latest run of each (size, backend, step)
        if r.get("rc") == 0:
            latest[(r["events_label"], r["backend"], r["step"])] = r
    return list(latest.values())


def table(rows: list[dict[str, Any]]) -> str:
    sizes = sorted({r["events_label"] for r in rows}, key=lambda s: next(r["events"] for r in rows
                                                                        if r["events_label"] == s))
    by = {(r["events_label"], r["backend"], r["step"]): r for r in rows}
    out = ["| events | step | DuckDB time | DuckDB peak RSS | Spark time | Spark peak RSS | Spark / DuckDB |",
           "|---|---|---|---|---|---|---|"]
    for size in sizes:
        for s in ("ingest", *STEPS):
            d, k = by.get((size, "duckdb", s)), by.get((size, "spark", s))
            if d is None:
                continue
            dt = d.get("seconds", d["wall"])
            ratio = f"{k['seconds'] / dt:.1f}x" if k and "seconds" in k and dt > 0 else ""
            spark_t = (f"{k['seconds']:.1f} s (+{k['setup']:.0f} s start)" if k and "seconds" in k else "")
            out.append(f"| {d['events']:,} | {s} | {dt:.1f} s | {d['peak_gib']:.2f} GiB | {spark_t} | "
                       f"{k['peak_gib']:.2f} GiB |" if k else f"| {d['events']:,} | {s} | {dt:.1f} s | "
                       f"{d['peak_gib']:.2f} GiB | | |")
            if k:
                out[-1] += f" {ratio} |"
            else:
                out[-1] += " |"
        e = by.get((size, "spark", "export"))
        if e:
            out.append(f"| {e['events']:,} | export --parquet | {e['wall']:.1f} s | {e['peak_gib']:.2f} GiB | | | |")
    return "\n".join(out)


def plot(rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5), constrained_layout=True)
    colors = {"ingest": "#1f4e79", "series": "#6a9fca", "focal": "#c0392b", "scan": "#e67e22"}
    for backend, style in (("duckdb", "-o"), ("spark", "--s")):
        for s in ("ingest", *STEPS):
            pts = sorted((r["events"], r.get("seconds", r["wall"]), r["peak_gib"]) for r in rows
                         if r["backend"] == backend and r["step"] == s)
            if not pts:
                continue
            x = [p[0] for p in pts]
            left.plot(x, [p[1] for p in pts], style, color=colors[s], label=f"{s} ({backend})")
            right.plot(x, [p[2] for p in pts], style, color=colors[s], label=f"{s} ({backend})")
    for axis, title, unit in ((left, "time", "seconds"), (right, "peak memory (RSS)", "GiB")):
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("events in the store")
        axis.set_ylabel(unit)
        axis.set_title(title)
        axis.grid(True, which="both", linewidth=0.3)
    right.axhline(TARGET_GIB, color="#555555", linestyle=":", linewidth=1)
    left.legend(fontsize=7)
    fig.suptitle("policyshift cost vs events (2 cores; solid DuckDB, dashed Spark local[2])")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--spark-max", type=int, default=10_000_000, help="Run Spark up to this size.")
    parser.add_argument("--memory-limit", default="4GB", help="DuckDB memory_limit for ingest and measures.")
    parser.add_argument("--clean", action="store_true", help="Delete each size's files when done with it.")
    parser.add_argument("--report-only", action="store_true")
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)
    parser.add_argument("--export", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--backend", choices=("duckdb", "spark"), default="duckdb", help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--parquet", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.export:  # a child: the export, with the memory limit
        from policyshift.export import export_parquet
        from policyshift.store import Store

        with Store(args.db, read_only=True, memory_limit=args.memory_limit) as store:
            print(json.dumps({"exported": export_parquet(store, args.parquet)["files"]}))
        return 0
    if args.step:  # a child: one step, its figures as JSON on the last line
        print(json.dumps(step(args.step, backend=args.backend, db=args.db, parquet=args.parquet,
                              memory_limit=args.memory_limit)))
        return 0
    if not args.report_only:
        run_id = time.strftime("%Y-%m-%dT%H:%M:%S")
        print(f"run {run_id}, load average {os.getloadavg()[0]:.1f}", flush=True)
        for n in args.events:
            run_size(n, spark=n <= args.spark_max, memory_limit=args.memory_limit, clean=args.clean, run_id=run_id)
        print(f"load average {os.getloadavg()[0]:.1f}", flush=True)
    rows = load_results()
    print(table(rows))
    if rows:
        plot(rows, PLOT)
        print(f"plot: {PLOT.relative_to(ROOT)}")
    over = [r for r in rows if r["peak_gib"] > TARGET_GIB]
    print("target (no step over 8 GiB): " + ("met" if not over else f"MISSED by {len(over)} step(s)"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
