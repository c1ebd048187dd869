"""The shift scan: planted shifts come out on top, unchanged dyads stay within the FDR, and the
figures match a hand computation from the events.

The store is a seeded synthetic one with a known truth, written as a policyshift CSV and ingested
the ordinary way: 8 countries x 3 sectors = 24 actors, 552 directed dyads, 48 months (2000-2003),
each dyad's monthly counts negative binomial (overdispersed, as real event counts are) around its
own rate. From 2002-01-01 on, six planted dyads (5 events a month before) quadruple their rate
(VOLUME), and three others keep their rate but switch from mostly cooperation to 90% conflict (TONE).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from typer.testing import CliRunner

from policyshift.backends import Backend, duckdb_backend
from policyshift.cli import app
from policyshift.detect.scan import scan, to_document
from policyshift.errors import UsageError
from policyshift.ingest import ingest_file
from policyshift.store import Store

COUNTRIES = ("PAK", "USA", "IND", "CHN", "IRN", "GBR", "RUS", "SAU")
SECTORS = ("GOV", "MIL", "OPP")
ACTORS = [c + s for c in COUNTRIES for s in SECTORS]
MONTHS = pd.period_range("2000-01", "2003-12", freq="M")
SHIFT = date(2002, 1, 1)
VOLUME = [("PAKGOV", "USAGOV"), ("USAGOV", "PAKGOV"), ("INDMIL", "PAKMIL"), ("CHNGOV", "RUSGOV"),
          ("IRNOPP", "SAUGOV"), ("GBRGOV", "PAKOPP")]
TONE = [("USAMIL", "IRNMIL"), ("RUSGOV", "GBRGOV"), ("SAUMIL", "INDGOV")]
COOPERATION = ("042", "043", "051", "057", "061")  # quad classes 1 and 2
CONFLICT = ("112", "120", "130", "173", "190")  # quad classes 3 and 4
SEED = 20020101


def write_events(path: Path) -> Path:
    rng = np.random.default_rng(SEED)
    rows: list[tuple[str, ...]] = []
    for source in ACTORS:
        for target in ACTORS:
            if source == target:
                continue
            rate = float(np.exp(rng.normal(0.7, 0.7)))
            coop_share = float(rng.uniform(0.6, 0.9))
            if (source, target) in VOLUME + TONE:
                rate = 5.0  # enough events for 12 overdispersed months to show the change
            for month in MONTHS:
                after = month.start_time.date() >= SHIFT
                mu = rate * (4.0 if after and (source, target) in VOLUME else 1.0)
                n = int(rng.poisson(mu * rng.gamma(10.0, 1 / 10.0)))  # negative binomial, size 10
                share = 0.1 if after and (source, target) in TONE else coop_share
                codes = np.where(rng.random(n) < share, rng.choice(COOPERATION, n), rng.choice(CONFLICT, n))
                days = rng.integers(1, month.days_in_month + 1, n)
                first = len(rows)
                rows.extend((f"t:{first + i}", f"{month.year}-{month.month:02d}-{day:02d}", "day",
                             source, source[:3], target, target[:3], str(code))
                            for i, (code, day) in enumerate(zip(codes, days)))
    # Month-precision events: counted at month granularity, left out (and counted) at week granularity.
    for i in range(40):
        rows.append((f"m:{i}", "2001-06", "month", "GBROPP", "GBR", "RUSOPP", "RUS", "042"))
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["event_id", "date", "date_precision", "source_actor", "source_country", "target_actor",
                         "target_country", "cameo_code"])
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("scan")
    path = folder / "scan.duckdb"
    with Store(path) as store:
        result = ingest_file(store, write_events(folder / "events.csv"), dataset="csv")
        assert result.quarantined == 0 and result.duplicates == 0 and result.stored == result.read
    return path


@pytest.fixture(scope="module")
def backend(db: Path) -> Iterator[Backend]:
    store = Store(db, read_only=True)
    yield duckdb_backend(store)
    store.close()


def dyads(frame: pd.DataFrame) -> list[tuple[str, str]]:
    return list(zip(frame["source"], frame["target"]))


def test_planted_volume_shifts_rank_on_top_and_nulls_stay_within_the_fdr(backend: Backend) -> None:
    result = scan(backend, at=SHIFT, window=12, top=None)
    ranked = result.dyads
    assert set(dyads(ranked.head(len(VOLUME)))) == set(VOLUME)
    assert (ranked.head(len(VOLUME))["q"] < 0.01).all()
    assert (ranked.head(len(VOLUME))["ratio"] > 2.5).all()
    null = ranked[[d not in VOLUME for d in dyads(ranked)]]
    assert len(null) > 500
    # The false discovery rate is held: at most a few unchanged dyads come out significant ...
    false = int((null["q"] < 0.05).sum())
    assert false / (false + len(VOLUME)) <= 0.25
    # ... and the test is calibrated on them: about 5% of null p-values below 0.05, not far more.
    assert (null["p"] < 0.05).mean() <= 0.08
    assert result.significant >= len(VOLUME)


def test_planted_tone_shifts_lead_the_net_cooperation_scan(backend: Backend) -> None:
    result = scan(backend, at=SHIFT, window=12, top=len(TONE), measure="net_cooperation")
    shifts = result.shifts
    assert set(dyads(shifts)) == set(TONE)
    assert (shifts["q"] < 0.01).all() and (shifts["difference"] < -0.8).all()
    # Their volume did not change, so the count scan does not flag them.
    counts = scan(backend, at=SHIFT, window=12, top=None).dyads.set_index(["source", "target"])
    assert (counts.loc[TONE, "q"] > 0.05).all()


def test_figures_match_a_hand_computation(backend: Backend, db: Path) -> None:
    source, target = "CHNGOV", "RUSGOV"
    with Store(db, read_only=True) as store:
        events = store.con.execute("SELECT date, quad_class FROM events WHERE source_actor = ? AND target_actor = ? "
                                   "AND date_precision = 'day'", [source, target]).df()
    monthly = pd.to_datetime(events["date"]).dt.to_period("M").value_counts()
    before = monthly.reindex(pd.period_range("2001-01", "2001-12", freq="M"), fill_value=0).to_numpy(float)
    after = monthly.reindex(pd.period_range("2002-01", "2002-12", freq="M"), fill_value=0).to_numpy(float)
    row = scan(backend, at="2002-01-15", window=12, top=None).dyads.set_index(["source", "target"]).loc[
        (source, target)]
    assert row["events_before"] == before.sum() and row["events_after"] == after.sum()
    assert row["before"] == pytest.approx(before.mean()) and row["after"] == pytest.approx(after.mean())
    pooled = np.sqrt((before.var(ddof=1) + after.var(ddof=1)) / 2)
    assert row["d"] == pytest.approx((after.mean() - before.mean()) / pooled)
    x2 = sum(((s - s.mean()) ** 2).sum() / s.mean() for s in (before, after))
    phi = max(1.0, x2 / 22)
    n = before.sum() + after.sum()
    z = (after.sum() - n / 2) / np.sqrt(phi * n / 4)
    assert row["statistic"] == pytest.approx(z)
    assert row["p"] == pytest.approx(2 * stats.t.sf(abs(z), 22))


def test_event_weighted_means_match_a_hand_computation(backend: Backend, db: Path) -> None:
    source, target = "USAMIL", "IRNMIL"
    with Store(db, read_only=True) as store:
        events = store.con.execute("SELECT date, quad_class FROM events WHERE source_actor = ? AND target_actor = ?",
                                   [source, target]).df()
    value = np.where(events["quad_class"] <= 2, 1.0, -1.0)
    day = pd.to_datetime(events["date"])
    before = value[(day >= "2001-01-01") & (day < "2002-01-01")]
    after = value[(day >= "2002-01-01") & (day < "2003-01-01")]
    row = scan(backend, at=SHIFT, measure="net_cooperation", top=None).dyads.set_index(["source", "target"]).loc[
        (source, target)]
    assert row["before"] == pytest.approx(before.mean()) and row["after"] == pytest.approx(after.mean())
    within = np.sqrt((before.var(ddof=1) * (len(before) - 1) + after.var(ddof=1) * (len(after) - 1))
                     / (len(before) + len(after) - 2))
    assert row["d"] == pytest.approx((after.mean() - before.mean()) / within)
    # The null variance includes the shift itself, and months that hang together inflate it: on this
    # shifted dyad the test is more cautious than a plain event-level t test.
    assert abs(row["statistic"]) < abs(stats.ttest_ind(after, before).statistic)


def test_focal_role_counts_the_dyad_while_the_role_is_held(tmp_path: Path) -> None:
    # TAL holds the AFGGOV role from 1996-09-27 to 2001-11-13 (the package's roles.yaml).
    with Store(tmp_path / "roles.duckdb") as store:
        # Three events a month, 1999 to 2011, for TAL -> USAGOV and AFGGOV -> PAKGOV.
        store.con.execute(
            "INSERT INTO events (event_id, date, date_precision, source_actor, target_actor, cameo_code, quad_class, "
            "goldstein, dataset) SELECT 'r:' || row_number() OVER (), CAST(m AS DATE) + CAST(k AS INTEGER), 'day', pair[1], pair[2], "
            "'042', 1, 1.9, 'test' FROM generate_series(DATE '1999-01-01', DATE '2011-12-01', INTERVAL 1 MONTH) g(m), "
            "(VALUES (['TAL', 'USAGOV']), (['AFGGOV', 'PAKGOV'])) p(pair), range(3) r(k)")
        backend = duckdb_backend(store)
        in_role = scan(backend, at="2001-06-01", focal="AFGGOV", window=6, top=None, min_events=1)
        assert set(dyads(in_role.dyads)) == {("TAL", "USAGOV"), ("AFGGOV", "PAKGOV")}
        later = scan(backend, at="2010-01-01", focal="AFGGOV", window=12, top=None, min_events=1)
        assert set(dyads(later.dyads)) == {("AFGGOV", "PAKGOV")}
        # A known actor that is quiet in the windows: an empty scan, not an error.
        store.con.execute("INSERT INTO events (event_id, date, date_precision, source_actor, target_actor, "
                          "cameo_code, dataset) VALUES ('old', DATE '1999-03-01', 'day', 'OLDACT', 'USAGOV', '042', "
                          "'test')")
        quiet = scan(backend, at="2010-01-01", focal="OLDACT", top=None)
        assert (quiet.seen, quiet.tested, quiet.significant, quiet.untested) == (0, 0, 0, {"below_min_events": 0})


def test_zero_filled_months_count(backend: Backend, db: Path) -> None:
    # A sparse dyad: its empty months are zeros in the mean, not left out.
    result = scan(backend, at=SHIFT, window=12, top=None, min_events=1).dyads
    sparse = result[(result["events_before"] > 0) & (result["events_before"] < 8)].iloc[0]
    assert sparse["before"] == pytest.approx(sparse["events_before"] / 12)


def test_focal_restricts_to_the_actors_dyads_either_direction(backend: Backend) -> None:
    result = scan(backend, at=SHIFT, focal="PAK", top=None)
    pairs = dyads(result.dyads)
    assert all(s.startswith("PAK") or t.startswith("PAK") for s, t in pairs)
    assert any(s.startswith("PAK") for s, _ in pairs) and any(t.startswith("PAK") for _, t in pairs)
    # Every dyad with a Pakistani actor (3 x 21 as source, 21 x 3 as target, 3 x 2 among themselves).
    assert result.seen == 3 * 21 * 2 + 3 * 2
    planted = [d for d in VOLUME if "PAK" in d[0][:3] + d[1][:3]]
    assert set(dyads(result.dyads.head(len(planted)))) == set(planted)
    narrow = scan(backend, at=SHIFT, focal="pakgov", top=None)
    assert all("PAKGOV" in (s, t) for s, t in dyads(narrow.dyads)) and narrow.query["focal"] == "PAKGOV"


def test_country_level_and_undirected(backend: Backend) -> None:
    countries = scan(backend, at=SHIFT, level="country", top=None)
    assert {s for s, _ in dyads(countries.dyads)} <= set(COUNTRIES)
    assert countries.seen == len(COUNTRIES) ** 2  # the sectors of one country talk to each other too
    pooled = scan(backend, at=SHIFT, directed=False, top=None)
    assert all(s <= t for s, t in dyads(pooled.dyads))
    assert pooled.seen == len(ACTORS) * (len(ACTORS) - 1) // 2
    assert ("PAKGOV", "USAGOV") in dyads(pooled.dyads.head(5))


def test_min_events_filter_reports_the_untested(backend: Backend) -> None:
    everything = scan(backend, at=SHIFT, top=None, min_events=1)
    strict = scan(backend, at=SHIFT, top=None, min_events=60)
    totals = everything.dyads["events_before"] + everything.dyads["events_after"]
    assert strict.tested == int((totals >= 60).sum())
    assert strict.untested["below_min_events"] == strict.seen - strict.tested > 0
    assert (strict.dyads["events_before"] + strict.dyads["events_after"] >= 60).all()


def test_imprecise_events_are_left_out_at_week_granularity(backend: Backend) -> None:
    assert scan(backend, at="2001-07-02", by="month", top=1).imprecise_excluded == 0
    weekly = scan(backend, at="2001-07-02", by="week", window=8, top=1)
    assert weekly.imprecise_excluded == 40
    assert weekly.query["before"] == {"from": "2001-05-07", "to": "2001-07-01"}


def test_normalize_and_other_measures_run(backend: Backend) -> None:
    normalised = scan(backend, at=SHIFT, normalize=True, top=3)
    assert set(dyads(normalised.shifts)) <= set(VOLUME)
    for measure in ("goldstein_sum", "goldstein_mean", "conflict", "material_conflict_share"):
        result = scan(backend, at=SHIFT, measure=measure, top=5)
        assert result.tested > 100 and result.shifts["p"].between(0, 1).all()
    doc = to_document(normalised)
    assert doc["normalize"] is True and len(doc["shifts"]) == 3


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"at": "2010-01-01"}, "--at 2010-01-01 is outside the data, which runs from 2000-01-01 to 2003-12-31"),
    ({"at": "2002-01-01", "window": 30}, ("--window 30 is too large at 2002-01-01: the data (2000-01-01 to "
                                          "2003-12-31) has 24 months before the month of 2002-01-01 and 24 from "
                                          "it on; use --window 24 or less, or a finer --by")),
    ({"at": "2000-01-10"}, "choose a date further from the ends of the data"),
    ({"at": "2002-01-01", "window": 1}, "--window 1 is too small"),
    ({"at": "2002-01-01", "focal": "PAQ"}, ("unknown actor PAQ: no event in the store has an actor code starting "
                                           "with it; nearest codes in the store: PAK")),
    ({"at": "2002-01-01", "focal": "PAKGOV", "level": "country"}, "unknown country PAKGOV"),
    ({"at": "2002-01-01", "measure": "tone"}, "unknown measure 'tone'"),
    ({"at": "2002-01-01", "measure": "net_cooperation", "normalize": True}, "--normalize does not apply"),
    ({"at": "1 Jan 2002"}, "not a date: '1 Jan 2002'"),
])
def test_errors_say_what_and_how_to_fix(backend: Backend, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        scan(backend, **kwargs)
    assert message in str(caught.value)


def invoke(db: Path, *args: str) -> Any:
    return CliRunner().invoke(app, ["shift", "--db", str(db), *args], env={"COLUMNS": "200"})


def test_cli_formats(db: Path, tmp_path: Path) -> None:
    result = invoke(db, "--at", "2002-01-01", "--format", "json", "--top", "3", "--plot", str(tmp_path / "s.png"))
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["at"] == "2002-01-01" and doc["window"] == 12 and len(doc["shifts"]) == 3
    assert {"dyads", "tested", "untested", "significant", "before", "after", "test"} <= set(doc)
    assert set(doc["shifts"][0]) >= {"rank", "source", "target", "before", "after", "difference", "d", "p", "q"}
    assert (tmp_path / "s.png").stat().st_size > 1000
    rows = invoke(db, "--at", "2002-01-01", "--format", "csv", "--top", "2", "--focal", "USA").stdout.splitlines()
    assert rows[0].startswith("rank,source,target,events_before") and len(rows) == 3
    table = invoke(db, "--at", "2002-01-01", "--top", "2").stdout
    top = doc["shifts"][0]
    assert top["source"] in table and top["target"] in table
    assert "e-0" in table  # tiny q-values print as 1.8e-05, not as 0


def test_cli_error_is_one_line(db: Path) -> None:
    result = invoke(db, "--at", "2002-01-01", "--window", "40")
    assert result.exit_code == 1
    assert result.output.strip().startswith("error: --window: --window 40 is too large")
    assert len(result.output.strip().splitlines()) == 1
