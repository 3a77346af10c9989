"""Issue 17, finding 6: phones can read, not only enter.

At 360 px wide (the narrowest common phone) no page is wider than the screen, so Chrome never
zooms out; tables are stacked cards whose cells say which column they are; the header stays
compact with the lock button always in reach.
"""

from __future__ import annotations

import pytest
from tests.browser.conftest import PIXEL_5, open_as

pytestmark = [pytest.mark.browser]

NARROW = {**PIXEL_5, "viewport": {"width": 360, "height": 740}}


def _pages(world) -> list[str]:  # type: ignore[no-untyped-def]
    from dhakira.apps.dossier.models import Event, Information, Person

    person = Person.objects.filter(acts_suffered__isnull=False).order_by("pk").first()
    event = Event.objects.filter(acts__isnull=False).order_by("pk").first()
    report = Information.objects.order_by("pk").first()
    return ["/", "/people/", f"/people/{person.pk}/", "/events/", f"/events/{event.pk}/",
            "/reports/", f"/reports/{report.pk}/", "/sources/", "/timeline/", "/map/",
            "/evidence/", "/reports/new/", "/legal/"]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_finding_17_6_no_page_is_wider_than_a_phone(browser, live_server, world, lang) -> None:  # type: ignore[no-untyped-def]
    page = open_as(browser, live_server, "amal", lang, device=NARROW)
    wide = {}
    for path in _pages(world):
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 361:
            wide[path] = width
        assert page.locator("#lock-now").is_visible(), path
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        assert page.locator("#lock-now").is_visible(), f"{path}: the lock scrolled away"
    assert wide == {}
    page.goto(live_server.url + "/people/")
    cell = page.locator("table.cards tbody td").first
    assert cell.get_attribute("data-label")
    page.context.close()


LONG_NAME = "Qzx" + "abcdefghij" * 29 + "Yzzzzzz"  # 300 letters, no space: one unbreakable word


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("screen", ["phone", "laptop"])
def test_walk_a_300_letter_name_with_no_space_does_not_widen_the_page(  # type: ignore[no-untyped-def]
        browser, live_server, world, lang, screen) -> None:
    """A long name with no space overflowed the report and person pages sideways."""
    from tests.browser.conftest import LAPTOP

    assert len(LONG_NAME) == 300
    first = world.victim.names.order_by("pk").first()
    first.text = LONG_NAME
    first.save(update_fields=["text"])
    device, limit = (NARROW, 360) if screen == "phone" else (LAPTOP, 1366)
    page = open_as(browser, live_server, "amal", lang, device=device)
    wide = {}
    for path in (f"/reports/{world.information.pk}/", f"/people/{world.victim.pk}/", "/people/",
                 f"/events/{world.event.pk}/"):
        page.goto(live_server.url + path)
        assert LONG_NAME in page.content(), path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > limit + 1:
            wide[path] = width
    assert wide == {}
    page.context.close()
