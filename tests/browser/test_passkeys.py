"""Passkeys (WebAuthn) in a real browser: register one on the two-step page, then log in with
the password and the passkey. Chromium's virtual authenticator (DevTools' WebAuthn domain)
plays the security key; the server checks everything with py_webauthn. On ``localhost``, in
Arabic and in English."""

from __future__ import annotations

import pytest
from tests.browser.conftest import LAPTOP, open_as
from tests.cast import PASSWORD
from tests.protection._served import PASSWORD as PASSWORD_OF_SERVED

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


HOST = "dhakira.office.test"  # a name as an office would give its server (RFC 2606 .test)


def test_a_passkey_over_https_on_a_real_dhakira_serve(browser, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`dhakira serve --tls-self-signed` with the vault's certificate for an office name.

    Chromium refuses WebAuthn on a page with a certificate error, so this browser trusts the
    vault's key the way a pinned fingerprint would (its SPKI hash), and resolves the name to
    loopback. Register a passkey, log out, log in with the password and the passkey.
    """
    import base64
    import hashlib

    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from tests.browser.conftest import ARGS, CHROMIUM
    from tests.protection._served import ADMIN, clean_env, dhakira, make_vault, serving
    from tests.web.test_tls import _pinned

    env = clean_env() | {"DHAKIRA_ALLOWED_HOSTS": f"127.0.0.1,{HOST}"}
    vault, secret = make_vault(tmp_path, env)
    made = dhakira("tls", "make", "--vault", str(vault), "--passphrase-file", str(secret),
                   "--name", HOST, "--name", "127.0.0.1", env=env)
    assert made.returncode == 0, made.stderr
    cert_pem = (vault / "tls" / "cert.pem").read_bytes()
    spki = x509.load_pem_x509_certificate(cert_pem).public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    pin = base64.b64encode(hashlib.sha256(spki).digest()).decode()
    with serving(vault, secret, env, "--tls-self-signed", tls=_pinned(cert_pem),
                 seconds=180) as served:
        port = served.base.rsplit(":", 1)[1]
        base = f"https://{HOST}:{port}"
        # A second Chromium of the same driver: trust and name resolution are launch options.
        chromium = browser.browser_type.launch(executable_path=CHROMIUM, headless=True, args=[
            *ARGS, f"--ignore-certificate-errors-spki-list={pin}",
            f"--host-resolver-rules=MAP {HOST} 127.0.0.1"])
        try:
            page = chromium.new_context(locale="ar").new_page()
            cdp, authenticator = _authenticator(page)
            page.goto(base + "/login/")
            page.fill("#id_username", ADMIN)
            page.fill("#id_password", PASSWORD_OF_SERVED)
            page.click("button[type=submit] >> nth=-1")
            page.wait_for_url(base + "/")
            page.click("#two-step")
            page.click("#passkey-add")
            page.wait_for_selector("#passkey-status.ok")
            assert DONE["ar"] in page.inner_text("#passkey-status")
            page.click("#logout")
            page.goto(base + "/login/")
            page.fill("#id_username", ADMIN)
            page.fill("#id_password", PASSWORD_OF_SERVED)
            page.click("button[type=submit] >> nth=-1")
            page.wait_for_url(base + "/login/code/")
            page.click("#passkey-use")
            page.wait_for_url(base + "/")
            assert page.locator("#logout").count() == 1
            stored = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
            assert stored["credentials"][0]["rpId"] == HOST
            assert all(c["secure"] for c in page.context.cookies())
        finally:
            chromium.close()
