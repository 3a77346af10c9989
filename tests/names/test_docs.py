"""Every public name has docstring examples (tests/test_doctests.py runs them) and a place in
docs/names.md."""

from __future__ import annotations

import inspect

import pytest

import dhakira.core.names


@pytest.mark.parametrize(
    "name", [n for n in dhakira.core.names.__all__ if inspect.isfunction(getattr(dhakira.core.names, n))]
)
def test_every_public_function_has_examples_and_sections(name: str) -> None:
    doc = inspect.getdoc(getattr(dhakira.core.names, name)) or ""
    assert ">>> " in doc, f"{name} has no runnable example"
    assert "Args:" in doc and "Returns:" in doc


def test_the_docs_page_mentions_every_public_function() -> None:
    from pathlib import Path

    page = Path(__file__).parents[2] / "docs" / "names.md"
    text = page.read_text(encoding="utf-8")
    missing = [n for n in dhakira.core.names.__all__ if n not in text]
    assert not missing, f"docs/names.md does not mention {missing}"
