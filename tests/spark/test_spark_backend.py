"""Splink's Spark backend gives what DuckDB gives: same settings, same model, same results.

A small local run (``local[2]``) on 300 reports from the demo generator, victims with the
default settings, against the in-process DuckDB run on the same features. Random sampling
is the one step the two databases do differently (each has its own sampler), so u is
estimated on every pair here: the rest must then agree to rounding.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from bench._linkage_scale import synthetic_mentions

from dhakira.core.linkage import LinkageSettings, build_features, defaults_for, evaluate, link
from dhakira.core.linkage._spark import link_on_spark, local_spark

pytest.importorskip("pyspark")
pytestmark = [pytest.mark.backend_independent, pytest.mark.slow]

REPORTS = 300
TOLERANCE = 1e-9  # both engines compute in float64; only the order of sums may differ
# A few hundred records: one partition and no whole-stage code generation (compiling
# each stage's code costs more than running it).
SMALL = {"spark.sql.shuffle.partitions": "1", "spark.default.parallelism": "1",
         "spark.sql.codegen.wholeStage": "false"}


def _settings(records: int) -> LinkageSettings:
    # Every pair sampled for u: DuckDB's and Spark's samplers differ, not their counts.
    return replace(defaults_for("victim"), u_max_pairs=float(records * records))


@pytest.fixture(scope="module")
def runs():  # type: ignore[no-untyped-def]
    records, truth = synthetic_mentions(REPORTS, seed=5)
    features = build_features(records)
    settings = _settings(len(features))
    duck = link(features, settings)
    with local_spark(cores=2, conf=SMALL) as spark:
        scratch = Path(spark.conf.get("spark.local.dir"))
        assert scratch.is_dir() and scratch.stat().st_mode & 0o077 == 0
        conf = spark.sparkContext.getConf()
        checks = {k: conf.get(k) for k in ("spark.ui.enabled", "spark.io.encryption.enabled",
                                          "spark.driver.bindAddress")}
        spark_result = link_on_spark(features, settings, spark=spark)
        # Registered from Splink's jar by the run (Spark SQL has no Jaro-Winkler).
        jw = spark.sql("select jaro_winkler('mhmd', 'mhmmd') as s").first()["s"]
    return features, truth, duck, spark_result, scratch, checks, jw


def _levels(model: dict) -> dict[tuple[str, str], tuple[float, float]]:  # type: ignore[type-arg]
    return {(c["output_column_name"], lv["label_for_charts"]):
            (lv.get("m_probability", np.nan), lv.get("u_probability", np.nan))
            for c in model["comparisons"] for lv in c["comparison_levels"]
            if not lv.get("is_null_level")}


def test_the_trained_model_is_the_same(runs) -> None:  # type: ignore[no-untyped-def]
    _, _, duck, spark, *_ = runs
    assert spark.settings == duck.settings
    ours, theirs = _levels(duck.model), _levels(spark.model)
    assert ours.keys() == theirs.keys()
    for level, (m, u) in ours.items():
        assert theirs[level] == pytest.approx((m, u), abs=TOLERANCE), level
    assert spark.model["probability_two_random_records_match"] == pytest.approx(
        duck.model["probability_two_random_records_match"], abs=TOLERANCE)


def test_the_same_pairs_get_the_same_scores(runs) -> None:  # type: ignore[no-untyped-def]
    _, _, duck, spark, *_ = runs
    a, b = duck.scores, spark.scores
    assert len(a) > 50  # the run scored something worth comparing
    assert a[["unique_id_l", "unique_id_r"]].equals(b[["unique_id_l", "unique_id_r"]])
    assert np.allclose(a["match_probability"], b["match_probability"], rtol=0, atol=1e-7)


def test_the_same_people_and_review_queue(runs) -> None:  # type: ignore[no-untyped-def]
    _, truth, duck, spark, *_ = runs
    assert spark.clusters == duck.clusters
    assert [(p.left, p.right, p.levels) for p in spark.pairs] == [
        (p.left, p.right, p.levels) for p in duck.pairs]
    assert evaluate(spark.clusters, truth).f1 == evaluate(duck.clusters, truth).f1 > 0.8


def test_the_scratch_directory_is_removed(runs) -> None:  # type: ignore[no-untyped-def]
    scratch = runs[4]
    assert not scratch.exists()


def test_the_session_serves_nothing_and_encrypts_its_spills(runs) -> None:  # type: ignore[no-untyped-def]
    checks, jw = runs[5], runs[6]
    assert checks == {"spark.ui.enabled": "false", "spark.io.encryption.enabled": "true",
                      "spark.driver.bindAddress": "127.0.0.1"}
    assert jw > 0.9  # Splink's jar is on the session: Jaro-Winkler exists in Spark SQL
