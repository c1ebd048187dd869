"""Downloads: every table as CSV (``/dyad.csv``, ``/events.csv``...) and every chart as PNG or SVG.

Each export takes the same query string as its page and computes with the same service call;
errors come back in the JSON error shape. Charts are drawn by the CLI's ``--plot`` functions into
a temporary file (matplotlib's pyplot is not thread-safe, so one chart is drawn at a time).
"""

from __future__ import annotations

import csv
import io
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from policyshift.render import plain
from policyshift.web import service
from policyshift.web.app import server
from policyshift.web.limits import DEFAULT_LEDGER_EVENTS, DEFAULT_ROWS, MAX_LEDGER_EVENTS
from policyshift.web.params import (
    By,
    From,
    Limit,
    Measure,
    Normalize,
    Offset,
    Source,
    Spec,
    Target,
    To,
    Undirected,
    blank,
)
from policyshift.web.specs import resolve

router = APIRouter(tags=["exports"])
Text = Annotated[str, Query(max_length=64)]
OptText = Annotated[str | None, Query(max_length=64)]
DateText = Annotated[str | None, Query(max_length=32)]
ChartFormat = Literal["png", "svg"]
_PLOT_LOCK = threading.Lock()
MEDIA = {"png": "image/png", "svg": "image/svg+xml"}


def csv_response(rows: Sequence[dict[str, Any]], name: str, columns: Sequence[str] | None = None) -> Response:
    """A CSV attachment: the header, then one line per row (None as an empty cell, dates ISO)."""
    columns = list(columns or (rows[0].keys() if rows else []))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if plain(row.get(c)) is None else plain(row.get(c)) for c in columns])
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


def chart_response(draw: Callable[[Path], Any], name: str, fmt: str) -> Response:
    with tempfile.TemporaryDirectory() as tmp, _PLOT_LOCK:
        path = Path(tmp) / f"chart.{fmt}"
        draw(path)
        data = path.read_bytes()
    return Response(data, media_type=MEDIA[fmt], headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


def _changes(request: Request, source: str, target: str, by: str, start: str | None, end: str | None,
             undirected: bool, measure: str) -> Any:
    return server(request).call(lambda r: service.changes(
        r, source=source, target=target, by=by, start=blank(start), end=blank(end), undirected=undirected,
        normalize=False, measure=measure, method="pelt", penalty="bic", min_size=2, max_breaks=None, alpha=0.01,
        top=5))


@router.get("/overview.csv", summary="One table of the overview as CSV: datasets, top_actors or top_dyads")
def overview_csv(request: Request, table: Literal["datasets", "top_actors", "top_dyads"] = "top_dyads",
                 top: Annotated[int, Query(ge=1, le=100)] = 10) -> Response:
    from policyshift.web.catalog import overview

    return csv_response(overview(server(request), top=top)[table], table)


@router.get("/dyad.csv", summary="The dyad series as CSV")
def dyad_csv(request: Request, source: Source, target: Target, by: By = "month", start: From = None, end: To = None,
             undirected: Undirected = False, normalize: Normalize = False) -> Response:
    frame = server(request).call(lambda r: service.series(r, source=source, target=target, by=by, start=blank(start),
                                                          end=blank(end), undirected=undirected, normalize=normalize))
    return csv_response(service.series_document(frame)["periods"], f"{frame.attrs['source']}-{frame.attrs['target']}")


@router.get("/changes.csv", summary="The breaks as CSV (as `policyshift changes --format csv`)")
def changes_csv(request: Request, source: Source, target: Target, by: By = "month", start: From = None,
                end: To = None, undirected: Undirected = False, measure: Measure = "net_cooperation") -> Response:
    from policyshift.cli.detect_cmds import BREAK_COLUMNS

    doc = _changes(request, source, target, by, start, end, undirected, measure).document
    rows = [{**b, "drivers": " ".join(d["event_id"] for d in b["drivers"])} for b in doc["breaks"]]
    return csv_response(rows, f"{doc['source']}-{doc['target']}-changes", BREAK_COLUMNS)


@router.get("/events.csv", summary="Events with provenance as CSV")
def events_csv(request: Request, source: OptText = None, target: OptText = None, actor: OptText = None,
               start: From = None, end: To = None, limit: Limit = DEFAULT_ROWS, offset: Offset = 0) -> Response:
    from policyshift.schema import EVENT_COLUMN_NAMES

    rows = server(request).call(lambda r: service.events(r, source=blank(source), target=blank(target),
                                                         actor=blank(actor), start=blank(start), end=blank(end),
                                                         limit=limit, offset=offset))
    return csv_response(rows, "events", EVENT_COLUMN_NAMES)


@router.get("/dyad/events.csv", summary="The events behind the dyad series as CSV (as /api/dyad/events)")
def dyad_events_csv(request: Request, source: Source, target: Target, by: By = "month", start: From = None,
                    end: To = None, undirected: Undirected = False, limit: Limit = DEFAULT_ROWS,
                    offset: Offset = 0) -> Response:
    from policyshift.schema import EVENT_COLUMN_NAMES

    rows = server(request).call(lambda r: service.dyad_events(r, source=source, target=target, by=by,
                                                              start=blank(start), end=blank(end),
                                                              undirected=undirected, limit=limit, offset=offset))
    # The codes passed the measure code's check (a CAMEO-style code), so they are safe in a file name.
    return csv_response(rows, f"{source.strip().upper()}-{target.strip().upper()}-events", EVENT_COLUMN_NAMES)


@router.get("/triad.csv", summary="The triad table as CSV")
def triad_csv(request: Request, broker: Text, a: Text, b: Text, by: By = "month", start: From = None,
              end: To = None, at: DateText = None) -> Response:
    result = server(request).call(lambda r: service.triad(r, broker=broker, a=a, b=b, by=by, start=blank(start),
                                                          end=blank(end), at=blank(at)))
    return csv_response(result.to_document()["periods"], "triad")


@router.get("/saydo.csv", summary="The say-do gaps as CSV")
def saydo_csv(request: Request, source: Source, target: Target, by: By = "month", start: From = None,
              end: To = None) -> Response:
    result = server(request).call(lambda r: service.saydo(r, source=source, target=target, by=by,
                                                          start=blank(start), end=blank(end)))
    return csv_response(result.to_document()["periods"], "saydo")


def _shift(request: Request, at: str, focal: str | None, window: int, top: int, by: str, measure: str,
           min_events: int) -> Any:
    return server(request).call(lambda r: service.shift(r, at=at, focal=blank(focal), window=window, top=top, by=by,
                                                        measure=measure, undirected=False, normalize=False,
                                                        min_events=min_events, alpha=0.05))


ShiftWindow = Annotated[int, Query(ge=1, le=1000)]
ShiftTop = Annotated[int, Query(ge=1, le=1000)]
MinEvents = Annotated[int, Query(ge=0, le=1_000_000)]


@router.get("/shift.csv", summary="The shift scan as CSV")
def shift_csv(request: Request, at: Annotated[str, Query(max_length=32)], focal: OptText = None,
              window: ShiftWindow = 12, top: ShiftTop = 20, by: By = "month", measure: Measure = "events",
              min_events: MinEvents = 10) -> Response:
    from policyshift.detect.scan import COLUMNS

    result = _shift(request, at, focal, window, top, by, measure, min_events)
    return csv_response(result.shifts.to_dict("records"), "shift", COLUMNS)


@router.get("/case.csv", summary="Compliance with a demands spec as CSV (one row per demand and evidence event)")
def case_csv(request: Request, spec: Spec = "builtin:pakistan_2001", as_of: DateText = None) -> Response:
    from policyshift.demands import CSV_COLUMNS, csv_rows

    srv = server(request)
    ref = resolve(spec, srv.specs_dir)
    result = srv.call(lambda r: service.compliance(r, spec=ref, as_of=blank(as_of)))
    return csv_response(csv_rows(result), "compliance", CSV_COLUMNS)


@router.get("/ledger.csv", summary="The ledger's lines as CSV")
def ledger_csv(request: Request, spec: Annotated[str | None, Query(max_length=256)] = None, actor: OptText = None,
               at: DateText = None, window: Annotated[int | None, Query(ge=1, le=36_500)] = None,
               max_events: Annotated[int, Query(ge=1, le=MAX_LEDGER_EVENTS)] = DEFAULT_LEDGER_EVENTS) -> Response:
    srv = server(request)
    query, ref = service.ledger_query(srv.specs_dir, actor=blank(actor), at=blank(at), window=window,
                                      spec=blank(spec))
    result = srv.call(lambda r: service.ledger(r, query=query, spec=ref, max_events=max_events))
    return csv_response(result.rows(), f"ledger-{result.actor}")


@router.get("/chart/dyad.{fmt}", summary="The dyad chart (events and the measure, breaks marked) as PNG or SVG")
def dyad_chart(request: Request, fmt: ChartFormat, source: Source, target: Target, by: By = "month",
               start: From = None, end: To = None, undirected: Undirected = False,
               measure: Measure = "net_cooperation") -> Response:
    from policyshift.plot import plot_series

    result = _changes(request, source, target, by, start, end, undirected, measure)
    return chart_response(lambda p: plot_series(result.frame, p, measure=measure, breaks=result.marks()),
                          f"{result.document['source']}-{result.document['target']}", fmt)


@router.get("/chart/triad.{fmt}", summary="The triad chart as PNG or SVG")
def triad_chart(request: Request, fmt: ChartFormat, broker: Text, a: Text, b: Text, by: By = "month",
                start: From = None, end: To = None, at: DateText = None) -> Response:
    from policyshift.measure.triad import plot_triad

    result = server(request).call(lambda r: service.triad(r, broker=broker, a=a, b=b, by=by, start=blank(start),
                                                          end=blank(end), at=blank(at)))
    return chart_response(lambda p: plot_triad(result, p), "triad", fmt)


@router.get("/chart/saydo.{fmt}", summary="The say-do chart as PNG or SVG")
def saydo_chart(request: Request, fmt: ChartFormat, source: Source, target: Target, by: By = "month",
                start: From = None, end: To = None) -> Response:
    from policyshift.measure.saydo import plot_saydo

    result = server(request).call(lambda r: service.saydo(r, source=source, target=target, by=by,
                                                          start=blank(start), end=blank(end)))
    return chart_response(lambda p: plot_saydo(result, p), "saydo", fmt)


@router.get("/chart/shift.{fmt}", summary="The shift scan's volcano chart as PNG or SVG")
def shift_chart(request: Request, fmt: ChartFormat, at: Annotated[str, Query(max_length=32)], focal: OptText = None,
                window: ShiftWindow = 12, top: ShiftTop = 20, by: By = "month", measure: Measure = "events",
                min_events: MinEvents = 10) -> Response:
    from policyshift.detect.scan import plot_scan

    result = _shift(request, at, focal, window, top, by, measure, min_events)
    return chart_response(lambda p: plot_scan(result, p), "shift", fmt)
