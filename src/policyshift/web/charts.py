"""The inline SVG chart of the pages: a polyline, two axes and the breaks as marked lines.

Drawn here rather than by a plotting library so that the page needs no script, stays small, and
each break is an element a test (or a user's stylesheet) can find: ``data-testid="break"`` with
``data-period`` (the period's label: 2001-09 by month, 2001-Q3 by quarter) and ``data-date``
(the break's date as the CLI's JSON gives it). Exports (PNG/SVG files) use matplotlib instead.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from html import escape
from typing import Any

from markupsafe import Markup

W, H = 900, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 36, 16, 36
DOTS_UP_TO = 400  # periods; beyond, dots would blur into the line


def period_label(day: date | str, by: str) -> str:
    """How a period is named: 2001-09-11 (day, week), 2001-09 (month), 2001-Q3 (quarter), 2001 (year)."""
    d = date.fromisoformat(str(day)[:10])
    if by == "month":
        return f"{d.year}-{d.month:02d}"
    if by == "quarter":
        return f"{d.year}-Q{(d.month - 1) // 3 + 1}"
    if by == "year":
        return str(d.year)
    return d.isoformat()


def values(column: Any) -> list[float | None]:
    """A frame column as plain floats, undefined (NaN) as None: a gap in the line."""
    return [None if math.isnan(v) else float(v) for v in column.astype("float64")]


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    step = (hi - lo) / (n - 1)
    return [lo + i * step for i in range(n)]


def line_chart(days: Sequence[date], values: Sequence[float | None], *, by: str, label: str,
               breaks: Sequence[dict[str, Any]] = (), title: str = "") -> Markup:
    """An SVG element: ``values`` over ``days``, gaps where a value is None, each break a vertical line."""
    n = len(days)
    numbers = [v for v in values if v is not None]
    lo, hi = min([0.0, *numbers]), max([0.0, *numbers])
    if hi - lo < 1e-12:
        lo, hi = lo - 1, hi + 1
    pad = (hi - lo) * 0.05
    lo, hi = lo - pad, hi + pad

    def x(i: float) -> float:
        return LEFT + (W - LEFT - RIGHT) * (i / (n - 1) if n > 1 else 0.5)

    def y(v: float) -> float:
        return TOP + (H - TOP - BOTTOM) * (1 - (v - lo) / (hi - lo))

    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" class="chart" data-testid="chart" '
            f'role="img" aria-label="{escape(title or label)}">')
    parts = [head, f"<title>{escape(title or label)}</title>"]
    for t in _ticks(lo, hi):
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{W - RIGHT}" y1="{y(t):.1f}" y2="{y(t):.1f}"/>'
                     f'<text class="tick" x="{LEFT - 6}" y="{y(t) + 4:.1f}" text-anchor="end">{t:.2f}</text>')
    parts.append(f'<line class="zero" x1="{LEFT}" x2="{W - RIGHT}" y1="{y(0):.1f}" y2="{y(0):.1f}"/>')
    parts.append(f'<line class="axis" x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{H - BOTTOM}"/>'
                 f'<line class="axis" x1="{LEFT}" x2="{W - RIGHT}" y1="{H - BOTTOM}" y2="{H - BOTTOM}"/>')
    step = max(1, n // 8)
    for i in range(0, n, step):
        parts.append(f'<text class="tick" x="{x(i):.1f}" y="{H - BOTTOM + 16}" text-anchor="middle">'
                     f"{period_label(days[i], by)}</text>")
    parts.append(f'<text class="label" x="{LEFT}" y="{H - 4}">{escape(label)}</text>')
    run: list[str] = []
    for i, v in enumerate([*values, None]):  # a trailing None closes the last run
        if v is None:
            if len(run) > 1:
                parts.append(f'<polyline class="series" points="{" ".join(run)}"/>')
            if len(run) == 1 or n <= DOTS_UP_TO:  # a sparse dyad's lone periods stay visible
                for point in run:
                    cx, cy = point.split(",")
                    parts.append(f'<circle class="series-dot" cx="{cx}" cy="{cy}" r="2.5"/>')
            run = []
        else:
            run.append(f"{x(i):.1f},{y(v):.1f}")
    index = {str(d)[:10]: i for i, d in enumerate(days)}
    for b in breaks:
        at = index.get(str(b["date"])[:10])
        if at is None:
            continue
        i = at
        name = period_label(b["date"], by)
        tip = f"break at {name}: {b.get('before', 0):.3f} to {b.get('after', 0):.3f}, confidence {b.get('confidence', 0):.3f}"
        parts.append(f'<g class="break" data-testid="break" data-period="{name}" data-date="{escape(str(b["date"]))}">'
                     f"<title>{escape(tip)}</title>"
                     f'<line x1="{x(i):.1f}" x2="{x(i):.1f}" y1="{TOP}" y2="{H - BOTTOM}"/>'
                     f'<text x="{x(i) + 3:.1f}" y="{TOP + 10}">{name}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))
