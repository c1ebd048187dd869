"""Jinja2 templates: server-rendered pages whose state lives in the query string."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from policyshift.render import plain

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")


def _fmt(value: Any, digits: int = 3) -> str:
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.{digits}f}".rstrip("0").rstrip(".")  # plain() made NaN None
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def plural(count: Any, singular: str, many: str | None = None) -> str:
    """'1 file', '2 files', '1,234 events': the number (formatted as ``num`` does) and the noun agreeing with it."""
    n = plain(count)
    word = singular if n == 1 else (many or f"{singular}s")
    return f"{_fmt(n)} {word}"


def with_path(request: Request, path: str, **changes: Any) -> str:
    """The current query string under another path (a page's .csv, .png, .svg twin), with changes."""
    params = dict(request.query_params)
    params.update({k: v for k, v in changes.items() if v is not None})
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return path + (f"?{query}" if query else "")


def path_part(value: Any) -> str:
    """An id as a URL path segment: pk:001 stays readable, spaces and quotes are escaped."""
    return quote(str(value), safe=":@!$'()*+,;=/")


TEMPLATES.env.filters["num"] = _fmt
TEMPLATES.env.filters["path"] = path_part
TEMPLATES.env.filters["plural"] = plural
TEMPLATES.env.globals["with_path"] = with_path


def render(request: Request, template: str, context: dict[str, Any], *, status: int = 200) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, template, context, status_code=status)


def render_error(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", {"status": status, "message": message, "title": f"Error {status}"},
                  status=status)
