"""Change-point detectors: one contract, ruptures' own, behind a registry.

Every detector is a class built with ``min_size`` (the shortest segment, in periods) whose
``fit(signal)`` returns itself and whose ``predict(pen=...)`` returns the ends of the segments,
ruptures-style: increasing positions, the last one ``len(signal)``. A position ``k`` in that list
(other than the last) means "a new segment starts at ``signal[k]``". Adding a detector is one class
here and one line in ``DETECTORS``.

Both detectors minimise the same penalised cost: the sum over segments of squared deviations from
the segment mean (ruptures' ``l2`` model) plus ``pen`` per break. ``l2`` rather than ``normal``:
we report changes in the *level* of a measure, and a dyad's series holds long constant runs (every
quiet month is 0 under the empty-period rule) on which the ``normal`` model's log-variance cost is
undefined.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Protocol

import numpy as np


class Detector(Protocol):
    def fit(self, signal: np.ndarray) -> Detector: ...

    def predict(self, *, pen: float) -> list[int]: ...


@functools.cache
def _cumulative_l2() -> type:
    # Built on first use: importing ruptures takes over a second, which `policyshift --help` and
    # the shift scan should not pay.
    from ruptures.base import BaseCost

    class CumulativeL2(BaseCost):  # type: ignore[misc]
        """ruptures' ``l2`` cost from cumulative sums: the same numbers, O(1) per segment.

        ruptures' CostL2 takes the variance of a slice on every call, which makes PELT with
        ``jump=1`` (needed to place a break on the exact period) ten times slower on our series.
        """

        model = "l2"
        min_size = 1

        def fit(self, signal: np.ndarray) -> Any:
            y = np.asarray(signal, dtype="float64").reshape(len(signal), -1)[:, 0]
            self.signal = y.reshape(-1, 1)
            # Centred, because the sum-of-squares formula loses digits when the level is far from 0.
            centred = y - y.mean() if len(y) else y
            self._sum = np.concatenate([[0.0], np.cumsum(centred)]).tolist()
            self._sq = np.concatenate([[0.0], np.cumsum(centred * centred)]).tolist()
            return self

        def error(self, start: int, end: int) -> float:
            s = self._sum[end] - self._sum[start]
            return max(self._sq[end] - self._sq[start] - s * s / (end - start), 0.0)

    return CumulativeL2


def l2_cost() -> Any:
    """A fresh ruptures cost object equal to ``model="l2"``, fast (see _cumulative_l2)."""
    return _cumulative_l2()()


class _RupturesSearch:
    """fit/predict over a ruptures search object in ``self._algo``."""

    _algo: Any

    def fit(self, signal: np.ndarray) -> _RupturesSearch:
        self._algo.fit(np.asarray(signal, dtype="float64"))
        return self

    def predict(self, *, pen: float) -> list[int]:
        return [int(k) for k in self._algo.predict(pen=pen)]


class Pelt(_RupturesSearch):
    """PELT (Killick, Fearnhead & Eckley 2012): the exact optimum of cost + pen per break."""

    def __init__(self, *, min_size: int) -> None:
        import ruptures

        # jump=1: every period may start a segment (ruptures' default, 5, would round break dates).
        self._algo = ruptures.Pelt(custom_cost=l2_cost(), min_size=min_size, jump=1)


class BinSeg(_RupturesSearch):
    """Binary segmentation: split where the cost falls most while the fall exceeds pen (greedy)."""

    def __init__(self, *, min_size: int) -> None:
        import ruptures

        self._algo = ruptures.Binseg(custom_cost=l2_cost(), min_size=min_size, jump=1)


DETECTORS: dict[str, Callable[..., Detector]] = {
    "pelt": Pelt,
    "binseg": BinSeg,
}

__all__ = ["DETECTORS", "BinSeg", "Detector", "Pelt", "l2_cost"]
