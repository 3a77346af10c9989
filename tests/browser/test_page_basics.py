"""Issue 17, finding 9: a skip link and a visible focus, a favicon, and Arabic in the app's
own font rather than whatever the machine falls back to."""

from __future__ import annotations

import pytest
from tests.browser.conftest import LAPTOP, open_as

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_finding_17_9_the_first_tab_is_a_skip_link_to_the_content(browser, live_server, world,
                                                                  lang) -> None:  # type: ignore[no-untyped-def]
    page = open_as(browser, live_server, "rana", lang, device=LAPTOP)
    page.goto(live_server.url + "/reports/new/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    page.wait_for_url("**/reports/new/#main")  # the jump is a navigation: awaited, not raced
    page.context.close()


def test_finding_17_9_arabic_is_drawn_in_the_bundled_font(browser, live_server, world) -> None:  # type: ignore[no-untyped-def]
    page = open_as(browser, live_server, "rana", "ar", device=LAPTOP)
    page.evaluate("document.fonts.ready")
    loaded = page.evaluate("""async () => {
        await document.fonts.load('16px "Dhakira Arabic"', 'ذاكرة');
        return [...document.fonts].filter(f => f.family.includes('Dhakira Arabic')
                                                && f.status === 'loaded').length;
    }""")
    assert loaded >= 1, "run `make fonts`: the Arabic web font is missing"
    icon = page.request.get(live_server.url + "/static/web/favicon.svg")
    assert icon.ok and b"<svg" in icon.body()
    page.context.close()
