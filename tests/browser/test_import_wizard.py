"""Issue 20, item 4, in the browser: a documenter walks a messy Arabic sheet through the import
wizard on a 360 px phone screen, by keyboard, in Arabic and English: upload, map every column,
match a value to a term, see the dry run refuse a row (its row, column and reason in the page's
language), map it, import, and follow the new reports' links."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.browser.conftest import PIXEL_5, open_as
from tests.importing.sheets import messy_xlsx

from dhakira.apps.dossier.models import Information
from dhakira.apps.evidence.models import EvidenceItem

pytestmark = [pytest.mark.browser]

NARROW = {**PIXEL_5, "viewport": {"width": 360, "height": 740}}
TARGETS = ["victim_name", "victim_name_other", "victim_age", "victim_sex", "date", "place",
           "act_type", "source", "text", "ignore"]
REASON = {"ar": "ليست مصطلحًا في act_types", "en": "is not a term of act_types"}
CHECK = {"ar": "افحص الربط", "en": "Check the mapping"}
IMPORT = {"ar": "استيراد", "en": "Import"}
BACK = {"ar": "العودة إلى الربط", "en": "Back to the mapping"}


def _press(page, locator) -> None:  # type: ignore[no-untyped-def]
    """Reach a control by keyboard focus and press Enter; wait for the page it brings."""
    locator.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _fits(page) -> None:  # type: ignore[no-untyped-def]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 361, f"{page.url} is {width} px wide"


def _choose(page, select, value: str) -> None:  # type: ignore[no-untyped-def]
    """Reach a select by keyboard focus and choose ``value`` (Playwright sets the option; the
    labels differ by language, so typing their first letters would test the labels)."""
    select.focus()
    select.select_option(value)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_messy_arabic_sheet_through_the_wizard_on_a_phone(
        browser, live_server, world, lang, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = Information.objects.count()
    page = open_as(browser, live_server, "rana", lang, device=NARROW)
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    _press(page, page.locator("#import-link a"))
    _fits(page)
    page.locator("#id_sheet").set_input_files(str(messy_xlsx(tmp_path / "ضحايا.xlsx")))
    _press(page, page.locator("#import-upload button[type=submit]"))

    # Map: every column listed with samples; none overflows the phone's width.
    assert page.locator("fieldset.import-column").count() == len(TARGETS)
    assert "أحمد خليل إبراهيم" in page.inner_text("#column-0")
    _fits(page)
    for i, target in enumerate(TARGETS):
        _choose(page, page.locator(f"#id_col_{i}"), target)
    _choose(page, page.locator("#id_default_channel"), "document")
    page.locator("#id_default_received_at").fill("2016-05-01")
    _press(page, page.get_by_role("button", name=CHECK[lang]))
    # The vocabulary columns' values are shown; "Enforced disappearance" is left unmatched.
    assert page.locator("#column-6 .value").count() == 5
    _fits(page)
    _press(page, page.get_by_role("button", name=CHECK[lang]))

    # The dry run refuses row 3 and says why in the page's language; nothing is written.
    assert page.url.endswith("/preview/")
    assert page.inner_text("#count-refused") == "1"
    row = page.locator("#refusals tbody tr")
    assert row.count() == 1 and row.locator("td").nth(0).inner_text() == "3"
    assert row.locator("td").nth(1).inner_text() == "نوع الانتهاك"
    assert REASON[lang] in row.locator("td").nth(2).inner_text()
    assert page.locator("#import-now").count() == 0
    _fits(page)
    assert Information.objects.count() == before and not EvidenceItem.objects.filter(
        method="spreadsheet import").exists()

    # Back to the mapping: match the value to a term; the dry run is clean; import.
    _press(page, page.get_by_role("link", name=BACK[lang]))
    _choose(page, page.get_by_label("Enforced disappearance"), "abduction_disappearance")
    _press(page, page.get_by_role("button", name=CHECK[lang]))
    assert page.inner_text("#count-new") == "6" and page.inner_text("#count-refused") == "0"
    _press(page, page.locator("#import-now button"))

    # The result: six new reports, as links, and the sheet's evidence id.
    assert "/import/done/" in page.url
    _fits(page)
    assert page.locator("#new-reports a").count() == 6
    assert Information.objects.count() == before + 6
    sheet = EvidenceItem.objects.get(method="spreadsheet import")
    assert page.inner_text("#sheet-uid") == sheet.uid
    _press(page, page.locator("#new-reports a").first)
    assert "/reports/" in page.url
    page.context.close()
