from __future__ import annotations

import pytest

from dhakira.dossier.accounts import create_user
from tests.cast import PASSWORD, make_cast
from tests.legal import scenario


@pytest.fixture
def cast(db):  # type: ignore[no-untyped-def]
    people = make_cast()
    people["layla"] = create_user("layla", PASSWORD, role="legal")
    return people


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    return scenario.build()
