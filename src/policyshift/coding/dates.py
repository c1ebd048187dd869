"""The date of a sentence's event, resolved against the document's date.

News writes relative dates: "on Thursday" (the last Thursday on or before the story's date),
"yesterday", "last month", "in February" (the last February not after the story). Explicit dates
("12 October 2001", "October 12", "2001-10-12", "in 1999") are taken as written. Precision follows
what the text says: a weekday or a full date is a day, "last month" or "in February" a month,
"in 1999" or "last year" a year. With no date expression the document's date stands (day); with
no document date either, the event has no date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_M = r"(January|February|March|April|May|June|July|August|September|October|November|December|" \
     r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
_W = r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

_PATTERNS = [
    ("iso", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    ("day_month", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?{_M}(?:,? (\d{{4}}))?\b")),
    ("month_day", re.compile(rf"\b{_M} (\d{{1,2}})(?:st|nd|rd|th)?\b(?:,? (\d{{4}}))?")),
    ("weekday", re.compile(rf"\b(?:(last|next|this|on|On|Last|Next|This) )?{_W}\b")),
    ("relative_day", re.compile(r"\b(yesterday|today|tomorrow|Yesterday|Today|Tomorrow)\b")),
    ("last_period", re.compile(r"\b(last|this|next|Last|This|Next) (week|month|year)\b")),
    ("month_year", re.compile(rf"\b(?:in|In|since|during|by|until|early|late|mid-?) ?{_M}(?:,? (\d{{4}}))?\b")),
    ("year", re.compile(r"\b(?:in|In|during|since|by) (19\d\d|20\d\d)\b")),
]


@dataclass(frozen=True)
class ResolvedDate:
    date: date | None
    precision: str | None  # day, month, year
    text: str | None  # the expression used, None when the document's date stands
    explicit_year: bool = False  # the text wrote the year ("in 2001"), not relative to the document


def _month(name: str) -> int:
    name = name.lower().rstrip(".")
    return next(i for i, m in enumerate(MONTHS, 1) if m.startswith(name[:3]))


def _before(doc_date: date | None, month: int, day: int = 1) -> int | None:
    """The year of the last such month (and day) not after the document's date."""
    if doc_date is None:
        return None
    year = doc_date.year
    if (month, day) > (doc_date.month, doc_date.day if day != 1 else 1):
        year -= 1
    return year


def _safe(year: int | None, month: int, day: int) -> date | None:
    if year is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def resolve(text: str, doc_date: date | None, *, year: int | None = None) -> ResolvedDate:
    """The first date expression of ``text``, resolved against ``doc_date``. ``year``: the year a
    month or day written without one is in ("On October 7", in a history whose last year was 2001);
    by default the last such month or day not after ``doc_date``."""
    found = []
    for kind, pattern in _PATTERNS:
        m = pattern.search(text)
        if m:
            found.append((m.start(), kind, m))
    for _, kind, m in sorted(found, key=lambda f: f[0]):
        resolved = _resolve(kind, m, doc_date, year)
        if resolved is not None:
            return resolved
    return ResolvedDate(doc_date, "day" if doc_date else None, None)


def _resolve(kind: str, m: re.Match[str], doc_date: date | None, in_year: int | None = None) -> ResolvedDate | None:
    said = m.group(0)
    if kind == "iso":
        d = _safe(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return ResolvedDate(d, "day", said, True) if d else None
    if kind in ("day_month", "month_day"):
        day, month, year = ((m.group(1), m.group(2), m.group(3)) if kind == "day_month"
                            else (m.group(2), m.group(1), m.group(3)))
        mo, dd = _month(month), int(day)
        y = int(year) if year else in_year or _before(doc_date, mo, dd)
        d = _safe(y, mo, dd)
        return ResolvedDate(d, "day", said, bool(year)) if d else None
    if kind == "weekday":
        if doc_date is None:
            return None
        which, target = (m.group(1) or "").lower(), WEEKDAYS.index(m.group(2).lower())
        back = (doc_date.weekday() - target) % 7
        if which == "next":
            return ResolvedDate(doc_date + timedelta(days=(target - doc_date.weekday()) % 7 or 7), "day", said)
        if which == "last" and back == 0:
            back = 7
        return ResolvedDate(doc_date - timedelta(days=back), "day", said)
    if kind == "relative_day":
        if doc_date is None:
            return None
        shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[m.group(1).lower()]
        return ResolvedDate(doc_date + timedelta(days=shift), "day", said)
    if kind == "last_period":
        if doc_date is None:
            return None
        which, unit = m.group(1).lower(), m.group(2)
        step = {"last": -1, "this": 0, "next": 1}[which]
        if unit == "year":
            return ResolvedDate(date(doc_date.year + step, 1, 1), "year", said)
        if unit == "month":
            months = doc_date.year * 12 + doc_date.month - 1 + step
            return ResolvedDate(date(months // 12, months % 12 + 1, 1), "month", said)
        # A week names no day; its month is what is known.
        day = doc_date + timedelta(days=7 * step)
        return ResolvedDate(date(day.year, day.month, 1), "month", said)
    if kind == "month_year":
        mo = _month(m.group(1))
        y = int(m.group(2)) if m.group(2) else in_year or _before(doc_date, mo)
        d = _safe(y, mo, 1)
        return ResolvedDate(d, "month", said, bool(m.group(2))) if d else None
    if kind == "year":
        return ResolvedDate(date(int(m.group(1)), 1, 1), "year", said, True)
    return None
