"""The event record: one schema for every source, and the store's other tables."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    doc: str


EVENT_COLUMNS: tuple[Column, ...] = (
    Column("event_id", "VARCHAR", "dataset-prefixed record id, unique in the store (gdelt2:479491239)"),
    Column("date", "DATE", "the event's date; with month or year precision, the first day of that period"),
    Column("date_precision", "VARCHAR", "day, month or year: how much of `date` the source knows"),
    Column("source_actor", "VARCHAR", "CAMEO-style actor code of the initiator (PAKGOV, USA, TAL)"),
    Column("source_name", "VARCHAR", "the initiator's name as the source gives it"),
    Column("source_country", "VARCHAR", "CAMEO country code (ISO 3166 alpha-3 where ISO has one)"),
    Column("source_sector", "VARCHAR", "CAMEO sector/type code (GOV, MIL, REB, ...)"),
    Column("target_actor", "VARCHAR", "CAMEO-style actor code of the recipient"),
    Column("target_name", "VARCHAR", "the recipient's name as the source gives it"),
    Column("target_country", "VARCHAR", "CAMEO country code of the recipient"),
    Column("target_sector", "VARCHAR", "CAMEO sector/type code of the recipient"),
    Column("cameo_code", "VARCHAR", "CAMEO event code (2-4 digits, in the codebook)"),
    Column("root_code", "VARCHAR", "CAMEO root code, 01-20"),
    Column("quad_class", "TINYINT", "1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict"),
    Column("goldstein", "DOUBLE", "Goldstein weight, -10 to +10"),
    Column("plover", "VARCHAR", "PLOVER event category where CAMEO maps to one"),
    Column("location_country", "VARCHAR", "country of the event's location (CAMEO/ISO alpha-3)"),
    Column("location_name", "VARCHAR", "place name"),
    Column("lat", "DOUBLE", "latitude, -90 to 90"),
    Column("lon", "DOUBLE", "longitude, -180 to 180"),
    Column("dataset", "VARCHAR", "the reader that produced the row (gdelt1, gdelt2, icews, ...)"),
    Column("origin_file", "VARCHAR", "file the row was read from"),
    Column("origin_line", "BIGINT", "line (or record number) of the row in that file"),
    Column("origin_record_id", "VARCHAR", "the source's own id for the record"),
    Column("origin_url", "VARCHAR", "source article URL where the data set gives one"),
    Column("origin_document", "VARCHAR", "document id, for events coded from text"),
    Column("origin_sentence", "VARCHAR", "sentence text, for events coded from text"),
    Column("origin_offsets", "VARCHAR", "JSON character offsets of actors and verb, for coded text"),
    Column("confidence", "DOUBLE", "source-specific confidence in [0, 1] where known"),
    Column("batch_id", "INTEGER", "ingest batch (one per file), see ingest_files"),
)

EVENT_COLUMN_NAMES = tuple(c.name for c in EVENT_COLUMNS)
REQUIRED_COLUMNS = ("event_id", "date", "date_precision", "cameo_code", "dataset")
DATE_PRECISIONS = ("day", "month", "year")

SCHEMA_VERSION = "1"

DDL = [
    "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    "CREATE TABLE IF NOT EXISTS events ("
    + ", ".join(f"{c.name} {c.type}" + (" NOT NULL" if c.name in REQUIRED_COLUMNS else "")
                for c in EVENT_COLUMNS)
    + ")",
    """CREATE TABLE IF NOT EXISTS ingest_files (
        batch_id INTEGER PRIMARY KEY, path VARCHAR NOT NULL, name VARCHAR NOT NULL,
        sha256 VARCHAR NOT NULL, bytes BIGINT NOT NULL, dataset VARCHAR NOT NULL,
        dedupe VARCHAR NOT NULL, started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP,
        rows_read BIGINT NOT NULL DEFAULT 0, rows_stored BIGINT NOT NULL DEFAULT 0,
        rows_quarantined BIGINT NOT NULL DEFAULT 0, rows_duplicate BIGINT NOT NULL DEFAULT 0,
        version VARCHAR NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS quarantine (
        batch_id INTEGER NOT NULL, file VARCHAR NOT NULL, line BIGINT NOT NULL,
        field VARCHAR NOT NULL, value VARCHAR, reason VARCHAR NOT NULL, raw VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS duplicates (
        batch_id INTEGER NOT NULL, file VARCHAR NOT NULL, line BIGINT NOT NULL,
        event_id VARCHAR NOT NULL, duplicate_of VARCHAR NOT NULL, rule VARCHAR NOT NULL)""",
    # Roles: events whose actor code starts with `code` count as `role` from valid_from to valid_to.
    """CREATE TABLE IF NOT EXISTS actors (
        code VARCHAR NOT NULL, role VARCHAR NOT NULL, valid_from DATE, valid_to DATE,
        name VARCHAR, source VARCHAR, origin VARCHAR NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS cameo (
        code VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, goldstein DOUBLE NOT NULL,
        root_code VARCHAR NOT NULL, quad_class TINYINT NOT NULL, plover VARCHAR,
        plover_mode VARCHAR, plover_context VARCHAR)""",
    "CREATE TABLE IF NOT EXISTS fips_iso3 (fips VARCHAR PRIMARY KEY, iso3 VARCHAR NOT NULL)",
]
