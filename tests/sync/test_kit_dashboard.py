"""The web app shows a field kit's user what waits to reach the office."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.cast import client_for
from tests.conftest import new_vault_dir
from tests.sync.fakekit import FakeKit

from dhakira.apps.dossier.models import Person
from dhakira.apps.fieldkit.models import KitState, Shipped

pytestmark = pytest.mark.django_db


@pytest.fixture
def kit_vault(db, settings, tmp_path: Path):  # type: ignore[no-untyped-def]
    from tests.cast import make_cast

    new_vault_dir(settings, tmp_path / "kit")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    make_cast()
    office = FakeKit().card()
    return KitState.objects.create(office_key_id=office.key_id,
                                   office_public_key=office.public_key.hex(),
                                   office_recipient=office.recipient)


def test_a_kit_dashboard_counts_records_not_yet_acknowledged(kit_vault) -> None:  # type: ignore[no-untyped-def]
    a, b = Person.objects.create(), Person.objects.create()
    body = client_for("rana").get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2 records wait to go to the office" in body
    from dhakira.apps.fieldkit import keys
    from dhakira.apps.fieldkit.records import collect

    acked = next(r for r in collect(keys.signer().key_id) if r.pk == a.pk)
    Shipped.objects.create(kind="person", local_pk=a.pk, gid=acked.gid,
                           content_hash=acked.content_hash, bundle_seq=1)
    KitState.objects.update(acked_seq=1, next_seq=2)
    body = client_for("rana").get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 record waits to go to the office" in body
    assert b.pk
    # A viewer cannot pack: no line for them.
    assert "to go to the office" not in client_for("victor").get("/").content.decode()
