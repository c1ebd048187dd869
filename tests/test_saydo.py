"""The say-do gap: per-period gaps by hand, pooled figures, the HAC test of the mean, errors and output."""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policyshift.backends import Backend, duckdb_backend
from policyshift.cli import app
from policyshift.errors import UsageError
from policyshift.ingest import ingest_file
from policyshift.measure.saydo import newey_west_lags, saydo
from policyshift.store import Store
from tests.series_fixtures import write_csv

# The worked example of docs/measure.md. Quad classes: 010 020 036 057 verbal cooperation (VC),
# 070 071 material cooperation (MC), 111 verbal conflict (VK), 173 190 material conflict (MK).
ROWS = [
    ["s1", "2001-01-03", "day", "PAKGOV", "USAGOV", "010"],   # January: VC VC MC VK
    ["s2", "2001-01-09", "day", "PAKGOV", "USAGOV", "036"],
    ["s3", "2001-01-15", "day", "PAKGOV", "USAGOV", "071"],
    ["s4", "2001-01-28", "day", "PAKMIL", "USAGOV", "111"],
    ["s5", "2001-02-10", "day", "USAGOV", "PAKGOV", "190"],   # February: only B -> A, so A -> B is empty
    ["s6", "2001-03-02", "day", "PAKGOV", "USAGOV", "190"],   # March: MK MC VC
    ["s7", "2001-03-12", "day", "PAKGOV", "USAGOV", "071"],
    ["s8", "2001-03-20", "day", "PAKGOV", "USAMIL", "036"],
    ["s9", "2001-04-04", "day", "PAKGOV", "USAGOV", "020"],   # April: VC VC (no material event)
    ["s10", "2001-04-05", "day", "PAKGOV", "USAGOV", "057"],
    ["s11", "2001-05-01", "day", "PAKGOV", "USAGOV", "190"],  # May: MK MK VK MC
    ["s12", "2001-05-02", "day", "PAKGOV", "USAGOV", "173"],
    ["s13", "2001-05-03", "day", "PAKGOV", "USAGOV", "111"],
    ["s14", "2001-05-04", "day", "PAKGOV", "USAGOV", "070"],
]


@pytest.fixture
def backend(store: Store, tmp_path: Path) -> Backend:
    ingest_file(store, write_csv(tmp_path / "saydo.csv", ROWS), dataset="csv")
    return duckdb_backend(store)


def _same(actual: list[float], expected: list[float]) -> bool:
    return all((math.isnan(a) and math.isnan(e)) or a == pytest.approx(e)
               for a, e in zip(actual, expected, strict=True))


def test_gaps_per_period_by_hand(backend: Backend) -> None:
    result = saydo(backend, "PAK", "USA")
    f = result.frame
    assert [p.date() for p in f.index] == [date(2001, m, 1) for m in range(1, 6)]
    assert f["events"].tolist() == [4, 0, 3, 2, 4]  # February zero-filled: s5 is the other direction
    nan = float("nan")
    assert _same(f["coop_gap"].tolist(), [2 / 4 - 1 / 4, nan, 1 / 3 - 1 / 3, 1.0, 0 - 1 / 4])
    assert _same(f["conflict_gap"].tolist(), [1 / 4 - 0, nan, 0 - 1 / 3, 0.0, 1 / 4 - 2 / 4])
    # Tone: (VC - VK)/(VC + VK) - (MC - MK)/(MC + MK); April has no material event, so it is undefined.
    assert _same(f["tone_gap"].tolist(), [1 / 3 - 1, nan, 1 - 0, nan, -1 - (-1 / 3)])
    assert result.attrs["empty_periods"] == 1 and result.attrs["n_periods"] == 5


def test_overall_pooled_and_mean(backend: Backend) -> None:
    overall = saydo(backend, "PAK", "USA").overall
    # Pooled counts: VC 5, MC 3, VK 2, MK 3, N 13.
    assert overall["coop_gap"]["pooled"] == pytest.approx((5 - 3) / 13)
    assert overall["conflict_gap"]["pooled"] == pytest.approx((2 - 3) / 13)
    assert overall["tone_gap"]["pooled"] == pytest.approx((5 - 2) / 7 - (3 - 3) / 6)
    assert overall["coop_gap"]["mean"] == pytest.approx((0.25 + 0 + 1 - 0.25) / 4)
    assert overall["tone_gap"]["mean"] == pytest.approx((-2 / 3 + 1 - 2 / 3) / 3)
    assert (overall["coop_gap"]["n_periods"], overall["tone_gap"]["n_periods"]) == (4, 3)


def test_the_hac_test_by_hand(backend: Backend) -> None:
    test = saydo(backend, "PAK", "USA").overall["coop_gap"]
    # Gaps 0.25, 0, 1, -0.25 (February left out); mean 0.25; residuals 0, -0.25, 0.75, -0.5.
    # Newey-West with L = floor(4 (4/100)^(2/9)) = 1 and Bartlett weight 1/2:
    # S = 0.875 + 2 * 1/2 * (-0.1875 - 0.375) = 0.3125; se = sqrt(S) / n.
    assert newey_west_lags(4) == 1 and test["hac_lags"] == 1
    assert test["se"] == pytest.approx(math.sqrt(0.3125) / 4)
    assert test["t"] == pytest.approx(0.25 / (math.sqrt(0.3125) / 4))
    from scipy import stats

    assert test["p"] == pytest.approx(2 * stats.t.sf(test["t"], df=3))


def test_a_clear_gap_is_significant(store: Store, tmp_path: Path) -> None:
    # Every month A praises B four times and acts against it once: the cooperation gap is 4/5 - 0 each month,
    # give or take one month in three where it also gives aid.
    rows = []
    for m in range(1, 13):
        day = f"2002-{m:02d}"
        rows += [[f"{day}-{i}", f"{day}-{i + 10}", "day", "USAGOV", "PAKGOV", "036"] for i in range(4)]
        rows.append([f"{day}-x", f"{day}-20", "day", "USAGOV", "PAKGOV", "173"])
        if m % 3 == 0:
            rows.append([f"{day}-a", f"{day}-21", "day", "USAGOV", "PAKGOV", "071"])
    ingest_file(store, write_csv(tmp_path / "gap.csv", rows), dataset="csv")
    test = saydo(duckdb_backend(store), "USA", "PAK").overall["coop_gap"]
    assert test["n_periods"] == 12 and test["mean"] == pytest.approx((8 * 4 / 5 + 4 * (4 / 6 - 1 / 6)) / 12)
    assert test["p"] < 0.001


def test_roles_resolve_by_date(store: Store, tmp_path: Path) -> None:
    rows = [["r1", "1999-03-01", "day", "TAL", "PAKGOV", "036"],    # the Taliban as AFGGOV
            ["r2", "1999-04-01", "day", "TAL", "PAKGOV", "071"],
            ["r3", "1999-05-01", "day", "AFGGOV", "PAKGOV", "111"],
            ["r4", "2002-03-01", "day", "TAL", "PAKGOV", "190"]]    # not AFGGOV any more
    ingest_file(store, write_csv(tmp_path / "roles.csv", rows), dataset="csv")
    result = saydo(duckdb_backend(store), "AFGGOV", "PAK")
    assert result.frame["events"].sum() == 3 and result.attrs["to"] == "1999-05-01"


@pytest.mark.parametrize(("args", "kwargs", "message"), [
    (("PAK", "XYZ"), {}, "unknown actor XYZ"),
    (("PAK", "USA"), {"start": "2001-03-01", "end": "2001-04-30"}, "PAK->USA has events in 2 of 2 periods"),
    (("PAK", "USA"), {"by": "quarter"}, "events in 2 of 2 periods of quarter; the test of the gap needs at least 3"),
    (("PAK", "USA"), {"start": "2001-05-01", "end": "2001-01-01"}, "--from 2001-05-01 is after --to 2001-01-01"),
])
def test_errors(backend: Backend, args: tuple[str, str], kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        saydo(backend, *args, **kwargs)


def test_cli_formats_and_plot(store: Store, tmp_path: Path) -> None:
    ingest_file(store, write_csv(tmp_path / "s.csv", ROWS), dataset="csv")
    store.close()
    env = {"POLICYSHIFT_DB": str(tmp_path / "test.duckdb"), "COLUMNS": "200"}
    chart = tmp_path / "gap.svg"
    result = CliRunner().invoke(app, ["saydo", "PAK", "USA", "--format", "json", "--plot", str(chart)], env=env)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (doc["a"], doc["b"], doc["by"], doc["empty_periods"]) == ("PAK", "USA", "month", 1)
    assert doc["periods"][3]["coop_gap"] == 1.0 and doc["periods"][3]["tone_gap"] is None
    assert set(doc["overall"]) == {"coop_gap", "conflict_gap", "tone_gap"}
    assert doc["overall"]["coop_gap"]["hac_lags"] == 1
    assert chart.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    rows = list(csv.DictReader(io.StringIO(CliRunner().invoke(app, ["saydo", "PAK", "USA", "-f", "csv"],
                                                              env=env).stdout)))
    assert len(rows) == 5 and rows[1]["coop_gap"] == "" and float(rows[0]["coop_gap"]) == 0.25
    table = CliRunner().invoke(app, ["saydo", "PAK", "USA"], env=env).stdout
    assert "coop_gap" in table and "overall" in table
    bad = CliRunner().invoke(app, ["saydo", "PAK", "XYZ"], env=env)
    assert bad.exit_code == 1 and "unknown actor XYZ" in bad.output and "Traceback" not in bad.output
