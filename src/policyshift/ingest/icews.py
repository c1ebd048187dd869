"""ICEWS coded event data: the Harvard Dataverse .tab files (yearly, daily and weekly drops).

Tab-separated, one header row, no quoting, 20 named columns. Columns are taken by their header
names, so a file with its columns in another order, or with extra columns, still reads. Actors
come as a name, a country name and a comma-separated list of ICEWS sectors; we turn the country
into a CAMEO code and the sectors into one CAMEO type code (data/icews_sectors.tsv), and build
CAMEO-style actor codes from the two. See docs/datasets/icews.md for every rule and why.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from importlib.resources import files
from typing import BinaryIO, Literal

import pyarrow as pa
import pyarrow.compute as pc

from policyshift.actors import country_name_table, iso3_to_cameo
from policyshift.errors import InputFileError
from policyshift.ingest import base
from policyshift.ingest.base import Check, Field, Head, RawChunk, Reader, delimited_chunks
from policyshift.ingest.source import Source

COLUMNS = ("Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text",
           "CAMEO Code", "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID",
           "Sentence Number", "Publisher", "City", "District", "Province", "Country", "Latitude", "Longitude")
# Event Text repeats the CAMEO code in words and Publisher has no place in the event record, so a
# file may lack them; every other column feeds a field.
REQUIRED = tuple(c for c in COLUMNS if c not in ("Event Text", "Publisher"))

# Besides a blank field: "NA" is how R (readr::write_tsv, write.table) writes a missing value, and
# files passed through R, such as the andybega/icews sample, carry it; "NULL" is how a database
# export writes one (andybega/icews#78 shows it in the Source Sectors of the 2017 release).
MISSING = ("NA", "NULL", "null")

# ISO dates in the Dataverse files; month-first US dates in Events.2017.20200602.tab
# (andybega/icews#57); YYYYMMDD where a file was written back from a database that stores the
# date as an integer (andybega/icews keeps it so in SQLite).
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%Y%m%d")

# An actor listed in several sectors gets the first of these that any of its sectors maps to:
# the most specific state role first (a police officer is also "Government"), then armed
# non-state roles, then society. Persons' "Elite" and the catch-all civilians come last.
SECTOR_PRIORITY = ("SPY", "MIL", "COP", "JUD", "LEG", "GOV", "IGO", "INS", "REB", "SEP", "RAD", "CRM",
                   "OPP", "HRI", "MED", "EDU", "HLH", "LAB", "AGR", "MNC", "BUS", "NGO", "REF", "ELI", "CVL")


# ---------------------------------------------------------------------------------------------
# Lookup tables, inlined into the SQL as VALUES lists (constants of ours, never user input).


def _literal(value: str | int | None) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    return "'" + value.replace("'", "''") + "'"


def values_sql(rows: Iterable[Sequence[str | int | None]]) -> str:
    return "VALUES " + ", ".join("(" + ", ".join(_literal(v) for v in row) + ")" for row in rows)


def data_table(name: str) -> list[dict[str, str]]:
    """A TSV table shipped in policyshift/data (header row; a ``note`` column says why)."""
    text = files("policyshift.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines(), delimiter="\t"))


@cache
def _country_values(spelling: str) -> str:
    extra = {r["name"]: r["iso3"] for r in data_table("icews_countries.tsv")}
    table = country_name_table(extra)
    return values_sql((name, iso3_to_cameo(iso3) if spelling == "cameo" else iso3) for name, iso3 in table.items())


def country_sql(name_sql: str, *, spelling: Literal["iso3", "cameo"], strip_parenthesis: bool = False) -> str:
    """SQL for the country code of a country name (NULL when the name is no country we know).

    ``spelling`` "cameo" gives CAMEO's country code (ROM for Romania), as actor codes use;
    "iso3" gives ISO 3166 alpha-3, as location countries use. With ``strip_parenthesis`` a name
    the table lacks is tried again without a trailing "(...)", as country_name_to_iso3 does.
    """
    key = f"lower(regexp_replace(trim({name_sql}), '\\s+', ' ', 'g'))"

    def one(k: str) -> str:
        return f"(SELECT _c._code FROM ({_country_values(spelling)}) AS _c(_k, _code) WHERE _c._k = {k})"

    if not strip_parenthesis:
        return one(key)
    bare = f"regexp_replace({key}, '\\s*\\(.*\\)$', '')"
    return f"coalesce({one(key)}, {one(bare)})"


@cache
def _sector_values() -> str:
    rank = {code: i for i, code in enumerate(SECTOR_PRIORITY)}
    return values_sql((r["sector"], r["cameo"], rank[r["cameo"]]) for r in data_table("icews_sectors.tsv"))


def sector_sql(sectors_sql: str) -> str:
    """SQL for the CAMEO type code of a comma-separated ICEWS sector list (NULL when none maps)."""
    return (f"(SELECT _s._code FROM (SELECT trim(unnest(string_split({sectors_sql}, ','))) AS _n) AS _u "
            f"JOIN ({_sector_values()}) AS _s(_name, _code, _rank) ON _s._name = _u._n "
            f"ORDER BY _s._rank LIMIT 1)")


def place_sql(parts: Sequence[str]) -> str:
    """SQL joining place names with ", ", each dropped where it repeats an earlier one."""
    shown = [parts[0]]
    for i, part in enumerate(parts[1:], start=1):
        shown.append(f"CASE WHEN NOT list_contains([{', '.join(parts[:i])}], {part}) THEN {part} END")
    return f"nullif(concat_ws(', ', {', '.join(shown)}), '')"


def null_missing(chunk: RawChunk, spellings: Sequence[str] = MISSING) -> RawChunk:
    """The chunk with every field that spells a missing value set to null.

    Done before SQL so that every check (a number, a date) sees "NA" as missing, not as a bad value.
    """
    table = chunk.table
    if table is None:
        return chunk
    missing = pa.array(spellings, type=pa.string())
    null = pa.scalar(None, type=pa.string())
    columns = [col if name == "_line" else pc.if_else(pc.is_in(col, value_set=missing), null, col)
               for name, col in zip(table.column_names, table.columns)]
    return RawChunk(pa.Table.from_arrays(columns, names=table.column_names), chunk.bad)


# ---------------------------------------------------------------------------------------------
# Fields


def _q(col: str) -> str:
    return '"' + col + '"'


def _blank(col: str) -> str:
    return f"nullif(trim({_q(col)}), '')"


def _number(col: str) -> str:
    return f"TRY_CAST({_blank(col)} AS DOUBLE)"


def _cameo_code() -> str:
    # A spreadsheet drops the leading zero of 040 (-> 40) and 0874 (-> 874). ICEWS codes every event
    # at three or four digits, so a two-digit value is always such a code; a three-digit value is
    # one when it is no CAMEO code and 0 + it is (no valid 3-digit code starts 21-99).
    c = _blank("CAMEO Code")
    return (f"CASE WHEN regexp_full_match({c}, '[0-9]{{2}}') THEN '0' || {c} "
            f"WHEN regexp_full_match({c}, '[0-9]{{3}}') AND {c} NOT IN (SELECT code FROM cameo) "
            f"AND '0' || {c} IN (SELECT code FROM cameo) THEN '0' || {c} ELSE {c} END")


def _actor_fields(side: str) -> dict[str, Field]:
    country = country_sql(_q(f"{side} Country"), spelling="cameo")
    sector = sector_sql(_q(f"{side} Sectors"))
    p = side.lower()
    return {
        f"{p}_actor": Field(f"nullif(coalesce({country}, '') || coalesce({sector}, ''), '')", f"{side} Country"),
        f"{p}_name": Field(_blank(f"{side} Name"), f"{side} Name"),
        f"{p}_country": Field(country, f"{side} Country"),
        f"{p}_sector": Field(sector, f"{side} Sectors"),
    }


FIELDS: dict[str, Field] = {
    "event_id": Field(f"'icews:' || {_blank('Event ID')}", "Event ID"),
    "date": Field(f"TRY_CAST(try_strptime(trim({_q('Event Date')}), {list(DATE_FORMATS)!r}) AS DATE)", "Event Date",
                  "YYYY-MM-DD, M/D/YYYY or YYYYMMDD"),
    "date_precision": Field("'day'"),
    **_actor_fields("Source"),
    **_actor_fields("Target"),
    "cameo_code": Field(_cameo_code(), "CAMEO Code"),
    "goldstein": Field(_number("Intensity"), "Intensity"),
    "location_country": Field(country_sql(_q("Country"), spelling="iso3"), "Country"),
    "location_name": Field(place_sql([_blank(c) for c in ("City", "District", "Province", "Country")]), "City"),
    "lat": Field(_number("Latitude"), "Latitude"),
    "lon": Field(_number("Longitude"), "Longitude"),
    "origin_record_id": Field(_blank("Event ID"), "Event ID"),
    "origin_document": Field(_blank("Story ID"), "Story ID"),
    # ICEWS gives the sentence's number in the story, not its text (the stories are licensed news).
    "origin_offsets": Field(f"""'{{"sentence": ' || CAST(TRY_CAST({_blank('Sentence Number')} AS INTEGER) AS VARCHAR) || '}}'""",
                            "Sentence Number"),
}

CHECKS = (
    Check("Event ID", f"{_blank('Event ID')} IS NOT NULL AND NOT regexp_full_match(trim({_q('Event ID')}), '[0-9]+')",
          "not an ICEWS event id (digits expected)"),
    Check("Sentence Number",
          f"{_blank('Sentence Number')} IS NOT NULL AND NOT regexp_full_match(trim({_q('Sentence Number')}), '[0-9]{{1,9}}')",
          "not a sentence number (digits expected)"),
)


# ---------------------------------------------------------------------------------------------
# The reader


def _header_names(line: str) -> list[str]:
    return [n.strip() for n in line.lstrip("\ufeff").rstrip("\r\n").split("\t")]


def read_header(source: Source, raw: bytes) -> list[str]:
    """The column names of an ICEWS file, from its first line; InputFileError when they do not fit."""
    try:
        names = _header_names(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputFileError("the header line is not UTF-8", where=f"{source.name}:1",
                             fix="ICEWS files are UTF-8; re-download the file") from None
    missing = [c for c in REQUIRED if c not in names]
    if missing == ["CAMEO Code"]:
        raise InputFileError("the header has no CAMEO Code column", where=f"{source.name}:1",
                             fix="a known defect of ICEWS' Events.2017 release (andybega/icews#74): "
                                 "policyshift does not guess codes from Event Text; use a release that "
                                 "has the column, or add it")
    if missing:
        raise InputFileError(f"the header lacks {', '.join(missing)}", where=f"{source.name}:1",
                             fix="an ICEWS .tab file starts with the header line "
                                 "Event ID<TAB>Event Date<TAB>Source Name<TAB>...; check --dataset")
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise InputFileError(f"the header names {', '.join(repeated)} more than once", where=f"{source.name}:1",
                             fix="each ICEWS column must appear once; re-download the file")
    return names


class IcewsReader(Reader):
    name = "icews"
    title = "an ICEWS event file (Dataverse .tab, tab-separated with a header)"
    fields = FIELDS
    checks = CHECKS

    def sniff(self, head: Head) -> str | None:
        lines = head.lines
        if not lines:
            return "it has no lines"
        names = set(_header_names(lines[0]))
        if not {"Event ID", "Event Date", "Source Name", "Target Name"} <= names:
            return "its first line is not an ICEWS header (Event ID, Event Date, Source Name, ... tab-separated)"
        return None

    def chunks(self, source: Source, stream: BinaryIO) -> Iterator[RawChunk]:
        names = read_header(source, stream.readline())
        # The header is read here, so the chunker starts at line 2. CHUNK_BYTES is looked up now
        # (not bound at import) so that a test can shrink chunks to exercise their seams.
        for chunk in delimited_chunks(stream, layouts={len(names): names}, first_line=2,
                                      chunk_bytes=base.CHUNK_BYTES):
            yield null_missing(chunk)
