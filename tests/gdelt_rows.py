"""Build GDELT rows for tests: our own small fixtures, in the published column layouts."""

from __future__ import annotations

from pathlib import Path

from policyshift.ingest.gdelt import GDELT1_57, GDELT1_58, GDELT2_61

DEFAULTS = {
    "GLOBALEVENTID": "1000001", "SQLDATE": "20010922", "MonthYear": "200109", "Year": "2001",
    "FractionDate": "2001.7205", "Actor1Code": "USAGOV", "Actor1Name": "UNITED STATES",
    "Actor1CountryCode": "USA", "Actor1Type1Code": "GOV", "Actor2Code": "PAKGOV", "Actor2Name": "PAKISTAN",
    "Actor2CountryCode": "PAK", "Actor2Type1Code": "GOV", "IsRootEvent": "1", "EventCode": "085",
    "EventBaseCode": "085", "EventRootCode": "08", "QuadClass": "2", "GoldsteinScale": "7.0",
    "NumMentions": "10", "NumSources": "2", "NumArticles": "10", "AvgTone": "1.5",
    "ActionGeo_Type": "1", "ActionGeo_FullName": "Pakistan", "ActionGeo_CountryCode": "PK",
    "ActionGeo_Lat": "30", "ActionGeo_Long": "70", "ActionGeo_FeatureID": "PK",
    "DATEADDED": "20010922", "SOURCEURL": "https://example.org/news/sanctions-waived",
}


def row(layout: list[str] = GDELT2_61, **values: str) -> str:
    merged = {**DEFAULTS, **values}
    return "\t".join(merged.get(c, "") for c in layout)


def write(path: Path, rows: list[str], *, newline: str = "\n") -> Path:
    path.write_text("".join(r + newline for r in rows), encoding="utf-8")
    return path


def numbered(n: int, layout: list[str] = GDELT2_61, start: int = 1, **values: str) -> list[str]:
    return [row(layout, GLOBALEVENTID=str(start + i), **values) for i in range(n)]


__all__ = ["DEFAULTS", "GDELT1_57", "GDELT1_58", "GDELT2_61", "numbered", "row", "write"]
