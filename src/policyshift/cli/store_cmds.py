"""Commands over the store: ingest, stats, events, quarantine, files, export, doctor, demo."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated, Any

import typer

from policyshift.cli import DbOption, FormatOption, MemoryLimitOption, command, open_store
from policyshift.errors import PolicyshiftError
from policyshift.render import Format, console_err, emit


class Dataset(str, enum.Enum):
    auto = "auto"
    gdelt1 = "gdelt1"
    gdelt2 = "gdelt2"
    icews = "icews"
    phoenix = "phoenix"
    acled = "acled"
    ucdp = "ucdp"
    csv = "csv"
    parquet = "parquet"


class DedupeRule(str, enum.Enum):
    none = "none"
    one_a_day = "one-a-day"


@command
def ingest(paths: Annotated[list[Path], typer.Argument(help="Files to load: plain, .gz or .zip.", show_default=False,
                                                      metavar="FILE...")],
           db: DbOption = None,
           dataset: Annotated[Dataset, typer.Option(help="The files' data set; auto detects it from the content.")] = Dataset.auto,
           strict: Annotated[bool, typer.Option(help="Stop at the first bad row, exit 1 and store nothing of that file.")] = False,
           dedupe: Annotated[DedupeRule, typer.Option(help="one-a-day keeps one event per day, source, target and event code.")] = DedupeRule.none,
           memory_limit: MemoryLimitOption = None,
           fmt: FormatOption = Format.table) -> None:
    """Load event files into the store, one transaction per file; prints read / stored / quarantined / duplicates."""
    from policyshift.ingest import ingest_file
    from policyshift.progress import file_progress
    from policyshift.store import Store

    results: list[dict[str, Any]] = []
    failed = 0
    with Store(db, memory_limit=memory_limit) as store:
        for path in paths:
            try:
                with file_progress(path, enabled=fmt is Format.table) as (progress, on_start):
                    result = ingest_file(store, path, dataset=dataset.value, strict=strict, dedupe=dedupe.value,
                                         progress=progress, on_start=on_start)
            except PolicyshiftError as e:
                failed += 1
                console_err(f"error: {e}")
                results.append({"path": str(path), "status": "failed", "error": str(e)})
                if strict:
                    break
                continue
            row = result.as_dict()
            results.append(row)
            if result.status == "already ingested":
                console_err(f"{path}: already ingested (batch {result.batch_id}, same content); nothing added")
            elif result.stored == 0:
                failed += 1
                console_err(f"error: {path}: no row could be read ({result.quarantined:,} quarantined, "
                            f"{result.duplicates:,} duplicates); policyshift quarantine shows why")
    emit(results, fmt, columns=["path", "dataset", "status", "read", "stored", "quarantined", "duplicates", "batch_id"])
    if failed:
        raise typer.Exit(1)


@command
def stats(db: DbOption = None, fmt: FormatOption = Format.table,
          top: Annotated[int, typer.Option(help="How many top actors and dyads.", min=1, max=1000)] = 10) -> None:
    """Counts by data set, date range, top actors and dyads, and how many rows were quarantined."""
    from policyshift.query import stats as compute

    with open_store(db) as store:
        result = compute(store, top=top)
    if fmt is not Format.table:
        emit(result if fmt is Format.json else result["datasets"], fmt)
        return
    from policyshift.render import print_stats

    print_stats(result)


@command
def events(db: DbOption = None, fmt: FormatOption = Format.table,
           actor: Annotated[str | None, typer.Option(help="Either side's actor code starts with this (PAK, PAKGOV).")] = None,
           source: Annotated[str | None, typer.Option(help="Source actor code prefix.")] = None,
           target: Annotated[str | None, typer.Option(help="Target actor code prefix.")] = None,
           start: Annotated[str | None, typer.Option("--from", help="First date, YYYY-MM-DD.")] = None,
           end: Annotated[str | None, typer.Option("--to", help="Last date, YYYY-MM-DD.")] = None,
           dataset: Annotated[str | None, typer.Option(help="Only this data set (gdelt2, icews, ...).")] = None,
           cameo: Annotated[str | None, typer.Option(help="CAMEO code prefix (19, 0874).")] = None,
           batch: Annotated[int | None, typer.Option(help="Only the rows of this ingest batch.")] = None,
           limit: Annotated[int, typer.Option(help="At most this many rows.")] = 100,
           offset: Annotated[int, typer.Option(help="Skip this many rows first.")] = 0) -> None:
    """The events themselves, with provenance (file, line, record id, url)."""
    from policyshift.query import events_arrow

    with open_store(db) as store:
        table = events_arrow(store, actor=actor, source=source, target=target, start=start, end=end,
                             dataset=dataset, cameo=cameo, batch=batch, limit=limit, offset=offset)
    rows = table.to_pylist()
    emit(rows, fmt, columns=["event_id", "date", "date_precision", "source_actor", "target_actor", "cameo_code",
                             "quad_class", "goldstein", "origin_file", "origin_line"] if fmt is Format.table else None)


@command
def quarantine(db: DbOption = None, fmt: FormatOption = Format.table,
               file: Annotated[str | None, typer.Option(help="Only files whose name contains this.")] = None,
               limit: Annotated[int, typer.Option(help="At most this many rows.", min=1)] = 100) -> None:
    """Rows that could not be read: file, line, field, value and reason."""
    from policyshift.query import quarantine as compute

    with open_store(db) as store:
        frame = compute(store, file=file, limit=limit)
    emit(frame.to_dict(orient="records"), fmt,
         columns=["file", "line", "field", "value", "reason"] if fmt is Format.table else None)


@command
def files(db: DbOption = None, fmt: FormatOption = Format.table) -> None:
    """Every ingested file: batch, data set, content hash and counts."""
    from policyshift.query import files as compute

    with open_store(db) as store:
        frame = compute(store)
    emit(frame.to_dict(orient="records"), fmt,
         columns=["batch_id", "file", "dataset", "read", "stored", "quarantined", "duplicates"]
         if fmt is Format.table else None)


@command
def export(out: Annotated[Path, typer.Argument(help="Output folder (partitioned) or file (--single-file).")],
           db: DbOption = None,
           parquet: Annotated[bool, typer.Option("--parquet", help="Write Parquet (the only format so far).")] = True,
           single_file: Annotated[bool, typer.Option(help="One Parquet file instead of year=/month= folders.")] = False,
           overwrite: Annotated[bool, typer.Option(help="Replace what is at OUT.")] = False,
           memory_limit: MemoryLimitOption = None,
           fmt: FormatOption = Format.table) -> None:
    """Write the events to Parquet, partitioned by year and month, in the event-record schema."""
    from policyshift.export import export_parquet

    # Sorting a large store by date for the partitions is the costly part: --memory-limit bounds it.
    with open_store(db, memory_limit=memory_limit) as store:
        result = export_parquet(store, out, partition=not single_file, overwrite=overwrite)
    emit([result], fmt)


@command
def doctor(db: DbOption = None, fmt: FormatOption = Format.table) -> None:
    """Check the installation and the store, and say what to do next."""
    from policyshift.doctor import run_checks
    from policyshift.store import default_db_path

    checks = run_checks(db or default_db_path())
    emit([c.as_dict() for c in checks], fmt, columns=["check", "ok", "detail", "fix"])
    if not all(c.ok for c in checks):
        raise typer.Exit(1)


@command
def demo(out: Annotated[Path, typer.Option(help="Folder for the demo's store (policyshift.duckdb), report.html and "
                                          "findings.json; made anew.")] = Path("policyshift-demo"),
         fmt: FormatOption = Format.table) -> None:
    """Build the built-in case (Pakistan after 2001) in a fresh store, test its conclusions, write the report."""
    from policyshift.cli.report_cmds import SUMMARY_COLUMNS, finding_rows, print_findings
    from policyshift.demo import run_demo

    result = run_demo(out=out)
    if fmt is Format.json:
        emit(result.to_document(), fmt)
        return
    if fmt is Format.csv:
        emit(finding_rows(result.findings), fmt, columns=SUMMARY_COLUMNS)
        return
    events = sum(int(r["stored"]) for r in result.loaded)
    typer.echo(f"{result.case}: {events} events from the case, in {result.seconds:.1f} s")
    print_findings(result.findings)
    typer.echo(f"report:   {result.report}")
    typer.echo(f"findings: {result.findings_file}")
    typer.echo(f"store:    {result.store} (every command opens it with --db {result.store})")


