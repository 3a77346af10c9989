"""Issue 17, finding 8 (legal part), in the browser: on a laptop and a phone, in both languages.

A charge reads as a summary per element (no page of every assessment, the automatic note said
once, no vocabulary code on the Arabic page, nothing wider than a 360 px screen), its items
on a paged list; the charge form is ticked, not Ctrl-clicked, finds perpetrators by name and
previews the dates it understood.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import LAPTOP, PIXEL_5, open_as

from dhakira.apps.law import services
from dhakira.apps.law.models import Charge
from dhakira.core.law import load_catalogue

pytestmark = [pytest.mark.browser]

NARROW = {"width": 360, "height": 740}
CODES = {"directly_carried_out", "credible_allegation", "reasonable_grounds", "single_origin",
         "sexual_orientation", "information", "thrown_from_height", "killing", "supports",
         "undermines"}


@pytest.fixture
def legal_world(transactional_db, fast_passwords):  # type: ignore[no-untyped-def]
    from tests.cast import make_cast
    from tests.legal import scenario

    cast = make_cast()
    world = scenario.build()
    charge = services.create_charge(cast["samir"], crime_id="CAH-PERSECUTION",
                                    title="Persecution, Ninawa", places=[world.places["ninawa"]],
                                    ground_tags=["sexual_orientation"])
    for element in ("CAH-PER-1", "CAH-PER-2", "CAH-PER-3", "CAH-PER-4"):
        for key in ("K1", "K2", "K3"):
            services.record_assessment(cast["samir"], charge, item_uid=world.acts[key].uid,
                                       element_id=element, stance="supports",
                                       standard="credible_allegation", note=services.AUTO_NOTE)
    services.record_assessment(cast["samir"], charge, item_uid=world.reports["EXCUL"].uid,
                               element_id="CAH-PER-1", stance="undermines",
                               standard="reasonable_grounds")
    return world, charge


def _fits(page) -> bool:  # type: ignore[no-untyped-def]
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


@pytest.mark.parametrize("device", [LAPTOP, PIXEL_5], ids=["laptop", "pixel5"])
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_finding_17_8_a_charge_reads_as_a_summary(browser, live_server, legal_world, lang,
                                                  device) -> None:  # type: ignore[no-untyped-def]
    world, charge = legal_world
    page = open_as(browser, live_server, "victor", lang, device=device)
    page.goto(f"{live_server.url}/legal/charges/{charge.pk}/")
    text = page.inner_text("main")
    assert page.locator("#automatic-note").count() == 1
    assert text.count("(sexual orientation)" if lang == "en" else "(التوجه الجنسي)") == 1
    assert page.locator("section.element").count() >= 5
    if lang == "ar":
        assert not {c for c in CODES if re.search(rf"\b{c}\b", text)}
    # A screen or two per element, not 236 screens for the charge.
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 12 * page.viewport_size["height"] * (3 if device is PIXEL_5 else 1)
    assert _fits(page)
    page.set_viewport_size(NARROW)
    assert _fits(page)

    page.click("#element-CAH-PER-1 a[href*='stance=undermines']")
    page.wait_for_url(re.compile(r"/items/\?element=CAH-PER-1&stance=undermines$"))
    assert world.reports["EXCUL"].uid in page.inner_text("#items")
    assert world.acts["K1"].uid not in page.inner_text("#items")
    assert _fits(page)
    if lang == "ar":
        assert not {c for c in CODES if re.search(rf"\b{c}\b", page.inner_text("main"))}
    page.context.close()


@pytest.mark.parametrize("device", [LAPTOP, PIXEL_5], ids=["laptop", "pixel5"])
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_finding_17_8_the_charge_form_is_ticked_searched_and_previewed(
        browser, live_server, legal_world, lang, device) -> None:  # type: ignore[no-untyped-def]
    world, _ = legal_world
    page = open_as(browser, live_server, "samir", lang, device=device)
    page.goto(live_server.url + "/legal/charges/new/")
    assert page.locator("select[multiple]").count() == 0
    page.select_option("#id_crime_id", "CAH-MURDER")
    page.fill("#id_title", "Hisba killings, 1436")
    page.fill("#id_date_from", "1 رمضان 1436")
    expect_year = "2015" if lang == "en" else "٢٠١٥|2015"
    expect(page.locator("#id_date_from-preview")).to_have_text(re.compile(r"\S"))
    assert re.search(expect_year, page.inner_text("#id_date_from-preview"))
    page.fill("#id_date_to", "the day of the storm")
    expect(page.locator("#id_date_to-preview")).to_have_text(re.compile(r"\S"))
    page.fill("#id_date_to", "")
    mosul = world.places["mosul"]
    places = page.inner_text("#id_places")
    hisba = world.units["hisba"]
    assert (mosul.name_ar if lang == "ar" else mosul.name_en) in places
    assert (hisba.name_ar if lang == "ar" else hisba.name_en) in page.inner_text("#id_units")
    if lang == "ar":
        assert mosul.name_en not in places and hisba.name_en not in page.inner_text("#id_units")
    page.check(f"input[name=places][value='{mosul.pk}']")
    page.check(f"input[name=units][value='{hisba.pk}']")
    page.fill("#find-perpetrator", "Abu Testperp")
    page.locator(f"#found button[data-pk='{world.member.pk}']").click()
    assert world.member.uid in page.inner_text("#chosen")
    assert _fits(page)
    page.set_viewport_size(NARROW)
    assert _fits(page)
    page.click("#charge-form button[type=submit]")
    page.wait_for_url(re.compile(r"/legal/charges/\d+/$"))
    charge = Charge.objects.get(title="Hisba killings, 1436")
    assert list(charge.perpetrators.all()) == [world.member]
    assert list(charge.places.all()) == [mosul] and list(charge.units.all()) == [hisba]
    assert charge.date_from and date(2015, 6, 14) <= charge.date_from <= date(2015, 6, 18)
    assert charge.date_to is None
    page.context.close()


@pytest.mark.parametrize("device", [LAPTOP, PIXEL_5], ids=["laptop", "pixel5"])
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_issue17_2_the_perpetrator_page_reads_in_the_readers_language(
        browser, live_server, legal_world, lang, device) -> None:  # type: ignore[no-untyped-def]
    world, _ = legal_world
    hisba = world.units["hisba"]
    page = open_as(browser, live_server, "victor", lang, device=device)
    page.goto(f"{live_server.url}/legal/perpetrators/person/{world.emir.pk}/")
    below = page.inner_text("#below")
    assert world.member.uid in below
    assert (hisba.name_ar if lang == "ar" else hisba.name_en) in below
    assert (hisba.name_en if lang == "ar" else hisba.name_ar) not in below
    if lang == "ar":
        assert not {c for c in CODES if re.search(rf"\b{c}\b", page.inner_text("main"))}
    assert _fits(page)
    page.set_viewport_size(NARROW)
    assert _fits(page)
    page.goto(f"{live_server.url}/legal/perpetrators/unit/{hisba.pk}/")
    assert (hisba.name_ar if lang == "ar" else hisba.name_en) in page.inner_text("h1")
    assert _fits(page)
    page.context.close()


@pytest.mark.parametrize("device", [LAPTOP, PIXEL_5], ids=["laptop", "pixel5"])
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_issue17_3_the_demo_charge_is_named_in_the_readers_language(
        browser, live_server, legal_world, lang, device) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    charge = services.ensure_demo_charge(get_user_model().objects.get(username="samir"))
    page = open_as(browser, live_server, "victor", lang, device=device)
    page.goto(f"{live_server.url}/legal/")
    shown, hidden = ((services.DEMO_CHARGE_TITLE_AR, services.DEMO_CHARGE_TITLE) if lang == "ar"
                     else (services.DEMO_CHARGE_TITLE, services.DEMO_CHARGE_TITLE_AR))
    assert shown in page.inner_text("main") and hidden not in page.inner_text("main")
    # The crime in words, as on the charge's page; its catalogue id was printed (the walk).
    crime = load_catalogue().crime(charge.crime_id)
    crimes = page.locator("main tbody td:nth-child(3)").all_inner_texts()
    assert (crime.name_ar if lang == "ar" else crime.name_en) in crimes
    assert charge.crime_id not in page.inner_text("main")
    page.goto(f"{live_server.url}/legal/charges/{charge.pk}/")
    assert shown in page.inner_text("h1")
    assert (services.DEMO_VICTIM_GROUP_AR if lang == "ar" else services.DEMO_VICTIM_GROUP) \
        in page.inner_text("main")
    assert _fits(page)
    page.set_viewport_size(NARROW)
    assert _fits(page)
    page.context.close()
