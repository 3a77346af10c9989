"""Finding 10: logins are throttled per user name and per client address."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse
from tests.cast import PASSWORD

from dhakira.apps.web import login

LOCKED_OUT = "Too many failed logins for this user or from this computer"


def _login(username: str, password: str, client: str = "127.0.0.1") -> Any:
    return Client(REMOTE_ADDR=client, HTTP_ACCEPT_LANGUAGE="en").post(
        reverse("login"), {"username": username, "password": password})


def test_finding_10_thirty_wrong_logins_then_the_right_one_is_refused(cast: Any) -> None:
    for n in range(30):
        assert _login("rana", f"guess number {n}", client=f"10.1.0.{n}").status_code == 200
    response = _login("rana", PASSWORD, client="10.1.0.99")
    assert response.status_code == 200 and "_auth_user_id" not in response.client.session
    assert LOCKED_OUT in response.content.decode()


def test_finding_10_one_client_guessing_many_names_is_locked_out(cast: Any) -> None:
    for n in range(login.CLIENT_THROTTLE.attempts):
        _login(f"nobody{n}", "guess guess guess", client="192.0.2.50")
    assert LOCKED_OUT in _login("samir", PASSWORD, client="192.0.2.50").content.decode()
    assert _login("samir", PASSWORD, client="192.0.2.51").status_code == 302


def test_finding_10_the_lockout_ends_after_the_period(cast: Any, monkeypatch: Any) -> None:
    now = [1000.0]
    monkeypatch.setattr(login.USER_THROTTLE, "clock", lambda: now[0])
    for _ in range(login.USER_THROTTLE.attempts):
        _login("victor", "not the password at all")
    assert LOCKED_OUT in _login("victor", PASSWORD).content.decode()
    now[0] += login.PERIOD + 1
    assert _login("victor", PASSWORD).status_code == 302


def test_a_wrong_password_still_says_wrong_password(cast: Any) -> None:
    body = _login("amal", "not the password at all").content.decode()
    assert "The user name or password is wrong" in body and LOCKED_OUT not in body


def test_a_success_forgets_the_users_earlier_failures(cast: Any) -> None:
    for _ in range(login.USER_THROTTLE.attempts - 1):
        _login("rana", "not the password at all")
    assert _login("rana", PASSWORD).status_code == 302
    for _ in range(login.USER_THROTTLE.attempts - 1):
        _login("rana", "not the password at all")
    assert _login("rana", PASSWORD).status_code == 302
