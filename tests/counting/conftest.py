from __future__ import annotations

import pytest
from tests.counting import scenario


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    return scenario.build()

