"""Screenshots of the main pages, in Arabic and English, into docs/screenshots/.

Not part of the normal run: ``DHAKIRA_SCREENSHOTS=1 pytest tests/browser/test_screenshots.py``.
The dossier is a small synthetic demo (fixed seed), so the pictures are reproducible.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.browser.conftest import open_as

from dhakira.apps.dossier.models import Event, Person

pytestmark = [pytest.mark.browser, pytest.mark.skipif(
    os.environ.get("DHAKIRA_SCREENSHOTS") != "1", reason="set DHAKIRA_SCREENSHOTS=1 to refresh")]
OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def demo(transactional_db, fast_passwords, tmp_path):  # type: ignore[no-untyped-def]
    from tests.cast import make_cast

    from dhakira.apps.demo.load import build
    from dhakira.apps.dossier.intake import backfill_name_keys

    make_cast()
    build(victims=150, perpetrators=40, informants=8, seed=7, truth_out=tmp_path / "truth.json")
    backfill_name_keys()


def _shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=False)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_screenshots(browser, live_server, demo, lang) -> None:  # type: ignore[no-untyped-def]
    OUT.mkdir(parents=True, exist_ok=True)
    page = open_as(browser, live_server, "rana", lang)
    _shoot(page, f"{lang}-dashboard")
    person = Person.objects.filter(acts_suffered__isnull=False).order_by("pk").first()
    event = Event.objects.filter(acts__isnull=False).order_by("pk").first()
    for name, path in [("people", "/people/"), ("person", f"/people/{person.pk}/"),
                       ("events", "/events/"), ("event", f"/events/{event.pk}/"),
                       ("reports", "/reports/"), ("sources", "/sources/"),
                       ("timeline", "/timeline/"), ("map", "/map/")]:
        page.goto(live_server.url + path)
        _shoot(page, f"{lang}-{name}")
    page.goto(live_server.url + "/reports/new/")
    page.fill("#id_r-source_code", "NINAWA-21")
    page.fill("#id_r-event_title", "إعدام في الساحة" if lang == "ar" else "Execution in the square")
    page.fill("#id_r-date_text", "5 رمضان 1436" if lang == "ar" else "late October 2014")
    page.locator("#date-preview").filter(has_text="20").wait_for()
    name = person.names.first().text
    page.fill("#id_v-0-name", name)
    page.locator("#suggestions li").first.wait_for()
    page.locator("#id_v-0-name").scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, 0)")
    _shoot(page, f"{lang}-intake")
    page.context.close()
    page = open_as(browser, live_server, "victor", lang, viewport={"width": 1000, "height": 700})
    page.goto(live_server.url + "/login/")
    page.context.close()
