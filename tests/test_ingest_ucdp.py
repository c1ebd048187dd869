"""UCDP GED CSV: HDX's Pakistan extract, and a hand-written fixture with one record per quirk."""

from __future__ import annotations

import csv
import gzip
import io
from datetime import date
from pathlib import Path

import duckdb
import pytest

from policyshift.actors import NAME_ALIASES, country_name_to_iso3, iso3_to_cameo
from policyshift.errors import BadRowError, InputFileError
from policyshift.ingest import ingest_file, resolve_reader
from policyshift.ingest.base import Head
from policyshift.ingest.source import Source
from policyshift.ingest.ucdp import FIELDS, UcdpReader, is_hxl_row
from policyshift.store import Store
from tests import gdelt_rows
from tests.conftest import FIXTURES, shared_path, stored_row

QUIRKS = FIXTURES / "ucdp_quirks.csv"


def _sample() -> Path:
    return shared_path("data", "ucdp_ged_pakistan_hdx", "conflict_data_pak.csv")


def _count(store: Store, where: str) -> int:
    return store.con.execute(f"SELECT count(*) FROM events WHERE {where}").fetchone()[0]


# ---------------------------------------------------------------------------------------------
# The real sample: HDX's conflict_data_pak.csv (GED 22.1, Pakistan 1989-2021)


def test_real_sample_ingests_completely(store: Store) -> None:
    path = _sample()
    with open(path, encoding="utf-8", newline="") as f:
        records = list(csv.reader(f))
    assert len(records) == 6418 and records[1][2] == "#date+year"  # header, HXL tags, 6416 events
    result = ingest_file(store, path)  # auto-detected
    assert (result.dataset, result.read) == ("ucdp", 6416)  # the HXL row is not a record
    assert result.read == result.stored + result.quarantined + result.duplicates
    assert (result.stored, result.quarantined, result.duplicates) == (6416, 0, 0)
    # Records start on line 3 (after the tag row); the last starts on the file's last physical line
    # (10,689 lines: quoted fields hold newlines).
    assert store.con.execute("SELECT min(origin_line), max(origin_line), count(DISTINCT event_id) FROM events"
                             ).fetchone() == (3, 10689, 6416)


def test_real_sample_counts_match_source_md(store: Store) -> None:
    ingest_file(store, _sample(), dataset="ucdp")
    # Violence types 5388 state-based + 469 non-state -> 190; 559 one-sided -> 180.
    assert (_count(store, "cameo_code = '190'"), _count(store, "cameo_code = '180'")) == (5857, 559)
    assert _count(store, "target_actor = 'CVL'") == 559
    assert _count(store, "source_actor = 'USAGOV'") == 411
    assert _count(store, "source_actor = 'INDGOV'") == 433
    assert _count(store, "source_actor = 'AFGGOV'") == 91
    assert _count(store, "source_actor = 'USAGOV' AND target_actor = 'ALQ'") == 411
    assert _count(store, "year(date) BETWEEN 1998 AND 2005") == 345
    assert _count(store, "source_actor = 'INDGOV' AND target_actor = 'PAKGOV' "
                         "AND year(date) BETWEEN 1998 AND 2005") == 195
    assert _count(store, "location_country = 'PAK'") == 6416  # every event is in Pakistan


def test_real_sample_pak_ind_row(store: Store) -> None:
    ingest_file(store, _sample(), dataset="ucdp")
    assert stored_row(store, "ucdp:59553",
                "date, date_precision, source_actor, source_name, source_country, source_sector, "
                "target_actor, target_name, target_country, target_sector, cameo_code, root_code, quad_class, "
                "goldstein, plover, location_country, location_name, lat, lon, origin_line, origin_record_id, "
                "origin_document, confidence") == \
        (date(1990, 10, 4), "day", "INDGOV", "Government of India", "IND", "GOV",
         "PAKGOV", "Government of Pakistan", "PAK", "GOV", "190", "19", 4, -10.0, "ASSAULT",
         "PAK", "Kel village, Neelam district, Azad Jammu & Kashmir, Pakistan", 34.821865, 74.355544,
         3, "59553", "R 4/10 1990", None)


def test_real_sample_us_government_al_qaida_row(store: Store) -> None:
    ingest_file(store, _sample(), dataset="ucdp")
    assert stored_row(store, "ucdp:187745",
                "date, source_actor, source_country, source_sector, target_actor, target_name, target_country, "
                "target_sector, cameo_code, location_name, lat, lon, origin_line") == \
        (date(2002, 6, 26), "USAGOV", "USA", "GOV", "ALQ", "al-Qaida", None, None, "190",
         "Wana town, South Waziristan, Federally Administered Tribal Areas, Pakistan", 32.304722, 69.570278, 7799)


def test_real_sample_date_precision(store: Store) -> None:
    ingest_file(store, _sample(), dataset="ucdp")
    # date_prec 1-3: 6365 rows, day. 5: 10 rows, year. 4: 41 rows, of which 29 fall in one calendar
    # month and 12 cross into the next, which makes them year.
    got = dict(store.con.execute("SELECT date_precision, count(*) FROM events GROUP BY ALL").fetchall())
    assert got == {"day": 6365, "month": 29, "year": 22}
    assert _count(store, "date_precision = 'month' AND day(date) <> 1") == 0
    assert _count(store, "date_precision = 'year' AND (month(date) <> 1 OR day(date) <> 1)") == 0


def test_real_sample_multiline_citations_kept_whole(store: Store) -> None:
    ingest_file(store, _sample(), dataset="ucdp")
    assert _count(store, "origin_document LIKE '%' || chr(10) || '%'") > 1000
    for column in ("origin_document", "location_name", "source_name", "target_name"):
        assert _count(store, f"{column} LIKE '%' || chr(13) || '%'") == 0, column


# ---------------------------------------------------------------------------------------------
# The hand-written fixture: CRLF records, an HXL row, a citation spanning two lines (line 4-5).


def test_fixture_counts_reconcile(store: Store) -> None:
    result = ingest_file(store, QUIRKS, dataset="ucdp")
    assert (result.read, result.stored, result.quarantined, result.duplicates) == (12, 8, 3, 1)


def test_fixture_bad_rows_are_quarantined_with_line_and_field(store: Store) -> None:
    ingest_file(store, QUIRKS, dataset="ucdp")
    rows = store.con.execute("SELECT line, field, value, reason, raw FROM quarantine ORDER BY line").fetchall()
    assert [r[:3] for r in rows] == [
        (12, "date_start", "2001-02-30 00:00:00.000"),
        (13, "type_of_violence", "4"),
        (15, "(row)", "49"),
    ]
    assert "not a valid date" in rows[0][3]
    assert "not a UCDP type of violence" in rows[1][3]
    assert "49 columns where the header has 50" in rows[2][3]
    assert rows[0][4].startswith("9009,PAK-2001-1-1-9009,2001,")


def test_fixture_duplicate_id(store: Store) -> None:
    ingest_file(store, QUIRKS, dataset="ucdp")
    assert store.con.execute("SELECT line, event_id, duplicate_of, rule FROM duplicates").fetchall() == \
        [(14, "ucdp:9001", "ucdp:9001", "same event id")]


def test_fixture_multiline_record_and_line_numbers(store: Store) -> None:
    ingest_file(store, QUIRKS, dataset="ucdp")
    assert stored_row(store, "ucdp:9002", "origin_line, origin_document") == \
        (4, '"Reuters News,2004-06-18,US STRIKE IN WAZIRISTAN"\n"Dawn,2004-06-19,TRIBAL AREA ATTACK"')
    assert stored_row(store, "ucdp:9003", "origin_line") == (6,)  # the record after it starts on line 6


def test_fixture_actors(store: Store) -> None:
    ingest_file(store, QUIRKS, dataset="ucdp")
    cols = "source_actor, source_country, source_sector, target_actor, target_country, target_sector, cameo_code"
    assert stored_row(store, "ucdp:9001", cols) == ("INDGOV", "IND", "GOV", "PAKGOV", "PAK", "GOV", "190")
    assert stored_row(store, "ucdp:9002", cols) == ("USAGOV", "USA", "GOV", "ALQ", None, None, "190")
    # One-sided violence: 180; the civilians' country is not given, so none is set.
    assert stored_row(store, "ucdp:9003", cols) == (None, None, None, "CVL", None, "CVL", "180")
    assert stored_row(store, "ucdp:9003", "source_name") == ("TTP",)
    # Non-state conflict: 190; neither group has a CAMEO code, so only their names are kept.
    assert stored_row(store, "ucdp:9004", cols + ", source_name, target_name") == \
        (None, None, None, None, None, None, "190", "MQM", "MQM-H")
    assert stored_row(store, "ucdp:9005", "target_actor, target_name") == ("TAL", "Taleban")
    # A historical name in brackets resolves; a government of no known country keeps GOV only.
    assert stored_row(store, "ucdp:9008", cols + ", location_country") == \
        ("YEMGOV", "YEM", "GOV", "GOV", None, "GOV", "190", "YEM")


@pytest.mark.parametrize("event_id,expected", [
    ("ucdp:9001", (date(2001, 12, 24), "day")),    # date_prec 1
    ("ucdp:9005", (date(2008, 8, 1), "month")),    # 4: 2008-08-05..2008-08-25, one calendar month
    ("ucdp:9006", (date(2014, 1, 1), "year")),     # 4: 2014-01-20..2014-02-08 crosses a month
    ("ucdp:9007", (date(2004, 1, 1), "year")),     # 5
])
def test_fixture_date_precision(store: Store, event_id: str, expected: tuple) -> None:
    ingest_file(store, QUIRKS, dataset="ucdp")
    assert stored_row(store, event_id, "date, date_precision") == expected


def test_fixture_is_crlf_and_no_carriage_return_is_stored(store: Store) -> None:
    data = QUIRKS.read_bytes()
    assert data.count(b"\r\n") == 14 and b'\n""Dawn' in data  # 14 records; one LF inside quotes
    ingest_file(store, QUIRKS, dataset="ucdp")
    assert stored_row(store, "ucdp:9001", "lon, location_name") == \
        (74.355544, "Kel village, Neelam district, Azad Jammu & Kashmir, Pakistan")
    assert store.con.execute("SELECT count(*) FROM events WHERE concat(source_name, target_name, location_name, "
                             "origin_document) LIKE '%' || chr(13) || '%'").fetchone()[0] == 0


def test_gzip_copy(tmp_path: Path) -> None:
    gz = tmp_path / "conflict_data.csv.gz"
    gz.write_bytes(gzip.compress(QUIRKS.read_bytes()))
    with Store(tmp_path / "s.duckdb") as store:
        result = ingest_file(store, gz)
        assert (result.dataset, result.read, result.stored, result.quarantined, result.duplicates) == \
            ("ucdp", 12, 8, 3, 1)


def test_ucdp_download_without_hxl_row(store: Store, tmp_path: Path) -> None:
    """UCDP's own CSV has no tag row: its first record is data and is read."""
    lines = QUIRKS.read_bytes().split(b"\r\n")
    path = tmp_path / "ged.csv"
    path.write_bytes(b"\r\n".join([lines[0], lines[2]]) + b"\r\n")
    result = ingest_file(store, path, dataset="ucdp")
    assert (result.read, result.stored) == (1, 1)
    assert stored_row(store, "ucdp:9001", "origin_line") == (2,)


def test_a_tag_row_below_the_first_record_is_bad(store: Store, tmp_path: Path) -> None:
    lines = QUIRKS.read_bytes().split(b"\r\n")
    path = tmp_path / "ged.csv"
    path.write_bytes(b"\r\n".join([lines[0], lines[2], lines[1]]) + b"\r\n")
    result = ingest_file(store, path, dataset="ucdp")
    assert (result.read, result.stored, result.quarantined) == (2, 1, 1)
    line, raw = store.con.execute("SELECT line, raw FROM quarantine").fetchone()
    assert line == 3 and raw.startswith(",,#date+year,")


def test_is_hxl_row() -> None:
    assert is_hxl_row(["", "", "#date+year", "#geo+lat"])
    assert not is_hxl_row(["", "", ""])
    assert not is_hxl_row(["59553", "#tag"])


def test_government_names_agree_with_country_name_to_iso3() -> None:
    names = sorted({*NAME_ALIASES, "Pakistan", "United States of America", "India", "Afghanistan", "Iran",
                    "Iraq", "China", "Russia (Soviet Union)", "Myanmar (Burma)", "Atlantis (Lemuria)", "Atlantis"})
    con = duckdb.connect()
    con.execute("CREATE TABLE t (side_a VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?)", [[f"Government of {n}"] for n in names])
    got = dict(con.execute(f"SELECT side_a, {FIELDS['source_country'].sql} FROM t").fetchall())
    for name in names:
        iso3 = country_name_to_iso3(f"Government of {name}")
        assert got[f"Government of {name}"] == (iso3_to_cameo(iso3) if iso3 else None), name
    assert got["Government of Russia (Soviet Union)"] == "RUS" and got["Government of Atlantis"] is None


# ---------------------------------------------------------------------------------------------
# Detection, strict mode, bad headers


def test_auto_detection_picks_ucdp() -> None:
    assert resolve_reader("auto", Source.inspect(QUIRKS)).name == "ucdp"


def test_auto_detection_does_not_pick_ucdp_for_gdelt_or_acled(tmp_path: Path) -> None:
    path = gdelt_rows.write(tmp_path / "e.export.CSV", gdelt_rows.numbered(5))
    assert resolve_reader("auto", Source.inspect(path)).name == "gdelt2"
    assert "UCDP GED header" in (UcdpReader().sniff(Head(path.read_bytes())) or "")
    acled = b"event_id_cnty,event_date,year,time_precision,disorder_type,event_type,actor1,actor2\r\n"
    assert "UCDP GED header" in (UcdpReader().sniff(Head(acled)) or "")


def test_strict_stops_at_the_first_bad_row_and_stores_nothing(store: Store) -> None:
    with pytest.raises(BadRowError) as caught:
        ingest_file(store, QUIRKS, dataset="ucdp", strict=True)
    assert f"{QUIRKS}:12:" in str(caught.value)
    assert (caught.value.field, caught.value.value) == ("date_start", "2001-02-30 00:00:00.000")
    for table in ("events", "ingest_files", "quarantine", "duplicates"):
        assert store.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table


def test_header_missing_columns_named(store: Store, tmp_path: Path) -> None:
    text = QUIRKS.read_text(encoding="utf-8", errors="strict")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    keep = [i for i, h in enumerate(rows[0]) if h not in ("date_prec", "latitude")]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([[r[i] for i in keep] for r in rows[:3]])
    path = tmp_path / "ged.csv"
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    with pytest.raises(InputFileError, match="the header lacks latitude, date_prec") as caught:
        ingest_file(store, path, dataset="ucdp")
    assert f"{path}:1" in str(caught.value)
