from __future__ import annotations

from datetime import date

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


@pytest.fixture
def charge(cast, world):  # type: ignore[no-untyped-def]
    """The persecution charge with K1's three reports, the copies of one video and the
    exculpatory report assessed."""
    from dhakira.apps.law import services

    made = services.create_charge(
        cast["layla"], crime_id="CAH-PERSECUTION", title="Persecution, Ninawa",
        places=[world.places["ninawa"]], date_from=date(2014, 6, 1), date_to=date(2017, 12, 31),
        ground_tags=["sexual_orientation"])
    for key in ("R1", "R2", "R3"):
        services.record_assessment(cast["layla"], made, item_uid=world.reports[key].uid,
                                   element_id="CAH-PER-1", stance="supports",
                                   standard="reasonable_grounds")
    services.record_assessment(cast["layla"], made, item_uid=world.acts["K2"].uid,
                               element_id="CAH-PER-2", stance="supports",
                               standard="reasonable_grounds")
    services.record_assessment(cast["layla"], made, item_uid=world.reports["EXCUL"].uid,
                               element_id="CAH-PER-1", stance="undermines",
                               standard="reasonable_grounds")
    return made
