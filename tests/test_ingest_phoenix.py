"""Phoenix: our fixtures in the OEDA daily layout and the Cline Center layout, read by the one reader.

No Phoenix file is in ../shared/data (its README says none was fetchable), so the fixtures are our
own rows: the OEDA layout as openeventdata/phoenix_pipeline's postprocess.py writes it, the Cline
Center layout as its CSV header names it.
"""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pytest

from policyshift.errors import BadRowError, InputFileError
from policyshift.ingest import ingest_file
from policyshift.ingest.base import Head
from policyshift.ingest.phoenix import OEDA, PhoenixReader
from policyshift.ingest.source import Source, read_head
from policyshift.store import Store
from tests.conftest import FIXTURES, shared_path, stored_row

OEDA_FILE = FIXTURES / "phoenix_oeda_events.full.20150615.txt"
CLINE_FILE = FIXTURES / "phoenix_cline_swb_2001.csv"


@pytest.mark.parametrize("path,read,stored,quarantined,duplicates", [
    (OEDA_FILE, 9, 4, 4, 1),
    (CLINE_FILE, 10, 5, 4, 1),
], ids=["oeda", "cline"])
def test_fixture_counts_reconcile(store: Store, path: Path, read: int, stored: int, quarantined: int,
                                  duplicates: int) -> None:
    result = ingest_file(store, path, dataset="phoenix")
    assert (result.dataset, result.read, result.stored, result.quarantined, result.duplicates) == \
        ("phoenix", read, stored, quarantined, duplicates)
    counts = store.con.execute("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM quarantine), "
                               "(SELECT count(*) FROM duplicates)").fetchone()
    assert counts == (stored, quarantined, duplicates)


def test_oeda_row_is_mapped_field_by_field(store: Store) -> None:
    ingest_file(store, OEDA_FILE)
    row = stored_row(store, "phoenix:oeda:1000001", "date", "date_precision", "source_actor", "source_name",
               "source_country", "source_sector", "target_actor", "target_country", "target_sector", "cameo_code",
               "root_code", "quad_class", "goldstein", "location_country", "location_name", "lat", "lon",
               "origin_record_id", "origin_url", "origin_document", "origin_line")
    assert row == (date(2015, 6, 15), "day", "PAKGOV", None, "PAK", "GOV", "AFGGOV", "AFG", "GOV", "042", "04",
                   1, 1.9, "AFG", "Kabul, Afghanistan", 34.5553, 69.2075, "1000001",
                   "http://www.dawn.com/news/1188043", "557e5d2f9f1b3a0f8a000001_0", 1)


def test_oeda_quad_class_and_goldstein_come_from_the_codebook(store: Store) -> None:
    ingest_file(store, OEDA_FILE)
    # The file says QuadClass 0 (Phoenix's "neutral") for 0233; the store's rule gives 1.
    assert stored_row(store, "phoenix:oeda:1000003", "cameo_code", "quad_class", "goldstein") == ("0233", 1, 3.4)


@pytest.mark.parametrize("event_id,expected", [
    # Root IGO names no country; the first of the other codes stands in for the sector.
    ("phoenix:oeda:1000003", ("IGOUNO", None, "UNO", "GOV", None, "GOV", "SYR", "Damascus, Dimashq, Syria")),
    # Several stories merged into one event: every sentence id, the first URL; country as ISO alpha-2.
    ("phoenix:oeda:1000004", ("USAGOV", "USA", "GOV", "PAKGOVMIL", "PAK", "GOV", "PAK", "Islamabad, PK")),
    ("phoenix:oeda:1000002", ("USAMIL", "USA", "MIL", "AFGREB", "AFG", "REB", None, None)),
])
def test_oeda_actors_and_places(store: Store, event_id: str, expected: tuple) -> None:
    ingest_file(store, OEDA_FILE)
    assert stored_row(store, event_id, "source_actor", "source_country", "source_sector", "target_actor",
                "target_country", "target_sector", "location_country", "location_name") == expected


def test_oeda_merged_event_keeps_all_sentence_ids(store: Store) -> None:
    ingest_file(store, OEDA_FILE)
    assert stored_row(store, "phoenix:oeda:1000004", "origin_document", "origin_url") == (
        "557e5d2f9f1b3a0f8a000004_0;557e5d2f9f1b3a0f8a000009_2",
        "http://www.nytimes.com/2015/06/15/world/asia/truce.html")


def test_oeda_quarantine(store: Store) -> None:
    ingest_file(store, OEDA_FILE)
    rows = store.con.execute("SELECT line, field, value, reason FROM quarantine ORDER BY line").fetchall()
    assert rows == [
        (5, "Date", "20150631",
         "not a valid date (expected YYYYMMDD; impossible dates such as 2001-02-30 are refused)"),
        (6, "EventCode", "0110", "unknown CAMEO event code (not in the CAMEO codebook; see docs/cameo.md)"),
        (7, "(row)", "25", "has 25 columns where this data set has 26"),
        (8, "EventRootCode", "05", "EventRootCode does not match the first digits of the event code"),
    ]
    assert store.con.execute("SELECT line, duplicate_of FROM duplicates").fetchall() == \
        [(9, "phoenix:oeda:1000001")]


def test_cline_rows_are_mapped(store: Store) -> None:
    ingest_file(store, CLINE_FILE)
    rows = store.con.execute(
        "SELECT event_id, date, source_actor, source_country, target_actor, target_sector, cameo_code, "
        "location_country, location_name, origin_document, origin_line FROM events ORDER BY origin_line").fetchall()
    assert rows == [
        ("phoenix:cline:SWB1001", date(2001, 10, 8), "USAMIL", "USA", "AFG", None, "190", "AFG", "Kabul",
         "900001", 2),
        # "42" with root 4: a leading zero lost to a spreadsheet, put back; a quoted comma in the place.
        ("phoenix:cline:SWB1002", date(2001, 9, 24), "PAKGOV", "PAK", "USAGOV", "GOV", "042", "USA",
         "Washington, D.C., District of Columbia", "900002", 3),
        ("phoenix:cline:SWB1003", date(2001, 10, 12), "IGOUNO", None, "AFG", None, "010", None, None, "900003", 4),
        # "10" with root 10 is the root code Demand, not 010.
        ("phoenix:cline:SWB1004", date(2001, 10, 13), "USAGOV", "USA", "AFGGOV", "GOV", "10", "PAK", "Islamabad",
         "900004", 5),
        ("phoenix:cline:SWB1008", date(2001, 10, 17), "AFGREB", "AFG", None, None, "173", None, None, "900008", 9),
    ]


def test_cline_quarantine(store: Store) -> None:
    ingest_file(store, CLINE_FILE)
    rows = store.con.execute("SELECT line, field, value FROM quarantine ORDER BY line").fetchall()
    assert rows == [(6, "story_date", "13/45/2001"), (7, "code", "999"), (8, "root_code", "05"),
                    (10, "(row)", "7")]
    reason = store.con.execute("SELECT reason FROM quarantine WHERE line = 6").fetchone()[0]
    assert reason.startswith("not a valid date (expected MM/DD/YYYY")


def test_both_layouts_in_one_store(store: Store) -> None:
    ingest_file(store, OEDA_FILE)
    ingest_file(store, CLINE_FILE)
    assert store.con.execute("SELECT count(*), count(DISTINCT event_id) FROM events WHERE dataset = 'phoenix'"
                             ).fetchone() == (9, 9)


def test_auto_detection_and_gzip(store: Store, tmp_path: Path) -> None:
    gz = tmp_path / "events.full.20150615.txt.gz"
    gz.write_bytes(gzip.compress(OEDA_FILE.read_bytes()))
    for path in (OEDA_FILE, CLINE_FILE, gz):
        assert ingest_file(store, path).dataset == "phoenix", path


@pytest.mark.parametrize("name", ["events.csv", "events1.csv", "eventsT.csv", "mentions.csv"])
def test_gdelt_files_are_not_taken_for_phoenix(name: str) -> None:
    path = shared_path("data", "gdelt_spark-gdelt_fixtures", name)
    why = PhoenixReader().sniff(Head(read_head(Source.inspect(path))))
    assert why is not None and "tab-separated columns, Phoenix (OEDA) has 26" in why


def test_a_stray_short_line_does_not_hide_the_layout(store: Store, tmp_path: Path) -> None:
    lines = OEDA_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "short.txt"
    path.write_text(lines[0] + "1000099\t20150615\n" + "".join(lines[1:4]), encoding="utf-8")
    result = ingest_file(store, path)
    assert (result.dataset, result.read, result.stored, result.quarantined) == ("phoenix", 5, 4, 1)


def test_mostly_other_columns_is_not_phoenix(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "other.txt"
    path.write_text("1\t20150615\tx\n2\t20150615\ty\n", encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        ingest_file(store, path, dataset="phoenix")
    assert "its lines have 3 tab-separated columns, Phoenix (OEDA) has 26" in str(caught.value)


@pytest.mark.parametrize("path,where", [(OEDA_FILE, "5: field Date = '20150631'"),
                                        (CLINE_FILE, "6: field story_date = '13/45/2001'")], ids=["oeda", "cline"])
def test_strict_names_file_line_and_field_and_stores_nothing(store: Store, path: Path, where: str) -> None:
    with pytest.raises(BadRowError) as caught:
        ingest_file(store, path, strict=True)
    assert str(caught.value).startswith(f"{path}:{where}: not a valid date")
    assert store.con.execute("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM ingest_files)"
                             ).fetchone() == (0, 0)


def test_oeda_layout_has_the_26_columns_of_postprocess() -> None:
    # postprocess.create_strings: id, story date, year, month, day, 8 actor fields, code, root code,
    # quad class, goldstein, issues, lat, lon, place, state, country, ids, urls, sources.
    assert OEDA.index("EventCode") == 13 and OEDA.index("Lat") == 18 and OEDA.index("CountryName") == 22
    assert OEDA[-3:] == ["SentenceID", "URLs", "NewsSources"]
