"""The JSON API: each endpoint returns what the matching CLI command prints with --format json."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse

from policyshift.render import plain
from policyshift.web import service
from policyshift.web.app import server
from policyshift.web.catalog import actors as actor_index
from policyshift.web.catalog import overview as overview_doc
from policyshift.web.limits import DEFAULT_LEDGER_EVENTS, DEFAULT_ROWS, MAX_ACTORS, MAX_LEDGER_EVENTS
from policyshift.web.params import (
    By,
    Drivers,
    From,
    Limit,
    Measure,
    Normalize,
    Offset,
    ShiftTop,
    Source,
    Spec,
    Target,
    To,
    Undirected,
    blank,
)
from policyshift.web.specs import resolve

router = APIRouter(prefix="/api", tags=["api"])


def answer(doc: Any) -> JSONResponse:
    return JSONResponse(plain(doc))


@router.get("/overview", summary="What the store holds (as `policyshift stats --format json`)")
def overview(request: Request, top: Annotated[int, Query(ge=1, le=100, description="How many top actors and "
                                                                                   "dyads.")] = 10) -> JSONResponse:
    return answer(overview_doc(server(request), top=top))


@router.get("/actors", summary="Actor codes and roles starting with q, most events first (for autocomplete)")
def actors(request: Request, q: Annotated[str, Query(max_length=64, description="The start of a code.")] = "",
           limit: Annotated[int, Query(ge=1, le=MAX_ACTORS, description="At most this many.")] = 20) -> JSONResponse:
    return answer(actor_index(server(request), q=q, limit=limit))


@router.get("/series", summary="The dyad series (as `policyshift series --format json`)")
def series(request: Request, source: Source, target: Target, by: By = "month", start: From = None, end: To = None,
           undirected: Undirected = False, normalize: Normalize = False) -> JSONResponse:
    frame = server(request).call(lambda r: service.series(
        r, source=source, target=target, by=by, start=blank(start), end=blank(end), undirected=undirected,
        normalize=normalize))
    return answer(service.series_document(frame))


@router.get("/changes", summary="Change points and their driving events (as `policyshift changes --format json`)")
def changes(request: Request, source: Source, target: Target, by: By = "month", start: From = None,
            end: To = None, undirected: Undirected = False, normalize: Normalize = False,
            measure: Measure = "net_cooperation",
            method: Annotated[str, Query(max_length=16, description="pelt or binseg.")] = "pelt",
            penalty: Annotated[str, Query(max_length=32, description="bic or a number.")] = "bic",
            min_size: Annotated[int, Query(ge=1, le=1000, description="Shortest segment, in periods.")] = 2,
            max_breaks: Annotated[int | None, Query(ge=1, le=1000, description="Keep at most this many.")] = None,
            alpha: Annotated[float, Query(gt=0, le=1, description="Keep breaks with p at most this.")] = 0.01,
            top: Drivers = 5) -> JSONResponse:
    result = server(request).call(lambda r: service.changes(
        r, source=source, target=target, by=by, start=blank(start), end=blank(end), undirected=undirected,
        normalize=normalize, measure=measure, method=method, penalty=penalty, min_size=min_size,
        max_breaks=max_breaks, alpha=alpha, top=top))
    return answer(result.document)


@router.get("/events", summary="Events with provenance (as `policyshift events --format json`: codes match by "
                                "prefix, roles are not resolved; /api/dyad/events lists a dyad's events as its "
                                "series counts them)")
def events(request: Request, source: Annotated[str | None, Query(max_length=64)] = None,
           target: Annotated[str | None, Query(max_length=64)] = None,
           actor: Annotated[str | None, Query(max_length=64, description="Either side's code starts with this.")]
           = None, start: From = None, end: To = None,
           dataset: Annotated[str | None, Query(max_length=64)] = None,
           cameo: Annotated[str | None, Query(max_length=8, pattern=r"^[0-9]*$")] = None,
           limit: Limit = DEFAULT_ROWS, offset: Offset = 0) -> JSONResponse:
    rows = server(request).call(lambda r: service.events(
        r, source=blank(source), target=blank(target), actor=blank(actor), start=blank(start), end=blank(end),
        dataset=blank(dataset), cameo=blank(cameo), limit=limit, offset=offset))
    return answer(rows)


@router.get("/dyad/events", summary="The events behind a dyad series: exactly those /api/series counts (roles "
                                      "resolved by date, dates precise enough for by), in date order")
def dyad_events(request: Request, source: Source, target: Target, by: By = "month", start: From = None,
                end: To = None, undirected: Undirected = False, limit: Limit = DEFAULT_ROWS,
                offset: Offset = 0) -> JSONResponse:
    rows = server(request).call(lambda r: service.dyad_events(
        r, source=source, target=target, by=by, start=blank(start), end=blank(end), undirected=undirected,
        limit=limit, offset=offset))
    return answer(rows)


@router.get("/events/{event_id:path}", summary="One event with every field of its provenance")
def event(request: Request, event_id: Annotated[str, Path(max_length=256)]) -> JSONResponse:
    return answer(server(request).call(lambda r: service.event(r, event_id)))


@router.get("/triad", summary="Broker share and brokerage (as `policyshift triad --format json`)")
def triad(request: Request, broker: Annotated[str, Query(max_length=64)], a: Annotated[str, Query(max_length=64)],
          b: Annotated[str, Query(max_length=64)], by: By = "month", start: From = None, end: To = None,
          at: Annotated[str | None, Query(max_length=32, description="Compare before and after this date.")]
          = None) -> JSONResponse:
    result = server(request).call(lambda r: service.triad(r, broker=broker, a=a, b=b, by=by, start=blank(start),
                                                          end=blank(end), at=blank(at)))
    return answer(result.to_document())


@router.get("/saydo", summary="The say-do gap of source toward target (as `policyshift saydo --format json`)")
def saydo(request: Request, source: Source, target: Target, by: By = "month", start: From = None,
          end: To = None) -> JSONResponse:
    result = server(request).call(lambda r: service.saydo(r, source=source, target=target, by=by,
                                                          start=blank(start), end=blank(end)))
    return answer(result.to_document())


@router.get("/shift", summary="Which dyads changed most around a date (as `policyshift shift --format json`)")
def shift(request: Request, at: Annotated[str, Query(max_length=32, description="YYYY-MM-DD.")],
          focal: Annotated[str | None, Query(max_length=64)] = None,
          window: Annotated[int, Query(ge=1, le=1000, description="Periods on each side.")] = 12,
          top: ShiftTop = 20, by: By = "month", measure: Measure = "events", undirected: Undirected = False,
          normalize: Normalize = False,
          min_events: Annotated[int, Query(ge=0, le=1_000_000)] = 10,
          alpha: Annotated[float, Query(gt=0, le=1)] = 0.05) -> JSONResponse:
    result = server(request).call(lambda r: service.shift(
        r, at=at, focal=blank(focal), window=window, top=top, by=by, measure=measure, undirected=undirected,
        normalize=normalize, min_events=min_events, alpha=alpha))
    return answer(service.shift_document(result))


@router.get("/compliance", summary="Each demand's status and evidence (as `policyshift compliance --format json`)")
def compliance(request: Request, spec: Spec,
               as_of: Annotated[str | None, Query(max_length=32, description="Judge as of this date.")] = None
               ) -> JSONResponse:
    srv = server(request)
    ref = resolve(spec, srv.specs_dir)
    return answer(srv.call(lambda r: service.compliance(r, spec=ref, as_of=blank(as_of))).to_document())


@router.get("/ledger", summary="Benefits and costs received by an actor (as `policyshift ledger --format json`)")
def ledger(request: Request, actor: Annotated[str | None, Query(max_length=64)] = None,
           at: Annotated[str | None, Query(max_length=32)] = None,
           window: Annotated[int | None, Query(ge=1, le=36_500, description="Days on each side of at.")] = None,
           spec: Annotated[str | None, Query(max_length=256, description="Take actor, at, window and rules "
                                                                         "from this spec.")] = None,
           max_events: Annotated[int, Query(ge=1, le=MAX_LEDGER_EVENTS)] = DEFAULT_LEDGER_EVENTS) -> JSONResponse:
    srv = server(request)
    query, ref = service.ledger_query(srv.specs_dir, actor=blank(actor), at=blank(at), window=window, spec=blank(spec))
    result = srv.call(lambda r: service.ledger(r, query=query, spec=ref, max_events=max_events))
    return answer(result.to_document())
