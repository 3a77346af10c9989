"""Issue 17, finding 9, in a real browser: a documenter's dashboard shows each kind of work
waiting (their unsaved report, pairs of records to review, items waiting for text
extraction) and their recent reports, in Arabic and English, on a laptop and on a Pixel 5,
without sideways scrolling on the phone and with the screen-reader checks of the walk."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from tests.browser.conftest import LAPTOP, PIXEL_5, open_as
from tests.browser.test_page_basics import EMPTY_HEADERS, FOCUSABLE_IN_AN_IMAGE

from dhakira.apps.dossier.models import Person
from dhakira.apps.dossier.views import _drafts
from dhakira.apps.evidence.intake import Collection, ingest_stream
from dhakira.apps.evidence.models import EvidenceItem
from dhakira.apps.linkage.models import CandidatePair, LinkRun

pytestmark = [pytest.mark.browser]
DEVICES = {"laptop": LAPTOP, "pixel5": PIXEL_5}
WORDS = {"ar": {"draft": "أكمل بلاغك غير المحفوظ",
                "pairs": "زوج واحد من السجلات قد يكون الشخص نفسه",
                "extraction": "دليل واحد بانتظار استخراج النص",
                "recent": "بلاغاتك الأخيرة"},
         "en": {"draft": "Continue your unsaved report",
                "pairs": "1 pair of records may be the same person",
                "extraction": "1 evidence item waits for text extraction",
                "recent": "Your recent reports"}}


@pytest.fixture
def work(world):  # type: ignore[no-untyped-def]
    """rana's work: a report she recorded, an unsaved one, a pair to review and an item
    waiting for its text."""
    rana = get_user_model().objects.get(username="rana")
    world.information.created_by = rana
    world.information.save()
    assert _drafts.save(rana, {"r-event_title": "half typed"})
    run = LinkRun.objects.create(role="victim", settings_json={}, version="t",
                                 started_at=datetime(2026, 1, 1, tzinfo=UTC), started_by="amal")
    CandidatePair.objects.create(run=run, left=world.victim, right=Person.objects.create(),
                                 match_weight=3.0, probability=0.95)
    item = ingest_stream(io.BytesIO(b"a synthetic statement"), name="statement.txt",
                         origin="usb", collection=Collection(collector="rana"))
    EvidenceItem.objects.filter(pk=item.pk).update(text_status=EvidenceItem.TextStatus.PENDING)
    return world


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_finding_17_9_the_dashboard_shows_a_documenters_work(browser, live_server, work, lang,
                                                             device) -> None:  # type: ignore[no-untyped-def]
    t = WORDS[lang]
    page = open_as(browser, live_server, "rana", lang, device=DEVICES[device])
    assert page.evaluate("document.documentElement.lang") == lang
    waiting = page.locator("#work")
    draft = waiting.get_by_role("link", name=t["draft"])
    assert draft.is_visible() and draft.get_attribute("href") == "/reports/new/"
    assert waiting.get_by_role("link", name=t["pairs"]).is_visible()
    assert waiting.get_by_role("link", name=t["extraction"]).is_visible()
    recent = page.locator("#recent")
    assert recent.get_by_role("heading", name=t["recent"]).is_visible()
    report = recent.get_by_role("link", name=work.information.uid)
    assert report.is_visible()
    assert report.get_attribute("href") == f"/reports/{work.information.pk}/"
    # Every section inside the screen's width: no sideways scrolling, on the phone above all.
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    for section in (waiting, recent):
        box = section.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
    assert page.evaluate(FOCUSABLE_IN_AN_IMAGE) == []
    assert page.evaluate(EMPTY_HEADERS) == 0
    page.context.close()
