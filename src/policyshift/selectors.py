"""Actor selectors: which events' source or target an actor code like PAK, PAKGOV or TAL names.

A selector matches an actor code that starts with it (``PAK`` matches PAKGOV and PAKMIL), and,
through roles with date ranges, an actor that holds the role on the event's date: ``AFGGOV``
matches TAL events from 1996-09-27 to 2001-11-13 (the Taliban government) and AFGGOV events at
any date. Written as Ibis expressions, so the same selection runs on every backend.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

from policyshift.errors import UsageError
from policyshift.roles import Role

_SELECTOR = re.compile(r"[A-Z][A-Z0-9]{1,30}")


def normalise(selector: str, option: str) -> str:
    value = selector.strip().upper()
    if not _SELECTOR.fullmatch(value):
        raise UsageError(f"not an actor code: {selector!r}", where=option,
                         fix="use a CAMEO-style code: a country (PAK), a sector (PAKGOV), a group (TAL), an IGO (UNO)")
    return value


def matches(actor: ir.StringValue, day: ir.DateValue, selector: str, roles: Sequence[Role]) -> ir.BooleanValue:
    """True where ``actor`` (on ``day``) is what ``selector`` names."""
    condition = actor.startswith(selector)
    for role in roles:
        if not role.role.startswith(selector):
            continue
        active = actor.startswith(role.code)
        if role.valid_from is not None:
            active &= day >= ibis.literal(role.valid_from)
        if role.valid_to is not None:
            active &= day <= ibis.literal(role.valid_to)
        condition |= active
    return condition.fill_null(False)


def check_known(events: ir.Table, selector: str, roles: Sequence[Role], option: str) -> None:
    """Raise a UsageError, with the nearest known codes, when no event or role has this actor."""
    if any(r.role.startswith(selector) for r in roles):
        return
    t = events
    hit = (t.source_actor.startswith(selector) | t.target_actor.startswith(selector)).fill_null(False)
    if int(t.filter(hit).limit(1).count().execute()) > 0:
        return
    codes = (t.select(code=t.source_actor).union(t.select(code=t.target_actor)).filter(ibis._.code.notnull())
             .select(code=ibis._.code.substr(0, len(selector))).distinct().limit(100_000).execute()["code"].tolist())
    near = difflib.get_close_matches(selector, codes, n=5)
    hint = f"nearest codes in the store: {', '.join(near)}" if near else "policyshift stats lists the top actors"
    raise UsageError(f"unknown actor {selector}: no event in the store has an actor code starting with it",
                     where=option, fix=hint)
