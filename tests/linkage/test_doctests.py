"""The link command's arguments (the linkage core's docstring examples run in tests/test_doctests.py)."""

from __future__ import annotations

from click.testing import CliRunner

from dhakira.cli import main


def test_the_link_command_asks_for_an_actor() -> None:
    result = CliRunner().invoke(main, ["link", "--vault", "/nonexistent"])
    assert result.exit_code == 64 and "--actor" in result.output
