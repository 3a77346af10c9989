from __future__ import annotations

import pytest
from tests.cast import make_cast
from tests.counting import scenario


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    return scenario.build()


@pytest.fixture
def cast(db, settings):  # type: ignore[no-untyped-def]
    # Argon2 is the production hasher; a fast one keeps these tests quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return make_cast()
