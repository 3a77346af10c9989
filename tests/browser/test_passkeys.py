"""Passkeys (WebAuthn) in a real browser: register one on the two-step page, then log in with
the password and the passkey. Chromium's virtual authenticator (DevTools' WebAuthn domain)
plays the security key; the server checks everything with py_webauthn. On ``localhost``, in
Arabic and in English."""

from __future__ import annotations

import pytest
from tests.browser.conftest import LAPTOP, open_as
from tests.cast import PASSWORD

pytestmark = [pytest.mark.browser]

DONE = {"en": "Passkey registered.", "ar": "سُجّل مفتاح المرور."}


@pytest.fixture
def cast(transactional_db, fast_passwords):  # type: ignore[no-untyped-def]
    from tests.cast import make_cast

    return make_cast()


def _authenticator(page):  # type: ignore[no-untyped-def]
    """A virtual platform authenticator on ``page`` (user present and verified); its id."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    made = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True,
        "automaticPresenceSimulation": True}})
    return cdp, made["authenticatorId"]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_register_a_passkey_then_log_in_with_it(browser, live_server, cast, lang) -> None:  # type: ignore[no-untyped-def]
    from dhakira.apps.custody.models import LedgerEntry
    from dhakira.apps.twofactor.models import Passkey

    assert live_server.url.startswith("http://localhost:")  # WebAuthn's one plain-HTTP host
    page = open_as(browser, live_server, "rana", lang, device=LAPTOP)
    cdp, authenticator = _authenticator(page)
    page.click("#two-step")
    page.fill("#passkey-name", "حاسوب المكتب" if lang == "ar" else "office laptop")
    page.click("#passkey-add")
    page.wait_for_selector("#passkey-status.ok")
    assert DONE[lang] in page.inner_text("#passkey-status")
    held = Passkey.objects.get(user=cast["rana"])
    assert held.confirmed and held.name in {"حاسوب المكتب", "office laptop"}
    assert LedgerEntry.objects.filter(detail__account="passkey enrolled").count() == 1
    stored = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(stored["credentials"]) == 1  # the key stays in the authenticator

    page.click("#logout")
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", "rana")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit] >> nth=-1")
    page.wait_for_url(live_server.url + "/login/code/")  # the password alone is not enough
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    page.click("#passkey-use")
    page.wait_for_url(live_server.url + "/")
    assert page.locator("#logout").count() == 1  # logged in, and the session stays
    page.goto(live_server.url + "/reports/")
    assert page.url.startswith(live_server.url + "/reports/")
    held.refresh_from_db()
    signed = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert held.sign_count == signed["credentials"][0]["signCount"] >= 1
    page.context.close()


def test_an_answer_to_no_challenge_does_not_log_in(  # type: ignore[no-untyped-def]
        browser, live_server, cast) -> None:
    page = open_as(browser, live_server, "samir", "en", device=LAPTOP)
    _authenticator(page)
    page.click("#two-step")
    page.click("#passkey-add")
    page.wait_for_selector("#passkey-status.ok")
    page.click("#logout")
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", "samir")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit] >> nth=-1")
    page.wait_for_url(live_server.url + "/login/code/")
    # Without asking for a challenge first, an answer is refused (no challenge to match).
    refused = page.evaluate("""async () => {
        const token = document.querySelector('input[name=csrfmiddlewaretoken]').value;
        const r = await fetch('/login/code/passkey/', {method: 'POST', body: '{"id": "x"}',
            headers: {'X-CSRFToken': token, 'Content-Type': 'application/json'}});
        return [r.status, (await r.json()).error];
    }""")
    assert refused[0] == 400 and "could not be checked" in refused[1]
    assert page.url == live_server.url + "/login/code/"
    page.context.close()
