"""Change points: the detector's validity on seeded synthetic series with known breaks, and on a real store.

Validity (the ruptures approach): ``ruptures.pw_constant`` draws series with breaks at known
positions; jump size / noise sd is the signal-to-noise ratio. The detector must find each true
break within one period in at least 90% of cases at SNR 3, and report a break on at most 5% of
series that have none. The rates are printed (pytest -s shows them) and asserted.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import ruptures
from typer.testing import CliRunner

from policyshift.backends import duckdb_backend
from policyshift.cli import app
from policyshift.detect import changes, detect_changes
from policyshift.detect.changepoints import noise_sd, penalty_value, permutation_test
from policyshift.detect.detectors import DETECTORS
from policyshift.errors import UsageError
from policyshift.ingest import ingest_file
from policyshift.measure import series
from policyshift.store import Store

N = 60  # five years of months
SERIES = 200  # seeded series per rate
SNR = 3.0  # jump size / noise sd


def frame_of(values: np.ndarray, by: str = "month") -> pd.DataFrame:
    index = pd.period_range("2000-01", periods=len(values), freq="M").start_time
    frame = pd.DataFrame({"net_cooperation": np.asarray(values, dtype="float64"), "events": 1}, index=index)
    frame.attrs = {"by": by}
    return frame


def synthetic(seed: int, *, n_bkps: int, snr: float) -> tuple[np.ndarray, list[int]]:
    signal, bkps = ruptures.pw_constant(n_samples=N, n_features=1, n_bkps=n_bkps, noise_std=1.0,
                                        delta=(snr, snr), seed=seed)
    return signal[:, 0], bkps[:-1]


def hit_rate(method: str, snr: float, seeds: range) -> float:
    found = total = 0
    for seed in seeds:
        values, truth = synthetic(seed, n_bkps=2, snr=snr)
        # n_perm 499: a p-value resolves to 0.002, enough for alpha 0.01, at half the time of the default.
        got = [b.index for b in detect_changes(frame_of(values), method=method, n_perm=499, seed=seed)]
        total += len(truth)
        found += sum(any(abs(g - t) <= 1 for g in got) for t in truth)
    return found / total


def false_positive_rate(method: str, seeds: range) -> float:
    flagged = 0
    for seed in seeds:
        values, _ = synthetic(seed, n_bkps=0, snr=SNR)
        flagged += bool(detect_changes(frame_of(values), method=method, n_perm=499, seed=seed))
    return flagged / len(seeds)


# -- validity --------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["pelt", "binseg"])
def test_finds_known_breaks_within_one_period(method: str) -> None:
    rate = hit_rate(method, SNR, range(SERIES))
    print(f"\n{method}: {rate:.1%} of {2 * SERIES} true breaks found within one period "
          f"(SNR {SNR}, n={N}, {SERIES} series)")
    assert rate >= 0.90


@pytest.mark.parametrize("method", ["pelt", "binseg"])
def test_rarely_reports_a_break_where_there_is_none(method: str) -> None:
    rate = false_positive_rate(method, range(1000, 1000 + SERIES))
    print(f"\n{method}: a break reported on {rate:.1%} of {SERIES} series without one (n={N})")
    assert rate <= 0.05


def test_at_snr_2_localisation_is_the_limit() -> None:
    # At SNR 2 a break is nearly always found, but its date is often 2+ periods off: the l2 optimum
    # itself wanders that far. Stated in docs/detect.md; kept here so a regression shows.
    rate = hit_rate("pelt", 2.0, range(100))
    print(f"\npelt: {rate:.1%} of 200 true breaks found within one period at SNR 2")
    assert rate >= 0.70


def test_detectors_equal_ruptures_l2_model() -> None:
    # The cumulative-sum cost is a speed-up, not a different model.
    for seed in range(10):
        y = np.random.default_rng(seed).normal(size=50)
        for name, cls in (("pelt", ruptures.Pelt), ("binseg", ruptures.Binseg)):
            expected = cls(model="l2", min_size=3, jump=1).fit(y).predict(pen=2.5)
            assert DETECTORS[name](min_size=3).fit(y).predict(pen=2.5) == expected


def test_segments_respect_min_size() -> None:
    for seed in range(20):
        values, _ = synthetic(seed, n_bkps=4, snr=SNR)
        breaks = detect_changes(frame_of(values), min_size=5, alpha=None, n_perm=99)
        edges = [0, *(b.index for b in breaks), N]
        assert min(np.diff(edges)) >= 5


def test_confidence_is_reproducible_and_seeded() -> None:
    values, _ = synthetic(7, n_bkps=2, snr=1.5)
    first = detect_changes(frame_of(values), alpha=None, n_perm=199, seed=1)
    again = detect_changes(frame_of(values), alpha=None, n_perm=199, seed=1)
    assert [(b.index, b.confidence) for b in first] == [(b.index, b.confidence) for b in again]


def test_levels_sizes_and_penalty_rule() -> None:
    values = np.array([0.0, 0.2, -0.2, 0.1, -0.1, 0.0, 2.0, 2.2, 1.8, 2.1, 1.9, 2.0])
    [b] = detect_changes(frame_of(values))
    assert (b.index, b.date) == (6, date(2000, 7, 1))
    assert b.before == pytest.approx(0.0) and b.after == pytest.approx(2.0) and b.size == pytest.approx(2.0)
    assert (b.n_before, b.n_after) == (6, 6)
    assert b.confidence >= 0.99  # only the few orders that split 6/6 as cleanly match the data
    d = np.diff(values)
    sigma = 1.4826 * np.median(np.abs(d - np.median(d))) / np.sqrt(2)
    assert noise_sd(values) == pytest.approx(sigma)
    assert penalty_value(values, "bic") == pytest.approx(2 * sigma**2 * np.log(12))
    assert penalty_value(values, 4) == 4.0


def test_permutation_p_value_is_uniform_under_no_change() -> None:
    # The test's size: under "no change" p <= 0.05 about 5% of the time.
    ps = [permutation_test(np.random.default_rng(s).normal(size=30), min_size=2, n_perm=199,
                           rng=np.random.default_rng(s + 10_000))[0] for s in range(300)]
    assert 0.02 <= np.mean(np.array(ps) <= 0.05) <= 0.08


def test_empty_periods_zero_or_drop() -> None:
    up, down = [1, np.nan, 1, 1, np.nan, 1], [-1, np.nan, -1, -1, -1, np.nan]
    values = np.array(up * 2 + down * 2)
    [zero] = detect_changes(frame_of(values))
    [drop] = detect_changes(frame_of(values), empty="drop")
    assert zero.date == drop.date == date(2001, 1, 1)
    # zero: quiet months count as 0, so the levels are diluted; drop: only months with events count.
    assert (zero.before, zero.after, zero.n_before) == (pytest.approx(4 / 6), pytest.approx(-4 / 6), 12)
    assert (drop.before, drop.after, drop.n_before, drop.n_after) == (1.0, -1.0, 8, 8)
    # Under zero, half a year of 1, 0, 1, 1, 0, 1 against -1, 0, -1, -1, -1, 0 is too noisy to call.
    assert detect_changes(frame_of(np.array(up + down))) == []


def test_max_breaks_keeps_the_strongest() -> None:
    values = np.repeat([0.0, 1.0, 6.0], 10) + np.random.default_rng(0).normal(scale=0.1, size=30)
    assert len(detect_changes(frame_of(values))) == 2
    [b] = detect_changes(frame_of(values), max_breaks=1)
    assert b.index == 20


def test_usage_errors_say_what_and_how() -> None:
    frame = frame_of(np.zeros(3))
    with pytest.raises(UsageError, match=r"too few periods.*3 monthly periods from 2000-01-01 to 2000-03-01.*need 4"
                                         r".*lower --min-size"):
        detect_changes(frame)
    with pytest.raises(UsageError, match=r"--measure: unknown measure 'tone'.*use one of net_cooperation, events"):
        detect_changes(frame_of(np.zeros(12)), measure="tone")
    with pytest.raises(UsageError, match=r"--method: unknown method 'cusum'; use one of pelt, binseg"):
        detect_changes(frame_of(np.zeros(12)), method="cusum")
    with pytest.raises(UsageError, match=r"--penalty: not a penalty: 'aic'; use bic"):
        detect_changes(frame_of(np.zeros(12)), penalty="aic")
    with pytest.raises(UsageError, match=r"--empty: unknown empty-period rule 'skip'; use one of zero, drop"):
        detect_changes(frame_of(np.zeros(12)), empty="skip")
    assert detect_changes(frame_of(np.zeros(12))) == []  # constant: nothing to find, no error


# -- a real store ----------------------------------------------------------------------------------

COOP = ["042", "057", "071"]  # make a visit, sign formal agreement, provide economic aid
CONFLICT = ["195", "163", "172"]  # aerial weapons (-10), embargo (-8), administrative sanctions (-5)
TURN = 21  # October 2001, the 22nd month from January 2000


def month(i: int) -> str:
    return f"{2000 + i // 12}-{i % 12 + 1:02d}"


def case_rows() -> list[list[str]]:
    """USAGOV -> PAKGOV: 36 months, cooperation to conflict in October 2001; noise; other dyads."""
    rows = []
    for i in range(36):
        codes = list(COOP if i < TURN else CONFLICT)
        if i < TURN and i % 7 == 3:
            codes[1] = "111"  # criticise: a conflict event in the cooperative years
        if i > TURN and i % 5 == 2:
            codes[1] = "036"  # intent to negotiate: cooperation in the conflictual ones
        for j, code in enumerate(codes):
            rows.append([f"e{i:02d}{j}", f"{month(i)}-{5 + 10 * j:02d}", "day", "USAGOV", "PAKGOV", code])
        rows.append([f"r{i:02d}", f"{month(i)}-28", "day", "PAKGOV", "USAGOV", "042"])  # the other direction
    rows.append(["e21x", "2001-10-30", "day", "USAGOV", "PAKGOV", "036"])  # pulls the wrong way: not a driver
    return rows


def expected_net_cooperation() -> list[float]:
    by_month: dict[int, list[int]] = {}
    quads = {"042": 1, "057": 1, "071": 2, "036": 1, "111": 3, "195": 4, "163": 4, "172": 4}
    for event_id, day, _, _, _, code in (r for r in case_rows() if r[0].startswith("e")):
        i = (int(day[:4]) - 2000) * 12 + int(day[5:7]) - 1
        by_month.setdefault(i, []).append(1 if quads[code] <= 2 else -1)
    return [sum(v) / len(v) for _, v in sorted(by_month.items())]


@pytest.fixture
def case_store(store: Store, tmp_path: Path) -> Store:
    path = tmp_path / "turn.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["event_id", "date", "date_precision", "source_actor", "target_actor", "cameo_code"])
        w.writerows(case_rows())
    ingest_file(store, path, dataset="csv")
    return store


def test_real_store_break_date_sizes_and_drivers(case_store: Store) -> None:
    backend = duckdb_backend(case_store)
    frame = series(backend, "USAGOV", "PAKGOV", by="month")
    [b] = detect_changes(frame, backend=backend)
    net = expected_net_cooperation()
    assert b.date == date(2001, 10, 1) and b.index == TURN
    assert b.before == pytest.approx(np.mean(net[:TURN])) and b.after == pytest.approx(np.mean(net[TURN:]))
    assert b.size == pytest.approx(np.mean(net[TURN:]) - np.mean(net[:TURN]))
    assert b.size < -1.5 and b.confidence >= 0.99
    # October 2001 holds three conflict events (each -1/4 of that month's value) and one cooperative
    # one; September 2001 only cooperation. The drivers: the three, the most violent first.
    assert [d.event_id for d in b.drivers] == ["e210", "e211", "e212"]
    first = b.drivers[0]
    assert (first.cameo_code, first.quad_class, first.goldstein, first.date) == ("195", 4, -10.0, date(2001, 10, 5))
    assert (first.source_actor, first.target_actor) == ("USAGOV", "PAKGOV")
    assert first.contribution == pytest.approx(-0.25)
    assert first.origin is not None and first.origin.endswith("turn.csv:" + str(2 + 4 * TURN))


def test_drivers_of_a_count_measure(case_store: Store) -> None:
    backend = duckdb_backend(case_store)
    frame = series(backend, "USAGOV", "PAKGOV", by="month")
    [b] = detect_changes(frame, measure="material_conflict", backend=backend, top=2)
    assert b.date == date(2001, 10, 1) and b.size > 2
    assert [d.event_id for d in b.drivers] == ["e210", "e211"] and b.drivers[0].contribution == 1.0


def run(db: Path, *args: str) -> object:
    return CliRunner().invoke(app, list(args), env={"POLICYSHIFT_DB": str(db), "COLUMNS": "200"})


def test_cli_changes_json_table_csv_and_plot(case_store: Store, tmp_path: Path) -> None:
    db = Path(case_store.path)
    case_store.close()
    result = run(db, "changes", "USAGOV", "PAKGOV", "--format", "json", "--plot", str(tmp_path / "c.png"))
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert {k: doc[k] for k in ("source", "target", "by", "measure", "method", "penalty")} == {
        "source": "USAGOV", "target": "PAKGOV", "by": "month", "measure": "net_cooperation", "method": "pelt",
        "penalty": "bic"}
    [b] = doc["breaks"]
    assert b["date"] == "2001-10-01" and b["confidence"] >= 0.99
    assert set(b) >= {"date", "before", "after", "size", "confidence", "drivers"}
    assert [d["event_id"] for d in b["drivers"]] == ["e210", "e211", "e212"]
    assert set(b["drivers"][0]) >= {"event_id", "date", "source_actor", "target_actor", "cameo_code", "quad_class",
                                    "goldstein", "origin"}
    assert (tmp_path / "c.png").stat().st_size > 1000
    table = run(db, "changes", "USAGOV", "PAKGOV")
    assert table.exit_code == 0 and "2001-10-01" in table.stdout and "e210" in table.stdout
    rows = list(csv.DictReader(run(db, "changes", "USAGOV", "PAKGOV", "--format", "csv").stdout.splitlines()))
    assert rows[0]["date"] == "2001-10-01" and rows[0]["drivers"] == "e210 e211 e212"


def test_cli_errors_are_one_line(case_store: Store) -> None:
    db = Path(case_store.path)
    case_store.close()
    few = run(db, "changes", "USAGOV", "PAKGOV", "--from", "2001-01-01", "--to", "2001-03-31")
    assert few.exit_code == 1
    assert few.output.strip() == ("error: --from/--to: too few periods for change points: the series has 3 monthly "
                                  "periods from 2001-01-01 to 2001-03-01; two segments of --min-size 2 need 4; "
                                  "widen --from/--to, use a finer --by, or lower --min-size")
    bad = run(db, "changes", "USAGOV", "PAKGOV", "--measure", "tone")
    assert bad.exit_code == 1 and bad.output.startswith("error: --measure: unknown measure 'tone'; use one of events")
    late = run(db, "changes", "USAGOV", "PAKGOV", "--at", "2005-01-01")
    assert late.exit_code == 1
    assert late.output.strip() == ("error: --at: 2005-01-01 is outside the series, which runs from 2000-01-01 "
                                   "to 2002-12-31; choose a date inside that range, or widen --from/--to")
    pen = run(db, "changes", "USAGOV", "PAKGOV", "--penalty", "-3")
    assert pen.exit_code == 1 and "--penalty" in pen.output and "\n" not in pen.output.strip()


def test_changes_api_document(case_store: Store) -> None:
    result = changes(duckdb_backend(case_store), "USAGOV", "PAKGOV", method="binseg", penalty=1.0)
    assert result.document["penalty"] == 1.0 and result.document["penalty_value"] == 1.0
    assert [b["date"] for b in result.document["breaks"]] == ["2001-10-01"]
    assert result.marks()[0]["date"] == "2001-10-01"
