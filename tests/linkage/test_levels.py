"""Comparison levels: the edit-distance level for short name keys."""

from dataclasses import replace

import duckdb
import pytest

from dhakira.linkage import LinkageSettings, SettingsError
from dhakira.linkage._levels import name_comparison


def _level_of(left: str, right: str, settings: LinkageSettings) -> str:
    """The label of the first level whose SQL holds for two ism keys (DuckDB)."""
    for level in name_comparison("ism", settings, "jaro_winkler_similarity")["comparison_levels"]:
        cond = level["sql_condition"]
        if cond == "ELSE":
            return str(level["label_for_charts"])
        sql = f"select coalesce(({cond}), false) from (select ? as ism_l, ? as ism_r)"
        row = duckdb.execute(sql, [left, right]).fetchone()
        if row and row[0]:
            return str(level["label_for_charts"])
    raise AssertionError("no level applied")


@pytest.mark.parametrize(("left", "right"), [("mt", "md"), ("sb", "sbh"), ("btrs", "tbrs")])
def test_short_keys_one_edit_apart_get_the_edit_level(left: str, right: str) -> None:
    assert _level_of(left, right, LinkageSettings()) == "ism keys within 1 edit(s)"


def test_without_the_edit_level_short_keys_one_edit_apart_differ() -> None:
    settings = replace(LinkageSettings(), name_edit_distance=0)
    assert _level_of("mt", "md", settings) == "ism differs"


def test_keys_two_edits_apart_are_not_at_the_edit_level() -> None:
    assert _level_of("mt", "sl", LinkageSettings()) == "ism differs"


def test_it_rejects_an_average_linkage_bound_above_one() -> None:
    with pytest.raises(SettingsError):
        LinkageSettings(cluster_min_average=1.5)
