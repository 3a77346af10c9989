"""Chromium against a real `dhakira serve --tls-self-signed` (issue 19, item 1): the pinned
fingerprint checked, then a login over HTTPS with Secure cookies, HSTS and CSRF passing."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.protection._served import ADMIN, PASSWORD, clean_env, dhakira, make_vault, serving
from tests.web.test_tls import _fingerprint_line, _peer_fingerprint, _pinned

pytestmark = [pytest.mark.browser, pytest.mark.backend_independent]


def test_chromium_logs_in_over_https_with_secure_cookies(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    env = clean_env()
    vault, secret = make_vault(tmp_path, env)
    made = dhakira("tls", "make", "--vault", str(vault), "--passphrase-file", str(secret),
                   "--name", "127.0.0.1", env=env)
    assert made.returncode == 0, made.stderr
    pinned = _pinned((vault / "tls" / "cert.pem").read_bytes())
    with serving(vault, secret, env, "--tls-self-signed", tls=pinned) as served:
        # What a person does before accepting the warning: compare the fingerprint.
        assert _peer_fingerprint(served.base) == _fingerprint_line(made.stdout)
        context = browser.new_context(locale="en", ignore_https_errors=True)
        page = context.new_page()
        answer = page.goto(served.base + "/login/")
        assert answer is not None and answer.headers["strict-transport-security"] == "max-age=31536000"
        page.fill("#id_username", ADMIN)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit] >> nth=-1")
        page.wait_for_url(served.base + "/")
        assert page.locator("#logout").is_visible()
        cookies = {c["name"]: c for c in context.cookies()}
        assert {"sessionid", "csrftoken"} <= set(cookies)
        assert all(c["secure"] for c in cookies.values())
        context.close()
