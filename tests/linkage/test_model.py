"""The Splink model on small inline records, clustering, and reviewers' decisions fed back."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
from tests.linkage.small_data import mentions

from dhakira.core.linkage import (
    LinkageSettings,
    NoRecordsError,
    build_features,
    cluster,
    evaluate,
    link,
)
from dhakira.core.linkage.model import _apply_feedback

# Every pair from 0.3 is queued (no review band): these tests are about the queue.
FAST = LinkageSettings(max_em_iterations=3, u_max_pairs=2e4, review_threshold=0.3,
                      review_ceiling=1.0, review_skip_joined=False,
                      cluster_threshold=0.5)


@pytest.fixture(scope="module")
def small():  # type: ignore[no-untyped-def]
    records, truth = mentions()
    features = build_features(records)
    return features, truth, link(features, FAST)


def test_it_links_the_same_person_across_scripts(small) -> None:  # type: ignore[no-untyped-def]
    features, truth, result = small
    # Mohammed (10, 11, 12) and Omar (40, 41, 42) are each written three ways.
    assert result.clusters[10] == result.clusters[11] == result.clusters[12]
    assert result.clusters[40] == result.clusters[41] == result.clusters[42]


def test_it_keeps_different_people_apart(small) -> None:  # type: ignore[no-untyped-def]
    _, truth, result = small
    e = evaluate(result.clusters, truth)
    assert e.false_merges == 0
    assert e.recall >= 0.8  # 8 people in 19 mentions: 3+3+1+3+1+3+1+1 = 16 true pairs


def test_each_queued_pair_explains_its_levels(small) -> None:  # type: ignore[no-untyped-def]
    _, _, result = small
    assert result.pairs
    top = result.pairs[0]
    assert top.left < top.right and 0.3 <= top.probability <= 1.0
    agree = (1 + len(FAST.name_thresholds) + (1 if FAST.name_edit_distance else 0)
             + (1 if FAST.compare_arabic_spelling else 0)
             + (1 if FAST.compare_swapped_names else 0))
    assert top.levels["ism"] == (agree, "ism keys agree")
    assert {"ism", "father", "date", "place", "age", "sex"} <= set(top.levels)


def test_it_records_the_trained_model_and_settings(small) -> None:  # type: ignore[no-untyped-def]
    _, _, result = small
    assert result.settings == FAST
    assert 0 < result.model["probability_two_random_records_match"] < 1


def test_it_refuses_fewer_than_two_mentions() -> None:
    records, _ = mentions()
    with pytest.raises(NoRecordsError, match="^only 1 mention record to link; "):
        link(build_features(records[:1]), FAST)
    assert str(NoRecordsError(0)).startswith("only 0 mention records to link; ")


def _scores(rows: list[tuple[int, int, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["unique_id_l", "unique_id_r", "match_probability"])
    frame["match_weight"] = 0.0
    return frame


def test_clustering_is_transitive_at_the_threshold() -> None:
    # 1-2 and 2-3 are strong, 3-4 weak: {1, 2, 3} and {4}; 5 has no pair at all.
    scores = _scores([(1, 2, 0.99), (2, 3, 0.95), (3, 4, 0.4)])
    assert cluster(scores, [1, 2, 3, 4, 5], 0.9) == {1: 1, 2: 1, 3: 1, 4: 4, 5: 5}


def test_a_rejected_pair_is_never_linked_and_an_accepted_one_always() -> None:
    scores = _scores([(1, 2, 0.99), (3, 4, 0.1)])
    fed = _apply_feedback(scores, accepted=[(4, 3)], rejected=[(2, 1)])
    assert cluster(fed, [1, 2, 3, 4], 0.9) == {1: 1, 2: 2, 3: 3, 4: 3}


def test_an_accepted_pair_the_model_never_scored_is_still_linked() -> None:
    fed = _apply_feedback(_scores([(1, 2, 0.2)]), accepted=[(5, 9)], rejected=[])
    assert cluster(fed, [1, 2, 5, 9], 0.9) == {1: 1, 2: 2, 5: 5, 9: 5}


def test_it_fails_loudly_rather_than_spill_to_disk(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from dhakira.core.linkage import LinkageMemoryError

    monkeypatch.chdir(tmp_path)  # DuckDB's default would spill into ./.tmp
    records, _ = mentions()
    with pytest.raises(LinkageMemoryError, match="memory limit of 1MB"):
        link(build_features(records), replace(FAST, memory_limit="1MB"))
    assert list(tmp_path.iterdir()) == []


def test_it_refuses_a_memory_limit_it_cannot_read() -> None:
    from dhakira.core.linkage import SettingsError

    with pytest.raises(SettingsError, match="memory_limit"):
        LinkageSettings(memory_limit="lots")


def test_the_review_band_leaves_out_sure_pairs_and_pairs_joined_through_others() -> None:
    from dhakira.core.linkage.model import in_review_band

    settings = LinkageSettings(review_threshold=0.5, review_ceiling=0.999,
                               cluster_threshold=0.99)
    # 1-2 sure (above the ceiling); 2-3 near the threshold; 1-3 weak but 1, 2, 3 are one
    # cluster already; 4-5 weak and apart: a decision joins them or not.
    frame = _scores([(1, 2, 0.9999), (2, 3, 0.995), (1, 3, 0.6), (4, 5, 0.7)])
    clusters = {1: 1, 2: 1, 3: 1, 4: 4, 5: 5}
    kept = in_review_band(frame, clusters, settings)
    assert list(zip(kept["unique_id_l"], kept["unique_id_r"], strict=True)) == [(2, 3), (4, 5)]
    # With auto-linking the sure pairs are kept: they are the ones it links.
    auto = replace(settings, auto_link=True)
    assert len(in_review_band(frame, clusters, auto)) == 3
