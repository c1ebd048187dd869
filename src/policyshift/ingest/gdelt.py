"""GDELT 1.0 (57 and 58 columns) and GDELT 2.0 (61 columns) event files.

Tab-separated, no header, no quoting. GDELT 1.0's historical back-files have 57 columns (no
SOURCEURL); its daily files have 58; GDELT 2.0 adds ADM2 codes to the three geography blocks (61).
Actor country codes are CAMEO codes; geography country codes are FIPS 10-4, converted to ISO
alpha-3 through GeoNames. GDELT's own QuadClass and GoldsteinScale are kept. See docs/datasets/gdelt.md.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import BinaryIO, ClassVar

from policyshift.ingest.base import Check, Field, Head, RawChunk, Reader, delimited_chunks
from policyshift.ingest.source import Source


def _actor(n: int) -> list[str]:
    p = f"Actor{n}"
    return [f"{p}Code", f"{p}Name", f"{p}CountryCode", f"{p}KnownGroupCode", f"{p}EthnicCode",
            f"{p}Religion1Code", f"{p}Religion2Code", f"{p}Type1Code", f"{p}Type2Code", f"{p}Type3Code"]


def _geo(prefix: str, adm2: bool) -> list[str]:
    cols = [f"{prefix}_Type", f"{prefix}_FullName", f"{prefix}_CountryCode", f"{prefix}_ADM1Code"]
    if adm2:
        cols.append(f"{prefix}_ADM2Code")
    return cols + [f"{prefix}_Lat", f"{prefix}_Long", f"{prefix}_FeatureID"]


_EVENT = ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
          "NumMentions", "NumSources", "NumArticles", "AvgTone"]


def _layout(adm2: bool, url: bool) -> list[str]:
    cols = ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate", *_actor(1), *_actor(2), *_EVENT]
    for prefix in ("Actor1Geo", "Actor2Geo", "ActionGeo"):
        cols += _geo(prefix, adm2)
    cols.append("DATEADDED")
    if url:
        cols.append("SOURCEURL")
    return cols


GDELT1_57 = _layout(adm2=False, url=False)
GDELT1_58 = _layout(adm2=False, url=True)
GDELT2_61 = _layout(adm2=True, url=True)


def _blank(col: str) -> str:
    return f"nullif(trim(\"{col}\"), '')"


def _number(col: str) -> str:
    return f"TRY_CAST({_blank(col)} AS DOUBLE)"


def _fields(prefix: str) -> dict[str, Field]:
    # Sector: the first of the three CAMEO type codes that names a role (GOV, MIL, ...).
    def sector(n: int) -> str:
        return f"coalesce({_blank(f'Actor{n}Type1Code')}, {_blank(f'Actor{n}Type2Code')}, {_blank(f'Actor{n}Type3Code')})"

    # Location: the action's place; GDELT's geography country is FIPS 10-4 (joined via fips_iso3).
    return {
        "event_id": Field(f"'{prefix}:' || {_blank('GLOBALEVENTID')}", "GLOBALEVENTID"),
        "date": Field("TRY_CAST(try_strptime(SQLDATE, '%Y%m%d') AS DATE)", "SQLDATE", "YYYYMMDD"),
        "date_precision": Field("'day'"),
        "source_actor": Field(_blank("Actor1Code"), "Actor1Code"),
        "source_name": Field(_blank("Actor1Name"), "Actor1Name"),
        "source_country": Field(_blank("Actor1CountryCode"),
                                "Actor1CountryCode"),
        "source_sector": Field(sector(1), "Actor1Type1Code"),
        "target_actor": Field(_blank("Actor2Code"), "Actor2Code"),
        "target_name": Field(_blank("Actor2Name"), "Actor2Name"),
        "target_country": Field(_blank("Actor2CountryCode"),
                                "Actor2CountryCode"),
        "target_sector": Field(sector(2), "Actor2Type1Code"),
        "cameo_code": Field(_blank("EventCode"), "EventCode"),
        "quad_class": Field(f"TRY_CAST({_blank('QuadClass')} AS TINYINT)", "QuadClass"),
        "goldstein": Field(_number("GoldsteinScale"), "GoldsteinScale"),
        "location_country": Field("(SELECT iso3 FROM fips_iso3 WHERE fips = nullif(trim(ActionGeo_CountryCode), ''))",
                                  "ActionGeo_CountryCode"),
        "location_name": Field(_blank("ActionGeo_FullName"), "ActionGeo_FullName"),
        "lat": Field(_number("ActionGeo_Lat"), "ActionGeo_Lat"),
        "lon": Field(_number("ActionGeo_Long"), "ActionGeo_Long"),
        "origin_record_id": Field(_blank("GLOBALEVENTID"), "GLOBALEVENTID"),
        "origin_url": Field(_blank("SOURCEURL"), "SOURCEURL"),
    }


_ID_CHECK = Check("GLOBALEVENTID", "NOT regexp_full_match(coalesce(trim(GLOBALEVENTID), ''), '[0-9]+')",
                  "not a GDELT event id (digits expected)")
_ROOT_CHECK = Check("EventRootCode",
                    "nullif(trim(EventRootCode), '') IS NOT NULL AND nullif(trim(EventCode), '') IS NOT NULL "
                    "AND NOT starts_with(trim(EventCode), trim(EventRootCode))",
                    "EventRootCode does not match the first digits of EventCode")


def _sniff_columns(head: Head, layouts: dict[int, Sequence[str]], title: str) -> str | None:
    lines = head.lines[:50]
    if not lines:
        return "it has no lines"
    counts = [ln.count("\t") + 1 for ln in lines]
    fitting = sum(1 for c in counts if c in layouts)
    # A few bad lines are the pipeline's to quarantine; the file as a whole must fit the layout.
    if counts[0] not in layouts or fitting * 2 <= len(counts):
        shown = ", ".join(str(c) for c in sorted(set(counts))[:5])
        want = " or ".join(str(c) for c in sorted(layouts))
        return f"its lines have {shown} tab-separated columns, {title} has {want}"
    first = lines[0].split("\t")
    if not first[0].strip().isdigit() or not (len(first[1]) == 8 and first[1].isdigit()):
        return "its first line does not start with an event id and a YYYYMMDD date"
    return None


class Gdelt2Reader(Reader):
    name = "gdelt2"
    title = "a GDELT 2.0 events export (61 columns)"
    fields = _fields("gdelt2")
    checks = (_ID_CHECK, _ROOT_CHECK)
    layouts: ClassVar[dict[int, Sequence[str]]] = {61: GDELT2_61}

    def sniff(self, head: Head) -> str | None:
        return _sniff_columns(head, self.layouts, "GDELT 2.0")

    def chunks(self, source: Source, stream: BinaryIO) -> Iterator[RawChunk]:
        return delimited_chunks(stream, layouts=self.layouts)


class Gdelt1Reader(Reader):
    name = "gdelt1"
    title = "a GDELT 1.0 events file (57 or 58 columns)"
    fields = _fields("gdelt1")
    checks = (_ID_CHECK, _ROOT_CHECK)
    layouts: ClassVar[dict[int, Sequence[str]]] = {57: GDELT1_57, 58: GDELT1_58}

    def sniff(self, head: Head) -> str | None:
        return _sniff_columns(head, self.layouts, "GDELT 1.0")

    def chunks(self, source: Source, stream: BinaryIO) -> Iterator[RawChunk]:
        return delimited_chunks(stream, layouts=self.layouts)
