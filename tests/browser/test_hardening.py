"""Browser hardening (issue 13, Low: no Content-Security-Policy) seen from a real browser.

The pages run under the strict policy with no violation (the fixture in conftest fails any
browser test that reports one), and a violation is really caught when it happens.
"""

from __future__ import annotations

import pytest
from tests.browser.conftest import open_as

from dhakira.apps.web.middleware import CONTENT_SECURITY_POLICY

pytestmark = [pytest.mark.browser]

PAGES = ["/", "/people/", "/events/", "/reports/", "/reports/new/", "/sources/", "/timeline/",
         "/map/", "/evidence/"]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_finding_low_every_main_page_runs_under_the_strict_csp(
        browser, live_server, world, lang, no_csp_violations) -> None:  # type: ignore[no-untyped-def]
    page = open_as(browser, live_server, "rana", lang)
    for path in PAGES + [f"/people/{world.victim.pk}/", f"/events/{world.event.pk}/"]:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status < 400, path
        headers = response.headers
        assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY, path
        assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        page.wait_for_load_state("load")
    page.context.close()
    assert no_csp_violations == []


def test_finding_low_an_inline_script_is_blocked_and_caught(
        browser, live_server, world, no_csp_violations) -> None:  # type: ignore[no-untyped-def]
    page = open_as(browser, live_server, "rana", "en")
    page.evaluate("""() => {
        window.injected = false;
        const s = document.createElement("script");
        s.textContent = "window.injected = true";
        document.body.appendChild(s);
        const d = document.createElement("div");
        d.setAttribute("style", "color: red");
        document.body.appendChild(d);
    }""")
    page.wait_for_timeout(200)
    assert page.evaluate("window.injected") is False  # the policy blocked it
    page.context.close()
    assert any("script-src" in v for v in no_csp_violations), no_csp_violations
    assert any("style-src" in v for v in no_csp_violations), no_csp_violations
    no_csp_violations.clear()  # seen and expected: the autouse check must not fail this test
