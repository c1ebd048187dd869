"""The HTML pages: a form whose values are the query string, and the result drawn under it.

A page computes with the same service functions as /api; a PolicyshiftError becomes the page
again, its form filled in, with the message (``data-testid="error"``) and the 4xx status.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from policyshift.errors import PolicyshiftError
from policyshift.measure.series import COUNT_COLUMNS, MEASURES
from policyshift.web import service
from policyshift.web.app import server
from policyshift.web.catalog import overview as overview_doc
from policyshift.web.charts import Mark, Segment, break_marks, line_chart, period_label, position, segments, values
from policyshift.web.errors import from_policyshift
from policyshift.web.limits import DEFAULT_ROWS, DETECT_MAX_PERIODS
from policyshift.web.params import By, From, Limit, Offset, To, Undirected, blank
from policyshift.web.render import render
from policyshift.web.specs import available

router = APIRouter(include_in_schema=False)
Text = Annotated[str | None, Query(max_length=64)]
DateText = Annotated[str | None, Query(max_length=32)]
GRANULARITIES = ["day", "week", "month", "quarter", "year"]


def page(request: Request, template: str, context: dict[str, Any], compute: Callable[[], dict[str, Any]] | None
         ) -> HTMLResponse:
    """Render ``template`` with ``compute()``'s results, or with the error it raised."""
    status = 200
    context = {"q": dict(request.query_params), "granularities": GRANULARITIES, **context}
    if compute is not None:
        try:
            context.update(compute())
        except PolicyshiftError as e:
            status, body = from_policyshift(e, request)
            context["error"] = body["error"]["message"]
    return render(request, template, context, status=status)


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    srv = server(request)
    return page(request, "overview.html", {"title": "Overview"}, lambda: {"s": overview_doc(srv, top=10)})


@router.get("/dyad", response_class=HTMLResponse)
def dyad(request: Request, source: Text = None, target: Text = None, by: By = "month", start: From = None,
         end: To = None, measure: Annotated[str, Query(max_length=64)] = "net_cooperation",
         undirected: Undirected = False, limit: Limit = DEFAULT_ROWS, offset: Offset = 0) -> HTMLResponse:
    srv = server(request)
    src, tgt = blank(source), blank(target)

    def compute() -> dict[str, Any]:
        def both(r: Any) -> tuple[service.DyadView, list[dict[str, Any]]]:
            view = service.dyad_view(r, source=src or "", target=tgt or "", by=by, start=blank(start),
                                     end=blank(end), undirected=undirected, measure=measure)
            rows = service.dyad_events(r, source=src or "", target=tgt or "", by=by, start=blank(start),
                                       end=blank(end), undirected=undirected, limit=limit, offset=offset)
            return view, rows

        view, rows = srv.call(both)
        doc, frame = view.document, view.frame
        days = [d.date() for d in frame.index]
        count = measure in COUNT_COLUMNS
        marks = break_marks(doc["breaks"], view.detect_by)
        chart = line_chart(days, values(frame[measure], empty_as_zero=count), by=by,
                           label=measure.replace("_", " "), marks=marks,
                           levels=segment_levels(frame, measure, doc["empty"], days, doc["breaks"]),
                           title=f"{doc['source']} {'->' if doc['directed'] else '<->'} {doc['target']}")
        periods = [{"label": period_label(p, by), **row} for p, row in
                   zip(frame.index.date, frame.to_dict(orient="records"))]
        return {"doc": doc, "chart": chart, "events": rows, "periods": periods, "count": count,
                "total_events": int(frame["events"].sum()), "chart_periods": len(frame),
                "by": by, "detect_by": view.detect_by, "detect_max": DETECT_MAX_PERIODS, "imprecise": frame.attrs.get("imprecise_excluded", 0),
                "break_labels": {b["date"]: period_label(b["date"], view.detect_by) for b in doc["breaks"]}}

    return page(request, "dyad.html", {"title": "Dyad", "measures": _measures(), "limit": limit, "offset": offset},
                compute if src and tgt else None)


@router.get("/event/{event_id:path}", response_class=HTMLResponse)
def event(request: Request, event_id: Annotated[str, Path(max_length=256)]) -> HTMLResponse:
    srv = server(request)
    return page(request, "event.html", {"title": f"Event {event_id}", "event_id": event_id},
                lambda: {"e": srv.call(lambda r: service.event(r, event_id))})


@router.get("/triad", response_class=HTMLResponse)
def triad(request: Request, broker: Text = None, a: Text = None, b: Text = None, by: By = "month",
          start: From = None, end: To = None, at: DateText = None) -> HTMLResponse:
    srv = server(request)

    def compute() -> dict[str, Any]:
        result = srv.call(lambda r: service.triad(r, broker=broker or "", a=a or "", b=b or "", by=by,
                                                  start=blank(start), end=blank(end), at=blank(at)))
        doc = result.to_document()
        days = [p.date() for p in result.frame.index]
        marks: list[Mark] = []
        levels: list[Segment] = []
        cut = position(days, doc["at"]) if doc.get("at") else None
        if cut is not None:  # drawn as a break is, with the table's before and after as levels
            marks.append(Mark(doc["at"], f"at {doc['at']}", f"before and after {doc['at']} (its period counts as "
                                                             "after)", kind="at"))
            share = (doc.get("change") or {}).get("broker_share") or {}
            levels = [Segment(lo, hi, float(share[side])) for lo, hi, side in
                      ((0, cut, "before"), (cut, len(days) - 1, "after")) if share.get(side) is not None and lo < hi]
        chart = line_chart(days, values(result.frame["broker_share"]), by=by, marks=marks, levels=levels,
                           label="broker share", title=f"{doc['broker']} between {doc['a']} and {doc['b']}")
        return {"doc": doc, "chart": chart}

    return page(request, "triad.html", {"title": "Triad"}, compute if blank(broker) and blank(a) and blank(b)
                else None)


@router.get("/saydo", response_class=HTMLResponse)
def saydo(request: Request, source: Text = None, target: Text = None, by: By = "month", start: From = None,
          end: To = None) -> HTMLResponse:
    srv = server(request)

    def compute() -> dict[str, Any]:
        result = srv.call(lambda r: service.saydo(r, source=source or "", target=target or "", by=by,
                                                  start=blank(start), end=blank(end)))
        doc = result.to_document()
        chart = line_chart([p.date() for p in result.frame.index],
                           values(result.frame["coop_gap"]), by=by,
                           label="cooperation gap (verbal - material share)", title=f"{doc['a']} -> {doc['b']}")
        return {"doc": doc, "chart": chart}

    return page(request, "saydo.html", {"title": "Say-do gap"}, compute if blank(source) and blank(target) else None)


@router.get("/shift", response_class=HTMLResponse)
def shift(request: Request, at: DateText = None, focal: Text = None,
          window: Annotated[int, Query(ge=1, le=1000)] = 12, top: Annotated[int, Query(ge=1, le=1000)] = 20,
          by: By = "month", measure: Annotated[str, Query(max_length=64)] = "events",
          min_events: Annotated[int, Query(ge=0, le=1_000_000)] = 10) -> HTMLResponse:
    srv = server(request)

    def compute() -> dict[str, Any]:
        result = srv.call(lambda r: service.shift(r, at=at or "", focal=blank(focal), window=window, top=top, by=by,
                                                  measure=measure, undirected=False, normalize=False,
                                                  min_events=min_events, alpha=0.05))
        return {"doc": service.shift_document(result)}

    return page(request, "shift.html", {"title": "Shift scan"}, compute if blank(at) else None)


@router.get("/case", response_class=HTMLResponse)
def case(request: Request, spec: Annotated[str, Query(max_length=256)] = "builtin:pakistan_2001",
         actor: Text = None, at: DateText = None, window: Annotated[int | None, Query(ge=1, le=36_500)] = None,
         as_of: DateText = None) -> HTMLResponse:
    srv = server(request)

    def compute() -> dict[str, Any]:
        query, ref = service.ledger_query(srv.specs_dir, actor=blank(actor), at=blank(at), window=window, spec=spec)
        assert ref is not None  # spec is always given here

        def both(r: Any) -> tuple[Any, Any]:
            result = service.compliance(r, spec=ref, as_of=blank(as_of)) if ref.demands else None
            return result, service.ledger(r, query=query, spec=ref, max_events=1000)

        result, ledger = srv.call(both)
        return {"ref": ref, "compliance": result.to_document() if result else None,
                "ledger": ledger.to_document(), "ledger_rows": ledger.rows(), "query": query}

    return page(request, "case.html", {"title": "Case", "specs": available(srv.specs_dir), "spec": spec}, compute)


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The API reference, drawn from the OpenAPI schema (/openapi.json) without any script."""
    schema = request.app.openapi()
    endpoints = [{"path": path, **ops["get"]} for path, ops in schema["paths"].items() if "get" in ops]
    return page(request, "api.html", {"title": "JSON API", "endpoints": endpoints}, None)


def segment_levels(frame: Any, measure: str, empty: str, days: list[Any], breaks: list[dict[str, Any]]
                   ) -> list[Segment]:
    """The mean of each segment between breaks, as the detector reads the series (its empty-period
    rule: by default an empty period counts as 0), so the steps are the breaks' before and after."""
    from policyshift.detect.signal import measure_signal

    signal = measure_signal(frame, measure, empty=empty)
    cuts = [i for b in breaks if (i := position(days, b["date"])) is not None]
    return segments(signal.values.tolist(), signal.rows.tolist(), cuts, len(days))


def _measures() -> list[str]:
    return list(MEASURES)
