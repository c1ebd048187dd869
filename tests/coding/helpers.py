"""What the coder's sentence-in, event-out tests compare."""

from __future__ import annotations

from datetime import date

from policyshift.coding.engine import Coder


def triples(coder: Coder, text: str, when: date = date(2001, 10, 8), *,
            no_target: str | None = None) -> list[tuple[str, str | None, str]]:
    """(source, target, CAMEO code) of each event coded from ``text`` dated ``when``, sorted; a
    source-only event's target is ``no_target``."""
    return sorted((e.source_actor, e.target_actor or no_target, e.cameo_code) for e in coder.code_text(text, date=when))
