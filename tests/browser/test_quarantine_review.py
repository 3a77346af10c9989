"""Quarantined bundles in a real browser: the office follows the dashboard's link, opens a
revoked kit's bundle, sees what it holds (ids and counts, no value), and accepts it with a
reason; in Arabic (right to left) and in English."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.browser.conftest import open_as
from tests.conftest import new_vault_dir
from tests.sync.fakekit import FakeKit

pytestmark = [pytest.mark.browser]

ADDRESS = "4 Synthetic Browser Lane"  # a protected value in the bundle: never on the page
WORDS = {
    "en": {"link": "1 bundle from a revoked field kit waits in quarantine",
           "accept": "Accept and merge", "done": "Accepted: the bundle was merged.",
           "new": "new record", "protected": "1 protected value (not shown)"},
    "ar": {"link": "حزمة واحدة من حقيبة ميدانية ملغاة تنتظر في الحجر",
           "accept": "القبول والدمج", "done": "قُبلت: دُمجت الحزمة.",
           "new": "سجل جديد", "protected": "قيمة محمية واحدة (لا تُعرض)"},
}


@pytest.fixture
def held(transactional_db, fast_passwords, settings, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The office (the cast) holding in quarantine a bundle of kit-east, revoked before it."""
    from tests.cast import make_cast

    from dhakira.apps.fieldkit import keys, office
    from dhakira.apps.fieldkit.models import Received
    from dhakira.apps.fieldkit.records import content_hash
    from dhakira.core.sync import BundleRefused

    new_vault_dir(settings, tmp_path / "vault")
    amal = make_cast()["amal"]
    kit = FakeKit()
    kit.log("P-000001")
    office.enrol(kit.card(), label="kit-east", actor="amal")
    at = datetime.now(UTC) - timedelta(hours=2)
    office.revoke("kit-east", at=at, actor="amal")
    person = kit.person(1, notes="seen near the well")
    person["fields"]["protected"] = [["address", "", ADDRESS]]
    person["hash"] = content_hash("person", person["fields"])
    with pytest.raises(BundleRefused):
        office.receive(kit.bundle(keys.card(), [person], made_at=at + timedelta(hours=1)),
                       actor=amal)
    return Received.objects.get(outcome="quarantined"), kit


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_office_reviews_and_accepts_a_quarantined_bundle(browser, live_server, held,  # type: ignore[no-untyped-def]
                                                             lang: str) -> None:
    from dhakira.apps.custody.models import LedgerEntry
    from dhakira.apps.dossier.models import Person
    from dhakira.apps.fieldkit.models import QuarantineReview

    received, kit = held
    words = WORDS[lang]
    page = open_as(browser, live_server, "amal", lang)
    page.click(f"#sync-quarantine a:has-text('{words['link']}')")
    page.wait_for_url(live_server.url + "/fieldkit/quarantine/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    row = page.locator(f"#quarantined-{received.pk}")
    assert "kit-east" in row.inner_text()
    row.locator("a.uid").click()
    page.wait_for_url(live_server.url + f"/fieldkit/quarantine/{received.pk}/")
    records = page.locator("#quarantine-records").inner_text()
    assert f"{kit.signer.key_id}/P-000001" in records and words["new"] in records
    contents = page.locator("#quarantine-contents").inner_text()
    assert words["protected"] in contents
    body = page.content()
    assert ADDRESS not in body and "Synthetic Name" not in body and "the well" not in body
    # The reason is required: the browser does not send the form without one.
    page.locator("button.accept").click()
    assert not QuarantineReview.objects.exists()
    entries = LedgerEntry.objects.count()
    page.fill("#quarantine-reason", "the kit was at the office that day")
    page.locator("button.accept", has_text=words["accept"]).click()
    page.wait_for_selector("#quarantine-decision")
    assert words["done"] in page.locator(".messages").inner_text()
    made = QuarantineReview.objects.get()
    assert (made.bundle_id, made.choice, made.decided_by) == (received.pk, "accepted", "amal")
    assert made.reason == "the kit was at the office that day"
    assert Person.objects.filter(notes="seen near the well").count() == 1
    assert LedgerEntry.objects.count() > entries  # the decision, the record, the anchor
    assert page.locator("form.quarantine-decide").count() == 0  # decided once
    page.context.close()
