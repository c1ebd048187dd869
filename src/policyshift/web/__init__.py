"""The web app: ``policyshift serve``, a read-only explorer over any store (FastAPI under Uvicorn).

Every page and every ``/api`` endpoint calls the API function its CLI command calls and converts
the result the same way, so ``/api/series`` returns what ``policyshift series --format json``
prints. The store is opened read-only; no endpoint writes.

Limits (each also in the OpenAPI schema at ``/openapi.json``):

- Query timeout: every request's DuckDB work is interrupted after ``--timeout`` seconds (default
  30); the answer is then 503 with the error code ``query_timeout``.
- Rows: ``/api/events``, ``/api/dyad/events`` (and their CSVs) return ``limit`` rows, default 100, at most 10,000;
  a larger ``limit`` is refused with 422 (not clamped), and ``offset`` pages through the rest.
- Periods: a series, change-point, triad or say-do answer holds at most 10,000 periods (about 27
  years by day); a longer one is refused with 400 and the advice to use a coarser ``by``. The
  dyad page seeks change points on at most 1,500 periods (a coarser series beyond; it says so).
- ``/api/shift``: ``top`` at most 1,000 dyads (default 20); ``/api/changes``: ``top`` at most 100
  driving events per break; ``/api/ledger``: ``max_events`` per rule and side, default 1,000, at
  most 10,000 (the counts always cover every event); ``/api/actors``: ``limit`` at most 100.
- Case specs: ``spec=builtin:<name>`` or the name of a YAML file inside the folder given with
  ``--specs DIR``; no other path is ever read.
- The server binds 127.0.0.1 unless ``--host`` says otherwise.
- Answers are kept per URL (the store cannot change while it is open read-only): at most 64 MB in
  all, 4 MB each, least recently used out first; 5xx answers are never kept. The header
  ``X-Cache: hit|miss`` says which. The overview's counts are computed once, in the background,
  when ``serve`` starts.
- Pages load nothing from elsewhere (a Content-Security-Policy of 'self'); ``/docs`` is a plain
  page drawn from ``/openapi.json`` rather than FastAPI's Swagger UI, which needs a CDN.

Errors have one shape, in JSON: ``{"error": {"code", "message", "field"}}`` (4xx for bad input,
404 for an unknown event or page, 503 for a timeout, 500 only for a real fault); HTML pages show
the same message in an element with ``data-testid="error"`` and the same status.
"""

from __future__ import annotations

from policyshift.web.app import create_app
from policyshift.web.limits import Limits

__all__ = ["Limits", "create_app"]
