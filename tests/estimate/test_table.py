import json

import pytest
from tests.estimate.conftest import DATA, load

from dhakira.core.counting import CaptureTable, TableError


def test_it_reads_pattern_cells_and_keeps_only_the_observed_ones():
    table = load("netherlands_trafficking")
    assert len(table.counts) == 24  # the file's 24 cells, not all 2^6 - 1
    assert (table.cells, table.zero_cells) == (63, 39)
    assert table.observed == 8234
    assert sum(table.counts.values()) == 8234


def test_zero_counts_are_dropped_and_patterns_kept_in_order():
    table = CaptureTable.from_counts(["A", "B", "C"], {"111": 2, "010": 0, "100": 5})
    assert list(table.counts) == ["100", "111"]
    assert table.margins() == {"A": 7, "B": 2, "C": 2}


def test_every_cell_is_built_only_under_the_stated_limit():
    table = CaptureTable.from_counts(["A", "B"], {"10": 3, "11": 1})
    assert table.all_cells() == {"01": 0, "10": 3, "11": 1}
    wide = CaptureTable.from_counts([f"L{i}" for i in range(20)], {"1" * 20: 1, "0" * 19 + "1": 4})
    with pytest.raises(TableError, match="at most 15 lists"):
        wide.all_cells()


def test_a_34_list_table_holds_its_observed_patterns_only():
    k = 34
    patterns = {format(1 << i | 1 << ((i + 1) % k), f"0{k}b"): i + 1 for i in range(k)}
    table = CaptureTable.from_counts([f"L{i}" for i in range(k)], patterns)
    assert len(table.counts) == k
    assert table.zero_cells == 2**34 - 1 - 34
    assert CaptureTable.from_json(table.to_json()) == table
    assert len(table.to_json()["cells"]) == 34


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
    with pytest.raises(TableError, match="pattern '00' is the people no list recorded"):
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
