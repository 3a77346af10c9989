"""A family name written without its article is read as the father ("Rana Hamdani"): the
father comparison has a level for it, so such a report no longer splits its victim."""

from __future__ import annotations

from dataclasses import replace

import pytest
from tests.linkage.generated import victim_mentions

from dhakira.core.linkage import LinkageSettings, Mention, build_features, evaluate, link
from dhakira.core.linkage._levels import name_comparison


def test_the_father_comparison_has_a_level_for_the_other_s_family_name() -> None:
    levels = name_comparison("father", LinkageSettings(), "jaro_winkler_similarity")
    labels = [lv["label_for_charts"] for lv in levels["comparison_levels"]]
    assert "father of one is the other's family name" in labels
    assert labels.index("father of one is the other's family name") < labels.index(
        "father differs")
    off = name_comparison("father", replace(LinkageSettings(), compare_family_as_father=False),
                          "jaro_winkler_similarity")
    assert "father of one is the other's family name" not in [
        lv["label_for_charts"] for lv in off["comparison_levels"]]
    ism = name_comparison("ism", LinkageSettings(), "jaro_winkler_similarity")
    assert "father of one is the other's family name" not in [
        lv["label_for_charts"] for lv in ism["comparison_levels"]]


def test_the_short_latin_name_s_last_word_is_the_father_key_the_full_name_s_nisba() -> None:
    rows = build_features([Mention(1, names=("Rana Hamdani",)),
                           Mention(2, names=("رنا يونس محمد الحمداني",))])
    assert rows["father"][0] == rows["nisba"][1] != rows["father"][1]


@pytest.mark.slow
def test_fewer_victims_are_split_and_no_more_are_merged() -> None:
    mentions, truth = victim_mentions(600, seed=3)
    features = build_features(mentions)

    def measured(flag: bool) -> tuple[int, float, float]:
        e = evaluate(link(features, replace(LinkageSettings(), compare_family_as_father=flag))
                     .clusters, truth)
        return e.clusters, e.recall, e.false_merges_per_1000

    before, recall_before, merges_before = measured(False)
    after, recall_after, merges_after = measured(True)
    assert after < before and recall_after > recall_before
    assert merges_after <= merges_before + 2  # per 1,000 true people
