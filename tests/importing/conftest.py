"""Import tests: each gets its own vault directory (the sheet is kept as an encrypted blob)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import new_vault_dir


@pytest.fixture
def vault(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    return new_vault_dir(settings, tmp_path / "vault")


@pytest.fixture
def cast(vault: Path, cast: dict[str, object]) -> dict[str, object]:
    """The shared cast, made once this test's vault directory is in place."""
    return cast


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
