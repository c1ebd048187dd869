"""UCDP Georeferenced Event Dataset (GED) as CSV: UCDP's own download or HDX's country extracts.

Comma-separated with a header row, quoted fields that may hold newlines, CRLF line ends. HDX adds
an HXL hashtag row (``,,#date+year,...``) under the header; it is skipped and not counted.

GED has no CAMEO code: one is assigned from the type of violence (data-set level, so documented
in docs/datasets/ucdp.md). side_a is the source actor and side_b the target; "Government of X"
becomes X's CAMEO code + GOV, and a few groups that CAMEO names get its known-group codes
(data/ucdp_actors.tsv). Fatality counts have no place in the event record and are not stored.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from functools import cache
from typing import BinaryIO

from policyshift.ingest import base
from policyshift.ingest.base import Check, Field, Head, RawChunk, Reader, csv_chunks
from policyshift.ingest.icews import country_sql, data_table, place_sql, values_sql
from policyshift.ingest.source import Source

# The columns the fields read; UCDP's download and HDX's extract both have them (HDX adds iso3).
REQUIRED = ("id", "type_of_violence", "side_a", "side_b", "source_article", "where_coordinates", "adm_1",
            "adm_2", "latitude", "longitude", "country", "date_prec", "date_start", "date_end")

# UCDP's type_of_violence -> CAMEO. 1 (state-based) and 2 (non-state) are armed conflict between
# organised armed actors: 190, "use conventional military force" (CAMEO: force "typically by
# organized armed groups"). 3 (one-sided) is organised violence against civilians, which is not
# fighting: 180, "use unconventional violence", rather than 20x, which would claim mass killing
# for events of a single death.
VIOLENCE_CAMEO = {"1": "190", "2": "190", "3": "180"}

GOVERNMENT = "Government of "


def _q(col: str) -> str:
    return '"' + col + '"'


def _blank(col: str) -> str:
    return f"nullif(trim({_q(col)}), '')"


def _date(col: str) -> str:
    # UCDP writes "1990-10-04 00:00:00.000" in its CSV; plain YYYY-MM-DD is accepted too.
    return (f"CASE WHEN regexp_full_match(trim({_q(col)}), "
            f"'[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}([ T][0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}(\\.[0-9]+)?)?') "
            f"THEN TRY_CAST(try_strptime(left(trim({_q(col)}), 10), '%Y-%m-%d') AS DATE) END")


START, END = _date("date_start"), _date("date_end")

# date_prec 1 exact day, 2 within 2-6 days, 3 within a week: 'day', dated date_start (the first
# day UCDP allows). 4 within a month: 'month' when date_start and date_end fall in one calendar
# month, else 'year' (so the stored period holds the window). 5 within a year: 'year'.
PRECISION = (f"CASE trim(date_prec) WHEN '1' THEN 'day' WHEN '2' THEN 'day' WHEN '3' THEN 'day' "
             f"WHEN '4' THEN CASE WHEN date_trunc('month', {START}) = date_trunc('month', coalesce({END}, {START})) "
             f"THEN 'month' ELSE 'year' END "
             f"WHEN '5' THEN 'year' END")

DATE = (f"CAST(CASE {PRECISION} WHEN 'month' THEN date_trunc('month', {START}) "
        f"WHEN 'year' THEN date_trunc('year', {START}) ELSE {START} END AS DATE)")


@cache
def _actor_values() -> str:
    return values_sql((r["name"].lower(), r["actor"] or None, r["sector"] or None)
                      for r in data_table("ucdp_actors.tsv"))


def _actor_fields(side: str, prefix: str) -> dict[str, Field]:
    name = _blank(side)
    is_government = f"starts_with({name}, '{GOVERNMENT}')"
    country = (f"CASE WHEN {is_government} THEN "
               f"{country_sql(f'substr({name}, {len(GOVERNMENT) + 1})', spelling='cameo', strip_parenthesis=True)} END")

    def known(column: str) -> str:
        return f"(SELECT _a.{column} FROM ({_actor_values()}) AS _a(_k, _actor, _sector) WHERE _a._k = lower({name}))"

    return {
        f"{prefix}_actor": Field(f"CASE WHEN {is_government} THEN coalesce({country}, '') || 'GOV' "
                                 f"ELSE {known('_actor')} END", side),
        f"{prefix}_name": Field(name, side),
        f"{prefix}_country": Field(country, side),
        f"{prefix}_sector": Field(f"CASE WHEN {is_government} THEN 'GOV' ELSE {known('_sector')} END", side),
    }


def _violence_cameo() -> str:
    whens = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in VIOLENCE_CAMEO.items())
    return f"CASE trim(type_of_violence) {whens} END"


FIELDS: dict[str, Field] = {
    "event_id": Field(f"'ucdp:' || {_blank('id')}", "id"),
    "date": Field(DATE, "date_start", "YYYY-MM-DD, optionally with a time (1990-10-04 00:00:00.000)"),
    "date_precision": Field(PRECISION, "date_prec"),
    **_actor_fields("side_a", "source"),
    **_actor_fields("side_b", "target"),
    "cameo_code": Field(_violence_cameo(), "type_of_violence"),
    "location_country": Field(country_sql(_blank("country"), spelling="iso3", strip_parenthesis=True), "country"),
    "location_name": Field(place_sql([_blank(c) for c in ("where_coordinates", "adm_2", "adm_1", "country")]),
                           "where_coordinates"),
    "lat": Field(f"TRY_CAST({_blank('latitude')} AS DOUBLE)", "latitude"),
    "lon": Field(f"TRY_CAST({_blank('longitude')} AS DOUBLE)", "longitude"),
    "origin_record_id": Field(_blank("id"), "id"),
    # GED's citation of the news reports the event was coded from (UCDP publishes no document id).
    "origin_document": Field(_blank("source_article"), "source_article"),
}

CHECKS = (
    Check("id", f"{_blank('id')} IS NOT NULL AND NOT regexp_full_match(trim(id), '[0-9]+')",
          "not a UCDP event id (digits expected)"),
    Check("type_of_violence", f"{_violence_cameo()} IS NULL",
          "not a UCDP type of violence (1 state-based, 2 non-state, 3 one-sided)"),
    Check("date_prec", "trim(date_prec) NOT IN ('1', '2', '3', '4', '5') OR date_prec IS NULL",
          "not a UCDP date precision (1 to 5)"),
    Check("date_end", f"trim(date_prec) = '4' AND {_blank('date_end')} IS NOT NULL AND {END} IS NULL",
          "not a valid date (expected YYYY-MM-DD; with date_prec 4 the end date sets the precision)"),
)


def is_hxl_row(record: list[str]) -> bool:
    """An HXL hashtag row: every non-empty value a #tag, and at least one."""
    values = [v.strip() for v in record if v.strip()]
    return bool(values) and all(v.startswith("#") for v in values)


def _skip_hxl_row() -> Callable[[list[str]], bool]:
    # Only the record right under the header can be HXL's tag row; a tag-like row further down is
    # a bad record and is quarantined like any other.
    first = True

    def skip(record: list[str]) -> bool:
        nonlocal first
        was_first, first = first, False
        return was_first and is_hxl_row(record)

    return skip


class UcdpReader(Reader):
    name = "ucdp"
    title = "a UCDP GED event file (CSV with a header)"
    fields = FIELDS
    checks = CHECKS
    delimiter = ","

    def sniff(self, head: Head) -> str | None:
        lines = head.lines
        if not lines:
            return "it has no lines"
        header = {h.lstrip("\ufeff").strip() for h in next(csv.reader([lines[0]]))}
        wanted = {"id", "type_of_violence", "side_a", "side_b", "date_start"}
        if not wanted <= header:
            return "its first line is not a UCDP GED header (id, ..., type_of_violence, ..., side_a, side_b, ...)"
        return None

    def chunks(self, source: Source, stream: BinaryIO) -> Iterator[RawChunk]:
        # CSV_CHUNK_ROWS is looked up now (not bound at import) so that a test can shrink chunks.
        return csv_chunks(stream, source=source, required=REQUIRED, skip_record=_skip_hxl_row(),
                          chunk_rows=base.CSV_CHUNK_ROWS)
