"""What the overview and the autocomplete show, computed once per process.

The store is open read-only for the server's life, so its counts cannot change under it: the
grouped queries over every event (top actors and dyads, codes for the autocomplete) run once,
not once per page view (about 1 s on a 20-million-event store).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from policyshift.query import stats
from policyshift.web.reader import Reader

if TYPE_CHECKING:
    from policyshift.web.app import Server


def overview(srv: Server, *, top: int = 10) -> dict[str, Any]:
    """As ``policyshift stats --format json --top N``."""
    return srv.cached(("stats", top), lambda r: stats(r, top=top))  # type: ignore[arg-type]


def _actor_counts(reader: Reader) -> list[tuple[str, int]]:
    # One grouped query over both sides; the autocomplete then filters this list in memory.
    return [(str(a), int(n)) for a, n in reader.con.execute(
        "SELECT actor, count(*) AS n FROM (SELECT source_actor AS actor FROM events UNION ALL "
        "SELECT target_actor FROM events) WHERE actor IS NOT NULL GROUP BY actor ORDER BY n DESC, actor").fetchall()]


def actors(srv: Server, *, q: str, limit: int) -> dict[str, Any]:
    """Codes starting with ``q`` (most events first), then the roles whose name starts with it."""
    prefix = q.strip().upper()
    counts = srv.cached("actors", _actor_counts)
    roles: dict[str, list[str]] = {}
    for role in srv.roles:
        if role.role.startswith(prefix):
            span = f"{role.valid_from or '...'} to {role.valid_to or '...'}"
            roles.setdefault(role.role, []).append(f"{role.code} ({role.name or role.code}, {span})")
    found: list[dict[str, Any]] = [{"code": code, "events": n, "kind": "actor"} for code, n in counts
                                   if code.startswith(prefix)]
    codes = {a["code"] for a in found}
    for a in found:
        if a["code"] in roles:  # a code that is also a role (AFGGOV): one entry, with who held the role
            a["held_by"] = roles[a["code"]]
    named = [{"code": r, "events": None, "kind": "role", "held_by": held} for r, held in sorted(roles.items())
             if r not in codes]
    named = named[:min(5, limit // 2)]  # a few roles, never crowding out the codes
    return {"q": prefix, "actors": found[:limit - len(named)] + named}
