"""Comparison levels: the edit-distance level, one-letter keys and Arabic spellings."""

from dataclasses import replace

import duckdb
import pytest

from dhakira.core.linkage import LinkageSettings, SettingsError
from dhakira.core.linkage._levels import name_comparison


def _level_of(left: str, right: str, settings: LinkageSettings,
              spellings: tuple[str | None, str | None] = (None, None)) -> str:
    """The label of the first level whose SQL holds for two ism keys (DuckDB)."""
    for level in name_comparison("ism", settings, "jaro_winkler_similarity")["comparison_levels"]:
        cond = level["sql_condition"]
        if cond == "ELSE":
            return str(level["label_for_charts"])
        sql = (f"select coalesce(({cond}), false) from (select ? as ism_l, ? as ism_r, "
               "?::varchar as ism_ar_l, ?::varchar as ism_ar_r, "
               "null::varchar as nisba_l, null::varchar as nisba_r)")
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


def _first_level(comp: dict, row: dict) -> str:  # type: ignore[type-arg]
    """The label of the first level of ``comp`` whose SQL holds for one pair (DuckDB)."""
    cols = ", ".join(f"?::{'bigint' if isinstance(v, int) else 'varchar'} as {k}" for k, v in row.items())
    for level in comp["comparison_levels"]:
        cond = level["sql_condition"]
        if cond == "ELSE":
            return str(level["label_for_charts"])
        found = duckdb.execute(f"select coalesce(({cond}), false) from (select {cols})",
                               list(row.values())).fetchone()
        if found and found[0]:
            return str(level["label_for_charts"])
    raise AssertionError("no level applied")


def _dates(a: str, b: str) -> dict[str, object]:
    from datetime import date

    da, db = (date(int(x[:4]), int(x[4:6]), int(x[6:])) for x in (a, b))
    days = [(d - date(1970, 1, 1)).days for d in (da, db)]
    return {"date_lo_l": days[0], "date_hi_l": days[0], "date_lo_r": days[1],
            "date_hi_r": days[1], "date_text_l": a, "date_text_r": b}


def test_a_year_miscopied_by_one_digit_is_a_typo_not_far_apart() -> None:
    from dhakira.core.linkage._levels import date_comparison

    comp = date_comparison(LinkageSettings())
    assert _first_level(comp, _dates("19441020", "19841020")) == "dates 1 typo(s) apart"
    assert _first_level(comp, _dates("19441020", "19441027")) == "dates within 31 days"
    assert _first_level(comp, _dates("19441020", "19520311")) == "dates far apart"
    off = date_comparison(replace(LinkageSettings(), date_typo_edits=0))
    assert _first_level(off, _dates("19441020", "19841020")) == "dates far apart"


def test_a_given_name_and_family_name_swapped_get_their_own_level() -> None:
    comp = name_comparison("ism", LinkageSettings(), "jaro_winkler_similarity")
    row = {"ism_l": "kld", "ism_r": "hksl", "nisba_l": "hksl", "nisba_r": "kld",
           "ism_ar_l": None, "ism_ar_r": None}
    assert _first_level(comp, row) == "given name and family name swapped"
    # Agreeing on one side only is no swap.
    assert _first_level(comp, row | {"nisba_l": "jbr"}) == "ism differs"


def test_document_numbers_one_digit_apart_are_near() -> None:
    from dhakira.core.linkage._levels import document_comparison

    comp = document_comparison("damerau_levenshtein")
    assert _first_level(comp, {"document_l": "2222516", "document_r": "2222516"}) == \
        "same document number"
    assert _first_level(comp, {"document_l": "2222516", "document_r": "2222561"}) == \
        "document numbers within 1 edit(s)"
    assert _first_level(comp, {"document_l": "2222516", "document_r": "9131922"}) == \
        "different document numbers"
