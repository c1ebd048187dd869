"""The report's charts, as inline PNG data URIs (the report must open offline, as one file).

The dyad series and the triad use the charts of policyshift.plot and policyshift.measure.triad, so
the report shows what `policyshift changes --plot` and `policyshift triad --plot` show; the
timeline, the say-do tones and the ledger have charts of their own here.
"""

from __future__ import annotations

import base64
import io
import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

QUAD_COLOURS = {1: "#6a9fca", 2: "#1f4e79", 3: "#e6a23c", 4: "#c0392b"}
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
DPI = 100


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def figure_uri(fig: Any) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    _pyplot().close(fig)
    return data_uri(buffer.getvalue())


def via_file(draw: Callable[[Path], Any]) -> str:
    """Run a chart function of the API that writes a file, and return the PNG inline."""
    with tempfile.TemporaryDirectory(prefix="policyshift-chart-") as folder:
        path = Path(folder) / "chart.png"
        draw(path)
        return data_uri(path.read_bytes())


def series_chart(frame: pd.DataFrame, breaks: Sequence[Any], *, title: str, at: date, empty: str = "zero",
                 zoom_before: int = 12, zoom_after: int = 16) -> str:
    """Events (bars) and net cooperation (dots for periods with events, the detector's zero-filled line
    under the ``zero`` rule), each segment's mean level, the breaks numbered as in the report's table;
    the whole period on the left, the periods around ``at`` on the right.

    ``breaks`` are policyshift.detect.Break objects, earliest first.
    """
    plt = _pyplot()
    by = str(frame.attrs.get("by", "month"))
    x = pd.to_datetime(frame.index)
    fig, axes = plt.subplots(2, 2, figsize=(10, 4.8), sharey="row", width_ratios=[3, 2], height_ratios=[1, 2],
                             constrained_layout=True)
    at_ts = pd.Timestamp(at)
    period = pd.tseries.frequencies.to_offset(_FREQ.get(by, "MS"))
    lo = max(x[0], at_ts - zoom_before * period) if len(x) else at_ts
    hi = min(x[-1], at_ts + zoom_after * period) if len(x) else at_ts
    edges = [x[0], *(pd.Timestamp(b.date) for b in breaks), x[-1] + period] if len(x) else []
    levels = [b.before for b in breaks[:1]] + [b.after for b in breaks]
    values = frame["net_cooperation"]
    has = frame["events"] > 0
    for col, (left, right) in enumerate(((x[0], x[-1] + period), (lo, hi + period))):
        top, bottom = axes[0][col], axes[1][col]
        width = max(1.0, (x[1] - x[0]).days * 0.8) if len(x) > 1 else 20.0
        top.bar(x, frame["events"], width=width, align="edge", color="#9aa7b8")
        if empty == "zero":
            bottom.step(x, values.fillna(0.0), where="post", color="#c9d1db", linewidth=0.9, zorder=1)
        colours = ["#1f4e79" if v >= 0 else "#c0392b" for v in values[has]]
        sizes = 12 + 10 * frame["events"][has].clip(upper=8)
        bottom.scatter(x[has.to_numpy()], values[has], s=sizes, c=colours, zorder=3, edgecolor="white", linewidth=0.5)
        for i, level in enumerate(levels):
            bottom.hlines(level, edges[i], edges[i + 1], color="#e67e22", linewidth=2, alpha=0.85, zorder=2)
        labelled: list[pd.Timestamp] = []
        span_days = max(1, (right - left).days)
        for n, b in enumerate(breaks, start=1):
            when = pd.Timestamp(b.date)
            for axis in (top, bottom):
                axis.axvline(when, color="#c0392b", linestyle="--", linewidth=1, zorder=2)
            # Numbers that would overlap are left out here; the zoom panel or the table has them.
            crowded = any(abs((when - other).days) < 0.035 * span_days for other in labelled)
            if left <= when <= right and not crowded:
                labelled.append(when)
                bottom.annotate(str(n), (when, 1.08), color="#c0392b", fontsize=8, ha="center", va="center",
                                bbox={"boxstyle": "circle,pad=0.15", "fc": "white", "ec": "#c0392b", "lw": 0.8})
        for axis in (top, bottom):
            axis.axvline(at_ts, color="#555555", linestyle=":", linewidth=1, zorder=1)
            axis.set_xlim(left, right)
        bottom.axhline(0, color="#999999", linewidth=0.6)
        bottom.set_ylim(-1.2, 1.2)
    for col in (0, 1):
        axes[0][col].sharex(axes[1][col])
        axes[0][col].tick_params(labelbottom=False)
    axes[0][0].set_ylabel("events")
    axes[1][0].set_ylabel("net cooperation")
    axes[0][0].set_title(title, fontsize=10, loc="left")
    fmt = "%Y-%m-%d" if by in ("day", "week") else "%Y-%m"
    axes[0][1].set_title(f"around {at}: {lo.strftime(fmt)} to {hi.strftime(fmt)}", fontsize=10, loc="left")
    import matplotlib.dates as mdates

    for col, most in ((0, 10), (1, 6)):
        locator = mdates.AutoDateLocator(minticks=3, maxticks=most)
        axes[1][col].xaxis.set_major_locator(locator)
        axes[1][col].xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    return figure_uri(fig)


_FREQ = {"day": "D", "week": "W-MON", "month": "MS", "quarter": "QS", "year": "YS"}


def triad_chart(result: Any) -> str:
    from policyshift.measure.triad import plot_triad

    return via_file(lambda path: plot_triad(result, path))


def timeline_chart(events: pd.DataFrame, *, at: date, title: str) -> str:
    """Each event as a dot at its date and Goldstein weight, coloured by quad class; the date of interest marked.

    ``events`` has date, goldstein, quad_class and ``role`` ("did" or "received").
    """
    plt = _pyplot()
    fig, axes = plt.subplots(2, 1, figsize=(10, 4.6), sharex=True, sharey=True, constrained_layout=True)
    for axis, role, label in zip(axes, ("did", "received"), ("what it did", "what it received"), strict=True):
        part = events[events["role"] == role]
        for quad, colour in QUAD_COLOURS.items():
            q = part[part["quad_class"] == quad]
            axis.scatter(pd.to_datetime(q["date"]), q["goldstein"], s=22, color=colour, label=QUAD_NAMES[quad],
                         edgecolor="white", linewidth=0.4, zorder=3)
        axis.axhline(0, color="#999999", linewidth=0.6)
        axis.axvline(pd.Timestamp(at), color="#555555", linestyle="--", linewidth=1)
        axis.set_ylabel(f"Goldstein\n({label})")
        axis.set_ylim(-10.5, 10.5)
        axis.grid(axis="x", color="#eeeeee")
    axes[0].legend(fontsize=8, loc="upper left", ncols=4, frameon=False)
    axes[0].set_title(title)
    return figure_uri(fig)


def saydo_chart(rows: Sequence[dict[str, Any]], *, title: str) -> str:
    """Per dyad and window, the tone of words and of deeds on -1..+1, joined by a line (the gap)."""
    plt = _pyplot()
    height = 1.0 + 0.42 * max(1, len(rows))
    fig, axis = plt.subplots(figsize=(10, height), constrained_layout=True)
    labels = []
    for y, row in enumerate(reversed(rows)):
        labels.append(f"{row['dyad']}  {row['window_label']}")
        say, do = row.get("say_tone"), row.get("do_tone")
        if say is not None and do is not None:
            axis.plot([say, do], [y, y], color="#999999", linewidth=2, zorder=1)
        # Words as a ring around the deeds' square: where they coincide, both stay visible.
        if say is not None:
            axis.scatter([say], [y], s=150, facecolor="none", edgecolor="#2f7fc1", linewidth=2, marker="o", zorder=3,
                         label="words (say tone)")
        if do is not None:
            axis.scatter([do], [y], s=40, color="#1f4e79", marker="s", zorder=2, label="deeds (do tone)")
    axis.set_yticks(range(len(labels)), labels, fontsize=8)
    axis.set_ylim(-0.6, len(labels) - 0.4)
    axis.set_xlim(-1.15, 1.15)
    axis.axvline(0, color="#bbbbbb", linewidth=0.6)
    axis.set_xlabel("tone: -1 all conflict ... +1 all cooperation")
    handles, names = axis.get_legend_handles_labels()
    unique = dict(zip(names, handles))
    if unique:
        axis.legend(unique.values(), unique.keys(), fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0),
                    ncols=2, frameon=False)
    axis.set_title(title, pad=22)
    return figure_uri(fig)


def ledger_chart(rows: Sequence[dict[str, Any]], *, title: str, sides: Sequence[str]) -> str:
    """Events per ledger line, before and after the date; benefits to the right, costs to the left."""
    plt = _pyplot()
    height = 1.2 + 0.3 * max(1, len(rows))
    fig, axis = plt.subplots(figsize=(10, height), constrained_layout=True)
    labels = [f"{r['category']} ({r['domain']})" for r in rows]
    y = list(range(len(rows)))[::-1]
    colours = {"before": "#9aa7b8", "after": "#1f4e79", "total": "#1f4e79"}
    offset = {"before": 0.18, "after": -0.18, "total": 0.0}
    for side in sides:
        values = [(r[side] if r["sign"] == "benefit" else -r[side]) for r in rows]
        axis.barh([v + offset[side] for v in y], values, height=0.34 if len(sides) > 1 else 0.6,
                  color=colours[side], label=side)
    axis.set_yticks(y, labels, fontsize=8)
    axis.axvline(0, color="#555555", linewidth=0.8)
    axis.set_xlabel("events: costs (left) | benefits (right)")
    limit = max([1, *(max(r[s] for s in sides) for r in rows)]) if rows else 1
    axis.set_xlim(-limit - 0.5, limit + 0.5)
    axis.xaxis.get_major_locator().set_params(integer=True)
    axis.legend(fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=len(sides), frameon=False)
    axis.set_title(title, pad=22)
    return figure_uri(fig)


__all__ = ["data_uri", "figure_uri", "ledger_chart", "saydo_chart", "series_chart", "timeline_chart", "triad_chart"]
