"""The FastAPI application over one store, opened read-only for the life of the server."""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles

from policyshift import __version__
from policyshift.store import Store
from policyshift.web import errors
from policyshift.web.cache import AnswerCache
from policyshift.web.limits import DEFAULT_TIMEOUT, Limits
from policyshift.web.reader import Reader, reading

T = TypeVar("T")
STATIC = Path(__file__).parent / "static"


class Server:
    """The open store and what is computed once per process (a read-only store does not change)."""

    def __init__(self, db_path: Path, *, specs_dir: Path | None, limits: Limits) -> None:
        self.store = Store(db_path, read_only=True)
        self.path = self.store.path
        self.specs_dir = specs_dir
        self.limits = limits
        self.roles = self.store.roles()
        self._cache: dict[Any, Any] = {}
        self._locks: dict[Any, threading.Lock] = {}
        self._locks_lock = threading.Lock()

    def call(self, fn: Callable[[Reader], T]) -> T:
        """Run ``fn`` on a Reader of its own, its queries bounded by the timeout."""
        with reading(self.store.con, self.path, self.roles, timeout=self.limits.timeout) as reader:
            return fn(reader)

    def cached(self, key: Any, fn: Callable[[Reader], T]) -> T:
        """``fn``'s answer, computed once (one thread computes; the others asking for the same key wait).

        One lock per key, so a slow answer (the overview on a big store) does not hold up others.
        """
        if key in self._cache:
            return self._cache[key]  # type: ignore[no-any-return]
        with self._locks_lock:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._cache:
                self._cache[key] = self.call(fn)
        return self._cache[key]  # type: ignore[no-any-return]

    def warm(self) -> None:
        """Compute the overview and the actor list now, in the background, so the first visitor
        does not wait for the grouped queries over every event."""
        from policyshift.web import catalog

        def run() -> None:
            try:
                catalog.overview(self, top=10)
                catalog.actors(self, q="", limit=1)
            except Exception:  # noqa: BLE001 - the same failure shows again, with its message, on first use
                errors.log.warning("could not compute the overview in advance", exc_info=True)

        threading.Thread(target=run, daemon=True, name="policyshift-warm").start()

    def close(self) -> None:
        self.store.close()


def server(request: Request) -> Server:
    return request.app.state.server  # type: ignore[no-any-return]


def create_app(db_path: Path, *, specs_dir: Path | None = None, timeout: float = DEFAULT_TIMEOUT,
               warm: bool = False) -> FastAPI:
    """The web app over the store at ``db_path`` (opened read-only now: a bad path fails here).

    ``warm``: start computing the overview's counts in the background at once (``policyshift
    serve`` does; about 1-2 s on a 20-million-event store, then cached for the process's life).
    """
    from policyshift.web import api, exports, pages

    state = Server(Path(db_path), specs_dir=Path(specs_dir) if specs_dir else None, limits=Limits(timeout=timeout))
    # docs_url off: FastAPI's Swagger page loads its script from a CDN; /docs is a page of ours instead.
    app = FastAPI(title="policyshift", version=__version__, docs_url=None, redoc_url=None,
                  description="How a state's foreign policy shifts, from political event data: a read-only "
                              "explorer over one store. Every /api answer equals the matching CLI command's "
                              "--format json output; every error is {\"error\": {\"code\", \"message\", \"field\"}}.")
    app.state.server = state
    if warm:
        state.warm()
    errors.install(app)

    app.middleware("http")(AnswerCache())

    @app.middleware("http")
    async def _headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        # Everything the pages need is served from here; nothing may load from elsewhere.
        response.headers["Content-Security-Policy"] = ("default-src 'self'; img-src 'self' data:; "
                                                       "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    app.include_router(api.router)
    app.include_router(exports.router)
    app.include_router(pages.router)
    # StaticFiles refuses paths that leave its folder (../) with 404.
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
