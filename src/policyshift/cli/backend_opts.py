"""The options that choose where a measure runs: ``--backend duckdb|spark``, ``--spark-master``, ``--parquet``.

Shared by the measure commands (series, triad, changes, shift), so each gets the same three
options and the same checks; :func:`open_backend` builds the Backend they compute on.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from policyshift.backends import Backend
from policyshift.errors import UsageError


class Engine(str, enum.Enum):
    duckdb = "duckdb"
    spark = "spark"


BackendOption = Annotated[Engine, typer.Option(
    "--backend", help="Where the measure runs: duckdb (the store, default) or spark (the Parquet of --parquet).")]
SparkMasterOption = Annotated[str | None, typer.Option(
    "--spark-master", help="With --backend spark: the Spark master URL (spark://host:7077, yarn, local[4]). "
                           "Default: spark-submit's, else local[*].", show_default=False)]
ParquetOption = Annotated[str | None, typer.Option(
    "--parquet", help="With --backend spark: the events as Parquet, a folder written by policyshift export "
                      "--parquet (a local path, hdfs:// or s3a://).", show_default=False)]


@contextmanager
def open_backend(db: Path | None, engine: Engine, *, spark_master: str | None = None,
                 parquet: str | None = None) -> Iterator[Backend]:
    """The Backend the options name. With Spark, the roles come from ``--db`` when that store exists
    (it may hold the user's own), else the built-in ones apply."""
    from policyshift.cli import open_store

    if engine is Engine.duckdb:
        if parquet is not None or spark_master is not None:
            option = "--parquet" if parquet is not None else "--spark-master"
            raise UsageError(f"{option} needs --backend spark", where=option,
                             fix="add --backend spark, or drop the option to use the store")
        from policyshift.backends import duckdb_backend

        with open_store(db) as store:
            yield duckdb_backend(store)
        return
    if parquet is None:
        raise UsageError("--backend spark reads the events from Parquet", where="--parquet",
                         fix="write them with policyshift export --parquet DIR, then pass --parquet DIR")
    from policyshift.backends.spark import spark_backend
    from policyshift.store import default_db_path

    roles = None
    path = db or default_db_path()
    if Path(path).exists():
        with open_store(path) as store:
            roles = store.roles()
    yield spark_backend(parquet, master=spark_master, roles=roles)


__all__ = ["BackendOption", "Engine", "ParquetOption", "SparkMasterOption", "open_backend"]
