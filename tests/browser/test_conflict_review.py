"""Field-kit conflicts in a real browser: the office opens the review page from the dashboard,
sees both versions side by side, and decides; in Arabic (right to left) and in English."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.browser.conftest import open_as
from tests.conftest import new_vault_dir
from tests.sync.fakekit import FakeKit

pytestmark = [pytest.mark.browser]

WORDS = {
    "en": {"link": "1 record from field kits has two versions to review",
           "older": "Keep the older version", "done": "Decision recorded."},
    "ar": {"link": "حقائب الميدان", "older": "الإبقاء على النسخة الأقدم", "done": "سُجّل القرار."},
}


@pytest.fixture
def flagged(transactional_db, fast_passwords, settings, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The office (the cast) holding a person in two versions, the second flagged."""
    from tests.cast import make_cast

    from dhakira.apps.fieldkit import keys, office
    from dhakira.apps.fieldkit.models import Origin

    new_vault_dir(settings, tmp_path / "vault")
    amal = make_cast()["amal"]
    kit = FakeKit()
    kit.log("P-000001")
    office.enrol(kit.card(), label="kit-north", actor="amal")
    card = keys.card()
    office.receive(kit.bundle(card, [kit.person(1, notes="seen at the market")]), actor=amal)
    kit.log("P-000001")
    office.receive(kit.bundle(card, [kit.person(1, notes="seen at the bridge")], seq=2),
                   actor=amal)
    return Origin.objects.get(conflict=True)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_office_compares_two_versions_and_keeps_the_older(browser, live_server, flagged,  # type: ignore[no-untyped-def]
                                                                lang: str) -> None:
    from dhakira.apps.custody.models import LedgerEntry
    from dhakira.apps.fieldkit.models import Decision

    words = WORDS[lang]
    page = open_as(browser, live_server, "amal", lang)
    page.click(f"#sync-conflicts a:has-text('{words['link']}')")
    page.wait_for_url(live_server.url + "/fieldkit/conflicts/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    section = page.locator(f"#conflict-{flagged.pk}")
    row = section.locator("tr[data-field=notes]")
    older, newer = row.locator("td.older"), row.locator("td.newer")
    assert older.inner_text() == "seen at the market" and newer.inner_text() == "seen at the bridge"
    assert "differs" in (row.get_attribute("class") or "")
    # Side by side: in reading order, the older column first (right of the newer in Arabic).
    left, right = older.bounding_box(), newer.bounding_box()
    assert left and right and abs(left["y"] - right["y"]) < 2
    assert (left["x"] > right["x"]) if lang == "ar" else (left["x"] < right["x"])
    entries = LedgerEntry.objects.count()
    section.locator("button.decide", has_text=words["older"]).click()
    page.wait_for_selector("#no-conflicts")
    assert words["done"] in page.locator(".messages").inner_text()
    made = Decision.objects.get()
    assert made.choice == "older" and made.newer_id == flagged.pk
    assert LedgerEntry.objects.count() == entries + 1
    page.context.close()
