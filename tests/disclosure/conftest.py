"""Fixtures for the disclosure tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.disclosure.disclosure_helpers import build


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A finished synthetic package directory."""
    return build(tmp_path / "pkg").directory
