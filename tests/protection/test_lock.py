"""Lock now (button) and the unlock form of the locked page, in process."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse
from tests.cast import client_for
from tests.protection.conftest import SLOT_PASSPHRASE, World

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.vault import unlocking
from dhakira.core.vault import session

PASSPHRASE = SLOT_PASSPHRASE


def test_lock_now_drops_the_key_and_every_page_is_then_locked(world: World) -> None:
    client = client_for("nadia")
    response = client.post(reverse("lock"))
    assert response.status_code == 423 and not session.is_unlocked()
    for url in ("/", reverse("protection:dashboard"), reverse("login"), "/admin/"):
        assert client.get(url).status_code == 423, url
    session.set_key(world.key)
    assert LedgerEntry.objects.filter(action="lock", actor="nadia").exists()


def test_an_administrator_may_lock_but_others_without_clearance_get_404(world: World) -> None:
    assert client_for("rana").post(reverse("lock")).status_code == 404
    assert session.is_unlocked()
    assert client_for("amal").post(reverse("lock")).status_code == 423


def test_lock_now_rejects_get(world: World) -> None:
    assert client_for("amal").get(reverse("lock")).status_code == 405
    assert session.is_unlocked()


def test_the_locked_page_unlocks_with_the_passphrase(world: World, slot_vault: Path) -> None:
    client = client_for("nadia")
    client.post(reverse("lock"))
    wrong = client.post(reverse("unlock"), {"passphrase": "not it"})
    assert wrong.status_code == 423 and "Wrong passphrase" in wrong.content.decode()
    assert not session.is_unlocked()
    right = client.post(reverse("unlock"), {"passphrase": PASSPHRASE})
    assert right.status_code == 302 and session.is_unlocked()
    assert client_for("nadia").get(reverse("protection:dashboard")).status_code == 200
    lock, unlock = (LedgerEntry.objects.filter(action=a).get() for a in ("lock", "unlock"))
    assert lock.seq < unlock.seq


def test_the_unlock_form_is_rate_limited(world: World, slot_vault: Path) -> None:
    client = client_for("nadia")
    client.post(reverse("lock"))
    for _ in range(unlocking.UNLOCK_THROTTLE.attempts):
        unlocking.UNLOCK_THROTTLE.reserve("client:127.0.0.1")
    response = client.post(reverse("unlock"), {"passphrase": PASSPHRASE})
    assert response.status_code == 423 and not session.is_unlocked()


def test_the_locked_page_carries_the_unlock_form(world: World) -> None:
    client = client_for("amal")
    body = client.post(reverse("lock")).content.decode()
    assert 'action="/unlock/"' in body and 'type="password"' in body


def test_dhakira_lock_without_a_server_says_so(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from dhakira.cli import main

    result = CliRunner().invoke(main, ["lock", "--vault", str(tmp_path)])
    assert result.exit_code == 1 and "no server is running" in result.output
