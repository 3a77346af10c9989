"""Two-step login in a real browser (issue 19, item 1): enrol by typing the secret shown next
to the QR code, then log in with the password and a code computed as the phone would."""

from __future__ import annotations

import base64

import pytest
from tests.browser.conftest import LAPTOP, open_as
from tests.cast import PASSWORD
from tests.web.test_two_step import code

pytestmark = [pytest.mark.browser]


@pytest.fixture
def cast(transactional_db, fast_passwords):  # type: ignore[no-untyped-def]
    from tests.cast import make_cast

    return make_cast()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_enrol_with_the_typed_secret_then_log_in_with_a_code(browser, live_server, cast,  # type: ignore[no-untyped-def]
                                                             lang) -> None:
    page = open_as(browser, live_server, "rana", lang, device=LAPTOP)
    page.click("#two-step")
    assert page.locator("#twofactor-qr").evaluate("img => img.naturalWidth") > 0  # drawn, CSP allows
    typed = page.inner_text("#twofactor-secret").replace(" ", "")
    key = base64.b32decode(typed + "=" * (-len(typed) % 8))
    page.fill("#id_token", code(key))
    page.click("form button[type=submit] >> nth=-1")
    assert page.locator("#recovery-codes li").count() == 10
    page.click("#logout")

    page.goto(live_server.url + "/login/")
    page.fill("#id_username", "rana")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit] >> nth=-1")
    page.wait_for_url(live_server.url + "/login/code/")
    page.fill("#id_token", code(key, 1))  # the next step: the enrolment's code is used up
    page.click("button[type=submit] >> nth=-1")
    page.wait_for_url(live_server.url + "/")
    assert page.locator("#logout").is_visible()
    page.context.close()
