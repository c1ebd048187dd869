"""The say-do gap: how A's words toward B differ from A's deeds, per period.

From the quad-class counts of the dyad series A -> B (VC verbal cooperation, MC material
cooperation, VK verbal conflict, MK material conflict, N all events of the period):

- coop_gap     = VC/N - MC/N   (verbal minus material cooperation share; > 0: cooperation is talk)
- conflict_gap = VK/N - MK/N   (verbal minus material conflict share; > 0: conflict is talk)
- tone_gap     = (VC - VK)/(VC + VK) - (MC - MK)/(MC + MK)
                 (how much friendlier A's words are than its deeds, free of how much A talks)

coop_gap and conflict_gap are undefined in empty periods; tone_gap also where A had no verbal or
no material event. Overall figures: the gaps of the pooled counts of all periods, and the mean of
the per-period gaps with a test of "the mean gap is 0": a t test whose standard error is
Newey-West (HAC, Bartlett kernel, L = floor(4 (n/100)^(2/9)) lags), because a gap this month is
like the gap last month and a plain t test would overstate the evidence. Undefined periods are left
out of the mean and the test.

The counts come from the dyad series (one Ibis aggregation on the backend); this module only
finishes the small per-period table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from policyshift.backends import Backend
from policyshift.errors import UsageError
from policyshift.measure.series import periods_of, series
from policyshift.plot import events_over_panel, figure_path

GAPS = ["coop_gap", "conflict_gap", "tone_gap"]
COLUMNS = ["events", "verbal_coop", "material_coop", "verbal_conflict", "material_conflict",
           "verbal_coop_share", "material_coop_share", "verbal_conflict_share", "material_conflict_share",
           "say_tone", "do_tone", *GAPS]
MIN_PERIODS = 3


def gaps(counts: pd.DataFrame) -> pd.DataFrame:
    """The three gaps from quad-class counts (columns verbal_coop, material_coop, verbal_conflict,
    material_conflict, events), row by row; NaN where a gap is undefined."""
    vc, mc = counts["verbal_coop"].astype(float), counts["material_coop"].astype(float)
    vk, mk = counts["verbal_conflict"].astype(float), counts["material_conflict"].astype(float)
    n = counts["events"].astype(float).where(counts["events"] > 0)
    out = pd.DataFrame(index=counts.index)
    out["verbal_coop_share"], out["material_coop_share"] = vc / n, mc / n
    out["verbal_conflict_share"], out["material_conflict_share"] = vk / n, mk / n
    out["say_tone"] = (vc - vk) / (vc + vk).where(vc + vk > 0)
    out["do_tone"] = (mc - mk) / (mc + mk).where(mc + mk > 0)
    out["coop_gap"] = out["verbal_coop_share"] - out["material_coop_share"]
    out["conflict_gap"] = out["verbal_conflict_share"] - out["material_conflict_share"]
    out["tone_gap"] = out["say_tone"] - out["do_tone"]
    return out


def newey_west_lags(n: int) -> int:
    return math.floor(4 * (n / 100) ** (2 / 9))


def mean_test(values: pd.Series) -> dict[str, Any]:
    """Mean of the defined values and the HAC t test of "mean = 0" (None where too few values)."""
    v = values.dropna().to_numpy(dtype=float)
    n = len(v)
    out: dict[str, Any] = {"mean": float(v.mean()) if n else None, "n_periods": n, "se": None, "t": None, "p": None,
                           "hac_lags": None}
    if n < MIN_PERIODS:
        return out
    if np.all(v == v[0]):
        # No variation: the mean is exact, and a t statistic is undefined (or infinite).
        return out
    import statsmodels.api as sm

    lags = newey_west_lags(n)
    fit = sm.OLS(v, np.ones(n)).fit(cov_type="HAC", cov_kwds={"maxlags": lags}, use_t=True)
    out.update(se=float(fit.bse[0]), t=float(fit.tvalues[0]), p=float(fit.pvalues[0]), hac_lags=lags)
    return out


@dataclass(frozen=True)
class SayDo:
    """The per-period gaps, the overall figures and tests, and the query in ``attrs``."""

    frame: pd.DataFrame
    overall: dict[str, dict[str, Any]]
    attrs: dict[str, Any]

    def to_document(self) -> dict[str, Any]:
        periods = periods_of(self.frame, COLUMNS)
        return {**self.attrs, "overall": self.overall, "periods": periods}


def saydo(backend: Backend, a: str, b: str, *, by: str = "month", start: str | date | None = None,
          end: str | date | None = None) -> SayDo:
    """The say-do gap of A toward B per period, overall, and tested against zero (see the module doc)."""
    s = series(backend, a, b, by=by, start=start, end=end, directed=True)  # type: ignore[arg-type]
    counts = s[["events", "verbal_coop", "material_coop", "verbal_conflict", "material_conflict"]]
    frame = pd.concat([counts, gaps(counts)], axis=1)[COLUMNS]
    active = int((frame["events"] > 0).sum())
    if active < MIN_PERIODS:
        raise UsageError(f"{s.attrs['source']}->{s.attrs['target']} has events in {active} of {len(frame)} periods "
                         f"of {by}; the test of the gap needs at least {MIN_PERIODS}", where="A B",
                         fix="use a finer --by or a wider --from/--to")
    pooled = gaps(frame[COLUMNS[:5]].sum().to_frame().T).iloc[0]
    overall = {g: {"pooled": None if pd.isna(pooled[g]) else float(pooled[g]), **mean_test(frame[g])} for g in GAPS}
    attrs = {"a": s.attrs["source"], "b": s.attrs["target"], "by": by, "from": s.attrs["from"], "to": s.attrs["to"],
             "n_periods": len(frame), "empty_periods": len(frame) - active,
             "test": "mean of per-period gaps = 0: t test with Newey-West (HAC) standard error",
             "imprecise_excluded": s.attrs["imprecise_excluded"], "backend": s.attrs["backend"]}
    return SayDo(frame, overall, attrs)


def plot_saydo(result: SayDo, path: str | Path) -> Path:
    """Events per period (top) and the cooperation and conflict gaps (bottom)."""
    import matplotlib.pyplot as plt

    path = figure_path(path)
    frame, attrs = result.frame, result.attrs
    fig, top, bottom, x = events_over_panel(frame)
    top.set_title(f"say-do gap of {attrs['a']} toward {attrs['b']}, by {attrs['by']}")
    bottom.plot(x, frame["coop_gap"], color="#1f4e79", marker="o", markersize=3,
                label="cooperation gap (VC - MC share)")
    bottom.plot(x, frame["conflict_gap"], color="#c0392b", marker="o", markersize=3,
                label="conflict gap (VK - MK share)")
    bottom.axhline(0, color="#999999", linewidth=0.6)
    bottom.set_ylim(-1.05, 1.05)
    bottom.legend(fontsize=8, loc="lower left")
    fig.savefig(path)
    plt.close(fig)
    return path


__all__ = ["GAPS", "SayDo", "gaps", "mean_test", "newey_west_lags", "plot_saydo", "saydo"]
