"""The event page's chain of events as a reader sees it: in Arabic the earlier event stands
rightmost, the relation (in Arabic) in the middle, this event leftmost, and the arrows point
left, the way the line reads; in English the mirror image. The arrows pointed right and the
relation said "precedes" on the Arabic page."""

from __future__ import annotations

import pytest
from tests.browser.conftest import LAPTOP, open_as

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize(("lang", "relation", "arrow"), [("ar", "يسبق", "←"), ("en", "Precedes", "→")])
def test_the_chain_reads_in_the_pages_direction(browser, live_server, world, lang, relation,  # type: ignore[no-untyped-def]
                                                arrow) -> None:
    from dhakira.apps.dossier.models import Event, EventChain
    from dhakira.core.dates import parse_fuzzy_date

    arrest = Event(title="Arrest at the checkpoint", place=world.place)
    arrest.set_date(parse_fuzzy_date("2014-10-02"))
    arrest.save()
    EventChain.objects.create(from_event=arrest, to_event=world.event, chain_type="precedes")
    page = open_as(browser, live_server, "rana", lang, device=LAPTOP)
    page.goto(f"{live_server.url}/events/{world.event.pk}/")
    link = page.locator("#chain .chain-link").first
    assert link.locator(".relation").inner_text() == relation
    arrows = link.locator(".arrow")
    assert [arrows.nth(i).inner_text() for i in range(arrows.count())] == [arrow, arrow]
    # Left edges, in the order the line is written: earlier event, arrow, relation, arrow,
    # this event.
    xs = [box["x"] for box in (link.locator("a").bounding_box(), arrows.nth(0).bounding_box(),
                               link.locator(".relation").bounding_box(),
                               arrows.nth(1).bounding_box(),
                               link.locator(".this").bounding_box())]
    assert xs == (sorted(xs, reverse=True) if lang == "ar" else sorted(xs)), xs
    assert len(set(xs)) == len(xs)
    page.context.close()
