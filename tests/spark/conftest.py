"""One local SparkSession for every Spark test (starting one costs seconds), skipped without Java."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest


def _java_missing() -> bool:
    import os

    home = os.environ.get("JAVA_HOME")
    return shutil.which("java") is None and not (home and shutil.which("java", path=os.path.join(home, "bin")))


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    if _java_missing():
        pytest.skip("the Spark tests need Java 17 or later (java on PATH or JAVA_HOME); none is installed")
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("policyshift-tests")
               .config("spark.sql.shuffle.partitions", "2")
               .config("spark.default.parallelism", "2")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.driver.memory", "1g")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
