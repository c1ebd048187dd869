"""Phoenix event data, in both of its published layouts; one reader, the content decides which.

- **OEDA daily files** (Open Event Data Alliance, 2014-2018, ``events.full.YYYYMMDD.txt``): tab-
  separated, no header, 26 columns, as ``postprocess.py`` of openeventdata/phoenix_pipeline writes
  them. Column names here follow that code (the R readers name the actor columns differently).
- **Cline Center historical Phoenix** (``PhoenixNYT_1945-2005.csv``, ``PhoenixSWB_1979-2015.csv``,
  ``PhoenixFBIS_1995-2004.csv``): comma-separated with a header (eid, story_date, source,
  source_root, ..., code, root_code, ...); columns are taken by name.

Both are coded by PETRARCH from news stories; the event's date is the story's date. Phoenix's own
QuadClass is a five-class scheme (0 neutral) and its GoldsteinScore a copy of the CAMEO scale that
departs from the codebook for some codes, so neither is kept: the store's codebook supplies both,
as for every data set without weights of its own. Every rule: docs/datasets/phoenix.md.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache
from typing import BinaryIO

import pycountry

from policyshift.actors import country_name_table
from policyshift.ingest.base import Check, Field, Head, RawChunk, Reader, csv_chunks, delimited_chunks
from policyshift.ingest.source import Source
from policyshift.ingest.tabular import header_of, lookup_sql, peek, place_sql, with_columns


def _actor(side: str) -> tuple[str, str, str, str]:
    return f"{side}ActorFull", f"{side}ActorRoot", f"{side}ActorAgent", f"{side}ActorOthers"


OEDA = ["EventID", "Date", "Year", "Month", "Day", *_actor("Source"), *_actor("Target"), "EventCode",
        "EventRootCode", "QuadClass", "GoldsteinScore", "Issues", "Lat", "Lon", "LocationName", "StateName",
        "CountryName", "SentenceID", "URLs", "NewsSources"]
assert len(OEDA) == 26

CLINE_REQUIRED = ("eid", "story_date", "code")
CLINE_USED = (*CLINE_REQUIRED, "aid", "source", "source_root", "source_agent", "source_others", "target",
              "target_root", "target_agent", "target_others", "root_code", "lat", "lon", "placename",
              "statename", "countryname")

# An actor's root is a CAMEO country code or one of these four, which name no country.
NOT_COUNTRIES = "'IGO', 'NGO', 'IMG', 'MNC'"


def _q(col: str) -> str:
    return f'"{col}"'


def _blank(col: str) -> str:
    return f"nullif(trim({_q(col)}), '')"


@cache
def _place_keys() -> dict[str, str]:
    """Country names, ISO alpha-2 (CLIFF, the geocoder, gives those) and alpha-3 -> ISO alpha-3."""
    table = country_name_table()
    for country in pycountry.countries:
        table[country.alpha_2.lower()] = country.alpha_3
        table[country.alpha_3.lower()] = country.alpha_3
    return table


def _country(col: str) -> str:
    return lookup_sql(f"lower(regexp_replace(trim({_q(col)}), '\\s+', ' ', 'g'))", _place_keys())


def _actor_fields(side: str, full: str, root: str, agent: str, others: str, *, code: str) -> dict[str, Field]:
    return {
        f"{side}_actor": Field(code, full),
        f"{side}_country": Field(f"CASE WHEN upper(trim({_q(root)})) NOT IN ({NOT_COUNTRIES}) THEN {_blank(root)} END",
                                 root),
        # The primary agent (GOV, MIL, ...), else the first of the other codes (ELI, REF, UNO, ...).
        f"{side}_sector": Field(f"coalesce({_blank(agent)}, nullif(trim(split_part({_q(others)}, ';', 1)), ''))",
                                agent),
    }


def _root_check(code_sql: str, root: str) -> Check:
    padded = f"lpad(CAST(TRY_CAST(trim({_q(root)}) AS INTEGER) AS VARCHAR), 2, '0')"
    return Check(root, f"{_blank(root)} IS NOT NULL AND {code_sql} IS NOT NULL AND NOT starts_with({code_sql}, {padded})",
                 f"{root} does not match the first digits of the event code")


# ---------------------------------------------------------------------------------------------
# OEDA daily files


def _oeda_actor(full: str) -> str:
    # PETRARCH writes --- for an actor part it could not code: "---GOV" is a government of no known
    # country, "---" no actor at all.
    return f"nullif(regexp_replace(upper(trim({_q(full)})), '^-+', ''), '')"


_OEDA_CODE = _blank("EventCode")
OEDA_FIELDS: dict[str, Field] = {
    "event_id": Field(f"'phoenix:oeda:' || {_blank('EventID')}", "EventID"),
    "date": Field("CAST(try_strptime(trim(Date), '%Y%m%d') AS DATE)", "Date", "YYYYMMDD"),
    "date_precision": Field("'day'"),
    **_actor_fields("source", *_actor("Source"), code=_oeda_actor("SourceActorFull")),
    **_actor_fields("target", *_actor("Target"), code=_oeda_actor("TargetActorFull")),
    "cameo_code": Field(_OEDA_CODE, "EventCode"),
    "location_country": Field(_country("CountryName"), "CountryName"),
    "location_name": Field(place_sql([_blank(c) for c in ("LocationName", "StateName", "CountryName")]),
                           "LocationName"),
    "lat": Field(f"TRY_CAST({_blank('Lat')} AS DOUBLE)", "Lat"),
    "lon": Field(f"TRY_CAST({_blank('Lon')} AS DOUBLE)", "Lon"),
    "origin_record_id": Field(_blank("EventID"), "EventID"),
    # One event stands for every story that reported it that day (the pipeline's one-a-day
    # filter): the ids of all the sentences are kept, and the first story's URL.
    "origin_document": Field(_blank("SentenceID"), "SentenceID"),
    "origin_url": Field("nullif(trim(split_part(URLs, ';', 1)), '')", "URLs"),
}

OEDA_CHECKS = (
    Check("EventID", "NOT regexp_full_match(coalesce(trim(EventID), ''), '[0-9]+')",
          "not a Phoenix event id (digits expected)"),
    _root_check(_OEDA_CODE, "EventRootCode"),
)


# ---------------------------------------------------------------------------------------------
# Cline Center historical files


# Where a copy passed through a spreadsheet, codes lost their leading zero ("42" for 042); the root
# code says which it was: root 1-9 puts the zero back.
_CLINE_CODE = ("CASE WHEN TRY_CAST(trim(root_code) AS INTEGER) BETWEEN 1 AND 9 "
               "AND regexp_full_match(trim(code), '[1-9][0-9]{1,2}') THEN '0' || trim(code) "
               f"ELSE {_blank('code')} END")


def _cline_actor(col: str) -> str:
    # The actor codes of some copies carry punctuation around the code: the first run of letters.
    return f"nullif(regexp_extract(upper({_q(col)}), '[A-Z]+', 0), '')"


CLINE_FIELDS: dict[str, Field] = {
    "event_id": Field(f"'phoenix:cline:' || {_blank('eid')}", "eid"),
    "date": Field("CAST(try_strptime(trim(story_date), ['%m/%d/%Y', '%Y-%m-%d']) AS DATE)", "story_date",
                  "MM/DD/YYYY"),
    "date_precision": Field("'day'"),
    **_actor_fields("source", "source", "source_root", "source_agent", "source_others", code=_cline_actor("source")),
    **_actor_fields("target", "target", "target_root", "target_agent", "target_others", code=_cline_actor("target")),
    "cameo_code": Field(_CLINE_CODE, "code"),
    "location_country": Field(_country("countryname"), "countryname"),
    "location_name": Field(place_sql([_blank(c) for c in ("placename", "statename")]), "placename"),
    "lat": Field(f"TRY_CAST({_blank('lat')} AS DOUBLE)", "lat"),
    "lon": Field(f"TRY_CAST({_blank('lon')} AS DOUBLE)", "lon"),
    "origin_record_id": Field(_blank("eid"), "eid"),
    "origin_document": Field(_blank("aid"), "aid"),
}

CLINE_CHECKS = (_root_check(_CLINE_CODE, "root_code"),)


# ---------------------------------------------------------------------------------------------


def _oeda_reason(head: Head) -> str | None:
    lines = head.lines[:50]
    if not lines:
        return "it has no lines"
    counts = [ln.count("\t") + 1 for ln in lines]
    # A stray short line (a truncated download) is the pipeline's to quarantine, not a reason to
    # refuse the file: the first line and most of the others must have the layout.
    if counts[0] != len(OEDA) or counts.count(len(OEDA)) * 2 <= len(counts):
        shown = ", ".join(map(str, sorted(set(counts))))
        return f"its lines have {shown} tab-separated columns, Phoenix (OEDA) has {len(OEDA)}"
    first = lines[0].split("\t")
    if not first[0].strip().isdigit() or not (len(first[1]) == 8 and first[1].isdigit()):
        return "its first line does not start with an event id and a YYYYMMDD date"
    return None


def _is_cline(head: bytes) -> bool:
    columns = [c.lower() for c in header_of(head)]
    return all(c in columns for c in CLINE_REQUIRED)


class PhoenixReader(Reader):
    """Both layouts. ``sniff`` (which picks the reader before a file is read) and ``chunks`` both
    note which layout the file has; ``fields``, ``checks`` and ``delimiter`` are that layout's."""

    name = "phoenix"
    title = "a Phoenix event file (OEDA daily, 26 tab-separated columns; or Cline Center CSV)"

    def __init__(self) -> None:
        self.cline = False

    @property
    def fields(self) -> dict[str, Field]:  # type: ignore[override]
        return CLINE_FIELDS if self.cline else OEDA_FIELDS

    @property
    def checks(self) -> Sequence[Check]:  # type: ignore[override]
        return CLINE_CHECKS if self.cline else OEDA_CHECKS

    @property
    def delimiter(self) -> str:  # type: ignore[override]
        return "," if self.cline else "\t"

    def sniff(self, head: Head) -> str | None:
        self.cline = _is_cline(head.data)
        if self.cline:
            return None
        why = _oeda_reason(head)
        if why is None:
            return None
        return f"{why}; nor is its header the Cline Center layout (eid, story_date, code, ...)"

    def chunks(self, source: Source, stream: BinaryIO) -> Iterator[RawChunk]:
        head, stream = peek(stream)
        self.cline = _is_cline(head)
        if not self.cline:
            yield from delimited_chunks(stream, layouts={len(OEDA): OEDA})
            return
        for chunk in csv_chunks(stream, source=source, required=()):
            if chunk.table is not None:
                chunk = with_columns(chunk, CLINE_USED, {c: c.lower() for c in chunk.table.column_names})
            yield chunk
