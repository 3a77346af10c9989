from __future__ import annotations

import pytest
from tests.cast import PASSWORD, make_cast
from tests.legal import scenario

from dhakira.dossier.accounts import create_user


@pytest.fixture
def cast(db, settings):  # type: ignore[no-untyped-def]
    # Argon2 is the production hasher; a fast one keeps these tests quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    people = make_cast()
    people["layla"] = create_user("layla", PASSWORD, role="legal", actor="test-setup")
    return people


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    return scenario.build()
