"""Issue 17, findings 1 and 2, in the browser: on a laptop and a phone, in both languages.

The grades start unassessed; a known source typed in other capitals is recognised (its own
grade shown, the "new source" part closed); the grounds the perpetrators attributed, the
public setting and the informant's connection are recorded, and the act is proposed for the
persecution charge.
"""

from __future__ import annotations

import re

import pytest
from tests.browser.conftest import LAPTOP, PIXEL_5, open_as

from dhakira.apps.dossier.models import Act, Information, Place, Source
from dhakira.apps.law import services as legal

pytestmark = [pytest.mark.browser]

SAVE = {"ar": "احفظ البلاغ", "en": "Save the report"}


@pytest.mark.parametrize("device", [LAPTOP, PIXEL_5], ids=["laptop", "pixel5"])
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_finding_17_1_and_2_a_report_of_a_killing_for_attributed_homosexuality(
        browser, live_server, world, lang, device) -> None:  # type: ignore[no-untyped-def]
    mosul = Place.objects.filter(name_en="Mosul").first()
    page = open_as(browser, live_server, "rana", lang, device=device)
    page.goto(live_server.url + "/reports/new/")
    assert page.input_value("#id_r-credibility") == ""
    assert page.input_value("#id_r-source_reliability") == ""

    page.fill("#id_r-source_code", "ninawa-07")  # the scenario's NINAWA-07, graded B
    assert page.locator("#new-source").is_hidden()
    assert page.inner_text("#source-known").endswith("B")
    page.fill("#id_r-received_at", "2015-03-20T10:30")
    page.select_option("#id_r-channel", "phone_call")
    page.select_option("#id_r-credibility", "3")
    page.select_option("#id_r-connection", "involved_witness")
    page.select_option("#id_r-material_type", "witness_testimony")
    page.fill("#id_r-event_title", "Thrown from a roof")
    page.fill("#id_r-date_text", "March 2015")
    page.fill("#id_r-place_text", mosul.name_ar if lang == "ar" else mosul.name_en)
    page.fill("#id_v-0-name", "Synthetic Person Name")
    page.select_option("#id_a-0-act_type", "killing")
    page.select_option("#id_a-0-method", "thrown_from_height")
    page.check("input[name=a-0-grounds][value=attributed_sexual_orientation]")
    page.select_option("#id_a-0-public_setting", "true")
    page.select_option("#id_a-0-announced", "true")
    page.check("input[name=a-0-rights_deprived][value=life]")
    # Nothing on the page is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.click(f"text={SAVE[lang]}")
    page.wait_for_load_state()
    assert not page.locator("#error-summary").count(), page.inner_text("#error-summary")
    page.wait_for_url(re.compile(r"/reports/\d+/$"))

    info = Information.objects.get(events__title="Thrown from a roof")
    assert info.source.code_name == "NINAWA-07" and Source.objects.filter(
        code_name__iexact="ninawa-07").count() == 1
    assert (info.connection, info.material_type) == ("involved_witness", "witness_testimony")
    act = Act.objects.get(information=info)
    assert act.grounds == ["attributed_sexual_orientation"] and act.public_setting is True
    assert "CAH-PERSECUTION" in legal.candidate_crimes_for(act)
    page.context.close()


@pytest.mark.parametrize("device", [LAPTOP, PIXEL_5], ids=["laptop", "pixel5"])
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_finding_17_3_files_attached_survive_a_form_error(browser, live_server, world, lang,
                                                          device) -> None:  # type: ignore[no-untyped-def]
    from dhakira.apps.evidence.models import EvidenceItem

    page = open_as(browser, live_server, "rana", lang, device=device)
    page.goto(live_server.url + "/reports/new/")
    page.fill("#id_r-source_code", "NINAWA-07")
    page.fill("#id_r-received_at", "2015-03-20T10:30")
    page.select_option("#id_r-channel", "phone_call")
    page.select_option("#id_r-credibility", "3")
    page.fill("#id_v-0-name", "Synthetic Person Name")
    page.select_option("#id_a-0-act_type", "killing")
    page.set_input_files("#id_f-files", files=[{"name": "statement.txt", "mimeType": "text/plain",
                                                "buffer": b"a synthetic written statement"}])
    page.check("#id_f-graphic")
    page.click(f"text={SAVE[lang]}")  # the title is missing
    page.locator("#error-summary").wait_for()
    assert "statement.txt" in page.inner_text("#kept-files")
    page.fill("#id_r-event_title", "Arrest at the market")
    page.click(f"text={SAVE[lang]}")
    page.wait_for_url(re.compile(r"/reports/\d+/$"))
    item = EvidenceItem.objects.get(information__events__title="Arrest at the market")
    assert item.graphic is True and item.size == len(b"a synthetic written statement")
    page.context.close()
