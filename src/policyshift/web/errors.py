"""One error shape for every failure: ``{"error": {"code", "message", "field"}}``.

PolicyshiftError (bad input) -> 400, or 404 for what does not exist; request validation -> 422;
a query past the timeout -> 503; anything unexpected -> 500 without a traceback in the body.
Pages get the same message and status, rendered in HTML (``data-testid="error"``).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from policyshift.errors import PolicyshiftError, StoreError

log = logging.getLogger("policyshift.web")


class NotFound(PolicyshiftError):
    """Something named in the URL (an event id, a spec) that does not exist."""

    code = "not_found"


class QueryTimeout(PolicyshiftError):
    """A request whose queries ran past the server's timeout (DuckDB interrupted them)."""

    code = "query_timeout"


STATUS = {NotFound: 404, QueryTimeout: 503, StoreError: 503}
JSON_SUFFIXES = (".csv", ".png", ".svg", ".json")


def param_name(where: str | None) -> str | None:
    """The URL parameter behind a CLI-style location: '--from/--to' -> 'from', 'SOURCE' -> 'source'."""
    if not where:
        return None
    first = re.split(r"[/ ]", where.strip())[0]
    return first.lstrip("-").lower().replace("-", "_") or None


def declared(request: Request) -> set[str]:
    """The query and path parameters the matched route declares (so a missing one can be named)."""
    dependant = getattr(request.scope.get("route"), "dependant", None)
    if dependant is None:
        return set()
    return {p.alias for p in (*dependant.query_params, *dependant.path_params)}


def error_body(code: str, message: str, field: str | None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field}}


def from_policyshift(error: PolicyshiftError, request: Request) -> tuple[int, dict[str, Any]]:
    """The status and body for an API error; the field only when it names one of the request's params."""
    known = set(request.query_params) | set(request.path_params) | declared(request)
    field = next((f for f in (error.field, param_name(error.where)) if f and f in known), None)
    status = next((s for cls, s in STATUS.items() if isinstance(error, cls)), 400)
    where = field or (error.where if error.where and not error.where.startswith(("--", "SOURCE", "A B")) else None)
    text = (f"{where}: " if where else "") + error.what
    if error.value is not None and error.field:
        text += f" (got {error.value!r})"
    if error.fix:
        text += f"; {error.fix}"
    return status, error_body(error.code, text.replace("\n", " "), field)


def _validation(exc: RequestValidationError) -> tuple[int, dict[str, Any]]:
    first = exc.errors()[0] if exc.errors() else {}
    loc = [str(p) for p in first.get("loc", ()) if p not in ("query", "path", "body")]
    field = loc[-1] if loc else None
    got = first.get("input")
    message = f"{field}: {first.get('msg', 'invalid value')}" + (f" (got {got!r})" if got is not None else "")
    message += "; fix the value (the allowed ranges are in /docs)"
    return 422, error_body("invalid_parameter", message, field)


def _wants_html(request: Request) -> bool:
    path = request.url.path
    return not (path.startswith(("/api", "/chart", "/static", "/openapi", "/docs")) or path.endswith(JSON_SUFFIXES))


def _respond(request: Request, status: int, body: dict[str, Any]) -> Response:
    if _wants_html(request):
        from policyshift.web.render import render_error

        return render_error(request, status, body["error"]["message"])
    return JSONResponse(body, status_code=status)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every exception into the one shape."""

    @app.exception_handler(PolicyshiftError)
    async def _policyshift(request: Request, exc: PolicyshiftError) -> Response:
        return _respond(request, *from_policyshift(exc, request))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return _respond(request, *_validation(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        message = "no such page" if exc.status_code == 404 else str(exc.detail)
        fix = "; start from / (the overview) or /docs (the API)" if exc.status_code == 404 else ""
        return _respond(request, exc.status_code, error_body(code, message + fix, None))

    @app.exception_handler(Exception)
    async def _fault(request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s", request.url.path)
        return _respond(request, 500, error_body("internal_error", "the server failed on this request (a bug, not "
                                                 "your input); the server log has the details", None))

