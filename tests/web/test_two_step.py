"""Second factors for web accounts (issue 19, item 1): TOTP and recovery codes (django-otp).

Enrolment with the QR code's secret, the code after the password, single-use recovery codes,
a role that requires it, an administrator's reset (CLI), each change in custody.
"""

from __future__ import annotations

import base64
import re
import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.cast import PASSWORD, make_cast

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.dossier.accounts import subject_of
from dhakira.apps.twofactor import services
from dhakira.apps.web import login


@pytest.fixture
def cast(db: Any, settings: Any) -> dict[str, Any]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return make_cast()


def code(key: bytes, steps_ahead: int = 0) -> str:
    """The authenticator app's code, computed as the phone would (RFC 6238)."""
    totp = TOTP(key, step=30, t0=0, digits=6, drift=steps_ahead)
    totp.time = time.time()
    return f"{totp.token():06d}"


def next_code(username: str) -> str:
    """The code the phone shows next after the last one the server accepted.

    Not "now + 30 s": when enrolment crosses a 30-second boundary the server keeps the phone's
    clock as one step behind (django-otp's drift), and "now + 1" is then two steps ahead of
    what it accepts. The step after the last accepted one is always within its window.
    """
    device = TOTPDevice.objects.get(user__username=username)
    return f"{hotp(device.bin_key, device.last_t + 1, digits=6):06d}"


def _client() -> Client:
    return Client(REMOTE_ADDR="127.0.0.1", HTTP_ACCEPT_LANGUAGE="en")


def _password(client: Client, username: str) -> Any:
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def _enrol(username: str) -> tuple[bytes, list[str]]:
    """Log in and enrol ``username`` through the pages; the secret typed from the page, the codes."""
    client = _client()
    assert _password(client, username).status_code == 302
    page = client.get(reverse("twofactor:setup")).content.decode()
    assert 'src="data:image/svg+xml' in page  # the QR code, allowed by the CSP's img-src data:
    typed = re.search(r'id="twofactor-secret" dir="ltr">([A-Z2-7 ]+)<', page)
    assert typed
    raw = typed.group(1).replace(" ", "")
    key = base64.b32decode(raw + "=" * (-len(raw) % 8))
    assert client.post(reverse("twofactor:setup"), {"token": "000000" if code(key) != "000000"
                                                    else "111111"}).status_code == 400
    time.sleep(1.1)  # django-otp refuses any code for 2**(failures-1) s after a wrong one
    done = client.post(reverse("twofactor:setup"), {"token": code(key)})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([0-9a-f]{10})</code></li>", done.content.decode())
    assert len(codes) == services.RECOVERY_CODES
    return key, codes


def test_enrolment_then_every_login_asks_for_the_code_after_the_password(cast: Any) -> None:
    key, _ = _enrol("rana")
    assert LedgerEntry.objects.filter(subject=subject_of(cast["rana"]),
                                      detail__account="second factor enrolled").exists()
    client = _client()
    after_password = _password(client, "rana")
    assert after_password.status_code == 302 and after_password.url == reverse("twofactor:verify")
    assert "_auth_user_id" not in client.session  # the password alone logs nobody in
    assert client.get(reverse("web:dashboard")).status_code == 302  # to the login page
    assert client.post(reverse("twofactor:verify"), {"token": "12345"}).status_code == 400
    assert "_auth_user_id" not in client.session
    time.sleep(1.1)
    done = client.post(reverse("twofactor:verify"), {"token": next_code("rana")})
    assert done.status_code == 302 and client.session["_auth_user_id"] == str(cast["rana"].pk)
    assert client.get(reverse("web:dashboard")).status_code == 200


def test_a_recovery_code_logs_in_once(cast: Any) -> None:
    _, codes = _enrol("samir")
    first = _client()
    _password(first, "samir")
    assert first.post(reverse("twofactor:verify"), {"token": codes[0].upper()}).status_code == 302
    again = _client()
    _password(again, "samir")
    assert again.post(reverse("twofactor:verify"), {"token": codes[0]}).status_code == 400
    assert LedgerEntry.objects.filter(detail__account="recovery code used").count() == 1


def test_wrong_codes_are_throttled_like_passwords(cast: Any) -> None:
    key, _ = _enrol("victor")
    client = _client()
    _password(client, "victor")
    for _ in range(login.USER_THROTTLE.attempts):
        client.post(reverse("twofactor:verify"), {"token": "not a code"})
    refused = client.post(reverse("twofactor:verify"), {"token": next_code("victor")})
    assert refused.status_code == 400 and "Too many wrong codes" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_right_code_sent_too_soon_after_a_wrong_one_is_not_called_wrong(cast: Any) -> None:
    """A typo, then the right code 0.1 s later: "wrong or already used" (django-otp's wait
    after a wrong code checks nothing), so people retyped and used up their tries (found by a
    field-team pass). The page says to wait, and the code works after it."""
    _enrol("victor")
    client = _client()
    _password(client, "victor")
    typo = client.post(reverse("twofactor:verify"), {"token": "000001"}).content.decode()
    assert "wrong or was already used" in typo and 'id="wait"' not in typo
    soon = client.post(reverse("twofactor:verify"), {"token": next_code("victor")})
    said = soon.content.decode()
    assert soon.status_code == 400 and 'id="wait"' in said and "wrong or was already" not in said
    time.sleep(1.1)
    assert client.post(reverse("twofactor:verify"),
                       {"token": next_code("victor")}).status_code == 302


def test_a_role_that_requires_it_sees_only_the_enrolment_page_until_then(cast: Any) -> None:
    assert services.set_required("documenter", True, actor=cast["amal"])
    assert LedgerEntry.objects.filter(subject="role:documenter",
                                      detail__account="second factor required").exists()
    client = _client()
    assert _password(client, "rana").status_code == 302
    for url in (reverse("web:dashboard"), reverse("dossier:report_list")):
        answer = client.get(url)
        assert answer.status_code == 302 and answer.url == reverse("twofactor:setup"), url
    assert client.get(reverse("twofactor:setup")).status_code == 200
    # Other roles are not held.
    other = _client()
    _password(other, "samir")
    assert other.get(reverse("web:dashboard")).status_code == 200


def test_a_session_of_a_user_with_a_second_factor_that_gave_no_code_is_ended(cast: Any) -> None:
    _enrol("rana")
    client = _client()
    client.force_login(cast["rana"])  # a session made around the code page
    assert client.get(reverse("web:dashboard")).url == reverse("login")
    assert "_auth_user_id" not in client.session


def test_an_administrators_reset_removes_the_devices_and_is_in_custody(cast: Any) -> None:
    _enrol("rana")
    assert services.has_second_factor(cast["rana"])
    assert services.reset(cast["rana"], actor=cast["amal"]) == 2  # the app and the recovery codes
    assert not services.has_second_factor(cast["rana"])
    entry = LedgerEntry.objects.get(subject=subject_of(cast["rana"]),
                                    detail__account="second factor reset")
    assert entry.actor == "amal"
    client = _client()
    assert _password(client, "rana").url == reverse("web:dashboard")  # the password alone again


def test_the_qr_code_names_no_account() -> None:
    device = TOTPDevice(key="00" * 20)
    url = services.config_url(device)
    assert url.startswith("otpauth://totp/Dhakira?secret=") and "rana" not in url


def test_the_arabic_two_step_pages_write_western_digits(cast: Any) -> None:
    """The walk read «٦ أرقام» on the second-factor pages, the one Eastern Arabic figure in an
    app that writes Western digits everywhere else."""
    eastern = re.compile("[\u0660-\u0669\u06f0-\u06f9]")
    _enrol("rana")
    client = _client()
    client.cookies["django_language"] = "ar"
    _password(client, "rana")
    verify = client.get(reverse("twofactor:verify")).content.decode()
    assert "الرمز المكوَّن من 6 أرقام" in verify and not eastern.search(verify)
    newcomer = _client()
    newcomer.cookies["django_language"] = "ar"
    _password(newcomer, "samir")
    setup = newcomer.get(reverse("twofactor:setup")).content.decode()
    assert "الرمز المكوَّن من 6 أرقام" in setup and not eastern.search(setup)
