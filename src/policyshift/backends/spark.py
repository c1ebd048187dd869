"""The Spark backend: the same measures over events in Parquet, run by Apache Spark through Ibis.

The events are the Parquet that ``policyshift export --parquet`` writes (``year=/month=`` folders
in the event-record schema), or any Parquet with those columns, on a local disk, HDFS or S3.
Spark runs the Ibis expressions of policyshift.measure and policyshift.detect; only the small
per-period or per-dyad results come back to the driver.

Roles are not in the Parquet: pass them (``roles=``, e.g. a store's ``store.roles()``); by default
the package's built-in roles apply, as in a fresh store.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import socket
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from policyshift.backends import Backend
from policyshift.errors import InputFileError, UsageError
from policyshift.roles import Role, builtin_roles
from policyshift.schema import EVENT_COLUMN_NAMES

# Columns the measures read; a Parquet folder without them is not an event export.
NEEDED = ("date", "date_precision", "source_actor", "target_actor", "quad_class", "goldstein")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
# The master URLs Spark accepts (spark-submit --master): local modes, standalone, YARN, Kubernetes.
_MASTER = re.compile(r"^(local(\[(\*|\d+)(,\d+)?\])?|local-cluster\[\d+,\d+,\d+\]|yarn|"
                     r"spark://[^/\s]+|k8s://\S+|mesos://\S+)$")
MASTER_FORMS = "local[*], local[4], spark://HOST:7077, yarn or k8s://https://HOST:PORT"
# The JVM's own output (log4j lines, warnings, stack traces) goes here, not to the command's stderr.
SPARK_LOG = Path(tempfile.gettempdir()) / "policyshift-spark.log"


def check_master(master: str) -> None:
    """Refuse a master URL Spark would not take, or a standalone master nobody answers at, at once.

    Spark itself retries an unreachable master for about a minute and then fails with a Java stack
    trace; a TCP connect to each host:port of a ``spark://`` URL says the same in a few seconds.
    """
    if not _MASTER.match(master):
        raise UsageError(f"not a Spark master URL: {master!r}", where="--spark-master",
                         fix=f"use one of {MASTER_FORMS}")
    if master.startswith("spark://"):
        for address in master[len("spark://"):].split(","):
            host, _, port = address.rpartition(":")
            if not host or not port.isdigit():
                raise UsageError(f"not a Spark master URL: {master!r} (no port in {address!r})",
                                 where="--spark-master", fix="use spark://HOST:PORT, e.g. spark://head:7077")
            try:
                socket.create_connection((host.strip("[]"), int(port)), timeout=3).close()
            except OSError as e:
                raise UsageError(f"cannot reach the Spark master at {host}:{port} ({e.strerror or e})",
                                 where="--spark-master",
                                 fix="start the master (sbin/start-master.sh) or check the host and port") from None


@contextlib.contextmanager
def _stderr_to(log: BinaryIO) -> Iterator[None]:
    """Point file descriptor 2 at ``log`` while the JVM starts: the JVM inherits it for good."""
    saved = os.dup(2)
    try:
        os.dup2(log.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def spark_session(*, master: str | None = None, app_name: str = "policyshift") -> Any:
    """A SparkSession for ``master`` (``local[*]`` when neither it nor spark-submit names one).

    Under spark-submit the master and the resources come from the command line; getOrCreate
    returns that session.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise UsageError("the Spark backend needs pyspark", where="--backend spark",
                         fix="pip install 'policyshift[spark]' (and Java 17 or later)") from None
    builder = SparkSession.builder.appName(app_name).config("spark.sql.session.timeZone", "UTC")
    # A command's stderr is for its messages; Spark's progress bars would bury them.
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    if master:
        check_master(master)
        builder = builder.master(master)
    try:
        with open(SPARK_LOG, "ab") as log, _stderr_to(log):
            return builder.getOrCreate()
    except Exception as e:  # noqa: BLE001 - Java/py4j failures have no common Python type
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise UsageError(f"cannot start Spark ({first})", where=master or "local[*]",
                         fix=f"check the --spark-master URL, that Java 17 or later is on PATH (JAVA_HOME), "
                             f"and Spark's log: {SPARK_LOG}") from None


def spark_backend(parquet_dir: str | Path, *, master: str | None = None, session: Any = None,
                  roles: Sequence[Role] | None = None) -> Backend:
    """The backend over the events in ``parquet_dir`` (a folder of Parquet files, partitioned or not).

    ``session``: an existing SparkSession (e.g. on a cluster); else one is started for ``master``
    (a URL such as ``spark://host:7077``, ``yarn`` or ``local[4]``). ``roles``: the actor roles to
    resolve by date (default: the built-in ones).
    """
    import ibis

    path = str(parquet_dir)
    if not _URL.match(path):
        local = Path(path)
        if not local.exists():
            raise InputFileError("no such folder", where=path,
                                 fix="write one with: policyshift export --parquet DIR")
        if local.is_dir() and not any(local.rglob("*.parquet")):
            raise InputFileError("the folder holds no Parquet files", where=path,
                                 fix="write one with: policyshift export --parquet DIR")
        path = str(local.resolve())
    if session is None:
        session = spark_session(master=master)
    try:
        frame = session.read.parquet(path)
    except Exception as e:  # noqa: BLE001 - AnalysisException and py4j errors
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise InputFileError(f"Spark cannot read the Parquet ({first})", where=path,
                             fix="point --parquet at the folder policyshift export --parquet wrote") from None
    missing = [c for c in NEEDED if c not in frame.columns]
    if missing:
        raise InputFileError(f"not an event export: no column {', '.join(missing)}", where=path,
                             fix="write the folder with: policyshift export --parquet DIR")
    # The event record only: the year=/month= partition columns are for pruning, not for the measures.
    frame = frame.select(*[c for c in EVENT_COLUMN_NAMES if c in frame.columns])
    # One view per folder: an Ibis table names its view, so two backends on one session stay apart.
    view = "policyshift_events_" + hashlib.sha1(path.encode()).hexdigest()[:12]
    frame.createOrReplaceTempView(view)
    con = ibis.pyspark.connect(session)
    return Backend("spark", con, con.table(view), list(builtin_roles() if roles is None else roles), path)


__all__ = ["SPARK_LOG", "check_master", "spark_backend", "spark_session"]
