"""Commands for the indices: triad, saydo, reciprocity (the logic is in policyshift.measure)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from policyshift.cli import DbOption, FormatOption, command, open_store
from policyshift.cli.backend_opts import BackendOption, Engine, ParquetOption, SparkMasterOption, open_backend
from policyshift.cli.measure_cmds import By, ByOption, FromOption, PlotOption, ToOption
from policyshift.render import Format, console_err, emit, emit_table

AArg = Annotated[str, typer.Argument(help="Actor A: PAK, PAKGOV, TAL, UNO (roles resolved by date).",
                                     show_default=False)]
BArg = Annotated[str, typer.Argument(help="Actor B.", show_default=False)]


def _summary(rows: list[dict[str, Any]], columns: list[str], title: str, fmt: Format) -> None:
    # Only the table format has room for a second table; CSV stays one table, JSON holds everything.
    if fmt is Format.table:
        emit_table(rows, columns, title=title)


@command
def triad(broker: Annotated[str, typer.Argument(help="The actor that may stand between A and B.",
                                                show_default=False)],
          a: AArg, b: BArg, db: DbOption = None, by: ByOption = By.month, start: FromOption = None,
          end: ToOption = None,
          at: Annotated[str | None, typer.Option("--at", help="Compare the indices before and after this date, "
                                                    "YYYY-MM-DD.")] = None,
          plot: PlotOption = None, backend: BackendOption = Engine.duckdb, spark_master: SparkMasterOption = None,
          parquet: ParquetOption = None, fmt: FormatOption = Format.table) -> None:
    """The broker's share of the interactions among the three and its brokerage between A and B, per period."""
    from policyshift.measure.triad import plot_triad
    from policyshift.measure.triad import triad as compute

    with open_backend(db, backend, spark_master=spark_master, parquet=parquet) as engine:
        result = compute(engine, broker, a, b, by=by.value, start=start, end=end, at=at)
    if plot is not None:
        plot_triad(result, plot)
    doc = result.to_document()
    if fmt is Format.json:
        emit(doc, fmt)
        return
    columns = ["period", "a_b", "a_broker", "b_broker", "broker_share", "constraint", "effective_size", "gf_brokerage"]
    emit(doc["periods"], fmt, columns=columns if fmt is Format.table else None)
    if result.change:
        rows = [{"index": k, **v} for k, v in result.change.items()]
        _summary(rows, ["index", "before", "after", "difference"], f"before and after {doc['at']}", fmt)


@command
def saydo(a: AArg, b: BArg, db: DbOption = None, by: ByOption = By.month, start: FromOption = None,
          end: ToOption = None, plot: PlotOption = None, fmt: FormatOption = Format.table) -> None:
    """The say-do gap of A toward B: verbal minus material cooperation (and conflict) shares, tested against 0."""
    from policyshift.backends import duckdb_backend
    from policyshift.measure.saydo import plot_saydo
    from policyshift.measure.saydo import saydo as compute

    with open_store(db) as store:
        result = compute(duckdb_backend(store), a, b, by=by.value, start=start, end=end)
    if plot is not None:
        plot_saydo(result, plot)
    doc = result.to_document()
    if fmt is Format.json:
        emit(doc, fmt)
        return
    columns = ["period", "events", "verbal_coop_share", "material_coop_share", "coop_gap", "verbal_conflict_share",
               "material_conflict_share", "conflict_gap", "tone_gap"]
    emit(doc["periods"], fmt, columns=columns if fmt is Format.table else None)
    rows = [{"gap": g, **v} for g, v in result.overall.items()]
    _summary(rows, ["gap", "pooled", "mean", "n_periods", "se", "t", "p"], "overall (p: mean gap = 0, HAC t test)", fmt)


@command
def reciprocity(a: AArg, b: BArg, db: DbOption = None, by: ByOption = By.month, start: FromOption = None,
                end: ToOption = None,
                measure: Annotated[str, typer.Option(
                    "--measure", help="The series measure to compare: goldstein_mean, net_cooperation, events, "
                    "... (empty periods count as 0).")] = "goldstein_mean",
                max_lag: Annotated[int, typer.Option("--max-lag", help="Cross-correlations for lags -K..K; also the "
                                                     "largest order AIC may choose.")] = 3,
                order: Annotated[int | None, typer.Option("--order", help="Granger lag order (default: chosen "
                                                             "by AIC).")] = None,
                plot: PlotOption = None, fmt: FormatOption = Format.table) -> None:
    """How B's behaviour toward A follows A's toward B: lagged correlations and Granger tests both ways."""
    from policyshift.backends import duckdb_backend
    from policyshift.measure.reciprocity import plot_reciprocity
    from policyshift.measure.reciprocity import reciprocity as compute

    with open_store(db) as store:
        result = compute(duckdb_backend(store), a, b, by=by.value, start=start, end=end, measure=measure,
                         max_lag=max_lag, order=order)
    if plot is not None:
        plot_reciprocity(result, plot)
    if fmt is Format.json:
        emit(result.to_document(), fmt)
        return
    at = result.attrs
    console_err(f"{at['measure']} of {at['a']}->{at['b']} (a_b) and {at['b']}->{at['a']} (b_a), {at['n_periods']} "
                f"periods, empty ones as 0 ({at['empty_periods']['a_to_b']} and {at['empty_periods']['b_to_a']}); "
                f"r at lag k pairs a_b at t with b_a at t+k; Granger order {at['order']} ({at['order_rule']})")
    emit(result.by_lag(), fmt)
