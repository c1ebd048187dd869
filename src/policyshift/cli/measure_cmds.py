"""Commands that measure: series (and, from their own modules, triad, say-do, reciprocity)."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from policyshift.cli import DbOption, FormatOption, command
from policyshift.cli.backend_opts import BackendOption, Engine, ParquetOption, SparkMasterOption, open_backend
from policyshift.render import Format, emit


class By(str, enum.Enum):
    day = "day"
    week = "week"
    month = "month"
    quarter = "quarter"
    year = "year"


SourceArg = Annotated[str, typer.Argument(help="Source actor selector: PAK, PAKGOV, TAL, UNO (roles resolved by date).",
                                          show_default=False)]
TargetArg = Annotated[str, typer.Argument(help="Target actor selector.", show_default=False)]
ByOption = Annotated[By, typer.Option("--by", help="Period length.")]
FromOption = Annotated[str | None, typer.Option("--from", help="First date, YYYY-MM-DD (default: first event).")]
ToOption = Annotated[str | None, typer.Option("--to", help="Last date, YYYY-MM-DD (default: last event).")]
UndirectedOption = Annotated[bool, typer.Option("--undirected", help="Pool both directions (A to B and B to A).")]
PlotOption = Annotated[Path | None, typer.Option("--plot", help="Also write a chart to this .png or .svg file.")]


@command
def series(source: SourceArg, target: TargetArg, db: DbOption = None, by: ByOption = By.month,
           start: FromOption = None, end: ToOption = None, undirected: UndirectedOption = False,
           normalize: Annotated[bool, typer.Option("--normalize", help="Also divide counts by the store's total "
                                                   "events per period.")] = False,
           plot: PlotOption = None, backend: BackendOption = Engine.duckdb, spark_master: SparkMasterOption = None,
           parquet: ParquetOption = None, fmt: FormatOption = Format.table) -> None:
    """The dyad series, every period present and zero-filled: counts, Goldstein, quad classes, net cooperation."""
    from policyshift.measure.series import series as compute
    from policyshift.measure.series import to_document

    with open_backend(db, backend, spark_master=spark_master, parquet=parquet) as engine:
        frame = compute(engine, source, target, by=by.value, start=start, end=end,
                        directed=not undirected, normalize=normalize)
    doc = to_document(frame)
    if plot is not None:
        from policyshift.plot import plot_series

        plot_series(frame, plot)
    if fmt is Format.json:
        emit(doc, fmt)
        return
    columns = ["period", "events", "goldstein_mean", "verbal_coop", "material_coop", "verbal_conflict",
               "material_conflict", "net_cooperation"] + (["volume", "events_per_volume"] if normalize else [])
    emit(doc["periods"], fmt, columns=columns if fmt is Format.table else None)
