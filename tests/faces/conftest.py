"""Faces tests: each gets its own vault directory (blobs, signing key)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.cast import add_legal_officer
from tests.conftest import new_vault_dir


@pytest.fixture
def vault(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    return new_vault_dir(settings, tmp_path / "vault")


@pytest.fixture
def cast(vault: Path, cast: dict[str, object]) -> dict[str, object]:
    """The shared cast and layla (legal), made once this test's vault directory is in place."""
    return add_legal_officer(cast)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
