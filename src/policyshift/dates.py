"""Dates given as options: ISO 8601, or a clear error naming the option."""

from __future__ import annotations

from datetime import date

from policyshift.errors import UsageError


def parse_date(value: str | date | None, option: str) -> date | None:
    """``value`` as a date (None stays None); a UsageError naming ``option`` when it is not one."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise UsageError(f"not a date: {value!r}", where=option,
                         fix="use YYYY-MM-DD (e.g. 2001-09-11)") from None
