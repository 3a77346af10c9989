"""The catalogue's vocabulary codes exist in dhakira/core/vocabularies (read as data, not imported)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import dhakira
from dhakira.core.law import load_catalogue

VOCAB_DIR = Path(dhakira.__file__).parent / "core" / "vocabularies" / "data"


def _codes(name: str) -> dict[str, dict]:
    path = VOCAB_DIR / f"{name}.yaml"
    if not path.exists():
        pytest.skip(f"vocabulary {name} not present")
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {term["code"]: term for term in doc["terms"]}


@pytest.mark.parametrize(
    ("vocabulary", "field"),
    [("act_types", "act_types"), ("methods", "methods"), ("grounds", "grounds")],
)
def test_bears_on_codes_exist_in_the_vocabulary(vocabulary: str, field: str) -> None:
    known = _codes(vocabulary)
    used = {code for e in load_catalogue().elements.values() for code in getattr(e.bears_on, field)}
    assert used - set(known) == set()


def test_ground_tags_of_the_vocabulary_are_known_to_the_catalogue() -> None:
    tags = {t for term in _codes("grounds").values() for t in term.get("ground_tags", [])}
    assert tags <= set(load_catalogue().ground_tags)


def test_involvement_degree_liability_hints_agree_with_the_catalogue() -> None:
    catalogue = load_catalogue()
    for code, term in _codes("involvement_degrees").items():
        assert code in catalogue.involvement_degrees
        if term.get("liability"):
            assert term["liability"] in catalogue.modes_for_degree(code), code
