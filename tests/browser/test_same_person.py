"""Issue 15, items 3 and 4 in a real browser, in Arabic and in English: the family name alone
finds the person; "this is the same person" on the intake suggestion links the new victim to
him, his page shows it, and splitting it from that page undoes it."""

from __future__ import annotations

import re

import pytest
from tests.browser.conftest import PIXEL_5, open_as

from dhakira.apps.dossier.models import Information, NameVariant, Person
from dhakira.apps.linkage.models import PersonLink

pytestmark = [pytest.mark.browser]

FAMILY = {"ar": "الجبوري", "en": "Jubouri"}
TYPED = {"ar": "عبد الله الجبوري", "en": "Abdullah Al Jabouri"}
LABELS = {"ar": {"people": "الأشخاص", "search": "بحث", "new": "بلاغ جديد", "save": "احفظ البلاغ",
                 "same": "هذا هو الشخص نفسه", "recorded": "مسجَّل على أنه الشخص نفسه",
                 "split": "عاد"},
          "en": {"people": "People", "search": "Search", "new": "New report",
                 "save": "Save the report", "same": "This is the same person",
                 "recorded": "Recorded as the same person", "split": "separate people again"}}


@pytest.fixture
def jubouri(world) -> Person:  # type: ignore[no-untyped-def]
    person = Person.objects.create(sex="male", age=40)
    for text, script in (("عبد الله يوسف الجبوري", "arab"), ("Abdullah Yousef al-Jubouri", "latn")):
        NameVariant.objects.create(person=person, text=text, script=script)
    return person


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_issue15_3_the_family_name_alone_finds_him(browser, live_server, jubouri, lang) -> None:  # type: ignore[no-untyped-def]
    page = open_as(browser, live_server, "victor", lang)
    page.click(f"nav >> text={LABELS[lang]['people']}")
    page.fill("#q", FAMILY[lang])
    with page.expect_navigation():
        page.click(f"form[role=search] >> text={LABELS[lang]['search']}")
    table = page.locator("#people tbody")
    assert jubouri.uid in table.inner_text()
    assert "عبد الله يوسف الجبوري" in table.inner_text()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_issue15_4_intake_links_the_victim_and_his_page_splits_it(browser, live_server, jubouri,
                                                                   lang) -> None:  # type: ignore[no-untyped-def]
    t = LABELS[lang]
    page = open_as(browser, live_server, "rana", lang)
    page.click(f"nav >> text={t['new']}")
    page.fill("#id_r-source_code", "NINAWA-31")
    page.check("#id_r-new_source")  # a new source is created only when confirmed, and graded
    page.select_option("#id_r-source_reliability", "c")
    page.fill("#id_r-received_at", "2014-11-03T09:00")
    page.select_option("#id_r-channel", "phone_call")
    page.select_option("#id_r-credibility", "3")
    page.fill("#id_r-event_title", "Detention at a checkpoint")
    page.fill("#id_v-0-name", TYPED[lang])
    button = page.locator(f"#suggestions button[data-same='{jubouri.uid}']")
    button.wait_for()
    assert button.inner_text() == t["same"]
    button.click()
    assert jubouri.uid in page.inner_text(".same-as")
    page.select_option("#id_a-0-act_type", "detention_imprisonment")
    page.click(f"text={t['save']}")
    page.wait_for_url(re.compile(r"/reports/\d+/$"))
    info = Information.objects.get(source__code_name="NINAWA-31")
    victim = Person.objects.get(names__information=info)
    link = PersonLink.objects.get(active=True)
    assert (link.person_id, link.canonical_id, link.created_by) == (victim.pk, jubouri.pk, "rana")

    page.goto(f"{live_server.url}/people/{jubouri.pk}/")
    section = page.locator("#same-person")
    assert t["recorded"] in section.inner_text() and victim.uid in section.inner_text()
    section.locator("input[name=reason]").fill("different fathers" if lang == "en" else "أبوان مختلفان")
    with page.expect_navigation():
        section.locator("button[type=submit]").click()
    assert t["split"] in page.inner_text(".messages")
    assert page.locator("#same-person").count() == 0
    link.refresh_from_db()
    assert not link.active and link.ended_by == "rana"


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_issue17_6_the_suggestion_shows_under_the_name_being_typed_on_a_phone(
        browser, live_server, jubouri, lang) -> None:  # type: ignore[no-untyped-def]
    page = open_as(browser, live_server, "rana", lang, device=PIXEL_5)
    page.goto(f"{live_server.url}/reports/new/")
    name = page.locator("#id_v-0-name")
    name.scroll_into_view_if_needed()
    name.fill(TYPED[lang])
    button = page.locator(f"#suggestions button[data-same='{jubouri.uid}']")
    button.wait_for()
    typed, box = name.bounding_box(), page.locator("#suggestions").bounding_box()
    assert typed is not None and box is not None
    # Right under the name field, on the screen where the documenter is typing.
    assert typed["y"] < box["y"] < typed["y"] + 200
    assert box["y"] + 40 < PIXEL_5["viewport"]["height"]  # type: ignore[index]
