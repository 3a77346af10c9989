"""Every public function's docstring examples run as tests, and every public name has them."""

from __future__ import annotations

import doctest
import importlib
import inspect

import pytest

import dhakira.names

# Imported by name: the package re-exports functions that shadow the modules `compare` and
# `normalise`.
MODULES = [
    importlib.import_module(f"dhakira.names{suffix}")
    for suffix in ("", ".normalise", ".keys", ".parse", ".compare")
]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_docstring_examples_pass(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize(
    "name", [n for n in dhakira.names.__all__ if inspect.isfunction(getattr(dhakira.names, n))]
)
def test_every_public_function_has_examples_and_sections(name: str) -> None:
    doc = inspect.getdoc(getattr(dhakira.names, name)) or ""
    assert ">>> " in doc, f"{name} has no runnable example"
    assert "Args:" in doc and "Returns:" in doc


def test_the_docs_page_mentions_every_public_function() -> None:
    from pathlib import Path

    page = Path(__file__).parents[2] / "docs" / "names.md"
    text = page.read_text(encoding="utf-8")
    missing = [n for n in dhakira.names.__all__ if n not in text]
    assert not missing, f"docs/names.md does not mention {missing}"
