"""Cannot-link clustering and the article-like given names."""

import pandas as pd

from dhakira.core.linkage import Mention, build_features, cluster, name_parts
from dhakira.core.linkage._cluster import NamePart, keys_conflict, source_event_groups


def _chain() -> pd.DataFrame:
    return pd.DataFrame({"unique_id_l": [1, 2], "unique_id_r": [2, 3],
                         "match_probability": [0.999, 0.995]})


def test_it_chains_through_a_third_record_without_constraints() -> None:
    assert cluster(_chain(), [1, 2, 3], 0.99) == {1: 1, 2: 1, 3: 1}


def test_it_never_joins_two_records_of_one_source_and_event() -> None:
    got = cluster(_chain(), [1, 2, 3], 0.99, groups={1: [(7, 3)], 3: [(7, 3)]})
    assert got == {1: 1, 2: 1, 3: 3}


def test_it_joins_the_stronger_pair_first_when_a_constraint_bites() -> None:
    scores = pd.DataFrame({"unique_id_l": [1, 2], "unique_id_r": [2, 3],
                           "match_probability": [0.991, 0.999]})
    got = cluster(scores, [1, 2, 3], 0.99, groups={1: ["k"], 3: ["k"]})
    assert got == {1: 1, 2: 2, 3: 2}


def test_a_reviewers_acceptance_overrides_the_constraint() -> None:
    got = cluster(_chain(), [1, 2, 3], 0.99, groups={1: ["k"], 3: ["k"]}, forced=[(1, 3)])
    assert got == {1: 1, 2: 1, 3: 1}


def test_source_event_groups_need_both_source_and_event() -> None:
    rows = build_features([Mention(1, ("Ali Hasan",), event=4, source=9),
                           Mention(2, ("Ali Hasan",), event=4),
                           Mention(3, ("Omar Ali",), source=9)])
    got = source_event_groups(rows)
    assert [k for k in got[1] if not isinstance(k, NamePart)] == [(9, 4)]
    assert all(isinstance(k, NamePart) for u in (2, 3) for k in got[u])


def test_ilyas_is_a_given_name_not_a_nisba() -> None:
    arabic = name_parts(["إلياس بن حيدر بن هشام الصائغ"])
    latin = name_parts(["Elias Haidar"])
    assert (arabic.ism, arabic.father, arabic.grandfather) == (latin.ism, "hdr", "hxm")
    assert arabic.nisba == "sg"


def _two_people() -> pd.DataFrame:
    # 1-2 and 3-4 are two people; one strong pair (2, 3) would chain them, but the other
    # pairs between them are weak.
    return pd.DataFrame({"unique_id_l": [1, 3, 2, 1, 2], "unique_id_r": [2, 4, 3, 3, 4],
                         "match_probability": [1.0, 1.0, 0.995, 0.1, 0.2]})


def test_average_linkage_refuses_a_chain_through_one_strong_pair() -> None:
    got = cluster(_two_people(), [1, 2, 3, 4], 0.99, min_average=0.9)
    assert got == {1: 1, 2: 1, 3: 3, 4: 3}


def test_without_average_linkage_one_strong_pair_chains_two_people() -> None:
    assert set(cluster(_two_people(), [1, 2, 3, 4], 0.99).values()) == {1}


def test_average_linkage_joins_clusters_whose_pairs_mostly_agree() -> None:
    scores = _two_people().assign(match_probability=[1.0, 1.0, 0.995, 0.95, 0.9])
    got = cluster(scores, [1, 2, 3, 4], 0.99, min_average=0.9)
    assert set(got.values()) == {1}


def test_a_reviewers_acceptance_overrides_average_linkage() -> None:
    scores = _two_people().assign(match_probability=[1.0, 1.0, 0.5, 0.1, 0.2])
    got = cluster(scores, [1, 2, 3, 4], 0.99, min_average=0.9, forced=[(1, 4)])
    assert got[1] == got[4]


def _sparse_bridge() -> pd.DataFrame:
    # 1 and 3 are two Ranas whose fathers differ (their pair scored below the floor, so
    # absent); 2 ("Rana al-Khatouni") gives no father and scores high with both.
    return pd.DataFrame({"unique_id_l": [1, 2], "unique_id_r": [2, 3],
                         "match_probability": [0.999, 0.995]})


def _fathers() -> dict[int, list[object]]:
    return {1: [NamePart("ism", "rn"), NamePart("father", "fsl")], 2: [NamePart("ism", "rn")],
            3: [NamePart("ism", "rn"), NamePart("father", "bdstr")]}


def test_an_unscored_pair_disagreeing_on_a_name_counts_as_zero_in_the_average() -> None:
    got = cluster(_sparse_bridge(), [1, 2, 3], 0.99, groups=_fathers(), min_average=0.7)
    assert got == {1: 1, 2: 1, 3: 3}


def test_name_parts_are_not_cannot_link_keys() -> None:
    same = {u: [NamePart("ism", "rn")] for u in (1, 2, 3)}
    got = cluster(_sparse_bridge(), [1, 2, 3], 0.99, groups=same, min_average=0.7)
    assert got == {1: 1, 2: 1, 3: 1}


def test_a_scored_pair_keeps_its_score_despite_a_name_conflict() -> None:
    scores = pd.concat([_sparse_bridge(), pd.DataFrame(
        {"unique_id_l": [1], "unique_id_r": [3], "match_probability": [0.9]})])
    got = cluster(scores, [1, 2, 3], 0.99, groups=_fathers(), min_average=0.7)
    assert got == {1: 1, 2: 1, 3: 1}


def test_source_event_groups_carry_the_name_parts() -> None:
    rows = build_features([Mention(1, ("Ali Hasan",), event=4, source=9)])
    assert source_event_groups(rows) == {1: ((9, 4), NamePart("ism", "l"),
                                             NamePart("father", "hsn"))}


def test_keys_conflict_only_beyond_the_fuzzy_levels() -> None:
    assert keys_conflict("fsl", "bdstr") and keys_conflict("t", "bt")
    assert not keys_conflict("hsn", "hsyn") and not keys_conflict("mt", "md")
