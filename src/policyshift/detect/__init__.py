"""Detect: change points in a dyad series (with the events that drive them) and event studies.

    from policyshift.backends import duckdb_backend
    from policyshift.detect import detect_changes
    from policyshift.measure import series

    frame = series(backend, "USA", "PAK", by="month")
    for b in detect_changes(frame, backend=backend):
        print(b.date, b.before, b.after, b.confidence, [d.event_id for d in b.drivers])

``changes`` is the API of ``policyshift changes``: the series, then the breaks or (with ``at``) the
event study, as one JSON-ready document. See docs/detect.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from policyshift.backends import Backend
from policyshift.detect.changepoints import Break, changes_document, detect_changes, parse_penalty
from policyshift.detect.detectors import DETECTORS, Detector
from policyshift.detect.drivers import Driver
from policyshift.detect.eventstudy import EventStudy, event_study


@dataclass
class Changes:
    """What ``policyshift changes`` shows: the series, the breaks or the event study, and the document."""

    frame: pd.DataFrame
    document: dict[str, Any]
    breaks: list[Break] = field(default_factory=list)
    study: EventStudy | None = None

    def marks(self) -> list[dict[str, Any]]:
        """What the plot marks: each break, or the event study's date with its before/after means."""
        if self.study is None:
            return [b.to_dict() for b in self.breaks]
        s, index = self.study, pd.DatetimeIndex(self.frame.index)
        row = int(index.get_loc(pd.Timestamp(s.period)))
        return [{"date": s.period.isoformat(), "before": s.before.estimate, "after": s.after.estimate,
                 "before_from": index[max(0, row - s.window)].date().isoformat(),
                 "after_to": index[min(row + s.window - 1, len(index) - 1)].date().isoformat(),
                 "label": f"--at {s.at.isoformat()}"}]


def changes(backend: Backend, source: str, target: str, *, by: str = "month", start: str | date | None = None,
            end: str | date | None = None, directed: bool = True, normalize: bool = False,
            measure: str = "net_cooperation", method: str = "pelt", penalty: str | float = "bic", min_size: int = 2,
            max_breaks: int | None = None, alpha: float | None = 0.01, empty: str = "zero", seed: int = 0,
            top: int = 5, at: str | date | None = None, window: int = 12) -> Changes:
    """The dyad series source -> target and its change points (or, with ``at``, the event study)."""
    from policyshift.detect.signal import check_empty, check_measure
    from policyshift.measure.series import MEASURES, series

    penalty = parse_penalty(penalty)
    check_empty(empty)
    if measure not in MEASURES and not (normalize and (measure == "volume" or measure.endswith("_per_volume"))):
        # Before the query: a typo should not wait for the store.
        check_measure(MEASURES, measure)
    frame = series(backend, source, target, by=by, start=start, end=end, directed=directed,  # type: ignore[arg-type]
                   normalize=normalize)
    attrs = frame.attrs
    head = {"source": attrs["source"], "target": attrs["target"], "by": attrs["by"], "directed": attrs["directed"],
            "from": attrs["from"], "to": attrs["to"], "measure": measure}
    if at is not None:
        study = event_study(frame, at, measure=measure, window=window, empty=empty)
        return Changes(frame, {**head, "empty": empty, "event_study": study.to_dict()}, study=study)
    breaks = detect_changes(frame, measure=measure, method=method, penalty=penalty, min_size=min_size,
                            max_breaks=max_breaks, alpha=alpha, seed=seed, empty=empty, backend=backend, top=top)
    document = changes_document(frame, breaks, measure=measure, method=method, penalty=penalty, min_size=min_size,
                                alpha=alpha, empty=empty)
    return Changes(frame, {**head, **document}, breaks=breaks)


__all__ = ["DETECTORS", "Break", "Changes", "Detector", "Driver", "EventStudy", "changes", "changes_document",
           "detect_changes", "event_study"]
