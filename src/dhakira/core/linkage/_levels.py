"""The comparison levels, as Splink comparison dicts built from :class:`LinkageSettings`.

Each comparison is an ordered list of levels (null, exact, graded, else), as Splink expects.
SQL is written once for every backend; only the Jaro-Winkler function name differs.
"""

from __future__ import annotations

from typing import Any

from dhakira.core.linkage.settings import LinkageSettings

NAME_PARTS = ("ism", "father", "grandfather", "nisba", "kunya")
# Term-frequency adjustment on the exact level: two reports agreeing on "Muhammad" say less
# than two agreeing on a rare name.
TF_PARTS = frozenset({"ism", "father", "grandfather", "nisba"})
# Parts whose Arabic spelling is kept beside the key (features.SPELLED_PARTS).
SPELLED_PARTS = frozenset({"ism", "father", "grandfather"})
# Comparisons with a level for the given name and the family name (nisba) swapped.
SWAPPED_PARTS = frozenset({"ism", "nisba"})


def _null(col: str, label: str = "") -> dict[str, Any]:
    return {"sql_condition": f"{col}_l IS NULL OR {col}_r IS NULL",
            "label_for_charts": label or f"{col} missing in one record", "is_null_level": True}


def _else(label: str) -> dict[str, Any]:
    return {"sql_condition": "ELSE", "label_for_charts": label}


def name_comparison(part: str, settings: LinkageSettings, jw: str,
                    dl: str = "damerau_levenshtein") -> dict[str, Any]:
    """null → same key → Jaro-Winkler ≥ the first threshold → within the edit distance →
    Jaro-Winkler at the other thresholds → else.

    The edit-distance level catches short keys that Jaro-Winkler scores low: a swap or one
    wrong letter in a two- or three-consonant key ("mt"/"md", "sb"/"sbh", "btrs"/"tbrs").
    """
    same = f"{part}_l = {part}_r"
    exact: dict[str, Any] = {"sql_condition": same, "label_for_charts": f"{part} keys agree"}
    spelled = part in SPELLED_PARTS and settings.compare_arabic_spelling
    if spelled:
        ar = f"{part}_ar"
        exact["sql_condition"] += f" AND ({ar}_l IS NULL OR {ar}_r IS NULL OR {ar}_l = {ar}_r)"
        # Splink would otherwise take the u of the plain "keys agree" level below for the
        # term-frequency adjustment (about 4 bits too little weight on every agreement).
        exact["disable_tf_exact_match_detection"] = True
    if part in TF_PARTS:
        exact |= {"tf_adjustment_column": part, "tf_adjustment_weight": 1.0}
    levels = [_null(part), exact]
    if spelled:
        # Same consonants, two different Arabic names: أحمد/حامد, محمد/محمود, عمر/عمار.
        levels.append({"sql_condition": same,
                       "label_for_charts": f"{part} keys agree, Arabic spellings differ"})
    if part in SWAPPED_PARTS and settings.compare_swapped_names:
        # "Huxley Claudia" for "Claudia Huxley": the given and the family name swapped
        # (a form filled surname first). Both must cross-agree.
        levels.append({"sql_condition": "ism_l = nisba_r AND nisba_l = ism_r",
                       "label_for_charts": "given name and family name swapped"})
    if part == "father" and settings.compare_family_as_father:
        # Without markers the words after the given name are read as the nasab, so a family
        # name written without its article is read as the father: "Rana Hamdani" against
        # رنا يونس الحمداني (father يونس, nisba الحمداني) would otherwise say "father differs".
        levels.append({"sql_condition": "father_l = nisba_r OR nisba_l = father_r",
                       "label_for_charts": "father of one is the other's family name"})
    # A key of one or two consonants is one edit away from dozens of other names
    # ("t"/"bt", "md"/"mn"): fuzzy levels are for keys at least this long.
    k = settings.name_fuzzy_min_length
    long_enough = f"least(length({part}_l), length({part}_r)) >= {k} AND " if k > 1 else ""
    for i, t in enumerate(settings.name_thresholds):
        levels.append({"sql_condition": f"{long_enough}{jw}({part}_l, {part}_r) >= {t}",
                       "label_for_charts": f"{part} keys similar (Jaro-Winkler ≥ {t})"})
        if i == 0 and settings.name_edit_distance:
            n = settings.name_edit_distance
            levels.append({"sql_condition": f"{long_enough}{dl}({part}_l, {part}_r) <= {n}",
                           "label_for_charts": f"{part} keys within {n} edit(s)"})
    levels.append(_else(f"{part} differs"))
    return {"output_column_name": part, "comparison_levels": levels}


def date_comparison(settings: LinkageSettings,
                    dl: str = "damerau_levenshtein") -> dict[str, Any]:
    """null → ranges overlap → gap within each window → else, with a typo level.

    The typo level (the earliest dates' digits, YYYYMMDD, within ``date_typo_edits``) comes
    after the first window of more than 0 days: a wrong day digit is already within it, a
    wrong year or month digit ("1944" for "1984") is not.
    """
    gap = "greatest(date_lo_l, date_lo_r) - least(date_hi_l, date_hi_r)"
    levels = [_null("date_lo", "date missing in one record")]
    typo = settings.date_typo_edits
    for days in settings.date_gaps_days:
        label = "dates overlap" if days == 0 else f"dates within {days} days"
        levels.append({"sql_condition": f"{gap} <= {days}", "label_for_charts": label})
        if days > 0 and typo:
            levels.append({"sql_condition": f"{dl}(date_text_l, date_text_r) <= {typo}",
                           "label_for_charts": f"dates {typo} typo(s) apart"})
            typo = 0
    levels.append(_else("dates far apart"))
    return {"output_column_name": "date", "comparison_levels": levels}


def place_comparison(events: bool = False) -> dict[str, Any]:
    """null → (same event record) → same place → same district → else.

    The event is a level of the place comparison, not a comparison of its own: one event
    has one place (and one date and act), so as a separate comparison its evidence would be
    counted again on top of theirs, and different victims of one mass event would score as
    one person.
    """
    same_event = [{"sql_condition": "event_l = event_r", "label_for_charts": "same event",
                   "tf_adjustment_column": "event", "tf_adjustment_weight": 1.0}]
    return {"output_column_name": "place", "comparison_levels": [
        _null("district", "place missing in one record"),
        *(same_event if events else []),
        {"sql_condition": "place_l = place_r", "label_for_charts": "same place"},
        {"sql_condition": "district_l = district_r", "label_for_charts": "same district"},
        _else("different districts")]}


def age_comparison(settings: LinkageSettings) -> dict[str, Any]:
    """null → within each age gap → else."""
    levels = [_null("age", "age missing in one record")]
    for years in settings.age_gaps:
        levels.append({"sql_condition": f"abs(age_l - age_r) <= {years}",
                       "label_for_charts": f"ages within {years} years"})
    levels.append(_else("ages differ"))
    return {"output_column_name": "age", "comparison_levels": levels}


def exact_comparison(col: str, same: str, differ: str) -> dict[str, Any]:
    """null → same value → else (sex; unit for perpetrators)."""
    return {"output_column_name": col, "comparison_levels": [
        _null(col), {"sql_condition": f"{col}_l = {col}_r", "label_for_charts": same},
        _else(differ)]}


def act_comparison() -> dict[str, Any]:
    """null → same type and method → same type → else: one victim's reports tell one act."""
    return {"output_column_name": "act", "comparison_levels": [
        _null("act_type", "act type missing in one record"),
        {"sql_condition": "act_type_l = act_type_r AND method_l = method_r",
         "label_for_charts": "same act and method"},
        {"sql_condition": "act_type_l = act_type_r", "label_for_charts": "same type of act"},
        _else("different acts")]}


def document_comparison(dl: str) -> dict[str, Any]:
    """null → same number → one or two edits apart (a miscopied digit) → else."""
    levels = [_null("document"), {"sql_condition": "document_l = document_r",
                                  "label_for_charts": "same document number"}]
    for n in (1, 2):
        levels.append({"sql_condition": f"{dl}(document_l, document_r) <= {n}",
                       "label_for_charts": f"document numbers within {n} edit(s)"})
    levels.append(_else("different document numbers"))
    return {"output_column_name": "document", "comparison_levels": levels}


def comparisons(settings: LinkageSettings, jw: str, *, units: bool,
                events: bool = False, dl: str = "damerau_levenshtein",
                documents: bool = False) -> list[dict[str, Any]]:
    """All comparisons in order.

    ``units`` adds the unit comparison (perpetrators); ``events`` adds "same event record"
    (when reports are attached to shared event records); ``documents`` the identity
    document number (when reports give one).
    """
    out = [name_comparison(p, settings, jw, dl) for p in NAME_PARTS]
    out += [date_comparison(settings, dl), place_comparison(events), age_comparison(settings),
            exact_comparison("sex", "same sex", "different sex"), act_comparison()]
    if units:
        out.append(exact_comparison("unit", "same unit", "different units"))
    if documents:
        out.append(document_comparison(dl))
    return out


def level_labels(comparison_dicts: list[dict[str, Any]]) -> dict[str, dict[int, str]]:
    """comparison name → gamma value → label, following Splink's numbering.

    Splink gives the null level -1 and counts the others down to 0 for the else level.
    """
    labels: dict[str, dict[int, str]] = {}
    for comp in comparison_dicts:
        levels = comp["comparison_levels"]
        non_null = [lv for lv in levels if not lv.get("is_null_level")]
        table = {len(non_null) - 1 - i: lv["label_for_charts"] for i, lv in enumerate(non_null)}
        table[-1] = next(lv["label_for_charts"] for lv in levels if lv.get("is_null_level"))
        labels[comp["output_column_name"]] = table
    return labels
