"""Pairwise and B-cubed measures on hand-made truth, counted by hand in the comments."""

from __future__ import annotations

import pytest

from dhakira.core.linkage import TruthError, evaluate, truth_mapping


def test_it_scores_a_perfect_clustering_as_one() -> None:
    truth = {1: "a", 2: "a", 3: "b"}
    e = evaluate({1: 1, 2: 1, 3: 3}, truth)
    assert (e.precision, e.recall, e.f1) == (1.0, 1.0, 1.0)
    assert (e.bcubed_precision, e.bcubed_recall) == (1.0, 1.0)
    assert e.false_merges == 0


def test_it_counts_pairs_by_hand() -> None:
    # truth: a = {1, 2, 3}, b = {4, 5}          -> true pairs 3 + 1 = 4
    # predicted: {1, 2} {3, 4, 5}                -> predicted pairs 1 + 3 = 4
    # true positives: (1,2) and (4,5)            -> 2
    truth = {1: "a", 2: "a", 3: "a", 4: "b", 5: "b"}
    e = evaluate({1: 1, 2: 1, 3: 3, 4: 3, 5: 3}, truth)
    assert (e.true_pairs, e.predicted_pairs, e.true_positives) == (4, 4, 2)
    assert e.precision == pytest.approx(0.5) and e.recall == pytest.approx(0.5)
    # B-cubed precision: records 1,2: 2/2; 3: 1/3; 4,5: 2/3 each -> (1+1+1/3+2/3+2/3)/5
    assert e.bcubed_precision == pytest.approx((2 + 1 / 3 + 4 / 3) / 5)
    # B-cubed recall: 1,2: 2/3 each; 3: 1/3; 4,5: 1 each -> (4/3 + 1/3 + 2)/5
    assert e.bcubed_recall == pytest.approx((4 / 3 + 1 / 3 + 2) / 5)
    # cluster {3,4,5} holds two true people: one false merge among 2 true people
    assert e.false_merges == 1
    assert e.false_merges_per_1000 == pytest.approx(500.0)


def test_it_scores_all_singletons_with_full_precision_and_no_recall() -> None:
    truth = {1: "a", 2: "a", 3: "a"}
    e = evaluate({1: 1, 2: 2, 3: 3}, truth)
    assert e.recall == 0.0 and e.f1 == 0.0
    assert e.bcubed_precision == 1.0 and e.bcubed_recall == pytest.approx(1 / 3)


def test_it_ignores_records_missing_from_either_side() -> None:
    e = evaluate({1: 1, 2: 1, 99: 1}, {1: "a", 2: "a", 50: "c"})
    assert e.records == 2 and e.f1 == 1.0


def test_it_rejects_truth_that_shares_no_record() -> None:
    with pytest.raises(TruthError, match="none of the linked records"):
        evaluate({1: 1}, {2: "a"})


def test_it_reads_the_demo_truth_format_and_a_plain_mapping() -> None:
    demo = {"format": "dhakira-demo-truth-1", "victim_mentions": {"P-000012": 4},
            "perpetrator_mentions": {"P-000002": 7}}
    assert truth_mapping(demo) == {12: 4}
    assert truth_mapping(demo, "perpetrator") == {2: 7}
    assert truth_mapping({"P-000003": "x"}) == {3: "x"}
    with pytest.raises(TruthError):
        truth_mapping({"format": "other"})
