"""The web's calls into the API: the same function and the same conversion as each CLI command.

Each function takes a per-request :class:`~policyshift.web.reader.Reader` and returns the result
object (pages draw from it) or the JSON document (``--format json``'s). Bounds that the CLI does
not need (rows, periods) are checked here; see policyshift.web.limits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from policyshift.backends import Backend, duckdb_backend
from policyshift.dates import parse_date
from policyshift.errors import UsageError
from policyshift.schema import EVENT_COLUMN_NAMES
from policyshift.selectors import check_known, normalise
from policyshift.web.errors import NotFound
from policyshift.web.limits import DETECT_MAX_PERIODS, MAX_PERIODS
from policyshift.web.reader import Reader
from policyshift.web.specs import SpecRef


def backend(reader: Reader) -> Backend:
    return duckdb_backend(reader)


def check_periods(frame: pd.DataFrame, by: str) -> None:
    if len(frame) > MAX_PERIODS:
        raise UsageError(f"{len(frame):,} periods by {by} is more than the web app's limit of {MAX_PERIODS:,}",
                         where="by", fix="choose a coarser 'by' or a shorter range (from/to)")


def series(reader: Reader, *, source: str, target: str, by: str, start: str | None, end: str | None,
           undirected: bool, normalize: bool) -> pd.DataFrame:
    """As ``policyshift series`` (the document is measure.series.to_document of this frame)."""
    from policyshift.measure.series import series as compute

    frame = compute(backend(reader), source, target, by=by, start=start, end=end,  # type: ignore[arg-type]
                    directed=not undirected, normalize=normalize)
    check_periods(frame, by)
    return frame


def series_document(frame: pd.DataFrame) -> dict[str, Any]:
    from policyshift.measure.series import to_document

    return to_document(frame)


def changes(reader: Reader, *, source: str, target: str, by: str, start: str | None, end: str | None,
            undirected: bool, normalize: bool, measure: str, method: str, penalty: str, min_size: int,
            max_breaks: int | None, alpha: float, top: int, at: str | None = None, window: int = 12) -> Any:
    """As ``policyshift changes``: the Changes object (``.document`` is the JSON, ``.frame`` the series)."""
    if most_periods(reader, by=by, start=start, end=end) > MAX_PERIODS:
        # Refuse a too-long series before detection, which is pure Python: no query timeout stops it.
        # The bound counts from the store's first day; the series itself (zero-filled from the dyad's
        # first event) decides.
        series(reader, source=source, target=target, by=by, start=start, end=end, undirected=undirected,
               normalize=normalize)
    return _detect(reader, source=source, target=target, by=by, start=start, end=end, undirected=undirected,
                   normalize=normalize, measure=measure, method=method, penalty=penalty, min_size=min_size,
                   max_breaks=max_breaks, alpha=alpha, top=top, at=at, window=window)


def _detect(reader: Reader, *, source: str, target: str, by: str, start: str | None, end: str | None,
            undirected: bool, **options: Any) -> Any:
    """Detection on a series whose length is known to be within the limits (callers check first)."""
    from policyshift.detect import changes as compute

    result = compute(backend(reader), source, target, by=by, start=start, end=end, directed=not undirected,
                     **options)
    check_periods(result.frame, by)
    return result


@dataclass(frozen=True)
class DyadView:
    """What the dyad page draws: the series by ``by``, and the changes found on the series by ``detect_by``."""

    frame: pd.DataFrame
    document: dict[str, Any]
    detect_by: str


def dyad_view(reader: Reader, *, source: str, target: str, by: str, start: str | None, end: str | None,
              undirected: bool, measure: str) -> DyadView:
    """The page's series and its change points (``policyshift changes`` with its defaults).

    Change-point detection grows faster than the number of periods (thousands of days took 10 s
    and more), so past DETECT_MAX_PERIODS the page detects on the finest coarser series that is
    short enough (by day: week, then month...); the chart still shows every period by ``by``, and
    the page says so. ``/api/changes`` and the CLI always detect on the series asked for.
    """
    kwargs: dict[str, Any] = {"source": source, "target": target, "start": start, "end": end,
                              "undirected": undirected, "normalize": False, "measure": measure, "method": "pelt",
                              "penalty": "bic", "min_size": 2, "max_breaks": None, "alpha": 0.01, "top": 5}
    # One bound per page: within DETECT_MAX_PERIODS (below MAX_PERIODS) the series needs no other check.
    if most_periods(reader, by=by, start=start, end=end) <= DETECT_MAX_PERIODS:
        result = _detect(reader, by=by, **kwargs)
        return DyadView(result.frame, result.document, by)
    frame = series(reader, source=source, target=target, by=by, start=start, end=end, undirected=undirected,
                   normalize=False)  # refuses more than MAX_PERIODS
    detect_by = coarser(frame, by)
    return DyadView(frame, _detect(reader, by=detect_by, **kwargs).document, detect_by)


def most_periods(reader: Reader, *, by: str, start: str | None, end: str | None) -> int:
    """An upper bound on a series' periods, before its query: from/to, else the store's first and last day."""
    from policyshift.measure.series import data_range, period_index

    first, last = data_range(backend(reader))
    lo, hi = (parse_date(start, "--from") or first), (parse_date(end, "--to") or last)
    return len(period_index(lo, hi, by)) if lo is not None and hi is not None else 0


def coarser(frame: pd.DataFrame, by: str) -> str:
    """``by`` if the series has at most DETECT_MAX_PERIODS periods, else the finest coarser granularity that does."""
    from policyshift.measure.series import GRANULARITIES, period_index

    names = list(GRANULARITIES)
    first, last = frame.index[0].date(), frame.index[-1].date()
    for name in names[names.index(by):]:
        if len(period_index(first, last, name)) <= DETECT_MAX_PERIODS:
            return name
    return names[-1]


def events(reader: Reader, *, source: str | None, target: str | None, actor: str | None = None,
           start: str | None, end: str | None, dataset: str | None = None, cameo: str | None = None,
           limit: int, offset: int) -> list[dict[str, Any]]:
    """As ``policyshift events --format json``; an actor code no event has is an error here (the
    CLI prints an empty list), so that a typo is told apart from a quiet dyad."""
    from policyshift.query import events_arrow

    named = {"source": source, "target": target, "actor": actor}
    codes = {k: normalise(v, k) for k, v in named.items() if v}
    rows = events_arrow(reader, actor=codes.get("actor"), source=codes.get("source"),  # type: ignore[arg-type]
                        target=codes.get("target"),
                        start=start, end=end, dataset=dataset, cameo=cameo, limit=limit,
                        offset=offset).to_pylist()
    if not rows and codes:
        b = backend(reader)
        for option, code in codes.items():
            check_known(b.events, code, [], option)
    return rows


def dyad_events(reader: Reader, *, source: str, target: str, by: str, start: str | None, end: str | None,
                undirected: bool, limit: int, offset: int) -> list[dict[str, Any]]:
    """The events behind the dyad series (its chart and its counts), in date order.

    The measure code's own filter (policyshift.measure.series.dyad_events: roles resolved by date,
    so TAL counts as AFGGOV from 1996-09-27 to 2001-11-13), and the same date-precision rule as the
    series for ``by``: the rows listed are exactly the events the series counts.
    """
    from policyshift.measure.series import dyad_events as select
    from policyshift.measure.series import granularity, precise_enough

    granularity(by)
    b = backend(reader)
    t = select(b, source, target, directed=not undirected, start=start, end=end)
    t = t.filter(precise_enough(t, by)).select(*EVENT_COLUMN_NAMES).order_by(["date", "event_id"])
    rows: list[dict[str, Any]] = t.limit(limit, offset=offset).to_pyarrow().to_pylist()
    if not rows:  # a typo is told apart from a quiet dyad, as the series does
        check_known(b.events, normalise(source, "source"), b.roles, "source")
        check_known(b.events, normalise(target, "target"), b.roles, "target")
    return rows


def event(reader: Reader, event_id: str) -> dict[str, Any]:
    """One event with every column of the record (its provenance included); 404 when unknown."""
    cols = ", ".join(EVENT_COLUMN_NAMES)
    cursor = reader.con.cursor()
    row = cursor.execute(f"SELECT {cols} FROM events WHERE event_id = ?", [event_id]).fetchone()
    if row is None:
        raise NotFound(f"no event with id {event_id!r} in this store", field="event_id",
                       fix="follow a link from a table, or list ids with /api/events")
    return dict(zip(EVENT_COLUMN_NAMES, row))


def triad(reader: Reader, *, broker: str, a: str, b: str, by: str, start: str | None, end: str | None,
          at: str | None) -> Any:
    """As ``policyshift triad`` (``.to_document()`` is the JSON)."""
    from policyshift.measure.triad import triad as compute

    result = compute(backend(reader), broker, a, b, by=by, start=start, end=end, at=at)
    check_periods(result.frame, by)
    return result


def saydo(reader: Reader, *, source: str, target: str, by: str, start: str | None, end: str | None) -> Any:
    """As ``policyshift saydo`` (``.to_document()`` is the JSON)."""
    from policyshift.measure.saydo import saydo as compute

    result = compute(backend(reader), source, target, by=by, start=start, end=end)
    check_periods(result.frame, by)
    return result


def shift(reader: Reader, *, at: str, focal: str | None, window: int, top: int, by: str, measure: str,
          undirected: bool, normalize: bool, min_events: int, alpha: float) -> Any:
    """As ``policyshift shift`` (detect.scan.to_document of it is the JSON)."""
    from policyshift.detect.scan import scan

    return scan(backend(reader), at=at, focal=focal, window=window, top=top, by=by, measure=measure,
                level="actor", directed=not undirected, normalize=normalize, min_events=min_events, alpha=alpha,
                rank_by="significance")


def shift_document(result: Any) -> dict[str, Any]:
    from policyshift.detect.scan import to_document

    return to_document(result)


def compliance(reader: Reader, *, spec: SpecRef, as_of: str | None) -> Any:
    """As ``policyshift compliance SPEC`` (``.to_document()`` is the JSON)."""
    from policyshift.demands import compliance as compute

    return compute(backend(reader), spec.demands_spec(), as_of=as_of)


@dataclass(frozen=True)
class LedgerQuery:
    actor: str
    at: str | date | None
    window: int


def ledger(reader: Reader, *, query: LedgerQuery, spec: SpecRef | None, max_events: int) -> Any:
    """As ``policyshift ledger A --at --window`` (``.to_document()`` is the JSON)."""
    from policyshift.ledger import ledger as compute

    rules = spec.ledger_rules if spec else None
    return compute(backend(reader), query.actor, at=query.at, window=query.window, rules=rules,
                   max_events=max_events)


def ledger_query(specs_dir: Any, *, actor: str | None, at: str | None, window: int | None,
                 spec: str | None) -> tuple[LedgerQuery, SpecRef | None]:
    """The ledger's actor, date and window: as given, else the spec's focal actor, date and window."""
    from policyshift.web.specs import resolve

    ref = resolve(spec, specs_dir) if spec else None
    who = actor or (ref.focal if ref else None)
    if who is None:
        raise UsageError("no actor given", field="actor", fix="add actor=PAK (or spec=builtin:pakistan_2001)")
    when = at if at is not None else (ref.at if ref else None)
    days = window if window is not None else (ref.ledger_window if ref else 365)
    return LedgerQuery(who, when, days), ref
