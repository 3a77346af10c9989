"""Issue 20, item 6 in a real browser, in Arabic and English: from the package check, a
documenter opens "Export in another format", checks a selection (the refused person's act is
shown blocked, with the reason in the page's language), exports it and gets a file that parses,
with no protected value in it; the export is in custody and the disclosure log."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from tests.browser.conftest import open_as

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.handover.models import Disclosure

pytestmark = [pytest.mark.browser]
ICC = "International Criminal Court"
WORDS = {"ar": {"link": "التصدير بصيغة أخرى", "goes": "يمكن التصدير", "refused": "الموافقة مرفوضة"},
         "en": {"link": "Export in another format", "goes": "The export may go",
                "refused": "consent refused"}}


@pytest.fixture
def dossier(transactional_db, fast_passwords):  # type: ignore[no-untyped-def]
    from tests.cast import make_cast
    from tests.handover import dossier as handover_dossier
    from tests.handover.conftest import consent, listed

    cast = make_cast()
    d = handover_dossier.build(with_evidence=False)
    listed(ICC)
    consent(d.base.victim, "granted", by=cast["amal"])
    consent(d.refuser, "refused", by=cast["amal"])
    return d


def _protected(d) -> list[str]:  # type: ignore[no-untyped-def]
    from tests.dossier import scenario
    from tests.handover import dossier as handover_dossier

    return [scenario.SOURCE_IDENTITY, scenario.SOURCE_PHONE, scenario.VICTIM_ADDRESS,
            *handover_dossier.REFUSER, handover_dossier.REFUSER_ADDRESS, "NINAWA-07"]


@pytest.mark.parametrize(("lang", "fmt"), [("ar", "esf"), ("en", "esf"), ("en", "uwazi")])
def test_a_documenter_checks_and_downloads_an_export(browser, live_server, dossier, lang,  # type: ignore[no-untyped-def]
                                                     fmt) -> None:
    from tests.handover.conftest import listed

    t = WORDS[lang]
    page = open_as(browser, live_server, "rana", lang)
    page.goto(f"{live_server.url}/packages/check/")
    with page.expect_navigation():
        page.click("#export-link")
    assert t["link"] in page.inner_text("h1")
    page.fill("#id_select", "place:Mosul")
    page.select_option("#id_recipient", str(listed(ICC).pk))
    page.select_option("#id_purpose", "share_icc")
    page.select_option("#id_policy", "full")
    page.select_option("#id_fmt", fmt)
    with page.expect_navigation():
        page.click("#check-export")
    result = page.inner_text("#export-result")
    assert t["goes"] in result and dossier.base.act.uid in result
    assert f"{dossier.refuser_act.uid}: {dossier.refuser.uid}: {t['refused']}" in result
    assert not Disclosure.objects.exists()  # a check logs nothing

    with page.expect_download() as download:
        page.click("#export-download")
    data = Path(download.value.path()).read_bytes()
    export_id = LedgerEntry.objects.get(action="export", actor="rana").subject
    if fmt == "esf":
        assert download.value.suggested_filename == f"{export_id}-esf.json"
        doc = json.loads(data)
        assert [a["2101 record number"] for a in doc["acts"]] == [dossier.base.act.uid]
        assert doc["x-dhakira"]["export"] == export_id
        text = data.decode("utf-8")
    else:
        assert download.value.suggested_filename == f"{export_id}-uwazi.zip"
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert f"{export_id}/acts.csv" in archive.namelist()
            text = "".join(archive.read(n).decode("utf-8") for n in archive.namelist())
        assert dossier.base.act.uid in text and "title__ar" in text
    for value in _protected(dossier):
        assert value not in text, value
    assert Disclosure.objects.get().package_id == export_id
    page.context.close()
