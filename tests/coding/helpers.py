"""What the coder's sentence-in, event-out tests compare."""

from __future__ import annotations

from datetime import date

from policyshift.coding.engine import Coder


def triples(coder: Coder, text: str, when: date = date(2001, 10, 8), *,
            no_target: str | None = None, countries: bool = False) -> list[tuple[str, str | None, str]]:
    """(source, target, CAMEO code) of each event coded from ``text`` dated ``when``, sorted; a
    source-only event's target is ``no_target``. ``countries``: each actor by its country where it has
    one, as the gold sets score (for tests about roles and acts, not about an actor's agent word)."""
    events = coder.code_text(text, date=when)
    if countries:
        return sorted((e.source_country or e.source_actor, e.target_country or e.target_actor or no_target,
                       e.cameo_code) for e in events)
    return sorted((e.source_actor, e.target_actor or no_target, e.cameo_code) for e in events)
