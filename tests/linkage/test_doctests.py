"""The examples in the linkage core's docstrings run as tests."""

from __future__ import annotations

import doctest
import importlib

import pytest
from click.testing import CliRunner

from dhakira.cli import main


@pytest.mark.parametrize("name", ["evaluate", "features", "model", "settings", "_training"])
def test_the_docstring_examples_hold(name: str) -> None:
    # import_module: the package re-exports a function called evaluate.
    failed, attempted = doctest.testmod(importlib.import_module(f"dhakira.linkage.{name}"))
    assert attempted and not failed


def test_the_link_command_asks_for_an_actor() -> None:
    result = CliRunner().invoke(main, ["link", "--vault", "/nonexistent"])
    assert result.exit_code == 2 and "--actor" in result.output
