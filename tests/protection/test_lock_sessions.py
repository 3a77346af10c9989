"""Finding 5 (issue 13): sessions survived lock and unlock, and idle sessions lived on.

The red team locked the vault, posted only the vault passphrase to ``/unlock/``, and every
logged-in browser was back; a session idle for 8+ minutes still answered ``/api/people/N/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from tests.cast import client_for
from tests.protection.conftest import SLOT_PASSPHRASE, World

from dhakira.apps.dossier.views import _drafts
from dhakira.apps.vault import lockdown
from dhakira.apps.web import middleware
from dhakira.core.vault import session

PASSPHRASE = SLOT_PASSPHRASE


def _person_api(world: World) -> str:
    return reverse("dossier:api_person_detail", args=[world.scenario.victim.pk])


def test_finding_05_unlocking_with_the_passphrase_brings_no_browser_back(
        world: World, slot_vault: Path) -> None:
    nadia, amal = client_for("nadia"), client_for("amal")
    assert amal.get(_person_api(world)).status_code == 200
    _drafts.save(world.users["amal"], {"narrative": "half-typed"})
    assert nadia.post(reverse("lock")).status_code == 423
    # Amal's browser still sends its (now dead) session cookie with the unlock form.
    assert amal.post(reverse("unlock"), {"passphrase": PASSPHRASE}).status_code == 302
    assert session.is_unlocked()
    for client in (amal, nadia):
        response = client.get(_person_api(world))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        assert client.get(reverse("protection:dashboard")).status_code == 302
    # Only login sessions went: a draft lives in the same table and is still there.
    assert _drafts.load(world.users["amal"]) == {"narrative": "half-typed"}


def test_finding_05_a_lock_by_signal_also_ends_every_session(world: World) -> None:
    amal = client_for("amal")
    logins = Session.objects.exclude(session_key__regex=_drafts.KEY_PATTERN).count()
    assert logins >= 1
    key = session.get_key()
    lockdown.lock_now(actor="dhakira-lock", via="signal")
    session.set_key(key)
    assert not Session.objects.exclude(session_key__regex=_drafts.KEY_PATTERN).exists()
    assert amal.get(_person_api(world)).status_code == 302


def test_finding_05_an_idle_session_ends_on_the_server(world: World, settings: Any,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    settings.IDLE_LOCK_SECONDS = 300
    now = [1_000_000.0]
    monkeypatch.setattr(middleware, "clock", lambda: now[0])
    amal = client_for("amal")
    assert amal.get(_person_api(world)).status_code == 200
    now[0] += 299  # active within the period: still in
    assert amal.get(_person_api(world)).status_code == 200
    now[0] += 299
    assert amal.get(_person_api(world)).status_code == 200
    now[0] += 8 * 60  # the red team's 8 minutes without a request
    response = amal.get(_person_api(world))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert amal.get(_person_api(world)).status_code == 302  # the session is gone, not paused


def test_a_request_does_not_write_the_session_to_keep_the_login_alive(
        world: World, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # Issue 19: the "last seen" time was saved into the session every tenth of the idle
    # period, a database write queued behind every report save for SQLite's one write lock.
    settings.IDLE_LOCK_SECONDS = 300
    now = [1_000_000.0]
    monkeypatch.setattr(middleware, "clock", lambda: now[0])
    amal = client_for("amal")
    key = amal.session.session_key
    row = Session.objects.get(session_key=key)
    for _ in range(4):
        now[0] += 100  # each request later than a tenth of the period after the one before
        with CaptureQueriesContext(connection) as queries:
            assert amal.get(_person_api(world)).status_code == 200
        writes = [q["sql"] for q in queries.captured_queries
                  if "django_session" in q["sql"] and not q["sql"].lstrip().startswith("SELECT")]
        assert writes == []
    after = Session.objects.get(session_key=key)
    assert (after.session_data, after.expire_date) == (row.session_data, row.expire_date)
    now[0] += 301  # and it still ends when idle
    assert amal.get(_person_api(world)).status_code == 302


def test_a_login_the_server_does_not_know_ends(world: World, settings: Any,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # A session from before the server started (or forgotten by a full table): fail safe.
    settings.IDLE_LOCK_SECONDS = 300
    amal = client_for("amal")
    middleware.LAST_USE.forget(amal.session.session_key or "")
    response = amal.get(_person_api(world))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_idle_limit_of_zero_turns_the_server_side_expiry_off(
        world: World, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.IDLE_LOCK_SECONDS = 0
    now = [1_000_000.0]
    monkeypatch.setattr(middleware, "clock", lambda: now[0])
    amal = client_for("amal")
    now[0] += 86_400
    assert amal.get(_person_api(world)).status_code == 200


def test_while_locked_the_idle_check_does_not_touch_the_session_of_the_unlock_form() -> None:
    # The session store is in the locked database: reading it would fail the unlock.
    session.lock()
    request = RequestFactory().post(reverse("unlock"))
    request.user = SimpleLazyObject(lambda: pytest.fail("the session was read while locked"))
    response = middleware.IdleSessionMiddleware(lambda r: HttpResponse("unlock form"))(request)
    assert response.content == b"unlock form"
