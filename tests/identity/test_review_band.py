"""The review band queues a sure pair whose names share nothing but the given name."""

from __future__ import annotations

import pandas as pd
import pytest

from dhakira.core.linkage import LinkageSettings
from dhakira.core.linkage.model import in_review_band

pytestmark = pytest.mark.backend_independent

SETTINGS = LinkageSettings(review_threshold=0.95, review_ceiling=0.9995, cluster_threshold=0.99)
# Splink's levels: -1 one side has no value, 0 the values differ, higher the closer.
PARTS = ("ism", "father", "grandfather", "nisba", "kunya")


def _pair(left: int, right: int, prob: float, **levels: int) -> dict[str, float]:
    row: dict[str, float] = {"unique_id_l": left, "unique_id_r": right,
                             "match_probability": prob, "match_weight": 20.0}
    row.update({f"gamma_{p}": levels.get(p, -1) for p in PARTS})
    return row


def test_issue15_5_two_salihs_of_one_arrest_go_to_a_human() -> None:
    """Seed 3 of the demo: «صالح الشرابي» and «صالح صباح», two men of one event, scored
    0.99997 on the given name, the event and the place; only one names a tribe, only the
    other a father. Above the ceiling they were merged with no one asked."""
    frame = pd.DataFrame([
        _pair(1, 2, 0.99997, ism=4),  # Salih al-Sharabi / Salih Sabah: the given name only
        _pair(3, 4, 0.99997, ism=4, father=4),  # the father agrees too: sure, not queued
        _pair(5, 6, 0.99997, ism=4, nisba=4),  # the tribe agrees too: sure, not queued
        _pair(7, 8, 0.999, ism=4, father=4),  # in the band: queued as before
    ])
    clusters = {i: i for i in range(1, 9)}
    kept = in_review_band(frame, clusters, SETTINGS)
    assert list(zip(kept["unique_id_l"], kept["unique_id_r"], strict=True)) == [(1, 2), (7, 8)]


def test_a_frame_without_name_levels_keeps_the_ceiling() -> None:
    """Scored pairs with no name comparison (a feedback-only pair) follow the ceiling alone."""
    frame = pd.DataFrame([{"unique_id_l": 1, "unique_id_r": 2, "match_probability": 0.99999,
                           "match_weight": 20.0}])
    assert in_review_band(frame, {1: 1, 2: 2}, SETTINGS).empty
