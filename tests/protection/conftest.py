"""A world for protection tests: the shared cast plus a second protection-cleared user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any

import pytest
from tests.cast import PASSWORD, make_cast
from tests.conftest import new_vault_dir
from tests.dossier import scenario

from dhakira.apps.dossier.accounts import create_user
from dhakira.apps.protection import services
from dhakira.apps.protection.models import ProtectionCase
from dhakira.apps.vault import unlocking
from dhakira.core.vault import keyslots, session

# Distinctive synthetic strings, so a search of any page or byte finds them if they leak.
THREAT = "Named on the Hisba list Qzxthreatword"
ROUTE = "Via the Qzxroute orchard road to checkpoint 9"
SMUGGLER = "Abu Qzxsmuggler, 0770 555 0199"
TASK = "Tell Qzxtaskword at the crossing"
NOTE = "Qzxnoteword called at dawn"


@dataclass
class World:
    users: dict[str, Any]
    scenario: scenario.Scenario
    case: ProtectionCase
    key: bytes


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # Argon2 is the right hasher for people and the wrong one for a hundred test logins.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db: Any) -> World:
    users = make_cast()
    users["nadia"] = create_user("nadia", PASSWORD, role="documenter", clearances=["protection"],
                                 actor="test-setup")
    s = scenario.build()
    amal = users["amal"]
    case = services.open_case(amal, threat=THREAT, risk_level="critical", person=s.victim,
                              requested_by="mother", rng=Random(1))
    services.add_perishable(amal, case, kind="route", value=ROUTE)
    services.add_perishable(amal, case, kind="smuggler", value=SMUGGLER)
    services.add_task(amal, case, title=TASK, owner=users["nadia"],
                      due_at=datetime.now(UTC) - timedelta(hours=2))
    services.add_note(amal, case, text=NOTE)
    from dhakira.core.vault import session

    return World(users, s, case, session.get_key())


SLOT_PASSPHRASE = "a long vault passphrase"


@pytest.fixture
def slot_vault(tmp_path: Path, settings: Any) -> Path:
    """A vault folder with a key slot that wraps the test database's key, so that unlocking
    really reopens it, and the unlock limits cleared."""
    new_vault_dir(settings, tmp_path)
    keyslots._write_slot(tmp_path, session.get_key(), SLOT_PASSPHRASE, "test",
                         keyslots.default_params())
    unlocking.reset_limits()
    unlocking._pending.clear()
    return tmp_path
