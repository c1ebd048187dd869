"""Charts for people who would rather look than read: a series with its breaks marked (PNG or SVG)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from policyshift.errors import UsageError

FORMATS = (".png", ".svg")


def figure_path(path: str | Path) -> Path:
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise UsageError(f"cannot write a chart to {path.name}", where="--plot",
                         fix="name a .png or .svg file")
    return path


def events_over_panel(frame: pd.DataFrame) -> tuple[Any, Any, Any, pd.DatetimeIndex]:
    """A figure of two panels sharing the period axis: events per period as bars on top, an empty
    panel below for the measure. Returns (figure, top, bottom, x)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 5.5), sharex=True, height_ratios=[1, 2],
                                      constrained_layout=True)
    x = pd.to_datetime(frame.index)
    width = (x[1] - x[0]).days * 0.8 if len(x) > 1 else 20
    top.bar(x, frame["events"], width=width, align="edge", color="#9aa7b8")
    top.set_ylabel("events")
    return fig, top, bottom, x


def plot_series(frame: pd.DataFrame, path: str | Path, *, measure: str = "net_cooperation",
                breaks: Sequence[dict[str, Any]] = (), title: str | None = None) -> Path:
    """Two panels: events per period (bars) and ``measure`` (line), breaks as dashed lines.

    ``breaks`` are dicts with ``date`` and optionally ``before``/``after`` levels (segment means),
    drawn as horizontal steps from the previous break (or ``before_from``, or the start) to the next
    (or ``after_to``, or the end); ``label`` replaces the date as the line's caption.
    """
    import matplotlib.pyplot as plt

    path = figure_path(path)
    if measure not in frame.columns:
        raise UsageError(f"unknown measure {measure!r}", where="--measure",
                         fix=f"use one of {', '.join(c for c in frame.columns if frame[c].dtype.kind in 'if')}")
    attrs = frame.attrs
    fig, top, bottom, x = events_over_panel(frame)
    bottom.plot(x, frame[measure], color="#1f4e79", marker="o", markersize=3, linewidth=1.2)
    bottom.axhline(0, color="#999999", linewidth=0.6)
    bottom.set_ylabel(measure.replace("_", " "))
    marks = sorted(breaks, key=lambda b: pd.Timestamp(b["date"]))
    for i, b in enumerate(marks):
        when = pd.Timestamp(b["date"])
        for axis in (top, bottom):
            axis.axvline(when, color="#c0392b", linestyle="--", linewidth=1)
        _draw_levels(bottom, b, when, x, marks[i - 1] if i else None, marks[i + 1] if i + 1 < len(marks) else None)
        bottom.annotate(str(b.get("label") or b["date"])[:24], (when, bottom.get_ylim()[1]), color="#c0392b",
                        fontsize=8, ha="left", va="top", rotation=90)
    default = (f"{attrs.get('source', '')} {'->' if attrs.get('directed', True) else '<->'} {attrs.get('target', '')}"
               f", by {attrs.get('by', '')}")
    top.set_title(title or default)
    fig.savefig(path)
    plt.close(fig)
    return path


def _draw_levels(axis: Any, mark: dict[str, Any], when: pd.Timestamp, x: pd.DatetimeIndex,
                 previous: dict[str, Any] | None, following: dict[str, Any] | None) -> None:
    # The segment means as steps: the eye reads "from this level to that" faster than a table.
    if len(x) == 0:
        return
    style = {"color": "#e67e22", "linewidth": 2, "alpha": 0.8}
    if mark.get("before") is not None:
        lo = pd.Timestamp(mark.get("before_from") or (previous["date"] if previous else x[0]))
        axis.hlines(float(mark["before"]), lo, when, **style)
    if mark.get("after") is not None:
        hi = pd.Timestamp(mark.get("after_to") or (following["date"] if following else x[-1]))
        axis.hlines(float(mark["after"]), when, hi, **style)
