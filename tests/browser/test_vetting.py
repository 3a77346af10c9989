"""Issue 21 in a real browser, in Arabic and English: an external reviewer logs in with a
second factor and vets part of a charge; a researcher completes a confirmation task, recording
the person's consent first when the task page says it is missing."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.browser.conftest import LAPTOP, open_as
from tests.cast import PASSWORD
from tests.web.test_two_step import code

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.dossier.models import Consent, Information
from dhakira.apps.law import services as law
from dhakira.apps.vetting import reviewers, tasks
from dhakira.apps.vetting.models import Comment
from dhakira.apps.vetting.status import current_status, set_status

pytestmark = [pytest.mark.browser]
WORDS = {"ar": {"corroborated": "مُعزَّز بمصادر أخرى", "review": "المراجعة",
                "confirmed": "مؤكَّد مع ضحية أو شاهد", "missing": "لا موافقة مُسجَّلة",
                "said": "أكدت التاريخ والمكان في الساحة."},
         "en": {"corroborated": "corroborated", "review": "Review",
                "confirmed": "confirmed with a victim or witness",
                "missing": "No consent to be contacted again", "said": "She confirmed the date and the square."}}


def _second_report(world) -> Information:  # type: ignore[no-untyped-def]
    other = Information.objects.create(source=world.source, received_at=datetime(2014, 11, 5, tzinfo=UTC),
                                       channel="in_person_interview", credibility=3,
                                       text="A second account of the same execution")
    other.acts.add(world.act)
    return other


def _reviewer_page(browser, live_server, lang, device_key: bytes):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale=lang, **LAPTOP)
    context.set_default_timeout(int(os.environ.get("DHAKIRA_BROWSER_TIMEOUT_MS", "15000")))
    page = context.new_page()
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", "rev.one")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit] >> nth=-1")
    page.wait_for_url(live_server.url + "/login/code/")
    page.fill("#id_token", code(device_key))
    page.click("button[type=submit] >> nth=-1")
    page.wait_for_url(live_server.url + "/vetting/review/")
    return page


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_issue21_an_external_reviewer_vets_part_of_a_charge(browser, live_server, world, lang) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    amal = get_user_model().objects.get(username="amal")
    other = _second_report(world)
    charge = law.create_charge(amal, crime_id="CAH-PERSECUTION", title="Persecution",
                               title_ar="اضطهاد")
    for uid in (world.information.uid, other.uid):
        law.record_assessment(amal, charge, item_uid=uid, element_id="CAH-PER-1",
                              stance="supports", standard="reasonable_grounds")
    set_status(amal, [world.information.pk, other.pk], "under_review", reason="for the lawyers")
    grant = reviewers.create_reviewer(amal, "rev.one", PASSWORD, charge=charge, days=7)
    device = TOTPDevice.objects.create(user=grant.user, name="totp", confirmed=True)

    page = _reviewer_page(browser, live_server, lang, device.bin_key)
    t = WORDS[lang]
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.locator("#review-reports tbody tr").count() == 2
    assert page.locator("#vetting-summary").is_visible()
    page.click(f"text={world.information.uid}")
    page.locator("#id_status").select_option("corroborated")
    page.fill("#id_reason", "يتفق مع البلاغ الثاني" if lang == "ar" else "Agrees with the second report")
    page.fill("#id_against", other.uid)
    with page.expect_navigation():
        page.click("#status-form button[type=submit]")
    assert page.inner_text("#vetting-status") == t["corroborated"]
    page.fill("#comment-form textarea[name=text]", "الساحة مذكورة مرتين" if lang == "ar" else "The square is named twice")
    with page.expect_navigation():
        page.click("#comment-form button[type=submit]")
    assert page.locator("#comments .comment").count() == 1
    # Part of the charge: the other report is still under review, nothing else was touched.
    statuses = current_status([world.information.pk, other.pk])
    assert statuses == {world.information.pk: "corroborated", other.pk: "under_review"}
    assert Comment.objects.get().author == grant.user
    # Every page the reviewer opened is in custody; a staff page is closed to them.
    read = [e for e in LedgerEntry.objects.filter(actor="rev.one", action="other")
            if e.detail.get("vetting") == "reviewer page"]
    assert len(read) >= 3
    response = page.goto(f"{live_server.url}/reports/{other.pk}/")
    assert response.status == 403
    page.context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_issue21_a_researcher_completes_a_confirmation_task(browser, live_server, world, lang) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.all()}
    world.information.persons.add(world.victim)
    task = tasks.assign(users["amal"], world.information, world.victim, with_whom="victim",
                        assignee=users["rana"], question="Was it in the central square?")
    t = WORDS[lang]
    page = open_as(browser, live_server, "rana", lang, device=LAPTOP)
    page.goto(f"{live_server.url}/vetting/")
    with page.expect_navigation():
        page.click(f"#my-tasks a:has-text('{task.uid}')")
    # What is already known is on the page: the report's words.
    assert world.information.text in page.inner_text("#known")
    assert t["missing"] in page.inner_text("#consent-missing")
    # Consent first, on the person's page, then back to the task.
    page.click("#consent-missing a")
    section = page.locator("#consent")
    section.locator("summary").click()
    section.locator("input[name=scopes][value=recontact]").check()
    section.locator("#id_decision").select_option("granted")
    section.locator("#id_obtained_on").fill(datetime.now(UTC).date().isoformat())
    with page.expect_navigation():
        section.locator("#record-consent").click()
    assert Consent.objects.filter(person=world.victim, scope="recontact", decision="granted").exists()
    page.goto(f"{live_server.url}/vetting/tasks/{task.pk}/")
    assert page.locator("#consent-ok").is_visible()
    page.locator("#id_method").select_option("call")
    page.locator("#id_outcome").select_option("confirmed")
    page.fill("#id_text", t["said"])
    with page.expect_navigation():
        page.click("#complete-form button[type=submit]")
    assert page.locator("#result-report").is_visible()
    task.refresh_from_db()
    assert task.result.text == t["said"]
    assert list(task.result.derived_from.all()) == [world.information]
    assert current_status([world.information.pk])[world.information.pk] == "confirmed"
    page.goto(f"{live_server.url}/reports/{world.information.pk}/")
    assert page.inner_text("#vetting-status") == t["confirmed"]
    page.context.close()


TRANSLATED = {"ar": {"add": "أضف ترجمة", "kind": "ترجمة", "text": "شهادة مترجمة عن qzxsquare",
                     "custody": "أضاف rana ترجمة"},
              "en": {"add": "Add a translation", "kind": "translation",
                     "text": "A translated account of the qzxsquare",
                     "custody": "Translation added by rana"}}


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_issue21_a_translator_adds_a_translation_as_a_derived_copy(browser, live_server, world, lang) -> None:  # type: ignore[no-untyped-def]
    import io

    from dhakira.apps.evidence.intake import Collection, ingest_stream
    from dhakira.apps.evidence.models import DerivedCopy
    from dhakira.apps.search import services as search

    item = ingest_stream(io.BytesIO("شهادة مكتوبة بخط اليد".encode()), name="account.txt",
                         origin="usb", collection=Collection(collector="rana", method="handed over"))
    original = (item.sha256, item.blob_name)
    t = TRANSLATED[lang]
    page = open_as(browser, live_server, "rana", lang, device=LAPTOP)
    page.goto(f"{live_server.url}/evidence/{item.uid}/")
    page.click(f"#translate summary:has-text('{t['add']}')")
    page.locator("#id_language").select_option("ar" if lang == "en" else "en")
    page.fill("#id_text", t["text"])
    with page.expect_navigation():
        page.click("#translate-form button[type=submit]")
    row = page.locator("#derived tr.derived-copy[data-kind=translation]")
    assert row.count() == 1
    assert t["kind"] in row.inner_text() and "rana" in row.locator(".who").inner_text()
    page.click("#derived .translation-text summary")
    assert t["text"] in page.inner_text("#derived .derived-text")
    copy = DerivedCopy.objects.get(kind="translation")
    assert copy.created_by == "rana" and copy.original_id == item.pk
    item.refresh_from_db()
    assert (item.sha256, item.blob_name) == original
    entry = LedgerEntry.objects.filter(action="derive", subject=item.uid).latest("seq")
    assert entry.actor == "rana" and entry.detail["copy"] == copy.uid
    # In custody on the page too, and found by search.
    assert t["custody"] in page.inner_text("#custody")
    assert [h.ref for h in search.search("qzxsquare")] == [item.uid]
    page.context.close()
