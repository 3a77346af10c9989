import json

import pytest
from tests.estimate.conftest import DATA, load

from dhakira.estimate import CaptureTable, TableError


def test_it_reads_pattern_cells_and_fills_absent_cells_with_zero():
    table = load("netherlands_trafficking")
    assert len(table.counts) == 63  # 2^6 - 1, though the file lists only 24 cells
    assert table.observed == 8234
    assert sum(table.counts.values()) == 8234


def test_it_reads_r_array_order_with_first_list_fastest():
    table = load("madigan_york_3list")
    # counts [0, 60, 49, 4, 247, 112, 142, 12]: index 1 = list 1 only, 2 = list 2 only,
    # 4 = list 3 only, 7 = all three.
    assert table.counts["100"] == 60
    assert table.counts["010"] == 49
    assert table.counts["110"] == 4
    assert table.counts["001"] == 247
    assert table.counts["111"] == 12
    assert table.observed == 626


def test_it_rejects_a_total_that_does_not_match_the_cells():
    data = json.loads((DATA / "hiv_rome_1994.json").read_text())
    data["observed"] = 1895
    with pytest.raises(TableError, match="add up to 1896"):
        CaptureTable.from_json(data)


def test_it_rejects_the_all_zero_pattern_and_negative_counts():
    with pytest.raises(TableError, match="pattern '00'"):
        CaptureTable.from_counts(["A", "B"], {"00": 3})
    with pytest.raises(TableError, match="whole number"):
        CaptureTable.from_counts(["A", "B"], {"10": -1})


def test_it_builds_a_table_from_capture_histories():
    histories = [frozenset({"A"}), frozenset({"A", "C"}), frozenset({"A", "C"}), frozenset({"B"})]
    table = CaptureTable.from_histories(histories, ["A", "B", "C"])
    assert table.counts["101"] == 2
    assert table.counts["100"] == 1
    assert table.counts["010"] == 1
    assert table.observed == 4


def test_it_rejects_histories_naming_unknown_lists_or_no_list():
    with pytest.raises(TableError, match="unknown lists"):
        CaptureTable.from_histories([frozenset({"Z"})], ["A", "B"])
    with pytest.raises(TableError, match="no list"):
        CaptureTable.from_histories([frozenset()], ["A", "B"])


def test_it_round_trips_through_json(hiv):
    assert CaptureTable.from_json(hiv.to_json()) == hiv


def test_its_counts_cannot_be_changed(hiv):
    with pytest.raises(TypeError):
        hiv.counts["1000"] = 1  # type: ignore[index]
