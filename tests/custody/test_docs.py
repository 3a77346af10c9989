"""docs/custody.md stays true: its standalone verifier works on the vectors, actions match."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dhakira.core.custody import ACTIONS, PROBLEM_KINDS

ROOT = Path(__file__).parents[2]
DOC = (ROOT / "docs" / "custody.md").read_text()
VECTORS = json.loads((ROOT / "tests" / "vectors" / "custody" / "custody_vectors.json").read_text())


def _snippet_verifier():
    code = re.search(r"```python\n(.*?)```", DOC, re.S)
    assert code, "docs/custody.md lost its verification snippet"
    namespace: dict = {}
    exec(code.group(1), namespace)  # noqa: S102 - our own documentation
    return namespace["verify_ledger"]


def test_the_documented_verifier_accepts_the_valid_vector() -> None:
    (key_hex,) = VECTORS["public_keys"].values()
    assert _snippet_verifier()(VECTORS["valid"]["entries"], key_hex) == []


@pytest.mark.parametrize(
    "name",
    [
        "deleted_entry",
        "inserted_entry",
        "reordered_pair",
        "edited_field",
        "edited_and_rehashed",
        "resigned_unknown_key",
    ],
)
def test_the_documented_verifier_rejects_tampered_vectors(name: str) -> None:
    (key_hex,) = VECTORS["public_keys"].values()
    vector = next(v for v in VECTORS["invalid"] if v["name"] == name)
    assert _snippet_verifier()(vector["entries"], key_hex) != []


def test_every_action_and_problem_kind_is_documented() -> None:
    for word in (*ACTIONS, *PROBLEM_KINDS):
        assert f"`{word}`" in DOC, f"docs/custody.md does not mention `{word}`"
