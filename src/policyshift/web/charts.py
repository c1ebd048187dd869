"""The inline SVG chart of the pages: the series, two axes, the breaks as marked lines, the segment means.

Drawn here rather than by a plotting library so that the page needs no script, stays small, and
each break is an element a test (or a user's stylesheet) can find: ``data-testid="break"`` with
``data-period`` (the period's label: 2001-09 by month, 2001-Q3 by quarter) and ``data-date``
(the break's date as the CLI's JSON gives it). A date marked for another reason (the triad's
``at``) is drawn the same way with ``data-testid="at"``. Exports (PNG/SVG files) use matplotlib.

Empty periods: a count is 0 there (the series is zero-filled) and the line runs through it. A mean
or a share is undefined there, so such a series is drawn as a dot per period where it is defined,
never as a line broken into pieces; the level of each segment between breaks is drawn as a
horizontal line (``data-testid="segment"``), so the shift stays visible in a sparse dyad.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

from markupsafe import Markup

W, H = 900, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 36, 16, 36
DOTS_UP_TO = 400  # periods; beyond, dots on a full line would blur into it
LABEL_ROWS = 3  # break labels stagger over this many rows; a label that fits in none is left out
LABEL_ROW_HEIGHT = 13  # an 11px label's box is 13px high
CHAR_WIDTH = 6.6  # px per character of an 11px label (digits and '-' in the usual sans fonts), with room


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


def values(column: Any, *, empty_as_zero: bool = False) -> list[float | None]:
    """A frame column as plain floats; undefined (NaN) as None, or as 0 for a count (``empty_as_zero``)."""
    fill = 0.0 if empty_as_zero else None
    return [fill if math.isnan(v) else float(v) for v in column.astype("float64")]


@dataclass(frozen=True)
class Mark:
    """A vertical line at a date: a break (``kind="break"``) or another date the view turns on."""

    date: str
    label: str
    tip: str
    kind: str = "break"


@dataclass(frozen=True)
class Segment:
    """A horizontal line: the mean ``level`` over the chart's periods ``first`` to ``last``."""

    first: int
    last: int
    level: float


def break_marks(breaks: Sequence[dict[str, Any]], by: str) -> list[Mark]:
    """The CLI's breaks (its JSON objects) as marks labelled by period."""
    marks = []
    for b in breaks:
        name = period_label(b["date"], by)
        tip = (f"break at {name}: {b.get('before', 0):.3f} to {b.get('after', 0):.3f}, "
               f"confidence {b.get('confidence', 0):.3f}")
        marks.append(Mark(str(b["date"]), name, tip))
    return marks


def position(days: Sequence[date], day: date | str) -> int | None:
    """The index of the period holding ``day`` (the last period starting on or before it), or None."""
    d = date.fromisoformat(str(day)[:10])
    starts = [date.fromisoformat(str(p)[:10]) for p in days]
    i = bisect.bisect_right(starts, d) - 1
    return i if i >= 0 else None


def segments(levels: Sequence[float], rows: Sequence[int], cuts: Sequence[int], n: int) -> list[Segment]:
    """The mean of ``levels`` (the values at chart ``rows``) between consecutive ``cuts``.

    Each segment runs from its first period to the first period of the next (the last to the end),
    so the steps join where the breaks are drawn.
    """
    edges = [0, *sorted(c for c in set(cuts) if 0 < c < n), n]
    out = []
    for lo, hi in itertools.pairwise(edges):
        inside = [v for v, r in zip(levels, rows) if lo <= r < hi]
        if inside:
            out.append(Segment(lo, hi if hi < n else n - 1, sum(inside) / len(inside)))
    return out


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    step = (hi - lo) / (n - 1)
    return [lo + i * step for i in range(n)]


def _place_labels(xs: Sequence[float], texts: Sequence[str]) -> list[tuple[float, int, str] | None]:
    """Where each mark's label goes: (x, row, anchor), or None when no row has room for it.

    Greedy, left to right: a label takes the first row where it clears the last label by a gap;
    near the right edge it is drawn to the left of its line.
    """
    ends = [-math.inf] * LABEL_ROWS
    placed: list[tuple[float, int, str] | None] = [None] * len(xs)
    for i in sorted(range(len(xs)), key=lambda k: xs[k]):
        width = len(texts[i]) * CHAR_WIDTH
        start, anchor = xs[i] + 3, "start"
        if start + width > W - 2:
            start, anchor = xs[i] - 3 - width, "end"
        for row in range(LABEL_ROWS):
            if start >= ends[row] + 4:
                ends[row] = start + width
                placed[i] = (xs[i] + 3 if anchor == "start" else xs[i] - 3, row, anchor)
                break
    return placed


def line_chart(days: Sequence[date], values: Sequence[float | None], *, by: str, label: str,
               breaks: Sequence[dict[str, Any]] = (), title: str = "", marks: Sequence[Mark] = (),
               levels: Sequence[Segment] = ()) -> Markup:
    """An SVG element: ``values`` over ``days``, each break (and mark) a vertical line, each level a step.

    A series with undefined values (None) is drawn as dots where it is defined; a complete one as a
    line. ``breaks`` are the CLI's break objects; ``marks`` other dates; ``levels`` segment means.
    """
    n = len(days)
    numbers = [v for v in values if v is not None] + [s.level for s in levels]
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
    points = [(x(i), y(v)) for i, v in enumerate(values) if v is not None]
    complete = len(points) == n
    if complete and n > 1:
        parts.append(f'<polyline class="series" points="{" ".join(f"{a:.1f},{b:.1f}" for a, b in points)}"/>')
    if not complete or n <= DOTS_UP_TO:  # undefined periods: a dot per defined one, no broken line
        parts.extend(f'<circle class="series-dot" cx="{a:.1f}" cy="{b:.1f}" r="2.5"/>' for a, b in points)
    for s in levels:
        parts.append(f'<line class="segment" data-testid="segment" data-first="{period_label(days[s.first], by)}" '
                     f'data-last="{period_label(days[s.last], by)}" data-mean="{s.level:.6g}" '
                     f'x1="{x(s.first):.1f}" x2="{x(s.last):.1f}" y1="{y(s.level):.1f}" y2="{y(s.level):.1f}">'
                     f"<title>mean {s.level:.3f}</title></line>")
    shown = [(m, at) for m in [*break_marks(breaks, by), *marks] if (at := position(days, m.date)) is not None]
    places = _place_labels([x(at) for _, at in shown], [m.label for m, _ in shown])
    for (m, at), place in zip(shown, places):
        text = ""
        if place is not None:
            tx, row, anchor = place
            text = (f'<text x="{tx:.1f}" y="{TOP + 10 + row * LABEL_ROW_HEIGHT}" text-anchor="{anchor}">'
                    f"{escape(m.label)}</text>")
        hidden = "" if place else ' data-label="hidden"'  # too close to others: its title still names it
        parts.append(f'<g class="{m.kind}" data-testid="{m.kind}" data-period="{escape(m.label)}" '
                     f'data-date="{escape(m.date)}"{hidden}>'
                     f"<title>{escape(m.tip)}</title>"
                     f'<line x1="{x(at):.1f}" x2="{x(at):.1f}" y1="{TOP}" y2="{H - BOTTOM}"/>{text}</g>')
    parts.append("</svg>")
    return Markup("".join(parts))
