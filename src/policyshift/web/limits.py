"""The bounds on what one request may ask for (documented in the package docstring)."""

from __future__ import annotations

from dataclasses import dataclass

MAX_ROWS = 10_000
DEFAULT_ROWS = 100
MAX_PERIODS = 10_000
DETECT_MAX_PERIODS = 1_500  # the dyad page detects change points on a coarser series beyond
MAX_SHIFT_TOP = 1_000
MAX_DRIVERS = 100
MAX_LEDGER_EVENTS = 10_000
DEFAULT_LEDGER_EVENTS = 1_000
MAX_ACTORS = 100
DEFAULT_TIMEOUT = 30.0


@dataclass(frozen=True)
class Limits:
    """Per-server settings: the query timeout in seconds (the row caps are fixed constants)."""

    timeout: float = DEFAULT_TIMEOUT
