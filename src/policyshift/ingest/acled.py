"""ACLED (Armed Conflict Location & Event Data) exports: CSV with a header, one event a row.

Columns are taken by their header names, in any case (exports before 2019 wrote them in capitals),
so every vintage reads: today's layout (event_id_cnty ... tags, timestamp), the one before March
2023 (with data_id, iso3, event_id_no_cnty) and the capitalised one before 2019. HDX's copies
carry an HXL hashtag row under the header, which is skipped.

ACLED's actors are undirected ("Actor 1 and Actor 2 do not imply directionality"). We store actor1
as the source and actor2 as the target, so a directed query sees only one orientation of each
event: analyses of ACLED should pool both directions (--undirected). ACLED's event types map to
CAMEO codes by the table data/acled_cameo.tsv; actor codes are built from the country in the
actor's name and ACLED's actor type. Every rule, and why: docs/datasets/acled.md.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from functools import cache
from importlib.resources import files
from typing import BinaryIO

import pycountry

from policyshift.actors import country_name_table, iso3_to_cameo
from policyshift.errors import InputFileError
from policyshift.ingest.base import Check, Field, Head, RawChunk, Reader, csv_chunks
from policyshift.ingest.source import Source
from policyshift.ingest.tabular import header_of, lookup_sql, peek, place_sql, with_columns

REQUIRED = ("event_id_cnty", "event_date", "time_precision", "event_type")
# Every column the SQL below names; an export without one of them gets it empty.
USED = (*REQUIRED, "sub_event_type", "actor1", "inter1", "actor2", "inter2", "iso", "iso3", "country",
        "admin1", "location", "latitude", "longitude", "source", "notes")

# "2021-08-15" in the API and the export tool today; "15 August 2021" in older exports and HDX
# copies. Day/month/year with slashes is refused: after a spreadsheet has re-saved a file it may be
# month first, and 5/8/2021 cannot be told apart.
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y")


def data_table(name: str) -> list[dict[str, str]]:
    """A TSV table shipped in policyshift/data (header row; a ``note`` column says why)."""
    text = files("policyshift.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines(), delimiter="\t"))


def _blank(col: str) -> str:
    return f"nullif(trim({col}), '')"


def _key(col: str) -> str:
    """A value normalised as the lookup tables' keys are: trimmed, spaces collapsed, lower case."""
    return f"lower(regexp_replace(trim({col}), '\\s+', ' ', 'g'))"


# ---------------------------------------------------------------------------------------------
# Event type -> CAMEO code


@cache
def cameo_table() -> dict[str, str]:
    """"event type|sub-event type" (lower case; sub-event type empty for a file without them) -> code.

    ``-`` marks a type with no CAMEO equivalent; such rows are quarantined, saying so.
    """
    return {f"{r['event_type'].lower()}|{r['sub_event_type'].lower()}": r["cameo"]
            for r in data_table("acled_cameo.tsv")}


_EVENT_TYPE = "coalesce(lower(trim(event_type)), '')"
_SUB_TYPE = "coalesce(lower(trim(sub_event_type)), '')"
_PAIR = f"{_EVENT_TYPE} || '|' || {_SUB_TYPE}"
# A file without sub-event types (before 2019, or a trimmed export) maps by the event type alone.
_TYPE_ONLY = f"{_EVENT_TYPE} || '|'"
_MAPPED = (f"coalesce({lookup_sql(_PAIR, cameo_table())}, "
           f"CASE WHEN {_SUB_TYPE} = '' THEN {lookup_sql(_TYPE_ONLY, cameo_table())} END)")


def _sql_list(values: Iterable[str]) -> str:
    """Our own constants as SQL string literals, comma-separated."""
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


_EVENT_TYPES = _sql_list(sorted({pair.split("|")[0] for pair in cameo_table()}))


# ---------------------------------------------------------------------------------------------
# Countries: of the event's location (ISO alpha-3) and of each actor (CAMEO's spelling)


@cache
def location_keys() -> dict[str, str]:
    """Country names (ours and ACLED's spellings), ISO alpha-3 and ISO numeric codes -> ISO alpha-3."""
    table = country_name_table({r["name"]: r["iso3"] for r in data_table("acled_countries.tsv")})
    for country in pycountry.countries:
        table[country.alpha_3.lower()] = country.alpha_3
        table[str(int(country.numeric))] = country.alpha_3  # ACLED writes 4, not 004
    return table


@cache
def actor_country_keys() -> dict[str, str]:
    """Country names -> CAMEO's country code (ROM for Romania, KOS for Kosovo), as actor codes spell it."""
    names = country_name_table({r["name"]: r["iso3"] for r in data_table("acled_countries.tsv")})
    return {name: iso3_to_cameo(iso3) for name, iso3 in names.items()}


# The numeric code first (it is what ACLED keys countries by), then the pre-2023 alpha-3 column,
# then the name; ACLED has no ISO number for Kosovo (it writes 0), whose name then decides.
_LOCATION_COUNTRY = lookup_sql(
    ["CAST(TRY_CAST(trim(iso) AS INTEGER) AS VARCHAR)", _key("iso3"), _key("country")], location_keys())


def _actor_country(actor: str) -> str:
    """The country an actor's name gives: "Military Forces of Pakistan (2018-)", "Government of the
    United States (2021-)", "Protesters (Pakistan)", "Unidentified Armed Group (Afghanistan)"."""
    of_state = f"nullif(regexp_extract({actor}, ' of (?:the )?(.+?) \\(\\d{{4}}', 1), '')"
    in_parens = f"nullif(regexp_extract({actor}, '\\(([^()]+)\\)\\s*$', 1), '')"
    return lookup_sql(_key(f"coalesce({of_state}, {in_parens})"), actor_country_keys())


# ACLED's actor types (inter1/inter2: the codebook's numbers, or the type's name, which newer exports
# may write instead) as CAMEO type codes. The name decides first for state forces, whose names say
# which arm they are.
_INTER = {
    "GOV": ("1", "state forces"),
    "REB": ("2", "rebel group", "rebel groups"),
    "UAF": ("3", "4", "political militia", "political militias", "identity militia", "identity militias"),
    "CVL": ("5", "6", "7", "rioters", "protesters", "civilians"),
}


def _actor_sector(actor: str, inter: str) -> str:
    by_type = " ".join(f"WHEN lower(trim({inter})) IN ({_sql_list(values)}) THEN '{code}'"
                       for code, values in _INTER.items())
    return (f"CASE WHEN {actor} ILIKE 'Military Forces of %' THEN 'MIL' "
            f"WHEN {actor} ILIKE 'Police Forces of %' THEN 'COP' "
            f"WHEN {actor} ILIKE 'Government of %' THEN 'GOV' "
            f"{by_type} END")


@cache
def group_table() -> dict[str, str]:
    return {r["name"].lower(): r["actor"] for r in data_table("acled_actors.tsv")}


def _actor_code(actor: str, inter: str) -> str:
    group = lookup_sql(_key(actor), group_table())
    country, sector = _actor_country(actor), _actor_sector(actor, inter)
    return f"coalesce({group}, nullif(concat(coalesce({country}, ''), coalesce({sector}, '')), ''))"


_PARSED = f"try_strptime(trim(event_date), [{_sql_list(DATE_FORMATS)}])"
_PRECISION = "CASE trim(time_precision) WHEN '1' THEN 'day' WHEN '2' THEN 'month' WHEN '3' THEN 'month' END"

FIELDS: dict[str, Field] = {
    "event_id": Field(f"'acled:' || {_blank('event_id_cnty')}", "event_id_cnty"),
    # A date known to the week or month is stored as the first day of its month, month precision.
    "date": Field(f"CAST(CASE WHEN trim(time_precision) IN ('2', '3') THEN date_trunc('month', {_PARSED}) "
                  f"ELSE {_PARSED} END AS DATE)", "event_date", "YYYY-MM-DD or D Month YYYY"),
    "date_precision": Field(_PRECISION, "time_precision"),
    "source_actor": Field(_actor_code("actor1", "inter1"), "actor1"),
    "source_name": Field(_blank("actor1"), "actor1"),
    "source_country": Field(_actor_country("actor1"), "actor1"),
    "source_sector": Field(_actor_sector("actor1", "inter1"), "inter1"),
    "target_actor": Field(_actor_code("actor2", "inter2"), "actor2"),
    "target_name": Field(_blank("actor2"), "actor2"),
    "target_country": Field(_actor_country("actor2"), "actor2"),
    "target_sector": Field(_actor_sector("actor2", "inter2"), "inter2"),
    "cameo_code": Field(f"nullif({_MAPPED}, '-')", "sub_event_type"),
    "location_country": Field(_LOCATION_COUNTRY, "iso"),
    "location_name": Field(place_sql([_blank(c) for c in ("location", "admin1", "country")]), "location"),
    "lat": Field(f"TRY_CAST({_blank('latitude')} AS DOUBLE)", "latitude"),
    "lon": Field(f"TRY_CAST({_blank('longitude')} AS DOUBLE)", "longitude"),
    "origin_record_id": Field(_blank("event_id_cnty"), "event_id_cnty"),
    "origin_document": Field(_blank("source"), "source"),  # ACLED names its sources; it gives no URL
    "origin_sentence": Field("nullif(notes, '')", "notes"),
}

CHECKS = (
    Check("time_precision", "coalesce(trim(time_precision), '') NOT IN ('1', '2', '3')",
          "not an ACLED time precision (1 day, 2 week, 3 month)"),
    Check("event_type", f"{_EVENT_TYPE} NOT IN ({_EVENT_TYPES})",
          "not an ACLED event type (the known ones are in docs/datasets/acled.md)"),
    Check("event_type", f"{_SUB_TYPE} = '' AND {_MAPPED} = '-'",
          "ACLED event type with no CAMEO equivalent, so not stored (see docs/datasets/acled.md)"),
    Check("sub_event_type", f"{_MAPPED} = '-'",
          "ACLED sub-event type with no CAMEO equivalent, so not stored (see docs/datasets/acled.md)"),
    Check("sub_event_type", f"{_MAPPED} IS NULL",
          "not a sub-event type of this ACLED event type (the known ones are in docs/datasets/acled.md)"),
)


def _is_hxl(record: list[str]) -> bool:
    return bool(record) and record[0].lstrip().startswith("#")


class AcledReader(Reader):
    name = "acled"
    title = "an ACLED export (CSV with event_id_cnty, event_date, ...)"
    fields = FIELDS
    checks = CHECKS
    delimiter = ","

    def sniff(self, head: Head) -> str | None:
        columns = [c.lower() for c in header_of(head.data)]
        missing = [c for c in ("event_id_cnty", "event_date") if c not in columns]
        if missing:
            return f"its header lacks {', '.join(missing)}"
        return None

    def chunks(self, source: Source, stream: BinaryIO) -> Iterator[RawChunk]:
        head, stream = peek(stream)
        header = [c.lower() for c in header_of(head)]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise InputFileError(f"the header lacks {', '.join(missing)}", where=f"{source.name}:1",
                                 fix="an ACLED export names these columns; check --dataset, or re-export "
                                     "with every column")
        doubled = sorted({c for c in header if header.count(c) > 1})
        if doubled:  # column names are read in any case, so EVENT_DATE and event_date are one name
            raise InputFileError(f"the header names {', '.join(doubled)} more than once", where=f"{source.name}:1",
                                 fix="keep one column of each name")
        for chunk in csv_chunks(stream, source=source, required=(), skip_record=_is_hxl):
            if chunk.table is not None:
                names = chunk.table.column_names
                chunk = with_columns(chunk, USED, {c: c.lower() for c in names})
            yield chunk
