"""Dyad series speed: policyshift's ``series()`` against hand-written DuckDB SQL and against pandas.

    python bench/series.py [--events 20000000] [--repeat 5] [--source XAA] [--target XAB] [--fresh]

1. Builds (once; cached in bench/.data/, gitignored) a store of ``--events`` seeded synthetic events
   in the event-record schema, written straight into a ``policyshift.store.Store`` with one
   ``INSERT ... SELECT`` from DuckDB's ``range()`` (see ``build_store`` for the generator).
2. Times, in this process and on the same store, best of ``--repeat`` warm runs:
   - policyshift: ``series(backend, SOURCE, TARGET, by="month")`` (Ibis on DuckDB, including its
     one aggregation query that also counts the events too imprecise for the period);
   - baseline: one hand-written DuckDB SQL query that returns the same zero-filled frame;
   - the pandas way: load the needed columns of every event into a DataFrame, filter, groupby.
   The contenders take turns, round after round, so that a change of load on a shared machine
   hits all of them alike; CPU seconds (this process, DuckDB's threads included) are printed
   beside the wall clock. Also times ``series()``'s aggregation query alone. Prints the times, the ratio policyshift / SQL
   (target: at most 1.25) and the speed-up of policyshift over pandas, and checks that the
   three frames are equal.

The generator (all draws are hashes of the row number and the seed, so the store is the same on
every machine and with any number of threads):
- actors: ``--countries`` synthetic country codes XAA, XAB, ... times the sectors GOV, MIL, OPP,
  BUS, MED, CVL; a country is drawn as ``floor(countries * u**3)``, so popularity is heavily skewed
  (the first country takes about a third of the events as source, like USA in GDELT); sectors
  are uniform; source and target are drawn independently (self-dyads happen, as in GDELT);
- dates: ``--months`` months from 1995-01; the month is drawn with density growing exponentially
  (e**3, about 20 times more events in the last month than in the first, like GDELT's volume);
  the day is uniform on 1-28; 2% of events have month precision and 0.5% year precision (their
  date is the first day of the month or year, as the store keeps them);
- CAMEO codes from a list of 20 common codes, skewed toward verbal cooperation; the root code,
  quad class and Goldstein weight come from the store's CAMEO table.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / ".data"
SEED = 20010911
RATIO_TARGET = 1.25
SECTORS = ("GOV", "MIL", "OPP", "BUS", "MED", "CVL")
# Ordered from most to least frequent (drawn as floor(len * u**2)): verbal cooperation dominates.
CODES = ("042", "043", "010", "040", "051", "036", "020", "046", "057", "013",
         "061", "071", "0841", "112", "120", "130", "141", "173", "163", "190")
START = "1995-01-01"


# ---------------------------------------------------------------------------------------------
# The synthetic store

# One uniform draw in [0, 1) per (row, k): DuckDB's one-argument hash mixes well, whereas its
# several-argument hash(i, seed, k) gives strongly correlated draws for different k.
_U = "(hash((j + $first) * 16 + {k} + $seed * 4294967296) / 18446744073709551616.0)"
_TEMPLATE = """
INSERT INTO events (event_id, date, date_precision, source_actor, source_country, source_sector,
                    target_actor, target_country, target_sector, cameo_code, root_code, quad_class,
                    goldstein, dataset, origin_line)
WITH draws AS (
    SELECT j + $first AS i,
           floor($countries * pow({u1}, 3))::INTEGER AS sc,
           floor($countries * pow({u2}, 3))::INTEGER AS tc,
           floor($nsectors * ({u3}))::INTEGER AS ss,
           floor($nsectors * ({u4}))::INTEGER AS ts,
           floor($months * ln(1 + ({u5}) * (exp($growth) - 1))
                 / $growth)::INTEGER AS m,
           floor(28 * ({u6}))::INTEGER AS d,
           {u7} AS up,
           floor($ncodes * pow({u8}, 2))::INTEGER AS ci
    FROM range($n) r(j)
), coded AS (
    SELECT i,
           'X' || chr(65 + (sc // 26) % 26) || chr(65 + sc % 26) AS scountry,
           'X' || chr(65 + (tc // 26) % 26) || chr(65 + tc % 26) AS tcountry,
           $sectors[ss + 1] AS ssector, $sectors[ts + 1] AS tsector,
           CAST(CAST($start AS DATE) + to_months(m) AS DATE) AS month_start, d,
           CASE WHEN up < 0.02 THEN 'month' WHEN up < 0.025 THEN 'year' ELSE 'day' END AS precision,
           $codes[ci + 1] AS code
    FROM draws
)
SELECT 'synth:' || i,
       CAST(CASE precision WHEN 'day' THEN month_start + d WHEN 'month' THEN month_start
            ELSE date_trunc('year', month_start) END AS DATE),
       precision, scountry || ssector, scountry, ssector, tcountry || tsector, tcountry, tsector,
       coded.code, cameo.root_code, cameo.quad_class, cameo.goldstein, 'synthetic', i
FROM coded JOIN cameo ON cameo.code = coded.code
"""
_GENERATE = _TEMPLATE.format(**{f"u{k}": _U.format(k=k) for k in range(1, 9)})


def generate(con: Any, *, events: int, countries: int, months: int, seed: int, first: int = 0,
             sectors: int = len(SECTORS), growth: float = 3.0) -> None:
    """Insert ``events`` synthetic events (ids from ``first``) into the store behind ``con``."""
    if countries > 676 or not 1 <= sectors <= len(SECTORS):
        raise ValueError(f"at most 676 synthetic countries (XAA to XZZ) and 1 to {len(SECTORS)} sectors")
    con.execute(_GENERATE, {"n": events, "first": first, "seed": seed, "countries": countries,
                            "nsectors": sectors, "sectors": list(SECTORS[:sectors]), "months": months,
                            "growth": growth, "ncodes": len(CODES), "codes": list(CODES), "start": START})


def build_store(name: str, *, events: int, countries: int, months: int, sectors: int = len(SECTORS),
                seed: int = SEED, fresh: bool = False, after: Callable[[Any], None] | None = None) -> Path:
    """The cached store bench/.data/NAME.duckdb, generated unless it is there (``after`` may add rows)."""
    from policyshift.store import Store

    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"{name}.duckdb"
    if path.exists() and not fresh:
        return path
    partial = path.with_suffix(".partial")
    for p in (partial, Path(str(partial) + ".wal")):
        p.unlink(missing_ok=True)
    started = time.perf_counter()
    print(f"generating {events:,} events into {path} (cached for later runs) ...", file=sys.stderr, flush=True)
    with Store(partial) as store:
        store.con.execute("SET enable_progress_bar = false")
        # In slices, so that memory stays flat whatever --events is.
        step = 5_000_000
        for first in range(0, events, step):
            store.con.execute("BEGIN TRANSACTION")
            generate(store.con, events=min(step, events - first), countries=countries, months=months,
                     sectors=sectors, seed=seed, first=first)
            store.con.execute("COMMIT")
        if after is not None:
            after(store.con)
        store.con.execute("CHECKPOINT")
    partial.replace(path)
    print(f"generated in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return path


# ---------------------------------------------------------------------------------------------
# The three ways to the same series (month granularity)

_HAND_SQL = """
WITH agg AS (
    SELECT date_trunc('month', date) AS period, count(*) AS events, sum(goldstein) AS goldstein_sum,
           count(*) FILTER (WHERE quad_class = 1) AS verbal_coop,
           count(*) FILTER (WHERE quad_class = 2) AS material_coop,
           count(*) FILTER (WHERE quad_class = 3) AS verbal_conflict,
           count(*) FILTER (WHERE quad_class = 4) AS material_conflict
    FROM events
    WHERE starts_with(source_actor, $source) AND starts_with(target_actor, $target)
      AND date_precision IN ('day', 'month')
    GROUP BY 1
), grid AS (
    SELECT unnest(generate_series(min(period), max(period), INTERVAL 1 MONTH))::DATE AS period FROM agg
), filled AS (
    SELECT grid.period, coalesce(events, 0) AS events, coalesce(goldstein_sum, 0) AS goldstein_sum,
           coalesce(verbal_coop, 0) AS verbal_coop, coalesce(material_coop, 0) AS material_coop,
           coalesce(verbal_conflict, 0) AS verbal_conflict, coalesce(material_conflict, 0) AS material_conflict
    FROM grid LEFT JOIN agg ON agg.period = grid.period
)
SELECT period, events, goldstein_sum, goldstein_sum / nullif(events, 0) AS goldstein_mean,
       verbal_coop, material_coop, verbal_conflict, material_conflict,
       verbal_coop / nullif(events, 0) AS verbal_coop_share,
       material_coop / nullif(events, 0) AS material_coop_share,
       verbal_conflict / nullif(events, 0) AS verbal_conflict_share,
       material_conflict / nullif(events, 0) AS material_conflict_share,
       verbal_coop + material_coop AS cooperation, verbal_conflict + material_conflict AS conflict,
       (verbal_coop + material_coop - verbal_conflict - material_conflict) / nullif(events, 0) AS net_cooperation
FROM filled ORDER BY period
"""


def hand_sql(con: Any, source: str, target: str) -> pd.DataFrame:
    frame = con.execute(_HAND_SQL, {"source": source, "target": target}).df()
    return frame.assign(period=pd.to_datetime(frame["period"])).set_index("period")


def pandas_way(con: Any, source: str, target: str) -> pd.DataFrame:
    """What an analyst does without policyshift: every event into a DataFrame, then filter and groupby."""
    df = con.execute("SELECT date, date_precision, source_actor, target_actor, goldstein, quad_class "
                     "FROM events").df()
    df = df[df["source_actor"].str.startswith(source) & df["target_actor"].str.startswith(target)
            & df["date_precision"].isin(["day", "month"])]
    period = pd.to_datetime(df["date"]).dt.to_period("M").dt.start_time.rename("period")
    quads = pd.get_dummies(df["quad_class"]).reindex(columns=[1, 2, 3, 4], fill_value=False).astype("int64")
    quads.columns = ["verbal_coop", "material_coop", "verbal_conflict", "material_conflict"]
    g = pd.concat([df[["goldstein"]], quads], axis=1).groupby(period)
    out = g.sum().rename(columns={"goldstein": "goldstein_sum"})
    out.insert(0, "events", g.size())
    out = out.reindex(pd.date_range(out.index.min(), out.index.max(), freq="MS"), fill_value=0)
    n = out["events"].where(out["events"] > 0)
    out["goldstein_mean"] = out["goldstein_sum"] / n
    for q in ("verbal_coop", "material_coop", "verbal_conflict", "material_conflict"):
        out[f"{q}_share"] = out[q] / n
    out["cooperation"] = out["verbal_coop"] + out["material_coop"]
    out["conflict"] = out["verbal_conflict"] + out["material_conflict"]
    out["net_cooperation"] = (out["cooperation"] - out["conflict"]) / n
    out.index.name = "period"
    return out


def same(a: pd.DataFrame, b: pd.DataFrame, columns: list[str]) -> bool:
    if len(a) != len(b) or not (pd.DatetimeIndex(a.index) == pd.DatetimeIndex(b.index)).all():
        return False
    return all(np.allclose(a[c].to_numpy("float64"), b[c].to_numpy("float64"), equal_nan=True, rtol=1e-9)
               for c in columns)


def cpu_seconds() -> float:
    """This process's CPU time, DuckDB's threads included: it does not grow, as the wall clock
    does, when other processes share the cores."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def race(contenders: dict[str, Callable[[], Any]], repeat: int) -> dict[str, dict[str, Any]]:
    """Each contender once as a warm-up, then ``repeat`` rounds taking turns (so that a change of
    load on a shared machine hits all of them alike): best and median wall seconds, the best
    run's CPU seconds, and the last result."""
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in contenders}
    results = {name: fn() for name, fn in contenders.items()}
    for _ in range(repeat):
        for name, fn in contenders.items():
            cpu, started = cpu_seconds(), time.perf_counter()
            results[name] = fn()
            runs[name].append((time.perf_counter() - started, cpu_seconds() - cpu))
    return {name: {"best": min(r)[0], "median": statistics.median(w for w, _ in r), "cpu": min(r)[1],
                   "result": results[name]} for name, r in runs.items()}


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPUs"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=20_000_000)
    ap.add_argument("--countries", type=int, default=250)
    ap.add_argument("--months", type=int, default=300)
    ap.add_argument("--source", default="XAA", help="source selector (XAA is the most active country)")
    ap.add_argument("--target", default="XABGOV", help="target selector")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--pandas-repeat", type=int, default=1)
    ap.add_argument("--fresh", action="store_true", help="regenerate the cached store")
    args = ap.parse_args(argv)

    from policyshift.backends import duckdb_backend
    from policyshift.measure.series import MEASURES, aggregate, dyad_events, precise_enough, series
    from policyshift.store import Store

    path = build_store(f"series-{args.events}-{args.countries}c-{args.months}m-s{SEED}", events=args.events,
                       countries=args.countries, months=args.months, fresh=args.fresh)
    print(f"store: {path} ({path.stat().st_size / 1e9:.2f} GB)")
    print(f"before: {load()}")
    with Store(path, read_only=True) as store:
        con = store.con
        total = con.execute("SELECT count(*) FROM events").fetchone()[0]
        backend = duckdb_backend(store)
        src, tgt = args.source, args.target

        def ours() -> pd.DataFrame:
            return series(backend, src, tgt, by="month")

        def aggregate_only() -> pd.DataFrame:
            events = dyad_events(backend, src, tgt)
            return backend.execute(aggregate(events.mutate(_precise=precise_enough(events, "month")), "month",
                                             keys=("_precise",)))

        times = race({"ours": ours, "sql": lambda: hand_sql(con, src, tgt), "aggregate": aggregate_only},
                     args.repeat)
        pandas = race({"pandas": lambda: pandas_way(con, src, tgt)}, args.pandas_repeat)["pandas"]

    ours_t, sql_t = times["ours"], times["sql"]
    frame, by_sql, by_pandas = ours_t["result"], sql_t["result"], pandas["result"]
    columns = [c for c in MEASURES if c in by_sql.columns]
    ok_sql, ok_pd = same(frame, by_sql, columns), same(frame, by_pandas, columns)
    ratio = ours_t["best"] / sql_t["best"]

    def line(label: str, t: dict[str, Any]) -> str:
        return (f"{label:34s} best {t['best'] * 1000:8.1f} ms  median {t['median'] * 1000:8.1f} ms  "
                f"(CPU {t['cpu'] * 1000:7.1f} ms)")

    print(f"events in store: {total:,}; series {src} -> {tgt} by month: {len(frame)} periods, "
          f"{int(frame['events'].sum()):,} events")
    print(line("policyshift series()", ours_t))
    print(line("hand-written SQL", sql_t))
    print(line("  series' Ibis aggregation alone", times["aggregate"]))
    print("  (the rest of series() is zero-filling and the derived columns; the range and actor checks")
    print("   run only when a range is given or the answer is empty)")
    print(line("pandas (load + groupby)", pandas))
    print(f"ratio policyshift / SQL: {ratio:.2f} wall, {ours_t['cpu'] / sql_t['cpu']:.2f} CPU "
          f"(target <= {RATIO_TARGET}) {'OK' if ratio <= RATIO_TARGET else 'ABOVE TARGET'}")
    agg = times["aggregate"]
    print(f"ratio series' Ibis aggregation alone / SQL: {agg['best'] / sql_t['best']:.2f} wall, "
          f"{agg['cpu'] / sql_t['cpu']:.2f} CPU")
    print(f"speed-up over pandas: {pandas['best'] / ours_t['best']:.1f}x")
    print(f"results equal: SQL {'yes' if ok_sql else 'NO'}, pandas {'yes' if ok_pd else 'NO'}")
    print(f"after: {load()}")
    return 0 if ok_sql and ok_pd else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main())
