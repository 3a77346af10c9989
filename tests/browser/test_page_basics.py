"""Issue 17, finding 9: a skip link and a visible focus, a favicon, and Arabic in the app's
own font rather than whatever the machine falls back to."""

from __future__ import annotations

import pytest
from tests.browser.conftest import LAPTOP, PIXEL_5, open_as

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_finding_17_9_the_first_tab_is_a_skip_link_to_the_content(browser, live_server, world,
                                                                  lang) -> None:  # type: ignore[no-untyped-def]
    page = open_as(browser, live_server, "rana", lang, device=LAPTOP)
    page.goto(live_server.url + "/reports/new/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-to-content"
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


# What a screen reader is told, checked in the page as drawn: the checks axe-core made in the
# walk of issue 17 ("nested-interactive" on the map, "empty-table-header" on two lists).
FOCUSABLE_IN_AN_IMAGE = """() => [...document.querySelectorAll('[role=img]')]
    .filter(e => e.querySelector('a[href], button, input, select, textarea, [tabindex]'))
    .map(e => e.id || e.tagName)"""
EMPTY_HEADERS = """() => [...document.querySelectorAll('th')]
    .filter(th => !th.textContent.trim() && !th.getAttribute('aria-label')).length"""


@pytest.mark.parametrize("device", [LAPTOP, PIXEL_5], ids=["laptop", "pixel5"])
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_walk_the_maps_places_are_links_a_screen_reader_reaches_and_every_column_is_named(
        browser, live_server, world, lang, device) -> None:  # type: ignore[no-untyped-def]
    """An image's content is hidden from assistive technology: the map, whose places are
    links, was one (role img), so its links were unreachable; two tables had a nameless column."""
    page = open_as(browser, live_server, "rana", lang, device=device)
    page.goto(live_server.url + "/map/")
    assert page.locator("#map a").count() > 0
    assert page.evaluate(FOCUSABLE_IN_AN_IMAGE) == []
    assert page.get_attribute("#map", "aria-label")
    for path in ("/timeline/", "/legal/"):
        page.goto(live_server.url + path)
        assert page.evaluate(EMPTY_HEADERS) == 0, path
    page.context.close()


@pytest.mark.parametrize("device", [LAPTOP, PIXEL_5], ids=["laptop", "pixel5"])
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_person_without_a_second_step_logs_in_with_the_form_and_reaches_the_dashboard(
        browser, live_server, world, lang, device) -> None:  # type: ignore[no-untyped-def]
    """The form every other browser test skips (``open_as`` carries Django's session cookie)."""
    from tests.cast import PASSWORD

    context = browser.new_context(locale=lang, **device)
    page = context.new_page()
    page.goto(live_server.url + "/reports/")
    page.wait_for_url("**/login/?next=/reports/")  # a page asked for first asks who you are
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
    said, logout = page.locator(".errorlist, [role=alert]"), "form[action$='/logout/'], a[href$='/logout/']"
    assert said.count() == 0 and page.locator(logout).count() == 0
    page.fill("#id_username", "rana")
    page.fill("#id_password", "not " + PASSWORD)
    page.click("button[type=submit]")
    assert "/login/" in page.url and said.count() > 0
    page.fill("#id_username", "rana")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/reports/")  # back where she was going
    page.goto(live_server.url + "/")
    assert page.locator(logout).count() > 0
    context.close()
