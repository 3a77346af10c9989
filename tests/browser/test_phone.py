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


# An id (P-000449, A-000208) or an ISO date (2016-03-20) drawn over two lines: a range of the
# text whose boxes sit on more than one line.
BROKEN = r"""() => {
  const out = [], re = /\d{4}-\d{2}-\d{2}|[A-Z]{1,2}-\d{4,7}/g;
  const walk = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    for (const m of n.textContent.matchAll(re)) {
      const r = document.createRange();
      r.setStart(n, m.index);
      r.setEnd(n, m.index + m[0].length);
      if (new Set([...r.getClientRects()].map(b => Math.round(b.top))).size > 1) out.push(m[0]);
    }
  }
  return out;
}"""


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_walk_no_id_or_date_breaks_over_two_lines_on_a_phone(  # type: ignore[no-untyped-def]
        browser, live_server, world, lang) -> None:
    """The walk of issue 17 at 360 px found "2016-03-" / "20" in the dashboard's recent reports
    and on a person page, and act ids split inside the perpetrator page's list of acts."""
    from django.contrib.auth import get_user_model

    from dhakira.apps.dossier.models import Act, Involvement

    rana = get_user_model().objects.get(username="rana")
    type(world.information).objects.filter(pk=world.information.pk).update(created_by=rana)
    for _ in range(12):  # a perpetrator with many acts: the list of their ids wraps
        act = Act.objects.create(event=world.event, victim=world.victim, act_type="killing",
                                 place=world.place)
        Involvement.objects.create(act=act, perpetrator=world.perpetrator,
                                   degree="directly_carried_out")
        world.information.acts.add(act)
    page = open_as(browser, live_server, "rana", lang, device=NARROW)
    broken = {}
    for path in ("/", f"/reports/{world.information.pk}/", f"/people/{world.victim.pk}/",
                 f"/legal/perpetrators/person/{world.perpetrator.pk}/"):
        page.goto(live_server.url + path)
        assert page.locator("main").inner_text(), path
        if found := page.evaluate(BROKEN):
            broken[path] = found
    assert broken == {}
    page.goto(live_server.url + "/")
    assert page.locator("#recent .num").count() == 1  # the walk's case is on the page
    page.context.close()
