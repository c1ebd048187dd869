"""Seeded synthetic events shaped like GDELT 1.0, written straight to Parquet (or CSV) for ingest.

    python bench/generate.py --events 10000000 --out bench/.data/gen-10M [--csv] [--seed 1979]

The files are in policyshift's own event layout, so ``policyshift ingest --dataset parquet``
(or ``csv``) loads them through the real pipeline. What makes them GDELT-like:

- actors: 200 countries (XAA, XAB, ...) whose popularity is Zipf-skewed (s = 1.1; the first has
  about a fifth of all actor slots, as USA has in GDELT 1.0), each alone (45%, like GDELT's bare
  country codes) or with a sector (GOV, MIL, OPP, BUS, MED, JUD, REB); source and target drawn
  independently, so a few dyads are huge and most are sparse;
- volume growing over time: months 1979-01 to 2013-12 (420), weight exp(month / 70), so the last
  year has about 60 times the events of the first (GDELT 1.0's growth is of that order);
- CAMEO codes from 20 common ones, skewed toward verbal cooperation as in GDELT; 2% month- and
  0.5% year-precision events (stored on the first day of their period);
- breaks at known dates on known dyads (``BREAKS``): from that date on the dyad's events are
  multiplied (extra copies with their own ids), so the shift scan has a truth to find.

Every draw comes from one numpy Generator seeded with ``--seed`` and the chunk number, so the same
arguments give the same files on every machine.
"""

from __future__ import annotations

import argparse
import string
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

COUNTRIES = [f"X{a}{b}" for a in string.ascii_uppercase for b in string.ascii_uppercase][:200]
SECTORS = ["", "GOV", "MIL", "OPP", "BUS", "MED", "JUD", "REB"]
SECTOR_WEIGHTS = [0.45, 0.22, 0.10, 0.06, 0.05, 0.05, 0.04, 0.03]
ZIPF_S = 1.1
FIRST_MONTH = (1979, 1)
MONTHS = 420  # 1979-01 to 2013-12, GDELT 1.0's span
GROWTH = 70.0  # e-folding in months
# (code, weight): GDELT's most common CAMEO codes, verbal cooperation first.
CODES = [("042", 10), ("043", 8), ("010", 9), ("020", 6), ("036", 7), ("040", 6), ("051", 6), ("057", 3),
         ("061", 3), ("071", 2), ("090", 2), ("111", 4), ("112", 4), ("120", 3), ("130", 3), ("141", 2),
         ("163", 1), ("173", 2), ("190", 4), ("193", 2)]
# Known truth: (source, target, first day, factor). The dyads are among the most popular actors.
BREAKS = [("XAAGOV", "XABGOV", date(2001, 10, 1), 4), ("XACGOV", "XAAGOV", date(2001, 10, 1), 3),
          ("XAB", "XAD", date(2005, 1, 1), 4), ("XAEMIL", "XAA", date(2008, 6, 1), 3)]
FOCAL = "XAAGOV"  # the bench's focal actor: the most popular country's government
DYAD = ("XAAGOV", "XABGOV")  # the bench's dyad: a planted break at 2001-10-01
CHUNK = 5_000_000
COLUMNS = ["event_id", "date", "date_precision", "source_actor", "source_country", "target_actor",
           "target_country", "cameo_code"]


def _month_starts() -> np.ndarray:
    y, m = FIRST_MONTH
    months = np.arange(MONTHS)
    starts = [np.datetime64(f"{y + (m - 1 + k) // 12:04d}-{(m - 1 + k) % 12 + 1:02d}-01") for k in months]
    return np.array(starts, dtype="datetime64[D]")


def chunk(n: int, first_id: int, rng: np.random.Generator) -> pa.Table:
    """``n`` base events (plus the planted copies), ids from ``first_id``."""
    ranks = np.arange(1, len(COUNTRIES) + 1, dtype="float64")
    country_p = ranks ** -ZIPF_S
    country_p /= country_p.sum()
    actors = np.array([c + s for c in COUNTRIES for s in SECTORS])
    actor_p = np.outer(country_p, SECTOR_WEIGHTS).ravel()
    actor_p /= actor_p.sum()
    src = rng.choice(len(actors), n, p=actor_p)
    tgt = rng.choice(len(actors), n, p=actor_p)
    same = src == tgt  # an actor acting on itself is rare in GDELT; redraw once
    tgt[same] = rng.choice(len(actors), int(same.sum()), p=actor_p)
    month_w = np.exp(np.arange(MONTHS) / GROWTH)
    month = rng.choice(MONTHS, n, p=month_w / month_w.sum())
    starts = _month_starts()
    lengths = (np.append(starts[1:], starts[-1] + 31) - starts).astype("int64")
    day = starts[month] + (rng.random(n) * lengths[month]).astype("int64")
    precision = rng.choice(3, n, p=[0.975, 0.02, 0.005])  # day, month, year
    day = np.where(precision == 1, starts[month], day)
    day = np.where(precision == 2, day.astype("datetime64[Y]").astype("datetime64[D]"), day)
    codes = np.array([c for c, _ in CODES])
    weights = np.array([w for _, w in CODES], dtype="float64")
    code = rng.choice(len(codes), n, p=weights / weights.sum())
    # Planted breaks: extra copies of the dyad's events from the break date on.
    index = {a: i for i, a in enumerate(actors)}
    extra = []
    for s, t, when, factor in BREAKS:
        hit = np.flatnonzero((src == index[s]) & (tgt == index[t]) & (day >= np.datetime64(when)))
        extra.extend([hit] * (factor - 1))
    rows = np.concatenate([np.arange(n), *extra]) if extra else np.arange(n)
    src, tgt, day, precision, code = src[rows], tgt[rows], day[rows], precision[rows], code[rows]
    ids = np.arange(first_id, first_id + len(rows))
    names = pa.array(actors)
    country_of = pa.array([a[:3] for a in actors])
    return pa.table({
        "event_id": pa.compute.binary_join_element_wise("syn:", pa.array(ids).cast(pa.string()), ""),
        "date": pa.array(day.astype("datetime64[D]"), type=pa.date32()),
        "date_precision": pa.array(np.array(["day", "month", "year"])[precision]),
        "source_actor": names.take(pa.array(src)), "source_country": country_of.take(pa.array(src)),
        "target_actor": names.take(pa.array(tgt)), "target_country": country_of.take(pa.array(tgt)),
        "cameo_code": pa.array(codes).take(pa.array(code)),
    })


def generate(events: int, out: Path, *, seed: int = 1979, csv: bool = False, chunk_rows: int = CHUNK) -> list[Path]:
    """Write about ``events`` base events (plus planted copies) to ``out`` in chunks of files."""
    out.mkdir(parents=True, exist_ok=True)
    paths, first = [], 0
    for i, start in enumerate(range(0, events, chunk_rows)):
        n = min(chunk_rows, events - start)
        table = chunk(n, first, np.random.default_rng([seed, i]))
        first += table.num_rows
        path = out / f"events-{i:04d}.{'csv' if csv else 'parquet'}"
        if csv:
            pcsv.write_csv(table, path)
        else:
            pq.write_table(table, path, compression="zstd")
        paths.append(path)
    return paths


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1979)
    parser.add_argument("--csv", action="store_true", help="Write CSV instead of Parquet.")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    paths = generate(args.events, args.out, seed=args.seed, csv=args.csv)
    rows = sum(pq.ParquetFile(p).metadata.num_rows for p in paths) if not args.csv else None
    print(f"{len(paths)} files, {rows or '?'} events, {time.perf_counter() - started:.1f} s, in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
