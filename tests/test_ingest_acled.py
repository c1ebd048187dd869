"""ACLED: our fixtures in the three published layouts ingest with the counts and values the codebook implies.

No ACLED sample may be redistributed (../shared/data/README.md), so the fixtures are our own rows in
ACLED's column layouts: today's (tests/fixtures/acled_pakistan_afghanistan_2021.csv), HDX's copy
with its HXL row and iso3 column, and the capitalised layout before 2019.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from policyshift.cameo import codebook
from policyshift.errors import BadRowError, InputFileError
from policyshift.ingest import ingest_file
from policyshift.ingest.acled import AcledReader, cameo_table, data_table
from policyshift.ingest.base import Head
from policyshift.ingest.source import Source, read_head
from policyshift.store import Store
from tests.conftest import FIXTURES, ROOT, shared_path, stored_row

MODERN = FIXTURES / "acled_pakistan_afghanistan_2021.csv"
HDX = FIXTURES / "acled_hdx_afghanistan_2019.csv"
OLD = FIXTURES / "acled_africa_2015_old_layout.csv"


@pytest.mark.parametrize("path,read,stored,quarantined,duplicates", [
    (MODERN, 14, 8, 5, 1),
    (HDX, 3, 3, 0, 0),  # the HXL hashtag row under the header is not a record
    (OLD, 6, 5, 1, 0),
], ids=["modern", "hdx", "before-2019"])
def test_fixture_counts_reconcile(store: Store, path: Path, read: int, stored: int, quarantined: int,
                                  duplicates: int) -> None:
    result = ingest_file(store, path, dataset="acled")
    assert (result.dataset, result.read, result.stored, result.quarantined, result.duplicates) == \
        ("acled", read, stored, quarantined, duplicates)
    assert result.read == result.stored + result.quarantined + result.duplicates
    counts = store.con.execute("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM quarantine), "
                               "(SELECT count(*) FROM duplicates)").fetchone()
    assert counts == (stored, quarantined, duplicates)


def test_an_ied_attack_is_mapped_field_by_field(store: Store) -> None:
    ingest_file(store, MODERN)
    row = stored_row(store, "acled:PAK1001", "date", "date_precision", "source_actor", "source_name", "source_country",
               "source_sector", "target_actor", "target_name", "target_country", "target_sector", "cameo_code",
               "root_code", "quad_class", "goldstein", "location_country", "location_name", "lat", "lon",
               "origin_record_id", "origin_url", "origin_document", "origin_sentence", "origin_line", "dataset")
    assert row == (
        date(2021, 8, 15), "day",
        "PAKUAF", "Unidentified Armed Group (Pakistan)", "PAK", "UAF",  # actor1 is the source
        "PAKMIL", "Military Forces of Pakistan (2018-)", "PAK", "MIL",  # actor2 the target
        "183", "18", 4, -10.0,  # Remote explosive/landmine/IED: non-military bombing
        "PAK", "Miran Shah, Khyber Pakhtunkhwa, Pakistan", 33.0, 70.07,
        "PAK1001", None, "Dawn; Express Tribune",
        ("On 15 August 2021, an IED planted by unidentified militants hit a military vehicle near Miran Shah, "
         "killing 2 soldiers."), 2, "acled")


@pytest.mark.parametrize("event_id,expected", [
    # "D Month YYYY" dates; a known group; no actor2.
    ("acled:AFG2001", (date(2021, 8, 15), "day", "TAL", None, "REB", None, "192", "AFG")),
    ("acled:AFG2002", (date(2021, 9, 2), "day", "USAMIL", "USA", "MIL", "AFGREB", "195", "AFG")),
    # ACLED writes iso 0 for Kosovo: the country name decides; actor codes use CAMEO's KOS.
    ("acled:XKX1001", (date(2021, 9, 20), "day", "KOSCOP", "KOS", "COP", "KOSCVL", "175", "XKX")),
    ("acled:PAK1005", (date(2021, 9, 12), "day", "PAKMIL", "PAK", "MIL", "REB", "190", "PAK")),
    ("acled:PAK1009", (date(2021, 9, 22), "day", "PAKCVL", "PAK", "CVL", "PAKCVL", "145", "PAK")),
])
def test_actors_types_and_countries(store: Store, event_id: str, expected: tuple) -> None:
    ingest_file(store, MODERN)
    assert stored_row(store, event_id, "date", "date_precision", "source_actor", "source_country", "source_sector",
                "target_actor", "cameo_code", "location_country") == expected


@pytest.mark.parametrize("event_id,precision", [("acled:PAK1002", "2"), ("acled:PAK1003", "3")])
def test_week_and_month_precision_become_month(store: Store, event_id: str, precision: str) -> None:
    ingest_file(store, MODERN)
    # The coded days (2021-08-20, 2021-08-15) are not claimed: the month is what is known.
    assert stored_row(store, event_id, "date", "date_precision") == (date(2021, 8, 1), "month")


def test_quarantine_names_line_field_value_and_reason(store: Store) -> None:
    ingest_file(store, MODERN)
    rows = store.con.execute("SELECT line, field, value, reason FROM quarantine ORDER BY line").fetchall()
    assert [r[:3] for r in rows] == [
        (7, "event_date", "2021-09-31"),
        (9, "sub_event_type", "Other"),
        (10, "event_type", "Cyber attack"),
        (11, "(row)", "7"),
        (14, "time_precision", ""),
    ]
    reasons = [r[3] for r in rows]
    assert reasons[0].startswith("not a valid date (expected YYYY-MM-DD or D Month YYYY")
    assert "no CAMEO equivalent" in reasons[1]
    assert reasons[2].startswith("not an ACLED event type")
    assert reasons[3] == "has 7 columns where the header has 31"
    assert reasons[4].startswith("not an ACLED time precision")
    raw = store.con.execute("SELECT raw FROM quarantine WHERE line = 10").fetchone()[0]
    assert raw.startswith("PAK1007,2021-09-14,2021,1,Political violence,Cyber attack,Hacking,")


def test_a_quoted_note_over_two_lines_keeps_the_line_count(store: Store) -> None:
    ingest_file(store, MODERN)
    note, line = stored_row(store, "acled:PAK1002", "origin_sentence", "origin_line")
    assert (line, note) == (4, ("In the week of 20 August 2021, PTI supporters rallied in Lahore.\n"
                                "No injuries were reported."))
    assert stored_row(store, "acled:PAK1003", "origin_line") == (6,)  # the record after it starts on line 6


def test_missing_values_stay_empty(store: Store) -> None:
    ingest_file(store, MODERN)
    assert stored_row(store, "acled:PAK1009", "lat", "lon", "location_name", "origin_sentence") == \
        (None, None, "Punjab, Pakistan", None)
    assert stored_row(store, "acled:AFG2001", "target_actor", "target_name", "target_country", "target_sector") == \
        (None, None, None, None)


def test_an_updated_row_with_the_same_id_is_a_duplicate(store: Store) -> None:
    ingest_file(store, MODERN)
    assert store.con.execute("SELECT line, event_id, duplicate_of, rule FROM duplicates").fetchall() == \
        [(13, "acled:PAK1001", "acled:PAK1001", "same event id")]
    assert stored_row(store, "acled:PAK1001", "origin_line") == (2,)  # the first copy is kept


def test_hdx_copy_reads_iso3_and_skips_the_hxl_row(store: Store) -> None:
    ingest_file(store, HDX)
    rows = store.con.execute("SELECT event_id, origin_line, location_country, source_actor, target_actor, cameo_code "
                             "FROM events ORDER BY origin_line").fetchall()
    assert rows == [
        ("acled:AFG30001", 3, "AFG", "AFGMIL", "TAL", "190"),
        ("acled:AFG30002", 4, "AFG", "AFGREB", "AFGCVL", "1831"),
        ("acled:AFG30003", 5, "QAT", "TAL", "USAGOV", "057"),  # talks in Doha: located in Qatar
    ]


def test_layout_before_2019(store: Store) -> None:
    ingest_file(store, OLD)
    rows = store.con.execute("SELECT event_id, date, date_precision, source_actor, target_actor, cameo_code, "
                             "location_country FROM events ORDER BY origin_line").fetchall()
    assert rows == [
        ("acled:NIG1", date(2015, 3, 15), "day", "NGAMIL", "REB", "190", "NGA"),
        ("acled:SOM1", date(2015, 3, 1), "month", "REB", "SOMCVL", "190", "SOM"),
        ("acled:NIG2", date(2015, 3, 17), "day", "NGACVL", None, "14", "NGA"),
        ("acled:DRC1", date(2015, 3, 1), "month", "UAF", "CODCVL", "180", "COD"),
        ("acled:SOM2", date(2015, 3, 21), "day", "REB", None, "150", "SOM"),
    ]
    assert store.con.execute("SELECT line, field, value FROM quarantine").fetchall() == \
        [(5, "event_type", "Strategic development")]


def test_the_mapping_table_uses_codebook_codes_and_is_documented() -> None:
    codes = codebook()
    table = data_table("acled_cameo.tsv")
    assert len(table) == len(cameo_table())  # no pair listed twice
    assert [r["cameo"] for r in table if r["cameo"] != "-" and r["cameo"] not in codes] == []
    doc = (ROOT / "docs" / "datasets" / "acled.md").read_text(encoding="utf-8")
    for r in table:
        cell = r["cameo"] if r["cameo"] != "-" else "none"
        line = f"| {r['event_type']} | {r['sub_event_type'] or '(none)'} | {cell} |"
        assert line in doc, f"docs/datasets/acled.md lacks the row {line}"


def test_auto_detection_picks_acled(store: Store) -> None:
    for path in (MODERN, HDX, OLD):
        assert ingest_file(store, path).dataset == "acled"


@pytest.mark.parametrize("name", ["events.csv", "events1.csv", "eventsT.csv", "mentions.csv"])
def test_gdelt_files_are_not_taken_for_acled(name: str) -> None:
    path = shared_path("data", "gdelt_spark-gdelt_fixtures", name)
    why = AcledReader().sniff(Head(read_head(Source.inspect(path))))
    assert why is not None and "event_id_cnty" in why


def test_strict_stops_at_the_first_bad_row_and_stores_nothing(store: Store) -> None:
    with pytest.raises(BadRowError) as caught:
        ingest_file(store, MODERN, strict=True)
    message = str(caught.value)
    assert message.startswith(f"{MODERN}:7: field event_date = '2021-09-31': not a valid date")
    assert store.con.execute("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM quarantine), "
                             "(SELECT count(*) FROM ingest_files)").fetchone() == (0, 0, 0)


def test_strict_reports_a_short_row_that_comes_first(store: Store, tmp_path: Path) -> None:
    text = MODERN.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "short_first.csv"
    path.write_text("".join([text[0], text[10], *text[1:10], *text[11:]]), encoding="utf-8")  # line 11 -> 2
    with pytest.raises(BadRowError) as caught:
        ingest_file(store, path, strict=True)
    assert str(caught.value).startswith(f"{path}:2: field (row) = '7': has 7 columns")


def test_a_header_without_acled_columns_is_refused(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "not_acled.csv"
    path.write_text("event_id_cnty,event_date,actor1\nPAK1,2021-08-15,Taliban\n", encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        ingest_file(store, path, dataset="acled")
    assert str(caught.value).startswith(f"{path}:1: the header lacks time_precision, event_type;")


def test_a_capitalised_header_is_read(store: Store, tmp_path: Path) -> None:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["EVENT_ID_CNTY", "EVENT_DATE", "TIME_PRECISION", "EVENT_TYPE", "ACTOR1", "ALLY_ACTOR_1", "INTER1",
                "COUNTRY"])
    w.writerow(["PAK9", "1 May 2018", "1", "Riots/Protests", "Protesters (Pakistan)", "PTI", "6", "Pakistan"])
    path = tmp_path / "caps.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    assert ingest_file(store, path).stored == 1
    assert stored_row(store, "acled:PAK9", "source_actor", "cameo_code", "location_country") == ("PAKCVL", "14", "PAK")


def test_actor_types_written_as_words(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "words.csv"
    path.write_text("event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,inter1,actor2,inter2\n"
                    "AFG9,2024-05-01,1,Battles,Armed clash,Unidentified Armed Group (Afghanistan),Political militia,"
                    "Islamic State (Afghanistan),Rebel group\n", encoding="utf-8")
    ingest_file(store, path)
    assert stored_row(store, "acled:AFG9", "source_actor", "target_actor") == ("AFGUAF", "AFGREB")


def test_a_column_named_twice_in_any_case_is_refused(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "twice.csv"
    path.write_text("event_id_cnty,event_date,time_precision,event_type,EVENT_DATE\nPAK1,2021-08-15,1,Riots,x\n",
                    encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        ingest_file(store, path)
    assert str(caught.value).startswith(f"{path}:1: the header names event_date more than once;")
