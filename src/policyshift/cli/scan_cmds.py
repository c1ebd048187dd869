"""The shift scan command: which dyads changed most around a date."""

from __future__ import annotations

import enum
import math
from typing import Annotated, Any

import typer

from policyshift.cli import DbOption, FormatOption, command
from policyshift.cli.backend_opts import BackendOption, Engine, ParquetOption, SparkMasterOption, open_backend
from policyshift.cli.measure_cmds import By, ByOption, PlotOption, UndirectedOption
from policyshift.render import Format, console_err, emit


class Level(str, enum.Enum):
    actor = "actor"
    country = "country"


class RankBy(str, enum.Enum):
    significance = "significance"
    effect = "effect"


TABLE_COLUMNS = ["rank", "source", "target", "events_before", "events_after", "before", "after", "difference",
                 "ratio", "d", "p", "q"]


def _short(value: Any) -> Any:
    # Four significant digits: q-values of 1e-12 and normalised rates of 3e-05 must not print as 0.
    if isinstance(value, float) and math.isfinite(value) and not value.is_integer():
        return f"{value:.4g}"
    return value


@command
def shift(at: Annotated[str, typer.Option("--at", help="The date to scan around, YYYY-MM-DD. Its period counts as "
                                                        "'after'.", show_default=False)],
          focal: Annotated[str | None, typer.Option(
              "--focal", help="Only the dyads of this actor, either direction (PAK, PAKGOV, TAL; with --level "
                              "country a country code).")] = None,
          window: Annotated[int, typer.Option("--window", help="Periods before the date, and from it on.")] = 12,
          top: Annotated[int, typer.Option("--top", help="How many dyads to show.")] = 20,
          by: ByOption = By.month,
          measure: Annotated[str, typer.Option(
              "--measure", help="events, goldstein_sum, goldstein_mean, cooperation, conflict, net_cooperation, a "
                                "quad class (verbal_coop, material_coop, verbal_conflict, material_conflict) or its "
                                "share (verbal_coop_share, ...).")] = "events",
          level: Annotated[Level, typer.Option("--level", help="Dyads of actor codes as stored, or of countries.")]
          = Level.actor,
          undirected: UndirectedOption = False,
          normalize: Annotated[bool, typer.Option(
              "--normalize", help="Test counts and Goldstein sums relative to the store's total events per period "
                                  "(GDELT's volume grows over the years).")] = False,
          min_events: Annotated[int, typer.Option(
              "--min-events", help="Dyads with fewer events in the two windows are not tested (counted apart).")]
          = 10,
          alpha: Annotated[float, typer.Option("--alpha", help="False discovery rate for 'significant'.")] = 0.05,
          rank: Annotated[RankBy, typer.Option("--rank", help="Order by significance (q, p) or by effect size "
                                                              "(|d|).")] = RankBy.significance,
          plot: PlotOption = None, db: DbOption = None, backend: BackendOption = Engine.duckdb,
          spark_master: SparkMasterOption = None, parquet: ParquetOption = None,
          fmt: FormatOption = Format.table) -> None:
    """Which dyads changed most around a date: every dyad (or the focal actor's) ranked, with FDR q-values."""
    from policyshift.detect.scan import COLUMNS, COUNT_MEASURES, plot_scan, scan, to_document

    with open_backend(db, backend, spark_master=spark_master, parquet=parquet) as engine:
        result = scan(engine, at=at, focal=focal, window=window, top=top, by=by.value,
                      measure=measure, level=level.value, directed=not undirected, normalize=normalize,
                      min_events=min_events, alpha=alpha, rank_by=rank.value)
    q = result.query
    untested = ", ".join(f"{n:,} {reason.replace('_', ' ')}" for reason, n in result.untested.items() if n)
    console_err(f"{q['measure']} by {q['by']}, {q['window']} before ({q['before']['from']} to {q['before']['to']}) "
                f"vs {q['window']} after ({q['after']['from']} to {q['after']['to']}): {result.seen:,} dyads, "
                f"{result.tested:,} tested" + (f" (not tested: {untested})" if untested else "")
                + f", {result.significant:,} with q < {alpha:g}")
    if result.tested == 0:
        console_err(f"no dyad has {min_events} events in the two windows; try a lower --min-events, a larger "
                    "--window or a coarser --by")
    if plot is not None:
        plot_scan(result, plot)
    if fmt is Format.json:
        emit(to_document(result), fmt)
        return
    rows = result.shifts.to_dict("records")
    if fmt is Format.csv:
        emit(rows, fmt, columns=COLUMNS)
        return
    columns = [c for c in TABLE_COLUMNS if c != "ratio" or q["measure"] in COUNT_MEASURES]
    emit([{k: _short(v) for k, v in row.items()} for row in rows], fmt, columns=columns)
