"""Passkeys without a browser: the relying party follows the address reached (HTTPS or
localhost), a reset removes passkeys, and answers that do not check out are refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory
from tests.cast import make_cast

from dhakira.apps.twofactor import passkeys, services
from dhakira.apps.twofactor.models import Passkey


@pytest.fixture
def cast(db: Any, settings: Any) -> dict[str, Any]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["localhost", "dhakira.office.test"]
    return make_cast()


def _request(url: str) -> Any:
    scheme, _, host = url.partition("://")
    request = RequestFactory().post("/account/two-step/passkey/options/", HTTP_HOST=host,
                                    secure=scheme == "https")
    request.session = {}  # type: ignore[attr-defined]
    return request


@pytest.mark.parametrize(("url", "rp_id"), [("https://dhakira.office.test:8443", "dhakira.office.test"),
                                            ("http://localhost:8000", "localhost")])
def test_the_options_name_the_host_reached_and_keep_one_challenge(cast: Any, url: str,
                                                                  rp_id: str) -> None:
    import json

    request = _request(url)
    options = json.loads(passkeys.registration_options(request, cast["rana"]))
    assert options["rp"] == {"id": rp_id, "name": "Dhakira"}
    assert options["user"]["name"] == "rana" and options["user"]["id"] != str(cast["rana"].pk)
    assert request.session[passkeys._REGISTERING] == options["challenge"]
    assert passkeys._origin(request) == url


def test_an_answer_that_does_not_check_out_is_refused_and_the_challenge_used_up(cast: Any) -> None:
    request = _request("http://localhost:8000")
    passkeys.registration_options(request, cast["rana"])
    with pytest.raises(passkeys.PasskeyRefused):
        passkeys.register(request, cast["rana"], '{"id": "AAAA", "rawId": "AAAA", "response": {}}',
                          "x")
    with pytest.raises(passkeys.PasskeyRefused, match="no registration"):
        passkeys.register(request, cast["rana"], "{}", "x")
    assert not Passkey.objects.exists()
    assert passkeys.login_options(request, cast["rana"]) is None  # no passkey, no challenge


def test_a_reset_removes_passkeys(cast: Any) -> None:
    rana = cast["rana"]
    Passkey.objects.create(user=rana, name="key", credential_id="AAAA", public_key=b"k")
    assert services.has_second_factor(rana)
    assert services.reset(rana, actor=cast["amal"]) == 1
    assert not Passkey.objects.exists() and not services.has_second_factor(rana)


def test_the_login_steps_answer_only_a_pending_login(cast: Any) -> None:
    """Without a password given first, the passkey steps of the login say so and log nobody in."""
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    for path in ("/login/code/passkey/options/", "/login/code/passkey/"):
        answer = client.post(path, "{}", content_type="application/json")
        assert answer.status_code == 400 and "error" in answer.json()
        assert "_auth_user_id" not in client.session
    assert client.get("/login/code/passkey/").status_code == 405


def test_a_session_that_never_gave_its_code_cannot_add_a_passkey(cast: Any) -> None:
    """A password-only session of an account with a second factor may not plant a passkey
    (registering one verifies the session)."""
    from django.test import Client
    from django.urls import reverse
    from django_otp.plugins.otp_totp.models import TOTPDevice

    rana = cast["rana"]
    TOTPDevice.objects.create(user=rana, name="phone", confirmed=True)
    client = Client(HTTP_HOST="localhost")
    client.force_login(rana)
    for name in ("twofactor:passkey_options", "twofactor:passkey_register"):
        answer = client.post(reverse(name), "{}", content_type="application/json")
        assert answer.status_code == 403 and "أولًا" in answer.json()["error"]  # Arabic first
    assert passkeys._REGISTERING not in client.session and not Passkey.objects.exists()
