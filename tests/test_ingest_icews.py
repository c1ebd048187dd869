"""ICEWS .tab files: the real sample, and a hand-written fixture with one row per quirk."""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import duckdb
import pytest

from policyshift.actors import country_name_table, country_name_to_iso3, iso3_to_cameo
from policyshift.errors import BadRowError, InputFileError
from policyshift.ingest import ingest_file, resolve_reader
from policyshift.ingest.base import Head
from policyshift.ingest.icews import IcewsReader, country_sql
from policyshift.ingest.source import Source
from policyshift.store import Store
from tests import gdelt_rows
from tests.conftest import FIXTURES, shared_path, stored_row

QUIRKS = FIXTURES / "icews_quirks.tab"


def _sample() -> Path:
    return shared_path("data", "icews_andybega_sample", "events.2018.sample.tab")


# ---------------------------------------------------------------------------------------------
# The real sample (andybega/icews, 2018-06-01..02)


def test_real_sample_ingests_completely(store: Store) -> None:
    path = _sample()
    with open(path, "rb") as f:
        assert sum(1 for _ in f) == 3706  # the header and 3705 events (SOURCE.md)
    result = ingest_file(store, path)  # auto-detected
    assert (result.dataset, result.read, result.stored, result.quarantined, result.duplicates) == \
        ("icews", 3705, 3705, 0, 0)
    assert store.con.execute("SELECT count(*), min(origin_line), max(origin_line), count(DISTINCT event_id), "
                             "min(date), max(date) FROM events").fetchone() == \
        (3705, 2, 3706, 3705, date(2018, 6, 1), date(2018, 6, 2))


def test_real_sample_dyads_match_source_md(store: Store) -> None:
    ingest_file(store, _sample(), dataset="icews")

    def dyad(a: str, b: str) -> int:
        return store.con.execute("SELECT count(*) FROM events WHERE source_country = ? AND target_country = ?",
                                 [a, b]).fetchone()[0]

    # SOURCE.md counted these on the country names; the codes must give the same numbers.
    assert (dyad("PAK", "IND"), dyad("IND", "PAK"), dyad("USA", "IND"), dyad("IND", "USA"),
            dyad("AFG", "USA"), dyad("AFG", "IND")) == (3, 3, 5, 3, 2, 1)
    either = "SELECT count(*) FROM events WHERE source_country = ? OR target_country = ?"
    assert [store.con.execute(either, [c, c]).fetchone()[0] for c in ("IND", "USA", "PAK", "AFG")] == \
        [788, 740, 20, 19]


def test_real_sample_pak_ind_row(store: Store) -> None:
    ingest_file(store, _sample(), dataset="icews")
    # Line 28: Pakistan (sectors NA) -> India, "Express intent to cooperate", 030, intensity 4.
    assert stored_row(store, "icews:32891177",
                "date, source_actor, source_name, source_country, source_sector, target_actor, target_country, "
                "cameo_code, root_code, quad_class, goldstein, location_country, location_name, lat, lon, "
                "origin_line, origin_record_id, origin_document, origin_offsets") == \
        (date(2018, 6, 1), "PAK", "Pakistan", "PAK", None, "IND", "IND", "030", "03", 1, 4.0, "PAK",
         "Kashmir, Punjab, Pakistan", 31.3422, 74.3653, 28, "32891177", "47400416", '{"sentence": 1}')


def test_real_sample_sectors(store: Store) -> None:
    ingest_file(store, _sample(), dataset="icews")
    # Line 3640: "Parties,Government,Opposition Major Party (Out Of Government),..." -> GOV (a state
    # role outranks a party); Nawaz Sharif's sectors are party, religion and Elite -> ELI.
    assert stored_row(store, "icews:32897773", "source_actor, source_sector, target_actor, target_sector, cameo_code") == \
        ("INDGOV", "GOV", "PAKELI", "ELI", "050")
    # Line 2: "Executive,Foreign Ministry,Government" -> GOV; "Military,Government" -> MIL.
    assert stored_row(store, "icews:32889836", "source_actor, target_actor") == ("BGDGOV", "VNMMIL")
    # Line 4: "General Population / Civilian / Social,Social" -> CVL.
    assert stored_row(store, "icews:32891290", "target_actor") == ("JPNCVL",)


def test_real_sample_missing_location(store: Store) -> None:
    ingest_file(store, _sample(), dataset="icews")
    # Two rows have Country, Latitude and Longitude NA: stored, with no location.
    assert store.con.execute("SELECT count(*) FROM events WHERE lat IS NULL AND lon IS NULL "
                             "AND location_country IS NULL").fetchone()[0] == 2


def test_real_sample_across_chunk_seams(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from policyshift.ingest import base

    monkeypatch.setattr(base, "CHUNK_BYTES", 65536)  # about 250 rows a chunk: 14 seams
    result = ingest_file(store, _sample(), dataset="icews")
    assert (result.read, result.stored, result.quarantined) == (3705, 3705, 0)
    lines = [r[0] for r in store.con.execute("SELECT origin_line FROM events ORDER BY origin_line").fetchall()]
    assert lines == list(range(2, 3707))
    assert stored_row(store, "icews:32897773", "origin_line") == (3640,)


# ---------------------------------------------------------------------------------------------
# The hand-written fixture: line numbers below are its lines (line 1 is the header).


def test_fixture_counts_reconcile(store: Store) -> None:
    result = ingest_file(store, QUIRKS, dataset="icews")
    assert (result.read, result.stored, result.quarantined, result.duplicates) == (13, 7, 5, 1)
    assert result.read == result.stored + result.quarantined + result.duplicates


def test_fixture_bad_rows_are_quarantined_with_line_and_field(store: Store) -> None:
    ingest_file(store, QUIRKS, dataset="icews")
    rows = store.con.execute("SELECT line, field, value, reason FROM quarantine ORDER BY line").fetchall()
    assert [(line, fld, value) for line, fld, value, _ in rows] == [
        (7, "Event Date", "2001-02-30"),
        (8, "CAMEO Code", "13y"),
        (12, "(row)", "19"),
        (13, "Event ID", "10a1"),
        (14, "Latitude", "95.5"),
    ]
    reasons = [r[3] for r in rows]
    assert "not a valid date" in reasons[0] and "M/D/YYYY" in reasons[0]
    assert "unknown CAMEO event code" in reasons[1]
    assert "19 columns" in reasons[2] and "20" in reasons[2]
    assert "not an ICEWS event id" in reasons[3]
    assert "out of range" in reasons[4]
    raw = store.con.execute("SELECT raw FROM quarantine WHERE line = 7").fetchone()[0]
    assert raw.split("\t")[:3] == ["1006", "2001-02-30", "Pakistan"]


def test_fixture_duplicate_event_id(store: Store) -> None:
    ingest_file(store, QUIRKS, dataset="icews")
    assert store.con.execute("SELECT line, event_id, duplicate_of, rule FROM duplicates").fetchall() == \
        [(11, "icews:1001", "icews:1001", "same event id")]
    assert stored_row(store, "icews:1001", "origin_line") == (2,)


@pytest.mark.parametrize("event_id,line", [("icews:1001", 2), ("icews:1002", 3), ("icews:1003", 4)])
def test_missing_value_spellings(store: Store, event_id: str, line: int) -> None:
    """Blank (Dataverse), NA (R) and NULL (database export) all mean missing."""
    ingest_file(store, QUIRKS, dataset="icews")
    assert stored_row(store, event_id, "origin_line") == (line,)
    if event_id == "icews:1001":  # blank Target Sectors and District
        assert stored_row(store, event_id, "target_sector, target_actor, location_name") == \
            (None, "IND", "Islamabad, Islamabad Capital Territory, Pakistan")
    if event_id == "icews:1002":  # NA sectors, NA intensity, NA city/district/province, NA lat/lon
        assert stored_row(store, event_id, "source_sector, source_actor, goldstein, location_name, location_country, "
                                     "lat, lon") == (None, "IND", -6.5, "India", "IND", None, None)
        # Intensity NA: the CAMEO codebook's Goldstein weight for 141 stands in.
        assert store.con.execute("SELECT goldstein FROM cameo WHERE code = '141'").fetchone()[0] == -6.5
    if event_id == "icews:1003":  # NULL target sectors and district
        assert stored_row(store, event_id, "source_actor, target_sector, target_actor, location_name") == \
            ("PAKCOP", None, "AFG", "Peshawar, North-West Frontier, Pakistan")


def test_no_missing_spelling_reaches_the_store(store: Store) -> None:
    ingest_file(store, QUIRKS, dataset="icews")
    text_columns = ["source_actor", "source_name", "source_country", "source_sector", "target_actor",
                    "target_name", "target_country", "target_sector", "location_country", "location_name",
                    "origin_document"]
    for column in text_columns:
        hits = store.con.execute(
            f"SELECT count(*) FROM events WHERE {column} IN ('NA', 'NULL', 'null') OR {column} LIKE '%, NA%' "
            f"OR {column} = ''").fetchone()[0]
        assert hits == 0, column


def test_date_formats(store: Store) -> None:
    ingest_file(store, QUIRKS, dataset="icews")
    assert stored_row(store, "icews:1004", "date, date_precision") == (date(2001, 10, 7), "day")  # 10/7/2001
    assert stored_row(store, "icews:1005", "date") == (date(2001, 10, 9),)  # 20011009


def test_codes_that_lost_their_leading_zero(store: Store) -> None:
    ingest_file(store, QUIRKS, dataset="icews")
    assert stored_row(store, "icews:1004", "cameo_code, root_code, plover") == ("040", "04", "CONSULT")  # was 40
    assert stored_row(store, "icews:1005", "cameo_code, root_code, goldstein") == ("0874", "08", 10.0)  # was 874


def test_unmapped_names_keep_the_name_and_no_code(store: Store) -> None:
    ingest_file(store, QUIRKS, dataset="icews")
    # Atlantis is no country: the code stays empty, the sector still maps.
    assert stored_row(store, "icews:1008", "source_name, source_country, source_sector, source_actor") == \
        ("Navy (Atlantis)", None, "MIL", "MIL")
    # "Parties,Unspecified": no sector maps, so the actor is the country alone.
    assert stored_row(store, "icews:1008", "target_name, target_sector, target_actor") == ("Parties (Pakistan)", None, "PAK")


def test_icews_country_spellings_and_cameo_codes(store: Store) -> None:
    ingest_file(store, QUIRKS, dataset="icews")
    # Holy See: an ICEWS spelling ISO's names lack (data/icews_countries.tsv).
    # Romania: CAMEO's actor code is ROM, ISO's (for the location) ROU.
    assert stored_row(store, "icews:1009", "source_country, source_actor, target_country, target_actor, location_country") \
        == ("VAT", "VATGOV", "ROM", "ROMGOV", "ROU")


def test_country_sql_agrees_with_country_name_to_iso3() -> None:
    names = sorted({*country_name_table(), "  Pakistan ", "PAKISTAN", "United  States", "Côte d'Ivoire",
                    "Russian Federation", "Atlantis", "Viet Nam"})
    con = duckdb.connect()
    con.execute("CREATE TABLE t (name VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?)", [[n] for n in names])
    got = {n: (i, c) for n, i, c in con.execute(
        f"SELECT name, {country_sql('name', spelling='iso3')}, {country_sql('name', spelling='cameo')} FROM t"
    ).fetchall()}
    for name in names:
        # The function collapses inner spaces only for its aliases (pycountry's lookup does not),
        # so it is asked with them collapsed; the SQL collapses them for every name.
        iso3 = country_name_to_iso3(" ".join(name.split()))
        assert got[name] == (iso3, iso3_to_cameo(iso3) if iso3 else None), name
    assert got["PAKISTAN"] == ("PAK", "PAK") and got["Atlantis"] == (None, None)


def test_crlf_line_ends(store: Store, tmp_path: Path) -> None:
    crlf = tmp_path / "icews_crlf.tab"
    crlf.write_bytes(QUIRKS.read_bytes().replace(b"\n", b"\r\n"))
    result = ingest_file(store, crlf, dataset="icews")
    assert (result.read, result.stored, result.quarantined, result.duplicates) == (13, 7, 5, 1)
    # The last column (Longitude) would not parse as a number with a carriage return left on it.
    assert stored_row(store, "icews:1001", "lon") == (73.0433,)
    assert store.con.execute("SELECT count(*) FROM quarantine WHERE raw LIKE '%' || chr(13) || '%'").fetchone()[0] == 0


def test_gzip_copy(tmp_path: Path) -> None:
    gz = tmp_path / "events.2001.tab.gz"
    gz.write_bytes(gzip.compress(QUIRKS.read_bytes()))
    with Store(tmp_path / "s.duckdb") as store:
        result = ingest_file(store, gz)  # detected by content: gzip, then ICEWS
        assert (result.dataset, result.read, result.stored, result.quarantined, result.duplicates) == \
            ("icews", 13, 7, 5, 1)
        assert store.con.execute("SELECT DISTINCT origin_file FROM events").fetchall() == [(str(gz),)]


# ---------------------------------------------------------------------------------------------
# Detection, strict mode, bad headers


def test_auto_detection_picks_icews(tmp_path: Path) -> None:
    assert resolve_reader("auto", Source.inspect(QUIRKS)).name == "icews"


def test_auto_detection_does_not_pick_icews_for_gdelt(tmp_path: Path) -> None:
    path = gdelt_rows.write(tmp_path / "e.export.CSV", gdelt_rows.numbered(5))
    assert resolve_reader("auto", Source.inspect(path)).name == "gdelt2"
    why = IcewsReader().sniff(Head(path.read_bytes()))
    assert why is not None and "ICEWS header" in why
    with pytest.raises(InputFileError, match="does not look like an ICEWS event file"):
        resolve_reader("icews", Source.inspect(path))


def test_strict_stops_at_the_first_bad_row_and_stores_nothing(store: Store, tmp_path: Path) -> None:
    good = tmp_path / "good.tab"
    good.write_text(QUIRKS.read_text(encoding="utf-8").splitlines()[0] + "\n" +
                    QUIRKS.read_text(encoding="utf-8").splitlines()[1] + "\n", encoding="utf-8")
    assert ingest_file(store, good, dataset="icews", strict=True).stored == 1

    def counts() -> tuple:
        return tuple(store.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in ("events", "ingest_files", "quarantine", "duplicates"))

    before = counts()
    with pytest.raises(BadRowError) as caught:
        ingest_file(store, QUIRKS, dataset="icews", strict=True)
    # Line 7 (a bad date) is the first bad row; line 12 (a short row) is found by the parser
    # rather than by SQL, but comes later.
    assert f"{QUIRKS}:7:" in str(caught.value)
    assert caught.value.field == "Event Date" and caught.value.value == "2001-02-30"
    assert counts() == before == (1, 1, 0, 0)


def test_header_without_cameo_code_is_refused(store: Store, tmp_path: Path) -> None:
    lines = QUIRKS.read_text(encoding="utf-8").splitlines()[:3]
    cut = [ln.split("\t") for ln in lines]
    path = tmp_path / "Events.2017.20200602.tab"
    path.write_text("\n".join("\t".join(c[:6] + c[7:]) for c in cut) + "\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="no CAMEO Code column") as caught:
        ingest_file(store, path, dataset="icews")
    assert f"{path}:1" in str(caught.value) and "andybega/icews#74" in str(caught.value)
    assert store.con.execute("SELECT count(*) FROM ingest_files").fetchone()[0] == 0


def test_header_missing_columns_named(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "short_header.tab"
    path.write_text("Event ID\tEvent Date\tSource Name\tTarget Name\tCAMEO Code\n1\t2001-01-01\ta\tb\t010\n",
                    encoding="utf-8")
    with pytest.raises(InputFileError, match="the header lacks Source Sectors, Source Country"):
        ingest_file(store, path, dataset="icews")


def test_header_only_file_holds_no_records(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "empty.tab"
    path.write_text(QUIRKS.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="holds no records"):
        ingest_file(store, path, dataset="icews")


def test_columns_are_taken_by_header_name(store: Store, tmp_path: Path) -> None:
    rows = [ln.split("\t") for ln in QUIRKS.read_text(encoding="utf-8").splitlines()[:4]]
    order = list(reversed(range(20)))
    path = tmp_path / "reordered.tab"
    path.write_text("\n".join("\t".join(r[i] for i in order) for r in rows) + "\n", encoding="utf-8")
    result = ingest_file(store, path, dataset="icews")
    assert (result.read, result.stored) == (3, 3)
    assert stored_row(store, "icews:1003", "source_actor, cameo_code, lon") == ("PAKCOP", "173", 71.5785)
