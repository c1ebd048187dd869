"""The machinery over one store for one case spec, each result computed once.

The report's sections and its findings ask for the same series, breaks, triad, ledger and
compliance; computing each once keeps them consistent (the break a finding cites is the break the
chart marks) and keeps the demo fast. Everything here calls the general API (measure, detect,
demands, ledger); nothing is specific to a case.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import ibis
import pandas as pd

from policyshift.backends import Backend
from policyshift.cameo import codebook
from policyshift.demands import Compliance, citation_text, compliance, date_label
from policyshift.detect import Break, detect_changes
from policyshift.errors import UsageError
from policyshift.ledger import Ledger, ledger
from policyshift.measure.series import GRANULARITIES, QUADS, data_range, dyad_events, precise_enough, series
from policyshift.measure.triad import Triad, triad
from policyshift.report.spec import BrokerSpec, CaseSpec, DyadSpec
from policyshift.roles import Role
from policyshift.selectors import matches

DETAIL_COLUMNS = ["event_id", "date", "date_precision", "source_actor", "source_name", "target_actor", "target_name",
                  "cameo_code", "quad_class", "goldstein", "origin_sentence", "origin_document", "origin_url",
                  "origin_file", "origin_line", "dataset"]
LEDGER_LISTED = 500
QUAD_LABELS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}


def period_start(day: date, by: str) -> date:
    """The first day of the period (of ``by``) that contains ``day``.

    Windows that start at a date of interest start here: a month-precision event cannot be placed
    before or after a day inside its month, so the whole period counts as "after" (as in the triad).
    """
    freq = GRANULARITIES[by][1]
    return pd.Period(pd.Timestamp(day), freq=freq).start_time.date()


def period_label(day: date, by: str) -> str:
    """The period that contains ``day``, as a reader names it: 2001-09 for a month, 2001 for a year, the
    first day for a day or a week."""
    start = period_start(day, by)
    return {"month": f"{start:%Y-%m}", "quarter": f"{start:%Y-%m}", "year": f"{start:%Y}"}.get(by, start.isoformat())


@dataclass(frozen=True)
class EventInfo:
    """One event as the report cites it."""

    event_id: str
    date: date
    date_precision: str
    source: str
    target: str
    cameo_code: str
    cameo_name: str
    quad_class: int | None
    goldstein: float | None
    description: str
    citation: str

    @property
    def label(self) -> str:
        return date_label(self.date, self.date_precision)

    @property
    def quad_label(self) -> str:
        return QUAD_LABELS.get(self.quad_class or 0, "")

    def to_document(self) -> dict[str, Any]:
        return {"event_id": self.event_id, "date": self.label, "source": self.source, "target": self.target,
                "cameo_code": self.cameo_code, "cameo_name": self.cameo_name, "quad_class": self.quad_class,
                "goldstein": self.goldstein, "description": self.description, "citation": self.citation}


@dataclass(frozen=True)
class Counts:
    """Quad-class counts of a dyad over a window, with the events behind each."""

    verbal_coop: tuple[str, ...]
    material_coop: tuple[str, ...]
    verbal_conflict: tuple[str, ...]
    material_conflict: tuple[str, ...]
    ordered: tuple[str, ...] = ()  # every event id, in date order

    @property
    def events(self) -> int:
        return sum(len(getattr(self, q)) for q in QUADS.values())

    def n(self, quad: str) -> int:
        return len(getattr(self, quad))

    @property
    def net_cooperation(self) -> float | None:
        n = self.events
        coop = self.n("verbal_coop") + self.n("material_coop")
        return (2 * coop - n) / n if n else None

    @property
    def conflict_share(self) -> float | None:
        n = self.events
        return (self.n("verbal_conflict") + self.n("material_conflict")) / n if n else None

    def frame(self) -> pd.DataFrame:
        """One row of counts, the input of policyshift.measure.saydo.gaps."""
        return pd.DataFrame([{"events": self.events, **{q: self.n(q) for q in QUADS.values()}}])

    def ids(self) -> list[str]:
        return list(self.ordered)


class Workbench:
    """Memoised calls of the general API for one spec over one backend."""

    def __init__(self, backend: Backend, spec: CaseSpec) -> None:
        self.backend = backend
        self.spec = spec
        first, last = data_range(backend)
        if first is None or last is None:
            raise UsageError("the store holds no events", where=backend.description or backend.name,
                             fix="ingest files first, or name events: files in the spec")
        self.data_first, self.data_last = first, last
        self.start = spec.start or first
        self.end = spec.end or last
        self._cache: dict[tuple[Any, ...], Any] = {}
        self._details: dict[str, EventInfo] = {}

    def _memo(self, key: tuple[Any, ...], compute: Any) -> Any:
        # Errors are cached too: a dyad without events fails once, the same way, for every caller.
        if key not in self._cache:
            try:
                self._cache[key] = ("ok", compute())
            except UsageError as e:
                self._cache[key] = ("error", e)
        kind, value = self._cache[key]
        if kind == "error":
            raise value
        return value

    # --- the API, once ------------------------------------------------------------------------

    def series(self, dyad: DyadSpec, *, by: str | None = None) -> pd.DataFrame:
        by = by or self.spec.by
        return self._memo(("series", dyad, by), lambda: series(
            self.backend, dyad.source, dyad.target, by=by, start=self.start, end=self.end,  # type: ignore[arg-type]
            directed=not dyad.undirected))

    def breaks(self, dyad: DyadSpec, *, by: str | None = None, measure: str = "net_cooperation") -> list[Break]:
        d, by = self.spec.detector, by or self.spec.by
        return self._memo(("breaks", dyad, by, measure), lambda: detect_changes(
            self.series(dyad, by=by), measure=measure, method=d.method, penalty=d.penalty, min_size=d.min_size,
            alpha=d.alpha, empty=d.empty, backend=self.backend, top=d.top))

    def triad(self, broker: BrokerSpec, *, at: date | None = None) -> Triad:
        at = at or self.spec.at
        return self._memo(("triad", broker, at), lambda: triad(
            self.backend, broker.actor, broker.a, broker.b, by=self.spec.by, start=self.start, end=self.end, at=at))

    def ledger(self, actor: str | None = None, *, at: date | None = None, window: int | None = None) -> Ledger:
        actor, at, window = actor or self.spec.focal, at or self.spec.at, window or self.spec.ledger_window
        rules = str(self.spec.ledger_rules) if self.spec.ledger_rules else None
        # The counts cover every event; the events themselves are listed up to LEDGER_LISTED per rule and side.
        return self._memo(("ledger", actor, at, window), lambda: ledger(
            self.backend, actor, at=at, window=window, rules=rules, max_events=LEDGER_LISTED))

    def compliance(self) -> Compliance | None:
        if self.spec.demands is None:
            return None
        return self._memo(("compliance",), lambda: compliance(self.backend, self.spec.demands))

    # --- windows and events -------------------------------------------------------------------

    def counts(self, dyad: DyadSpec, start: date, end: date, *, by: str | None = None) -> Counts:
        """Quad-class counts of the dyad's events dated in [start, end]: every date precision, or (with
        ``by``) only events dated at least as precisely as that period, as in the series."""
        def compute() -> Counts:
            t = dyad_events(self.backend, dyad.source, dyad.target, directed=not dyad.undirected, start=start,
                            end=end)
            if by is not None:
                t = t.filter(precise_enough(t, by))
            rows = self.backend.execute(t.order_by(["date", "event_id"]).select("event_id", "quad_class"))
            by_quad = {name: tuple(rows.loc[rows["quad_class"] == q, "event_id"].astype(str))
                       for q, name in QUADS.items()}
            return Counts(**by_quad, ordered=tuple(rows["event_id"].astype(str)))
        return self._memo(("counts", dyad, start, end, by), compute)

    def events_of(self, actors: tuple[str, ...], start: date, end: date) -> pd.DataFrame:
        """Events in [start, end] with one of ``actors`` on either side (roles resolved by date), and a
        ``role`` column: "did" where the focal actor is the source, "received" where it is the target,
        else "other"."""
        def compute() -> pd.DataFrame:
            t = self.backend.events
            roles = self.backend.roles
            focal = self.spec.focal
            hit = ibis.or_(*(matches(t.source_actor, t.date, a, roles) | matches(t.target_actor, t.date, a, roles)
                             for a in dict.fromkeys((focal, *actors))))
            t = t.mutate(_did=matches(t.source_actor, t.date, focal, roles),
                         _got=matches(t.target_actor, t.date, focal, roles), _hit=hit)
            t = t.filter(t._hit & (t.date >= ibis.literal(start)) & (t.date <= ibis.literal(end)))
            t = t.mutate(role=ibis.cases((t._did, "did"), (t._got, "received"), else_="other"))
            return self.backend.execute(t.select(*DETAIL_COLUMNS, "role").order_by(["date", "event_id"]))
        return self._memo(("events_of", actors, start, end), compute)

    def details(self, ids: list[str]) -> dict[str, EventInfo]:
        """The report's view of these events (citation, description, codes), by id."""
        wanted = sorted(set(ids) - set(self._details))
        if wanted:
            t = self.backend.events
            rows = self.backend.execute(t.filter(t.event_id.isin(wanted)).select(*DETAIL_COLUMNS))
            for row in rows.to_dict("records"):
                info = event_info(row, self.backend.roles)
                self._details[info.event_id] = info
        return {i: self._details[i] for i in ids if i in self._details}


@functools.cache
def _cameo_names() -> dict[str, str]:
    return {code: c.name for code, c in codebook().items()}


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _as_role(code: str | None, day: date, roles: Sequence[Role]) -> str:
    """The code, and the role it holds that day where that names someone else: TAL (as AFGGOV)."""
    if not code:
        return "?"
    held = sorted({r.role for r in roles if code.startswith(r.code) and r.active(day) and not r.role.startswith(code)})
    return f"{code} (as {', '.join(held)})" if held else code


def event_info(row: dict[str, Any], roles: Sequence[Role] = ()) -> EventInfo:
    """An EventInfo from a row with DETAIL_COLUMNS; ``roles`` label actors with the role they held."""
    line = row.get("origin_line")
    citation = citation_text({"document": _text(row.get("origin_document")), "url": _text(row.get("origin_url")),
                              "file": _text(row.get("origin_file")),
                              "line": None if line is None or pd.isna(line) else int(line)}, short=True)
    quad, goldstein = row.get("quad_class"), row.get("goldstein")
    code = str(row.get("cameo_code") or "")
    day = pd.Timestamp(row["date"]).date()
    return EventInfo(event_id=str(row["event_id"]), date=day,
                     date_precision=str(row.get("date_precision") or "day"),
                     source=_as_role(_text(row.get("source_actor")), day, roles),
                     target=_as_role(_text(row.get("target_actor")), day, roles),
                     cameo_code=code, cameo_name=_cameo_names().get(code, ""),
                     quad_class=None if quad is None or pd.isna(quad) else int(quad),
                     goldstein=None if goldstein is None or pd.isna(goldstein) else float(goldstein),
                     description=_text(row.get("origin_sentence")) or "", citation=citation or "")


__all__ = ["Counts", "EventInfo", "Workbench", "event_info", "period_label", "period_start"]
