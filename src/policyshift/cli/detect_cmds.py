"""Commands that detect: changes (change points and event studies)."""

from __future__ import annotations

import enum
from typing import Annotated, Any

import typer

from policyshift.cli import DbOption, FormatOption, command
from policyshift.cli.backend_opts import BackendOption, Engine, ParquetOption, SparkMasterOption, open_backend
from policyshift.cli.measure_cmds import (
    By,
    ByOption,
    FromOption,
    PlotOption,
    SourceArg,
    TargetArg,
    ToOption,
    UndirectedOption,
)
from policyshift.render import Format, emit, emit_table


class Empty(str, enum.Enum):
    zero = "zero"
    drop = "drop"


BREAK_COLUMNS = ["date", "before", "after", "size", "confidence", "drivers"]
DRIVER_COLUMNS = ["break", "event_id", "date", "source_actor", "target_actor", "cameo_code", "quad_class",
                  "goldstein", "contribution", "origin"]
STUDY_COLUMNS = ["quantity", "estimate", "ci_low", "ci_high", "p_value"]


@command
def changes(source: SourceArg, target: TargetArg, db: DbOption = None, by: ByOption = By.month,
            start: FromOption = None, end: ToOption = None, undirected: UndirectedOption = False,
            measure: Annotated[str, typer.Option("--measure", help="The series column to examine, e.g. "
                                                 "net_cooperation, goldstein_mean, conflict.")] = "net_cooperation",
            method: Annotated[str, typer.Option("--method", help="Detector: pelt (exact) or binseg (greedy "
                                                "binary segmentation).")] = "pelt",
            penalty: Annotated[str, typer.Option("--penalty", help="Penalty per break: bic (2·σ²·log n) or a "
                                                 "number.")] = "bic",
            min_size: Annotated[int, typer.Option("--min-size", help="Shortest segment, in periods.")] = 2,
            max_breaks: Annotated[int | None, typer.Option("--max-breaks", help="Keep at most this many "
                                                              "breaks (the most significant).")] = None,
            alpha: Annotated[float, typer.Option("--alpha", help="Keep breaks whose permutation p-value is at most "
                                                 "this (confidence >= 1 - alpha).")] = 0.01,
            empty: Annotated[Empty, typer.Option("--empty", help="Periods without events: zero (count as neutral) "
                                                 "or drop (leave out).")] = Empty.zero,
            top: Annotated[int, typer.Option("--top", help="Driving events shown per break.")] = 5,
            seed: Annotated[int, typer.Option("--seed", help="Seed of the permutation test.")] = 0,
            at: Annotated[str | None, typer.Option("--at", help="Instead of searching, study this date "
                                                      "(YYYY-MM-DD): before/after means and an interrupted "
                                                      "time series.")] = None,
            window: Annotated[int, typer.Option("--window", help="With --at: periods on each side.")] = 12,
            normalize: Annotated[bool, typer.Option("--normalize", help="Also offer the *_per_volume measures "
                                                    "(counts divided by the store's events per period).")] = False,
            plot: PlotOption = None, backend: BackendOption = Engine.duckdb, spark_master: SparkMasterOption = None,
            parquet: ParquetOption = None, fmt: FormatOption = Format.table) -> None:
    """Change points in a dyad series: dates, levels before and after, size, confidence and driving events."""
    from policyshift.detect import changes as compute

    with open_backend(db, backend, spark_master=spark_master, parquet=parquet) as engine:
        result = compute(engine, source, target, by=by.value, start=start, end=end,
                         directed=not undirected, normalize=normalize, measure=measure, method=method,
                         penalty=penalty, min_size=min_size, max_breaks=max_breaks, alpha=alpha, empty=empty.value,
                         seed=seed, top=top, at=at, window=window)
    if plot is not None:
        from policyshift.plot import plot_series

        plot_series(result.frame, plot, measure=measure, breaks=result.marks())
    doc = result.document
    if fmt is Format.json:
        emit(doc, fmt)
    elif "event_study" in doc:
        if fmt is Format.table:
            study = doc["event_study"]
            typer.echo(f"{_dyad(doc)} around {study['at']} (period {study['period']}): {study['n_before']} periods "
                       f"before, {study['n_after']} after; 95% intervals, HAC errors with {study['lags']} lags")
        emit(_study_rows(doc["event_study"]), fmt, columns=STUDY_COLUMNS)
    elif fmt is Format.csv:
        emit([{**b, "drivers": " ".join(d["event_id"] for d in b["drivers"])} for b in doc["breaks"]], fmt,
             columns=BREAK_COLUMNS)
    else:
        _print_breaks(doc)


def _print_breaks(doc: dict[str, Any]) -> None:
    rows = [{**b, "drivers": len(b["drivers"])} for b in doc["breaks"]]
    typer.echo(f"{_dyad(doc)}: {len(rows)} break(s) over {doc['periods']} periods ({doc['method']}, penalty "
               f"{doc['penalty']} = {doc['penalty_value']:.3g}, min size {doc['min_size']}, alpha {doc['alpha']})")
    emit_table(rows, BREAK_COLUMNS)
    drivers = [{"break": b["date"], **d} for b in doc["breaks"] for d in b["drivers"]]
    if drivers:
        emit_table(drivers, DRIVER_COLUMNS, title="driving events")


def _dyad(doc: dict[str, Any]) -> str:
    return f"{doc['source']} {'->' if doc['directed'] else '<->'} {doc['target']}, {doc['measure']} by {doc['by']}"


def _study_rows(study: dict[str, Any]) -> list[dict[str, Any]]:
    rows = [{"quantity": f"mean {side}", **study[side]} for side in ("before", "after")]
    rows.append({"quantity": "difference (after - before)", **study["difference"]})
    rows += [{"quantity": f"its {name.replace('_', ' ')}", **value} for name, value in study["its"].items()]
    return rows
