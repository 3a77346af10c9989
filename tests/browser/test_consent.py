"""Issue 17 finding 4 in a real browser, in Arabic and English, on a laptop and a Pixel 5:
consent for two uses given by a relative is recorded on the person page and shown in words;
a package to UNITAD goes when consent was given to UNITAD, and is blocked, with the reason,
when it was given to another recipient."""

from __future__ import annotations

import pytest
from tests.browser.conftest import LAPTOP, PIXEL_5, open_as

from dhakira.apps.dossier import recipients
from dhakira.apps.dossier.models import Consent, Recipient

pytestmark = [pytest.mark.browser]
DEVICES = {"laptop": LAPTOP, "pixel5": PIXEL_5}
SCOPES = ("share_un_investigators", "share_icc")
WORDS = {"ar": {"record": "سجّل الموافقة", "relative": "أحد الأقارب",
                "un": "المشاركة مع محققي الأمم المتحدة",
                "icc": "المشاركة مع المحكمة الجنائية الدولية", "granted": "ممنوحة",
                "blocked": "لا يمكن إرسال الحزمة", "other": "لا موافقة لهذه الجهة المتلقية",
                "goes": "يمكن إرسال الحزمة"},
         "en": {"record": "Record consent", "relative": "a relative",
                "un": "Share with UN investigators", "icc": "Share with the International Criminal Court",
                "granted": "granted", "blocked": "The package cannot go",
                "other": "no consent for this recipient", "goes": "The package may go"}}


@pytest.fixture
def listed(world) -> dict[str, Recipient]:  # type: ignore[no-untyped-def]
    return {"unitad": recipients.add(code="UNITAD", name_en="UNITAD", name_ar="يونيتاد",
                                     kind="un_mechanism", actor="amal"),
            "team": recipients.add(code="UN-TEAM", name_en="UN investigative team",
                                   name_ar="فريق تحقيق أممي", kind="un_mechanism", actor="amal")}


def _no_overflow(page) -> None:  # type: ignore[no-untyped-def]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_issue17_04_consent_for_two_uses_given_by_a_relative(browser, live_server, world, listed,
                                                             lang, device) -> None:  # type: ignore[no-untyped-def]
    t = WORDS[lang]
    victim = world.victim
    page = open_as(browser, live_server, "rana", lang, device=DEVICES[device])
    page.goto(f"{live_server.url}/people/{victim.pk}/")
    section = page.locator("#consent")
    section.locator("summary").click()
    for scope in SCOPES:
        section.locator(f"input[name=scopes][value={scope}]").check()
    section.locator("#id_recipient").select_option(str(listed["unitad"].pk))
    section.locator("#id_decision").select_option("granted")
    section.locator("#id_given_by").select_option("relative")
    section.locator("#id_relationship").fill("الأم" if lang == "ar" else "mother")
    section.locator("#id_obtained_on").fill("2024-03-01")
    with page.expect_navigation():
        section.locator("#record-consent").click()
    rows = Consent.objects.filter(person=victim).order_by("scope")
    assert [(c.scope, c.given_by, c.recipient_id) for c in rows] == [
        ("share_icc", "relative", listed["unitad"].pk),
        ("share_un_investigators", "relative", listed["unitad"].pk)]
    shown = page.locator("#consent table").inner_text()
    for words in (t["un"], t["icc"], t["relative"], t["granted"], "يونيتاد" if lang == "ar" else "UNITAD"):
        assert words in shown, words
    assert "share_" not in shown  # labels, never codes
    _no_overflow(page)


def _check(page, live_server, recipient: Recipient, query: str) -> str:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/packages/check/")
    page.fill("#id_select", query)
    page.select_option("#id_recipient", str(recipient.pk))
    page.select_option("#id_purpose", "share_un_investigators")
    with page.expect_navigation():
        page.click("#check-package")
    _no_overflow(page)
    return str(page.inner_text("#package-result"))


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_issue17_04_a_package_to_unitad_goes_only_on_consent_to_unitad(
        browser, live_server, world, listed, lang, device) -> None:  # type: ignore[no-untyped-def]
    t = WORDS[lang]
    from django.contrib.auth import get_user_model

    victim, amal = world.victim, get_user_model().objects.get(username="amal")
    query = f"person:{victim.uid}"
    Consent.objects.create(person=victim, scope="share_un_investigators", recipient=listed["team"],
                           decision="granted", given_by="informant", obtained_at=victim.created_at,
                           obtained_by="rana", recorded_by=amal)
    page = open_as(browser, live_server, "rana", lang, device=DEVICES[device])
    result = _check(page, live_server, listed["unitad"], query)
    assert page.locator("#all-blocked").count() == 1 and page.locator("#may-go").count() == 0
    assert page.inner_text("#all-blocked").startswith(t["blocked"])
    assert f"{victim.uid}: {t['other']}" in result and "UN-TEAM" in result
    Consent.objects.create(person=victim, scope="share_un_investigators",
                           recipient=listed["unitad"], decision="granted", given_by="relative",
                           relationship="brother", obtained_at=victim.created_at,
                           obtained_by="rana", recorded_by=amal)
    result = _check(page, live_server, listed["unitad"], query)
    assert page.locator("#may-go").count() == 1 and page.locator("#all-blocked").count() == 0
    assert page.inner_text("#may-go").startswith(t["goes"])
    assert "--recipient UNITAD" in result
