"""Scoring in slices of records: the same pairs, levels and clusters as one table, less memory."""

from __future__ import annotations

from typing import Any

import duckdb
import pytest
from splink import DuckDBAPI
from splink.internals.linker_components.inference import LinkerInference
from tests.linkage.small_data import mentions

from dhakira.core.linkage import LinkageSettings, SettingsError, build_features, link
from dhakira.core.linkage._predict import chunk_count

# Every pair from 0.3 is queued (no review band): these tests are about the queue.
FAST = LinkageSettings(max_em_iterations=3, u_max_pairs=2e4, review_threshold=0.3,
                      review_ceiling=1.0, review_skip_joined=False,
                      cluster_threshold=0.5)


def _pairs(result: Any) -> list[tuple[Any, ...]]:
    return [(p.left, p.right, p.match_weight, p.probability, dict(p.levels))
            for p in result.pairs]


@pytest.fixture(scope="module")
def features():  # type: ignore[no-untyped-def]
    records, _ = mentions()
    return build_features(records)


def test_chunked_and_unchunked_runs_give_the_same_pairs_and_clusters(features) -> None:  # type: ignore[no-untyped-def]
    whole = link(features, FAST)
    sliced = link(features, FAST, predict_chunks=3)
    assert len(whole.scores) > 10 and whole.pairs
    assert whole.scores.equals(sliced.scores)
    assert _pairs(whole) == _pairs(sliced)
    assert whole.clusters == sliced.clusters


def test_it_scores_each_slice_separately(features, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls: list[tuple[int, int]] = []
    original = LinkerInference.predict_chunk

    def spy(self: LinkerInference, **kwargs: Any) -> Any:
        calls.append(kwargs["left_chunk"])
        return original(self, **kwargs)

    monkeypatch.setattr(LinkerInference, "predict_chunk", spy)
    link(features, FAST, predict_chunks=4)
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_no_prediction_table_is_left_in_the_database(features) -> None:  # type: ignore[no-untyped-def]
    con = duckdb.connect(":memory:")
    link(features, FAST, db_api=DuckDBAPI(con), predict_chunks=2)
    tables = [t for (t,) in con.execute("select table_name from duckdb_tables()").fetchall()]
    assert tables and not [t for t in tables if "predict" in t]


def test_an_accepted_pair_the_model_never_scored_is_queued_without_levels(features) -> None:  # type: ignore[no-untyped-def]
    result = link(features, FAST, accepted=[(1009, 10)], predict_chunks=2)
    extra = [p for p in result.pairs if (p.left, p.right) == (10, 1009)]
    assert len(extra) == 1 and extra[0].probability == 1.0 and extra[0].levels == {}
    assert result.clusters[1009] == result.clusters[10]
    assert all(p.levels for p in result.pairs if p is not extra[0])


def test_the_chunk_count_follows_the_number_of_records() -> None:
    assert chunk_count(4_383) == 1 and chunk_count(200_998) == 1
    assert chunk_count(1_004_461) == 5
    assert chunk_count(50, 7) == 7


def test_it_rejects_fewer_than_one_chunk(features) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SettingsError):
        link(features, FAST, predict_chunks=0)

