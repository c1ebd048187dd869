"""What the overview and the autocomplete show, computed once per process.

The store is open read-only for the server's life, so its counts cannot change under it: the
grouped queries over every event (top actors and dyads, codes for the autocomplete) run once,
not once per page view (about 1 s on a 20-million-event store).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from policyshift.query import stats
from policyshift.roles import Role
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


def holders(roles: list[Role], prefix: str) -> dict[str, list[dict[str, Any]]]:
    """Per role starting with ``prefix``, who held it: each holder once, with its date ranges.

    A store may list the same holding twice (two sources for one fact) or a holder in several
    ranges (the Taliban held AFGGOV in 1996-2001 and from 2021): one entry per holder, its ranges
    distinct and in date order.
    """
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for role in roles:
        if not role.role.startswith(prefix):
            continue
        holder = found.setdefault(role.role, {}).setdefault(role.code, {"code": role.code, "name": role.name,
                                                                         "ranges": []})
        holder["name"] = holder["name"] or role.name
        span = {"from": str(role.valid_from) if role.valid_from else None,
                "to": str(role.valid_to) if role.valid_to else None}
        if span not in holder["ranges"]:
            holder["ranges"].append(span)
    for per_code in found.values():
        for holder in per_code.values():
            holder["ranges"].sort(key=lambda r: r["from"] or "")
    return {role: sorted(per_code.values(), key=lambda h: (h["ranges"][0]["from"] or "", h["code"]))
            for role, per_code in found.items()}


def held_by(holder: dict[str, Any]) -> str:
    """'TAL (Taliban, 1996-09-27 to 2001-11-13 and 2021-08-15 to ...)'."""
    spans = " and ".join(f"{r['from'] or '...'} to {r['to'] or '...'}" for r in holder["ranges"])
    return f"{holder['code']} ({holder['name'] or holder['code']}, {spans})"


def actors(srv: Server, *, q: str, limit: int) -> dict[str, Any]:
    """Codes starting with ``q`` (most events first), then the roles whose name starts with it.

    ``held_by`` names each holder of a role once, with its ranges (``holders`` has them as data).
    """
    prefix = q.strip().upper()
    counts = srv.cached("actors", _actor_counts)
    roles = holders(srv.roles, prefix)
    found: list[dict[str, Any]] = [{"code": code, "events": n, "kind": "actor"} for code, n in counts
                                   if code.startswith(prefix)]
    codes = {a["code"] for a in found}
    for a in found:
        if a["code"] in roles:  # a code that is also a role (AFGGOV): one entry, with who held the role
            a["held_by"] = [held_by(h) for h in roles[a["code"]]]
            a["holders"] = roles[a["code"]]
    named = [{"code": r, "events": None, "kind": "role", "held_by": [held_by(h) for h in held], "holders": held}
             for r, held in sorted(roles.items()) if r not in codes]
    named = named[:min(5, limit // 2)]  # a few roles, never crowding out the codes
    return {"q": prefix, "actors": found[:limit - len(named)] + named}
