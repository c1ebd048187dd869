"""Change points in a dyad series: when did A's behaviour toward B turn, by how much, and on what evidence.

Two steps (docs/detect.md gives the formulas and the measured error rates):

1. Candidates. A detector from the registry (PELT or binary segmentation, ruptures, ``l2`` cost)
   minimises the within-segment sum of squares plus a penalty per break. The default penalty is
   BIC: ``pen = 2 · σ² · log(n)``, two parameters per break (its date and the new segment's mean),
   with σ estimated robustly from the first differences, ``σ = 1.4826 · MAD(Δy) / √2``, which a
   level shift barely moves. Segments are at least ``min_size`` periods long.
2. Confirmation. Each candidate is tested against the two segments beside it by a permutation test
   (below); the least significant candidate is dropped and its neighbours re-tested, until every
   remaining break has p <= ``alpha`` (and at most ``max_breaks`` remain). A break's confidence is
   1 - p.

The permutation test. For the ``m`` periods of the two adjacent segments, the statistic is the
largest standardised difference of means over every split leaving ``min_size`` periods on each
side, ``max_k |mean(y[k:]) - mean(y[:k])| / sqrt(1/k + 1/(m-k))``. Taking the maximum accounts for
the break's date having been chosen from the same data (testing only the chosen split would make
every candidate look significant). Its null distribution comes from ``n_perm`` random orders of the
same ``m`` values, drawn from a generator seeded by ``(seed, window start, window end)``: the same
input gives the same confidences, on any machine. The permutation treats periods as exchangeable
under "no change"; strong autocorrelation makes it optimistic (the event study's HAC errors are
the tool for that).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from policyshift.backends import Backend
from policyshift.detect.detectors import DETECTORS
from policyshift.detect.drivers import Driver, drivers_at
from policyshift.detect.signal import Signal, describe, measure_signal
from policyshift.errors import UsageError

BIC_PARAMETERS = 2  # a break adds its date and the mean of the new segment
_PERM_BATCH = 200  # permutations per array, so long daily series stay within memory


@dataclass(frozen=True)
class Break:
    """A change in the level of a measure, starting at ``date``."""

    date: date  # first period of the new segment
    index: int  # its row in the series frame
    before: float  # mean of the segment before
    after: float  # mean of the segment after
    size: float  # after - before
    confidence: float  # 1 - p of the permutation test
    p_value: float
    n_before: int  # periods in the segment before (periods with events, under empty="drop")
    n_after: int
    drivers: tuple[Driver, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "index": self.index, "before": self.before, "after": self.after,
                "size": self.size, "confidence": self.confidence, "p_value": self.p_value,
                "n_before": self.n_before, "n_after": self.n_after,
                "drivers": [d.to_dict() for d in self.drivers]}


# -- the penalty --------------------------------------------------------------------------------

def noise_sd(values: np.ndarray) -> float:
    """σ of the noise around the segment levels: 1.4826 · MAD of first differences / √2.

    Differencing removes the levels (a break shows up as one outlying difference, which the median
    ignores); √2 because a difference of two independent noises has twice the variance. When more
    than half the differences are equal (a sparse dyad's run of quiet periods) the MAD is 0 and the
    standard deviation of the differences / √2 stands in.
    """
    d = np.diff(np.asarray(values, dtype="float64"))
    if len(d) == 0:
        return 0.0
    mad = 1.4826 * float(np.median(np.abs(d - np.median(d))))
    if mad > 0:
        return mad / math.sqrt(2)
    return float(np.std(d, ddof=1)) / math.sqrt(2) if len(d) > 1 else 0.0


def parse_penalty(text: str | float) -> str | float:
    """``"bic"`` or a non-negative number (the CLI's --penalty)."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        value = float(text)
    elif str(text).strip().lower() == "bic":
        return "bic"
    else:
        try:
            value = float(str(text))
        except ValueError:
            raise UsageError(f"not a penalty: {text!r}", where="--penalty",
                             fix="use bic (the default) or a non-negative number such as 5") from None
    if not math.isfinite(value) or value < 0:
        raise UsageError(f"the penalty must be a non-negative number, got {text!r}", where="--penalty",
                         fix="use bic (the default) or a non-negative number such as 5")
    return value


def penalty_value(values: np.ndarray, penalty: str | float) -> float:
    """The penalty per break: BIC ``2 · σ² · log(n)`` (see noise_sd) or the number given."""
    rule = parse_penalty(penalty)
    if rule == "bic":
        n = len(values)
        return BIC_PARAMETERS * noise_sd(values) ** 2 * math.log(n) if n > 1 else 0.0
    return float(rule)


# -- the permutation test -----------------------------------------------------------------------

def scan_statistic(windows: np.ndarray, min_size: int) -> np.ndarray:
    """Per row: max over splits k of |mean(right) - mean(left)| / sqrt(1/k + 1/(m-k))."""
    m = windows.shape[1]
    k = np.arange(min_size, m - min_size + 1)
    cum = np.cumsum(windows, axis=1)
    left = cum[:, k - 1] / k
    right = (cum[:, -1:] - cum[:, k - 1]) / (m - k)
    return np.max(np.abs(right - left) / np.sqrt(1.0 / k + 1.0 / (m - k)), axis=1)


def permutation_test(window: np.ndarray, *, min_size: int, n_perm: int,
                     rng: np.random.Generator) -> tuple[float, float]:
    """(p-value, statistic) of "no change in ``window``" by the scan statistic (module doc)."""
    window = np.asarray(window, dtype="float64")
    observed = float(scan_statistic(window[None, :], min_size)[0])
    tolerance = 1e-9 * max(1.0, abs(observed))  # equal values must count as "as large" despite rounding
    exceed = 0
    for done in range(0, n_perm, _PERM_BATCH):
        batch = rng.permuted(np.tile(window, (min(_PERM_BATCH, n_perm - done), 1)), axis=1)
        exceed += int(np.sum(scan_statistic(batch, min_size) >= observed - tolerance))
    return (1 + exceed) / (1 + n_perm), observed


def confirm(values: np.ndarray, candidates: list[int], *, min_size: int, alpha: float | None,
            max_breaks: int | None, n_perm: int, seed: int) -> list[tuple[int, float]]:
    """The candidates that survive backward elimination (module doc), each with its p-value."""
    cache: dict[tuple[int, int], tuple[float, float]] = {}

    def test(start: int, end: int) -> tuple[float, float]:
        if (start, end) not in cache:
            rng = np.random.default_rng([seed, start, end])
            cache[start, end] = permutation_test(values[start:end], min_size=min_size, n_perm=n_perm, rng=rng)
        return cache[start, end]

    kept = sorted(candidates)
    while kept:
        edges = [0, *kept, len(values)]
        tests = [test(edges[i], edges[i + 2]) for i in range(len(kept))]
        # The weakest break: the largest p, and among equal p the smallest difference.
        worst = max(range(len(kept)), key=lambda i: (tests[i][0], -tests[i][1]))
        too_many = max_breaks is not None and len(kept) > max_breaks
        if not too_many and (alpha is None or tests[worst][0] <= alpha):
            return [(k, p) for k, (p, _) in zip(kept, tests)]
        kept.pop(worst)
    return []


# -- the detector ---------------------------------------------------------------------------------

def _check_options(method: str, min_size: int, max_breaks: int | None, alpha: float | None, n_perm: int,
                   seed: int, top: int) -> None:
    if method not in DETECTORS:
        raise UsageError(f"unknown method {method!r}", where="--method", fix=f"use one of {', '.join(DETECTORS)}")
    checks = [
        (isinstance(min_size, int) and min_size >= 1, "--min-size", min_size, "use 1 or more periods (default 2)"),
        (max_breaks is None or max_breaks >= 0, "--max-breaks", max_breaks, "use 0 or more, or leave it out"),
        (alpha is None or 0 < alpha <= 1, "--alpha", alpha, "use a level in (0, 1], e.g. 0.01 (the default)"),
        (n_perm >= 19, "n_perm", n_perm, "use at least 19 permutations (999, the default, resolves p to 0.001)"),
        (isinstance(seed, int) and seed >= 0, "--seed", seed, "use a non-negative integer"),
        (top >= 0, "--top", top, "use 0 or more drivers per break"),
    ]
    for ok, where, value, fix in checks:
        if not ok:
            raise UsageError(f"bad value {value!r}", where=where, fix=fix)


def check_length(frame: pd.DataFrame, signal: Signal, *, min_size: int, empty: str) -> None:
    """Two segments of ``min_size`` need 2 · min_size periods: say so, and what to change, if not."""
    need = 2 * min_size
    if len(signal) >= need:
        return
    have = describe(frame) + (f", {len(signal)} of them with events" if empty == "drop" else "")
    raise UsageError(f"too few periods for change points: the series has {have}; two segments of "
                     f"--min-size {min_size} need {need}", where="--from/--to",
                     fix="widen --from/--to, use a finer --by, or lower --min-size")


def detect_changes(series_frame: pd.DataFrame, *, measure: str = "net_cooperation", method: str = "pelt",
                   penalty: str | float = "bic", min_size: int = 2, max_breaks: int | None = None,
                   alpha: float | None = 0.01, n_perm: int = 999, seed: int = 0, empty: str = "zero",
                   backend: Backend | None = None, top: int = 5) -> list[Break]:
    """The breaks in ``measure`` of a dyad series (policyshift.measure.series), earliest first.

    ``penalty``: ``"bic"`` or a number (cost units per break). ``alpha``: the largest p-value a
    break may keep (None keeps every candidate the penalty allows). ``empty``: the empty-period
    rule, ``"zero"`` or ``"drop"`` (policyshift.detect.signal). With a ``backend``, each break
    carries its ``top`` driving events (policyshift.detect.drivers); without, none.
    """
    _check_options(method, min_size, max_breaks, alpha, n_perm, seed, top)
    signal = measure_signal(series_frame, measure, empty=empty)
    check_length(series_frame, signal, min_size=min_size, empty=empty)
    values = signal.values
    pen = penalty_value(values, penalty)
    if np.ptp(values) == 0:
        return []  # a constant series: nothing to find, and a zero BIC penalty would split it everywhere
    candidates = DETECTORS[method](min_size=min_size).fit(values).predict(pen=pen)[:-1]
    kept = confirm(values, candidates, min_size=min_size, alpha=alpha, max_breaks=max_breaks, n_perm=n_perm,
                   seed=seed)
    edges = [0, *(k for k, _ in kept), len(values)]
    breaks = []
    for i, (k, p) in enumerate(kept):
        before = float(values[edges[i]:k].mean())
        after = float(values[k:edges[i + 2]].mean())
        row = int(signal.rows[k])
        drivers = drivers_at(backend, series_frame, measure=measure, rows=(int(signal.rows[k - 1]), row),
                             direction=after - before, top=top) if backend is not None else []
        breaks.append(Break(date=pd.Timestamp(series_frame.index[row]).date(), index=row, before=before,
                            after=after, size=after - before, confidence=1.0 - p, p_value=p,
                            n_before=k - edges[i], n_after=edges[i + 2] - k, drivers=tuple(drivers)))
    return breaks


def changes_document(series_frame: pd.DataFrame, breaks: list[Break], *, measure: str, method: str,
                     penalty: str | float, min_size: int, alpha: float | None, empty: str) -> dict[str, Any]:
    """The JSON shape of ``policyshift changes`` (docs/detect.md)."""
    values = measure_signal(series_frame, measure, empty=empty).values
    attrs = series_frame.attrs
    return {"source": attrs.get("source"), "target": attrs.get("target"), "by": attrs.get("by"),
            "directed": attrs.get("directed"), "from": attrs.get("from"), "to": attrs.get("to"),
            "periods": len(series_frame), "measure": measure, "method": method, "penalty": parse_penalty(penalty),
            "penalty_value": penalty_value(values, penalty), "sigma": noise_sd(values), "min_size": min_size,
            "alpha": alpha, "empty": empty, "breaks": [b.to_dict() for b in breaks]}


__all__ = ["BIC_PARAMETERS", "Break", "changes_document", "confirm", "detect_changes", "noise_sd", "parse_penalty",
           "penalty_value", "permutation_test", "scan_statistic"]
