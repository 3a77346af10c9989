"""The element catalogue: shipped data is valid, lookups work, routing follows the law."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from dhakira.core.law import load_catalogue, load_catalogue_from
from dhakira.core.law.catalogue import DATA_DIR
from dhakira.core.law.errors import (
    CatalogueError,
    UnknownCrimeError,
    UnknownElementError,
    UnknownGroundTagError,
)

CAH_CTX = ["CAH-CTX-1", "CAH-CTX-2", "CAH-CTX-3", "CAH-CTX-4", "CAH-CTX-5"]
SOGI = ["sexual_orientation", "gender"]


@pytest.fixture()
def catalogue_copy(tmp_path: Path) -> Path:
    for name in ("elements.yaml", "crimes.yaml", "liability.yaml"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    return tmp_path


def _edit_elements(directory: Path, element_id: str, **changes: object) -> None:
    path = directory / "elements.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    for raw in doc["elements"]:
        if raw["id"] == element_id:
            raw.update(changes)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")


def test_it_loads_the_shipped_catalogue_once() -> None:
    assert load_catalogue() is load_catalogue()
    assert len(load_catalogue().elements) >= 50


def test_it_holds_every_element_id_named_in_the_reference() -> None:
    expected = {
        *CAH_CTX,
        "CAH-MUR-1",
        "CAH-ENS-1",
        "CAH-IMP-1",
        "CAH-IMP-2",
        "CAH-IMP-3",
        "CAH-TOR-1",
        "CAH-TOR-2",
        "CAH-TOR-3",
        "CAH-RAP-1",
        "CAH-RAP-2",
        "CAH-SXS-1",
        "CAH-SXS-2",
        "CAH-SXV-1",
        "CAH-SXV-2",
        "CAH-SXV-3",
        "CAH-PER-1",
        "CAH-PER-2",
        "CAH-PER-3",
        "CAH-PER-4",
        "CAH-OIA-1",
        "CAH-OIA-2",
        "CAH-OIA-3",
        "CAH-OIA-FM",
        "GEN-KIL-1",
        "GEN-HARM-1",
        "GEN-GROUP",
        "GEN-INTENT",
        "GEN-CTX",
        "WC-CTX-1",
        "WC-CTX-2",
        "WC-STAT-1",
        "WC-STAT-2",
        "WC-MUR-1",
        "WC-CRU-1",
        "WC-TOR-1",
        "WC-TOR-2",
        "WC-OUT-1",
        "WC-OUT-2",
        "WC-SEN-1",
        "WC-SEN-2",
        "WC-SEN-3",
    }
    assert expected <= set(load_catalogue().elements)


def test_every_name_and_element_has_arabic_text() -> None:
    catalogue = load_catalogue()
    texts = [e.text_ar for e in catalogue.elements.values()]
    texts += [c.name_ar for c in catalogue.crimes.values()]
    texts += [m.name_ar for m in catalogue.modes.values()] + [
        m.text_ar for m in catalogue.modes.values()
    ]
    for text in texts:
        assert any("\u0600" <= ch <= "\u06ff" for ch in text), text


def test_it_flags_reference_k_items_for_verification() -> None:
    catalogue = load_catalogue()
    assert catalogue.element("CAH-RAP-1").verify_against_official
    assert catalogue.element("CAH-PER-3").verify_against_official
    assert not catalogue.element("CAH-MUR-1").verify_against_official


def test_sexual_violence_elements_do_not_require_corroboration() -> None:
    catalogue = load_catalogue()
    for element_id in ("CAH-RAP-1", "CAH-SXS-2", "CAH-SXV-1", "WC-RAP-1"):
        assert catalogue.element(element_id).corroboration_required is False
    assert catalogue.element("CAH-MUR-1").corroboration_required is True


def test_elements_for_lists_own_elements_then_contextual() -> None:
    ids = [e.id for e in load_catalogue().elements_for("CAH-PERSECUTION")]
    assert ids == ["CAH-PER-1", "CAH-PER-2", "CAH-PER-3", "CAH-PER-4", *CAH_CTX]


def test_genocide_group_excludes_sogi_in_its_text() -> None:
    text = load_catalogue().element("GEN-GROUP").text_en
    assert "national, ethnical, racial or religious" in text
    assert "not protected" in text


def test_it_raises_named_errors_for_unknown_ids() -> None:
    catalogue = load_catalogue()
    with pytest.raises(UnknownElementError):
        catalogue.element("CAH-NOPE-1")
    with pytest.raises(UnknownCrimeError, match="known crimes"):
        catalogue.crime("CAH-NOPE")


def test_it_routes_a_sexual_orientation_killing_to_murder_and_persecution_not_genocide() -> None:
    crimes = load_catalogue().candidate_crimes("execution", "thrown_from_height", SOGI)
    assert "CAH-MURDER" in crimes
    assert "CAH-PERSECUTION" in crimes
    assert "WC-MURDER" in crimes
    assert not [c for c in crimes if c.startswith("GEN-")]


def test_sogi_grounds_never_route_to_genocide_even_with_a_protected_group_flag() -> None:
    crimes = load_catalogue().candidate_crimes(
        "killing", "shooting", ["sexual_orientation", "religious"], protected_group=True
    )
    assert not [c for c in crimes if c.startswith("GEN-")]


def test_a_religious_killing_of_a_protected_group_routes_to_genocide() -> None:
    catalogue = load_catalogue()
    assert "GEN-KILLING" in catalogue.candidate_crimes(
        "killing", "shooting", ["religious", "ethnic"], protected_group=True
    )
    assert "GEN-KILLING" not in catalogue.candidate_crimes("killing", "shooting", ["religious"])


def test_persecution_needs_an_attributed_ground() -> None:
    crimes = load_catalogue().candidate_crimes("killing", "shooting", [])
    assert "CAH-MURDER" in crimes and "CAH-PERSECUTION" not in crimes


def test_forced_marriage_routes_to_its_own_inhumane_act_charge_only_when_it_is_the_act() -> None:
    catalogue = load_catalogue()
    assert "CAH-FORCED-MARRIAGE" in catalogue.candidate_crimes("forced_marriage")
    assert "CAH-FORCED-MARRIAGE" not in catalogue.candidate_crimes("beating_flogging")


def test_candidate_elements_include_ground_elements_for_a_stated_charge() -> None:
    elements = load_catalogue().candidate_elements(
        "execution", "thrown_from_height", SOGI, ground="attributed_sexual_orientation"
    )
    assert {"CAH-MUR-1", "CAH-PER-1", "CAH-PER-2", "CAH-PER-3", "WC-SEN-1"} <= set(elements)
    assert "GEN-GROUP" not in elements


def test_it_rejects_a_misspelt_ground_tag() -> None:
    with pytest.raises(UnknownGroundTagError, match="sexual_orientation") as refused:
        load_catalogue().candidate_crimes("killing", None, ["sexual-orientation"])
    assert str(refused.value).startswith(
        "ground tags not in the catalogue: ['sexual-orientation']; use one of ")


def test_involvement_degrees_suggest_modes_of_liability() -> None:
    catalogue = load_catalogue()
    assert catalogue.modes_for_degree("gave_orders") == ["LIA-25-3-b"]
    assert catalogue.modes_for_degree("failed_to_prevent_commander") == ["LIA-28-a"]
    assert catalogue.mode("LIA-25-3-e").genocide_only


def test_validation_catches_a_dangling_requires(catalogue_copy: Path) -> None:
    _edit_elements(catalogue_copy, "CAH-PER-3", requires=["CAH-PER-2", "CAH-PER-99"])
    with pytest.raises(CatalogueError, match="CAH-PER-3: requires unknown element 'CAH-PER-99'"):
        load_catalogue_from(catalogue_copy)


def test_validation_names_ground_tags_not_in_the_catalogue_without_tag_s(
        catalogue_copy: Path) -> None:
    _edit_elements(catalogue_copy, "CAH-PER-3", bears_on={"ground_tags": ["no-such-tag"]})
    with pytest.raises(CatalogueError, match=r"CAH-PER-3: ground tags not in the catalogue: "
                                             r"\['no-such-tag'\]"):
        load_catalogue_from(catalogue_copy)


def test_validation_catches_a_requires_cycle(catalogue_copy: Path) -> None:
    _edit_elements(catalogue_copy, "CAH-PER-1", requires=["CAH-PER-3"])
    with pytest.raises(CatalogueError, match="cycle"):
        load_catalogue_from(catalogue_copy)


def test_validation_catches_a_crime_with_an_unknown_element(catalogue_copy: Path) -> None:
    path = catalogue_copy / "crimes.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("[CAH-MUR-1]", "[CAH-MUR-9]"), encoding="utf-8"
    )
    with pytest.raises(CatalogueError, match="CAH-MURDER: unknown element 'CAH-MUR-9'"):
        load_catalogue_from(catalogue_copy)


def test_validation_catches_a_missing_arabic_text(catalogue_copy: Path) -> None:
    _edit_elements(catalogue_copy, "CAH-MUR-1", text_ar=" ")
    with pytest.raises(CatalogueError, match="text_ar"):
        load_catalogue_from(catalogue_copy)


def test_a_valid_copy_loads(catalogue_copy: Path) -> None:
    assert load_catalogue_from(catalogue_copy).to_dict() == load_catalogue().to_dict()
