from __future__ import annotations

import pytest
from tests.cast import add_legal_officer
from tests.legal import scenario


@pytest.fixture
def cast(cast: dict[str, object]) -> dict[str, object]:
    """The shared cast and ``layla``, a legal officer."""
    return add_legal_officer(cast)


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    return scenario.build()
