"""Answers kept per URL: the store is read-only for the server's life, so the same GET gives the
same bytes (every computation is seeded), and a second asking need not compute again.

Identical requests that arrive together are computed once (the others wait for the first), which
is what keeps a burst of visitors of one shared link cheap. Bounded by total bytes, least
recently used first out; a server fault (5xx, timeouts included) is never kept.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import Request, Response

MAX_BYTES = 64 * 1024 * 1024  # all kept answers together
MAX_ONE = 4 * 1024 * 1024  # a larger answer is sent, not kept
SKIP = ("/static/",)


@dataclass(frozen=True)
class Kept:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


class AnswerCache:
    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._kept: OrderedDict[str, Kept] = OrderedDict()
        self._busy: dict[str, asyncio.Lock] = {}

    def _get(self, key: str) -> Kept | None:
        kept = self._kept.get(key)
        if kept is not None:
            self._kept.move_to_end(key)
        return kept

    def _put(self, key: str, kept: Kept) -> None:
        if len(kept.body) > MAX_ONE:
            return
        self._kept[key] = kept
        self.size += len(kept.body)
        while self.size > self.max_bytes and self._kept:
            _, old = self._kept.popitem(last=False)
            self.size -= len(old.body)

    async def __call__(self, request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if request.method != "GET" or request.url.path.startswith(SKIP):
            return await call_next(request)
        key = request.url.path + "?" + request.url.query
        lock = self._busy.setdefault(key, asyncio.Lock())
        async with lock:
            kept = self._get(key)
            if kept is None:
                response = await call_next(request)
                body = b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[attr-defined]
                headers = tuple((k, v) for k, v in response.headers.items() if k != "content-length")
                kept = Kept(response.status_code, headers, body)
                if response.status_code < 500:
                    self._put(key, kept)
                hit = "miss"
            else:
                hit = "hit"
        if not lock.locked():
            self._busy.pop(key, None)
        out = Response(kept.body, status_code=kept.status, headers=dict(kept.headers))
        out.headers["X-Cache"] = hit
        return out
