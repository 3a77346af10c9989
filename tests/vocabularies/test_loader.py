"""The shipped vocabulary files and the loader's rules."""

from __future__ import annotations

import re

import pytest

from dhakira.core.vocabularies import (
    GROUND_TAGS,
    InvalidVocabulary,
    UnknownTerm,
    UnknownVocabulary,
    VocabularyError,
    load,
    names,
)
from dhakira.core.vocabularies._loader import build

ARABIC_LETTER = re.compile("[\u0621-\u064a]")
EXPECTED = {
    "act_types", "methods", "grounds", "rights_deprived", "results", "chain_types",
    "involvement_degrees", "perpetrator_types", "source_connection", "source_material_types",
    "channels", "sex", "counting_units", "violation_status", "reliability", "credibility",
    "unit_kinds", "place_kinds", "unit_roles", "source_networks",
}  # fmt: skip


def test_every_expected_vocabulary_ships():
    assert set(names()) >= EXPECTED


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_file_loads_with_labels_in_both_languages(name):
    vocabulary = load(name)
    assert vocabulary.name == name
    assert vocabulary.terms
    assert ARABIC_LETTER.search(vocabulary.label_ar)
    for term in vocabulary.terms:
        assert term.en.strip(), term.code
        assert ARABIC_LETTER.search(term.ar), term.code


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_codes_are_unique_and_parents_exist(name):
    codes = load(name).codes()
    assert len(codes) == len(set(codes))
    for term in load(name).terms:
        assert term.parent is None or term.parent in codes


def test_attributed_sexual_orientation_carries_the_sexual_orientation_tag():
    grounds = load("grounds")
    tagged = [t.code for t in grounds.terms if "sexual_orientation" in t.ground_tags]
    assert "attributed_sexual_orientation" in tagged
    assert "gender" in grounds.get("attributed_sexual_orientation").ground_tags
    assert "gender_identity" in grounds.get("attributed_gender_identity").ground_tags


def test_ground_tags_stay_within_the_allowed_set():
    for term in load("grounds").terms:
        assert set(term.ground_tags) <= GROUND_TAGS


@pytest.mark.parametrize(
    "code",
    [
        "shooting", "beheading", "stoning", "thrown_from_height", "burning", "hanging",
        "crucifixion", "drowning", "beating", "flogging", "electric_shock", "amputation",
        "unknown",
    ],
)  # fmt: skip
def test_methods_include_the_named_methods(code):
    assert code in load("methods")


@pytest.mark.parametrize(
    "code",
    [
        "killing", "torture", "detention_imprisonment", "abduction_disappearance",
        "enslavement", "sexual_slavery", "rape", "other_sexual_violence", "forced_marriage",
        "beating_flogging", "amputation", "destruction_of_property", "forced_displacement",
        "unfair_trial_sentencing", "threats", "other",
    ],
)  # fmt: skip
def test_act_types_include_the_named_acts(code):
    assert code in load("act_types")


def test_involvement_degrees_suggest_rome_statute_liability():
    degrees = load("involvement_degrees")
    assert degrees.get("directly_carried_out").liability == "LIA-25-3-a-DIRECT"
    assert degrees.get("gave_orders").liability == "LIA-25-3-b"


def test_admiralty_scales_have_six_grades_each():
    assert load("reliability").codes() == ("a", "b", "c", "d", "e", "f")
    assert load("credibility").codes() == ("1", "2", "3", "4", "5", "6")


def test_label_and_choices_follow_the_language():
    acts = load("act_types")
    assert acts.label("killing") == "Killing"
    assert acts.label("killing", "ar") == "القتل"
    assert acts.choices("ar")[0] == ("killing", "القتل")
    assert len(acts.choices()) == len(acts.codes())


def test_children_lists_narrower_terms():
    assert {t.code for t in load("grounds").children("religious")} >= {"apostasy", "blasphemy"}


def test_validate_names_the_vocabulary_and_suggests_codes():
    with pytest.raises(UnknownTerm) as caught:
        load("methods").validate("stonning")
    message = str(caught.value)
    assert "'methods'" in message and "stoning" in message and "shooting" in message


def test_validate_accepts_a_known_code():
    assert load("methods").validate("burning") is None


def test_it_rejects_a_non_string_code():
    with pytest.raises(UnknownTerm):
        load("sex").get(["male"])  # type: ignore[arg-type]


def test_it_rejects_an_unknown_language():
    with pytest.raises(VocabularyError, match="'fr'"):
        load("sex").label("male", "fr")


def test_it_rejects_an_unknown_vocabulary():
    with pytest.raises(UnknownVocabulary, match="methods"):
        load("weapons")


def test_load_is_cached():
    assert load("methods") is load("methods")


def _raw(**term):
    return {"vocabulary": "x", "version": "1", "label_en": "X", "label_ar": "س", "terms": [term]}


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (_raw(code="a", en="A", ar="A"), "no Arabic"),
        (_raw(code="Bad Code", en="A", ar="أ"), "snake_case"),
        (_raw(code="a", en="", ar="أ"), "'en'"),
        (_raw(code="a", en="A", ar="أ", parent="zzz"), "parent"),
        (_raw(code="a", en="A", ar="أ", colour="red"), "keys"),
        (_raw(code="a", en="A", ar="أ", ground_tags=["astrology"]), "ground tags"),
        ({"vocabulary": "y", "version": "1", "label_en": "X", "label_ar": "س", "terms": []}, "'y'"),
        ({"vocabulary": "x"}, "top level"),
    ],
)
def test_it_rejects_malformed_vocabulary_data(raw, problem):
    with pytest.raises(InvalidVocabulary, match=problem):
        build("x", raw)


def test_it_rejects_duplicate_codes():
    raw = _raw(code="a", en="A", ar="أ")
    raw["terms"].append({"code": "a", "en": "B", "ar": "ب"})
    with pytest.raises(InvalidVocabulary, match="twice"):
        build("x", raw)
