"""The triad: who stands between A and B, and how that changes over time.

For a broker X and two actors A and B, per period: the interactions among the three (A-B, A-X,
B-X, both directions pooled; roles resolved by date), X's share of them, and X's brokerage
between A and B by two standard network measures:

- Burt's constraint and effective size (Burt 1992, *Structural Holes*), computed by networkx on the
  weighted, undirected triad graph whose edge weights are the pooled event counts. They use the
  volumes, not only whether a tie exists, so they register a direct A-B channel that grows
  relative to the broker's ties: the very thing that makes a broker less necessary.
- Gould-Fernandez brokerage (Gould and Fernandez 1989) on the directed graph of the period: the
  number of two-step paths A -> X -> B and B -> X -> A without the direct tie. With three actors
  in three different groups every such path is a *liaison* role, so the count is the total.

All six directed counts come from one Ibis aggregation on the backend (``pair_series``, which
reciprocity also uses); only the small per-period table is finished in pandas and networkx.
The date-precision rule is that of the dyad series (policyshift.measure.series).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import networkx as nx
import numpy as np
import pandas as pd

from policyshift.backends import Backend
from policyshift.dates import parse_date
from policyshift.errors import UsageError
from policyshift.measure.series import QUADS, check_range, finish, granularity, period_index, periods_of, precise_enough
from policyshift.plot import figure_path
from policyshift.roles import Role
from policyshift.selectors import check_known, matches, normalise

# The directed pairs of a triad, by party name; the frame's column names follow them.
DIRECTED = {"a_to_b": ("a", "b"), "b_to_a": ("b", "a"), "a_to_broker": ("a", "broker"),
            "broker_to_a": ("broker", "a"), "b_to_broker": ("b", "broker"), "broker_to_b": ("broker", "b")}
POOLED = {"a_b": ("a_to_b", "b_to_a"), "a_broker": ("a_to_broker", "broker_to_a"),
          "b_broker": ("b_to_broker", "broker_to_b")}
INDICES = ["broker_share", "constraint", "effective_size", "gf_brokerage"]
COLUMNS = [*POOLED, "total", *INDICES, *DIRECTED]


def _overlap(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


def _intersects(role: Role, start: date | None, end: date | None) -> bool:
    return ((start is None or role.valid_to is None or role.valid_to >= start)
            and (end is None or role.valid_from is None or role.valid_from <= end))


def _span(role: Role) -> str:
    return f"from {role.valid_from or 'always'}" + (f" to {role.valid_to}" if role.valid_to else " on")


def check_separate(parties: dict[str, str], roles: Sequence[Role], *, start: date | None,
                   end: date | None) -> None:
    """Refuse parties that can name the same actor in the window (their events would count twice).

    ``parties`` maps the option name (A, B, BROKER) to its normalised selector.
    """
    active = [r for r in roles if _intersects(r, start, end)]
    for (n1, s1), (n2, s2) in itertools.combinations(parties.items(), 2):
        if s1 == s2:
            raise UsageError(f"{n1} and {n2} are the same actor, {s1}", where=f"{n1} {n2}",
                             fix="name two different actors")
        if _overlap(s1, s2):
            raise UsageError(f"{n1} {s1} and {n2} {s2} overlap: every {max(s1, s2, key=len)} event is also a "
                             f"{min(s1, s2, key=len)} event", where=f"{n1} {n2}",
                             fix="choose actors that do not contain each other (e.g. PAKGOV and PAKMIL)")
        for r in active:
            for sa, sb in ((s1, s2), (s2, s1)):
                # r makes actors whose code starts with r.code count as sa; they clash with sb when sb names
                # them directly, or through another role active at the same time.
                clash = r.role.startswith(sa) and (_overlap(r.code, sb) or any(
                    o.role.startswith(sb) and _overlap(o.code, r.code) and _intersects(o, r.valid_from, r.valid_to)
                    for o in active))
                if clash:
                    raise UsageError(f"{n1} {s1} and {n2} {s2} overlap: {r.code} counts as {r.role} {_span(r)}",
                                     where=f"{n1} {n2}",
                                     fix="choose --from/--to outside those dates, or other actors")


@dataclass(frozen=True)
class PairSeries:
    """Per-period series of several directed pairs, on one shared period index."""

    frames: dict[tuple[str, str], pd.DataFrame]  # by (source, target) option names, e.g. ("A", "B")
    index: pd.DatetimeIndex
    attrs: dict[str, Any] = field(default_factory=dict)


def pair_series(backend: Backend, parties: dict[str, str], pairs: Sequence[tuple[str, str]], *,
                by: str = "month", start: str | date | None = None, end: str | date | None = None) -> PairSeries:
    """The dyad series of every directed pair among ``parties`` in one Ibis aggregation.

    ``parties`` maps the option name (A, B, BROKER) to its selector, ``pairs`` are (source, target)
    option names. Each frame has the columns of :func:`policyshift.measure.series.series`; periods
    run from the first to the last period with an event of any pair (or --from/--to), zero-filled.
    """
    granularity(by)
    sel = {name: normalise(s, name) for name, s in parties.items()}
    start_d, end_d = parse_date(start, "--from"), parse_date(end, "--to")
    check_range(backend, start_d, end_d)
    for name, s in sel.items():
        check_known(backend.events, s, backend.roles, name)
    check_separate(sel, backend.roles, start=start_d, end=end_d)

    t = backend.events
    roles = backend.roles
    flags = {f"p{i}": matches(t.source_actor, t.date, sel[src], roles)
             & matches(t.target_actor, t.date, sel[tgt], roles) for i, (src, tgt) in enumerate(pairs)}
    t = t.mutate(**flags)
    cond = ibis.or_(*(t[f] for f in flags))
    if start_d:
        cond &= t.date >= start_d
    if end_d:
        cond &= t.date <= end_d
    events = t.filter(cond)
    ok = precise_enough(events, by)
    kept = events.filter(ok)
    kept = kept.mutate(period=kept.date.truncate(granularity(by)[0]))
    metrics: dict[str, ir.Value] = {}
    for f in flags:
        hit = kept[f]
        metrics[f"{f}__events"] = hit.cast("int64").sum()
        metrics[f"{f}__goldstein_sum"] = hit.ifelse(kept.goldstein, 0.0).sum()
        for q, name in QUADS.items():
            metrics[f"{f}__{name}"] = (hit & (kept.quad_class == q)).fill_null(False).cast("int64").sum()
    counts = backend.execute(kept.group_by("period").aggregate(**metrics))
    excluded = int(backend.execute(events.filter(~ok).count()))

    names = " ".join(f"{n} {s}" for n, s in sel.items())
    if counts.empty and not (start_d and end_d):
        raise UsageError(f"no events among {names}" + (f" from {start_d}" if start_d else "")
                         + (f" to {end_d}" if end_d else ""), where=" ".join(sel),
                         fix="try a wider --from/--to, or shorter codes (PAK instead of PAKGOV)")
    lo = start_d or pd.Timestamp(counts["period"].min()).date()
    hi = end_d or pd.Timestamp(counts["period"].max()).date()
    index = period_index(lo, hi, by)
    frames = {}
    for f, pair in zip(flags, pairs, strict=True):
        part = counts[["period", *(c for c in counts.columns if c.startswith(f"{f}__"))]]
        part = part.rename(columns=lambda c: c.split("__", 1)[-1])
        frames[(pair[0], pair[1])] = finish(part, index)
    attrs = {**{n.lower(): s for n, s in sel.items()}, "by": by, "from": str(lo), "to": str(hi),
             "imprecise_excluded": excluded, "backend": backend.name}
    return PairSeries(frames, index, attrs)


def gould_fernandez(directed: dict[str, int]) -> int:
    """Two-step paths A -> X -> B and B -> X -> A whose direct tie is absent (liaison brokerage)."""
    has = {k: v > 0 for k, v in directed.items()}
    return int(has["a_to_broker"] and has["broker_to_b"] and not has["a_to_b"]) + \
        int(has["b_to_broker"] and has["broker_to_a"] and not has["b_to_a"])


def burt(pooled: dict[str, int]) -> tuple[float, float]:
    """(constraint, effective size) of the broker on the weighted triad graph; NaN if it has no tie."""
    g = nx.Graph()
    g.add_nodes_from(["broker", "a", "b"])
    for name, weight in pooled.items():
        if weight > 0:
            u, v = name.split("_")
            g.add_edge(u, v, weight=weight)
    if g.degree("broker") == 0:
        return float("nan"), float("nan")
    return (float(nx.constraint(g, nodes=["broker"], weight="weight")["broker"]),
            float(nx.effective_size(g, nodes=["broker"], weight="weight")["broker"]))


@dataclass(frozen=True)
class Triad:
    """The per-period triad table, the query, and (with ``at``) the change around a date."""

    frame: pd.DataFrame
    attrs: dict[str, Any]
    change: dict[str, dict[str, Any]] | None = None

    def to_document(self) -> dict[str, Any]:
        periods = periods_of(self.frame, COLUMNS)
        return {**self.attrs, "change": self.change, "periods": periods}


def _change(frame: pd.DataFrame, at: date, by: str) -> dict[str, dict[str, Any]]:
    # The period that contains the date counts as "after": the turn may come on its first day.
    cut = period_index(at, at, by)[0]
    if not frame.index[0] <= cut <= frame.index[-1]:
        raise UsageError(f"--at {at} is outside the periods of the triad, {frame.index[0].date()} to "
                         f"{frame.index[-1].date()}", where="--at", fix="choose a date inside that range")
    before, after = frame[frame.index < cut], frame[frame.index >= cut]
    out = {}
    for c in INDICES:
        b, a = before[c].dropna(), after[c].dropna()
        mb = float(b.mean()) if len(b) else None
        ma = float(a.mean()) if len(a) else None
        out[c] = {"before": mb, "after": ma, "difference": None if mb is None or ma is None else ma - mb,
                  "periods_before": len(b), "periods_after": len(a)}
    totals = {side: part[["a_broker", "b_broker", "total"]].sum()
              for side, part in (("before", before), ("after", after))}
    pooled = {side: (float((s["a_broker"] + s["b_broker"]) / s["total"]) if s["total"] else None)
              for side, s in totals.items()}
    pb, pa = pooled["before"], pooled["after"]
    out["pooled_share"] = {"before": pb, "after": pa, "difference": None if pb is None or pa is None else pa - pb,
                           "events_before": int(totals["before"]["total"]),
                           "events_after": int(totals["after"]["total"])}
    return out


def triad(backend: Backend, broker: str, a: str, b: str, *, by: str = "month", start: str | date | None = None,
          end: str | date | None = None, at: str | date | None = None) -> Triad:
    """The broker's share of the interactions among the three and its brokerage between A and B, per period.

    Columns: a_b, a_broker, b_broker (pooled counts), total, broker_share, constraint, effective_size,
    gf_brokerage, and the six directed counts. With ``at``, ``change`` holds each index's mean
    before and after the date, and their difference.
    """
    at_d = parse_date(at, "--at")
    parties = {"BROKER": broker, "A": a, "B": b}
    pairs = [(src.upper(), tgt.upper()) for src, tgt in DIRECTED.values()]
    ps = pair_series(backend, parties, pairs, by=by, start=start, end=end)
    frame = pd.DataFrame(index=ps.index)
    for name, pair in zip(DIRECTED, pairs, strict=True):
        frame[name] = ps.frames[pair]["events"]
    for name, (one, other) in POOLED.items():
        frame[name] = frame[one] + frame[other]
    frame["total"] = frame[list(POOLED)].sum(axis=1)
    frame["broker_share"] = (frame["a_broker"] + frame["b_broker"]) / frame["total"].where(frame["total"] > 0)
    scores = [burt({k: int(row[k]) for k in POOLED}) for _, row in frame.iterrows()]
    frame["constraint"] = [s[0] for s in scores]
    frame["effective_size"] = [s[1] for s in scores]
    frame["gf_brokerage"] = [gould_fernandez({k: int(row[k]) for k in DIRECTED}) for _, row in frame.iterrows()]
    frame = frame[COLUMNS]
    frame.index.name = "period"
    attrs = {**ps.attrs, "at": str(at_d) if at_d else None}
    return Triad(frame, attrs, _change(frame, at_d, by) if at_d else None)


def plot_triad(result: Triad, path: str | Path) -> Path:
    """Stacked counts of the three dyads (top) and the broker's share and constraint (bottom)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = figure_path(path)
    frame, attrs = result.frame, result.attrs
    x = pd.to_datetime(frame.index)
    width = (x[1] - x[0]).days * 0.8 if len(x) > 1 else 20
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 5.5), sharex=True, height_ratios=[1, 2],
                                      constrained_layout=True)
    base = np.zeros(len(frame))
    labels = {"a_b": f"{attrs['a']}-{attrs['b']}", "a_broker": f"{attrs['a']}-{attrs['broker']}",
              "b_broker": f"{attrs['b']}-{attrs['broker']}"}
    for column, color in zip(POOLED, ("#9aa7b8", "#1f4e79", "#6a9fca"), strict=True):
        top.bar(x, frame[column], bottom=base, width=width, align="edge", color=color, label=labels[column])
        base += frame[column].to_numpy()
    top.set_ylabel("events")
    top.legend(fontsize=8, loc="upper left")
    bottom.plot(x, frame["broker_share"], color="#1f4e79", marker="o", markersize=3, label="broker share")
    bottom.plot(x, frame["constraint"], color="#c0392b", linewidth=1, label="constraint (Burt)")
    bottom.set_ylim(0, 1.3)
    bottom.legend(fontsize=8, loc="upper left")
    if attrs.get("at"):
        for axis in (top, bottom):
            axis.axvline(pd.Timestamp(attrs["at"]), color="#555555", linestyle="--", linewidth=1)
    top.set_title(f"{attrs['broker']} between {attrs['a']} and {attrs['b']}, by {attrs['by']}")
    fig.savefig(path)
    plt.close(fig)
    return path


__all__ = ["COLUMNS", "PairSeries", "Triad", "burt", "check_separate", "gould_fernandez", "pair_series",
           "plot_triad", "triad"]
