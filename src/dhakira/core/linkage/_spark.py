"""Linkage on Spark: the same settings, model and SQL as the in-process DuckDB run.

For a dossier one machine's memory cannot link, Splink's Spark backend runs the same job on
a cluster. :func:`link_on_spark` is :func:`dhakira.core.linkage.link` with a Spark database:
features, settings, reviewers' decisions and the result are the same; only the database
differs. Jaro-Winkler and Damerau-Levenshtein, which Spark SQL lacks, come from the
similarity jar Splink ships (registered on the session here); the linkage SQL uses no other
function Spark lacks, and no Python UDF.

pyspark is not a dependency of Dhakira: install it from ``requirements-spark.lock`` (see
docs/linkage.md, "Beyond one machine").
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from dhakira.core.linkage.model import LinkageResult, Pair, link
from dhakira.core.linkage.settings import LinkageSettings

__all__ = ["link_on_spark", "local_spark", "spark_api", "spark_schema"]


def _config(scratch: Path, cores: int, memory: str) -> dict[str, str]:
    """A local session's settings: nothing served, nothing on disk in plaintext."""
    from splink.backends.spark import similarity_jar_location

    return {
        "spark.jars": similarity_jar_location(),
        # Shuffle and spill files are names and dates: encrypted with a key that lives
        # only in this process, and in a private directory removed afterwards.
        "spark.io.encryption.enabled": "true",
        "spark.local.dir": str(scratch),
        "spark.sql.warehouse.dir": str(scratch / "warehouse"),
        # No web UI (it shows the SQL, and so the data, on a port) and loopback only.
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.driver.memory": memory,
        # Small local jobs: a few partitions, not Spark's 200.
        "spark.sql.shuffle.partitions": str(max(2, 2 * cores)),
        "spark.default.parallelism": str(max(2, 2 * cores)),
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.ansi.enabled": "false",  # Splink's SQL expects Spark 3's casts
    }


@contextmanager
def local_spark(cores: int = 2, memory: str = "2g",
                conf: Mapping[str, str] | None = None) -> Iterator[Any]:
    """A Spark session in this machine's JVM (``local[cores]``), stopped on exit.

    Its scratch directory is private (mode 0700) and removed when the block ends.

    Args:
        cores: worker threads.
        memory: the JVM's heap.
        conf: more Spark settings, over these (e.g. fewer partitions for a small test).

    Raises:
        ModuleNotFoundError: pyspark is not installed (``requirements-spark.lock``).
    """
    from pyspark.sql import SparkSession

    # The JVM binds loopback only (it would otherwise pick the first outside address).
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    scratch = Path(tempfile.mkdtemp(prefix="dhakira-spark-"))
    builder = SparkSession.builder.master(f"local[{int(cores)}]").appName("dhakira-linkage")
    for key, value in (_config(scratch, cores, memory) | dict(conf or {})).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    try:
        yield spark
    finally:
        spark.stop()
        shutil.rmtree(scratch, ignore_errors=True)


def spark_schema(features: pd.DataFrame) -> Any:
    """The Spark schema of a feature table, from its pandas types.

    Spark infers types from values and gives up on a column with none (``unit`` for
    victims, ``document`` when no report gives one): integers of either kind are longs,
    floats doubles, and everything else (object columns) strings.
    """
    from pyspark.sql import types as t

    def spark_type(dtype: Any) -> Any:
        if pd.api.types.is_bool_dtype(dtype):
            return t.BooleanType()
        if pd.api.types.is_integer_dtype(dtype):
            return t.LongType()
        if pd.api.types.is_float_dtype(dtype):
            return t.DoubleType()
        return t.StringType()

    return t.StructType([t.StructField(str(name), spark_type(dtype), nullable=True)
                         for name, dtype in features.dtypes.items()])


def spark_api(spark: Any) -> Any:
    """Splink's Spark database on ``spark``, its tables kept in memory.

    Splink's default outside Databricks writes every intermediate table (compared values
    of both records) to Parquet files; ``persist`` keeps them in the executors' memory,
    spilling only to the encrypted local directory. Feature tables are registered with
    their schema (:func:`spark_schema`).
    """
    from splink import SparkAPI

    class _API(SparkAPI):  # type: ignore[misc]
        def _table_registration(self, input: Any, table_name: str) -> None:
            if isinstance(input, pd.DataFrame):
                rows = input.astype(object).where(input.notna(), None)
                input = self.spark.createDataFrame(rows, schema=spark_schema(input))
            super()._table_registration(input, table_name)

    return _API(spark_session=spark, break_lineage_method="persist")


def link_on_spark(features: pd.DataFrame, settings: LinkageSettings | None = None, *,
                  spark: Any, accepted: Iterable[Pair] = (), rejected: Iterable[Pair] = (),
                  floor: float = 0.01, predict_chunks: int | None = None) -> LinkageResult:
    """:func:`dhakira.core.linkage.link` on a Spark session: the same arguments and result.

    Args:
        features: the table from :func:`dhakira.core.linkage.features.build_features`.
        settings: the same settings as for DuckDB; the defaults when None.
        spark: a ``pyspark.sql.SparkSession`` (:func:`local_spark`, or a cluster's).
        accepted: pairs a reviewer accepted.
        rejected: pairs a reviewer rejected.
        floor: pairs below this probability are dropped at once.
        predict_chunks: slices to score the pairs in (as for DuckDB).
    """
    return link(features, settings, accepted=accepted, rejected=rejected,
                db_api=spark_api(spark), floor=floor, predict_chunks=predict_chunks)
