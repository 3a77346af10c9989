"""Every module's docstring examples run and pass."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import dhakira.dates

MODULES = ["dhakira.dates"] + [
    f"dhakira.dates.{info.name}" for info in pkgutil.iter_modules(dhakira.dates.__path__)
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_pass(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_the_public_modules_carry_examples():
    attempted = sum(doctest.testmod(importlib.import_module(n)).attempted for n in MODULES)
    assert attempted >= 15
