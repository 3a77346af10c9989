"""Evidence tests: each gets its own vault directory, so blobs never leak between tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import new_vault_dir

from dhakira.apps.evidence.intake import Collection


@pytest.fixture
def vault(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    return new_vault_dir(settings, tmp_path / "vault")


@pytest.fixture
def cast(vault: Path, cast: dict[str, object]) -> dict[str, object]:
    """The shared cast, made once this test's vault directory is in place."""
    return cast


@pytest.fixture
def collection() -> Collection:
    return Collection(collector="rana", method="copied from a USB stick", tool="test-tool/1")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:  # type: ignore[no-untyped-def]
    # Argon2 is right for real users and far too slow for making the cast in every test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
