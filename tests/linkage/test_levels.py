"""Comparison levels: the edit-distance level, one-letter keys and Arabic spellings."""

from dataclasses import replace

import duckdb
import pytest

from dhakira.linkage import LinkageSettings, SettingsError
from dhakira.linkage._levels import name_comparison


def _level_of(left: str, right: str, settings: LinkageSettings,
              spellings: tuple[str | None, str | None] = (None, None)) -> str:
    """The label of the first level whose SQL holds for two ism keys (DuckDB)."""
    for level in name_comparison("ism", settings, "jaro_winkler_similarity")["comparison_levels"]:
        cond = level["sql_condition"]
        if cond == "ELSE":
            return str(level["label_for_charts"])
        sql = (f"select coalesce(({cond}), false) from (select ? as ism_l, ? as ism_r, "
               "?::varchar as ism_ar_l, ?::varchar as ism_ar_r)")
        row = duckdb.execute(sql, [left, right, *spellings]).fetchone()
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


def test_a_one_letter_key_is_never_a_fuzzy_match() -> None:
    # "t" (al-Ta'i) and "bt" (al-Bayati) are one edit apart but two different names.
    assert _level_of("t", "bt", LinkageSettings()) == "ism differs"
    assert _level_of("t", "bt", replace(LinkageSettings(), name_fuzzy_min_length=1)) == \
        "ism keys within 1 edit(s)"


def test_same_consonants_with_two_arabic_spellings_get_their_own_level() -> None:
    # أحمد and حامد both key to "hmd".
    assert _level_of("hmd", "hmd", LinkageSettings(), ("احمد", "حامد")) == \
        "ism keys agree, Arabic spellings differ"


@pytest.mark.parametrize("spellings", [("احمد", "احمد"), ("احمد", None), (None, None)])
def test_same_keys_agree_when_the_spellings_do_not_contradict(
        spellings: tuple[str | None, str | None]) -> None:
    assert _level_of("hmd", "hmd", LinkageSettings(), spellings) == "ism keys agree"


def test_the_spelling_level_can_be_turned_off() -> None:
    settings = replace(LinkageSettings(), compare_arabic_spelling=False)
    assert _level_of("hmd", "hmd", settings, ("احمد", "حامد")) == "ism keys agree"


def test_it_rejects_a_fuzzy_minimum_length_below_one() -> None:
    with pytest.raises(SettingsError):
        LinkageSettings(name_fuzzy_min_length=0)
