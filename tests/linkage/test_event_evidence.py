"""Issue 14 item 7: victims linkage split looked like extra people and inflated the estimate.

Two reports of one victim attached to one event record were scored without that evidence and
fell below the cluster threshold (a report giving only a kunya, a father's name spelt two
ways); each split victim counts as a person only one list saw. The event is now a level of
the place comparison, weighted by the event's size.
"""

from __future__ import annotations

from dataclasses import replace

import duckdb
import pandas as pd
import pytest
from tests.linkage.generated import victim_mentions

from dhakira.core.linkage import LinkageSettings, build_features, evaluate, link
from dhakira.core.linkage._levels import comparisons, place_comparison


def _place_level(row: dict[str, int]) -> str:
    cols = ", ".join(f"?::bigint as {k}" for k in row)
    for level in place_comparison(events=True)["comparison_levels"]:
        if level["sql_condition"] == "ELSE":
            return str(level["label_for_charts"])
        found = duckdb.execute(f"select coalesce(({level['sql_condition']}), false) "
                               f"from (select {cols})", list(row.values())).fetchone()
        if found and found[0]:
            return str(level["label_for_charts"])
    raise AssertionError("no level applied")


def test_the_event_is_the_top_level_of_the_place_comparison_weighted_by_its_size() -> None:
    row = {"event_l": 7, "event_r": 7, "place_l": 3, "place_r": 3,
           "district_l": 1, "district_r": 1}
    assert _place_level(row) == "same event"
    assert _place_level(row | {"event_r": 8}) == "same place"
    same_event = place_comparison(events=True)["comparison_levels"][1]
    assert same_event["tf_adjustment_column"] == "event"
    # Not a comparison of its own, counted again on top of place, date and act.
    names = [c["output_column_name"] for c in comparisons(
        LinkageSettings(), "jaro_winkler_similarity", units=False, events=True)]
    assert "event" not in names


def test_victims_compare_events_and_perpetrators_do_not() -> None:
    from dhakira.core.linkage import defaults_for

    assert defaults_for("victim").compare_events
    assert not defaults_for("perpetrator").compare_events


@pytest.mark.slow
def test_issue14_7_split_victims_no_longer_inflate_the_people_found() -> None:
    mentions, truth = victim_mentions(600, seed=3)
    features = build_features(mentions)

    def people(settings: LinkageSettings) -> tuple[int, float, float]:
        e = evaluate(link(features, settings).clusters, truth)
        return e.clusters, e.recall, e.false_merges_per_1000

    before, _, _ = people(replace(LinkageSettings(), compare_events=False,
                                  compare_family_as_father=False))
    now, recall, false_merges = people(LinkageSettings())
    assert before > 600 * 1.05  # measured 637: the finding
    assert abs(now - 600) <= 600 * 0.03  # measured 610
    # Measured before review: 0.973 and 6.7 on demo generator version 2, 0.958 and 5.0 on
    # version 3 (which no longer writes events with no act and no report).
    assert recall >= 0.95 and false_merges <= 10


def _events(*rows: tuple[int, int | None, str | None, int | None, int | None],
            window: int = 3) -> list[int]:
    import pandas as pd

    from dhakira.core.linkage._events import event_groups

    frame = pd.DataFrame(rows, columns=["event", "place", "act_type", "date_lo", "date_hi"])
    for col in ("event", "place", "date_lo", "date_hi"):
        frame[col] = frame[col].astype("Int64")
    return [int(k) for k in event_groups(frame, window_days=window)]


def test_two_records_of_one_event_share_a_key_and_other_events_keep_their_own() -> None:
    # Records 4 and 9: one killing at place 5 written down twice, a day apart.
    assert _events((9, 5, "killing", 101, 101), (4, 5, "killing", 100, 100),
                   (4, 5, "killing", 100, 100)) == [4, 4, 4]
    # Another act at that place, the same act elsewhere, or a week later: other events.
    assert _events((4, 5, "killing", 100, 100), (6, 5, "detention", 100, 100),
                   (7, 8, "killing", 100, 100), (8, 5, "killing", 107, 107)) == [4, 6, 7, 8]
    # A record dated only to a year is not placed in time closely enough to be grouped.
    assert _events((4, 5, "killing", 100, 100), (9, 5, "killing", 0, 365)) == [4, 9]


def test_the_keys_do_not_depend_on_the_order_of_the_records() -> None:
    rows = [(4, 5, "killing", 100, 100), (9, 5, "killing", 102, 102),
            (2, 5, "killing", 104, 104), (3, 1, "killing", 100, 100)]
    assert _events(*rows) == [2, 2, 2, 3]
    assert _events(*reversed(rows)) == [3, 2, 2, 2]


def test_event_groups_are_on_for_victims_and_can_be_turned_off() -> None:
    from dhakira.core.linkage import LinkageSettings
    from dhakira.core.linkage.errors import SettingsError

    assert LinkageSettings().event_group_days == 0
    off = LinkageSettings(event_group_days=None)
    assert LinkageSettings.from_json(off.to_json()) == off
    with pytest.raises(SettingsError):
        LinkageSettings(event_group_days=-1)


@pytest.mark.slow
def test_issue14_duplicate_event_records_no_longer_split_their_victims() -> None:
    # The finding: one event recorded twice splits the victims attached to the two records.
    # 30 % of reports move to a fresh record of their own, as a second documenter would open.
    import random

    # Over three seeds: one seed's draw can leave few duplicate records to join (seed 11 on
    # demo generator version 3: 632 -> 631 people, where version 2 gave 623 -> 618).
    def people(features: pd.DataFrame, truth: dict[int, int],
               settings: LinkageSettings) -> tuple[int, float, float]:
        e = evaluate(link(features, settings).clusters, truth)
        return e.clusters, e.recall, e.false_merges_per_1000

    seeds = (3, 5, 11)
    before = now = 0
    recall_before = recall = 0.0
    for seed in seeds:
        mentions, truth = victim_mentions(600, seed=seed)
        draw = random.Random(f"duplicate events {seed}")
        moved = [replace(m, event=10**9 + m.id) if m.event is not None and draw.random() < 0.3
                 else m for m in mentions]
        features = build_features(moved)
        off = people(features, truth, replace(LinkageSettings(), event_group_days=None))
        on = people(features, truth, LinkageSettings())
        before, recall_before = before + off[0], recall_before + off[1] / len(seeds)
        now, recall = now + on[0], recall + on[1] / len(seeds)
        assert on[2] <= 10  # false merges per 1,000; measured 1.7-5.0 (off: 0.0-3.3)
    # Measured on demo generator version 3: 1,886 people for 1,800 victims -> 1,865; mean
    # recall 0.924 -> 0.936.
    assert before >= 1800 * 1.035  # the finding
    assert now <= before - 12
    assert recall >= recall_before + 0.005
