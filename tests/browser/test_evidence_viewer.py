"""Issue 17, finding 5, in the browser: the evidence item page on a laptop and a phone, in
both languages. A graphic photo arrives blurred and is shown when its button is pressed (by
keyboard); a PDF's first page is drawn; an e-mail reads as headers and body, its senders
"protected" until a cleared documenter reveals them (audited); the custody timeline says the
chain is verified; the labelled fields sit the right way round in Arabic; a viewer cannot
open a restricted item nor take an original away, and nothing is wider than the screen."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from tests.browser.conftest import LAPTOP, PIXEL_5, open_as
from tests.evidence import files

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.evidence.intake import Collection, ingest_stream
from dhakira.apps.evidence.models import EvidenceItem

pytestmark = [pytest.mark.browser]

SENDER = "qzxsender@example.org"
VERIFIED = {"ar": "تم التحقق من السلسلة", "en": "Chain verified"}
PROTECTED = {"ar": "محميّ", "en": "protected"}
SHOW = {"ar": "اعرض المحتوى الصادم", "en": "Show the graphic content"}


def _take(data: bytes, name: str, *, compartment: str = "", graphic: bool = False
          ) -> EvidenceItem:
    return ingest_stream(io.BytesIO(data), name=name, origin="usb", collection=Collection(
        collector="rana", method="handed over", compartment=compartment, graphic=graphic))


def _photo() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (640, 480), "darkred").save(out, "JPEG")
    return out.getvalue()


def _fits(page) -> bool:  # type: ignore[no-untyped-def]
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def _loaded(page, selector: str) -> bool:  # type: ignore[no-untyped-def]
    image = page.locator(selector).first
    image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    return True


@pytest.mark.parametrize("device", [LAPTOP, PIXEL_5], ids=["laptop", "pixel5"])
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_finding_17_05_a_viewer_looks_at_a_photo_a_pdf_and_an_email(
        browser, live_server, world, lang, device) -> None:  # type: ignore[no-untyped-def]
    photo = _take(_photo(), "scene.jpg", graphic=True)
    pdf = _take(files.pdf_bytes(), "statement.pdf")
    mail = _take(files.eml_bytes(sender=SENDER, attachment=files.pdf_bytes("Attached")), "tip.eml")
    hidden = _take(files.pdf_bytes("Restricted"), "restricted.pdf", compartment="sources")
    page = open_as(browser, live_server, "victor", lang, device=device)

    # The graphic photo: fetched, blurred; the button (reached by keyboard) shows it.
    page.goto(f"{live_server.url}/evidence/{photo.uid}/")
    figure = page.locator("#viewer figure")
    assert "graphic-hidden" in figure.get_attribute("class")
    assert _loaded(page, "#viewer img")
    assert "blur" in page.evaluate("getComputedStyle(document.querySelector('#viewer img')).filter")
    button = page.locator(".reveal-graphic")
    assert button.inner_text() == SHOW[lang]
    button.focus()
    page.keyboard.press("Enter")
    assert "graphic-hidden" not in figure.get_attribute("class")
    assert button.get_attribute("aria-pressed") == "true"
    assert page.evaluate("getComputedStyle(document.querySelector('#viewer img')).filter") == "none"
    assert VERIFIED[lang] in page.inner_text("#custody")
    assert page.locator("a[href$='/original/']").count() == 0  # a viewer takes nothing away
    assert _fits(page)
    # The labelled fields: the label at the start of the line in either direction.
    dt = page.locator("dl.fields dt").first.bounding_box()
    dd = page.locator("dl.fields dd").first.bounding_box()
    if device is LAPTOP:
        assert (dt["x"] > dd["x"]) if lang == "ar" else (dt["x"] < dd["x"])
        assert abs(dt["y"] - dd["y"]) < 4  # side by side
    else:
        assert dd["y"] > dt["y"]  # stacked on a phone

    # The PDF: page 1 drawn from the encrypted original.
    page.goto(f"{live_server.url}/evidence/{pdf.uid}/")
    assert _loaded(page, "#viewer img")
    assert "graphic-hidden" not in page.locator("#viewer figure").get_attribute("class")
    assert _fits(page)

    # The e-mail: headers and body; the senders are protected for a viewer.
    page.goto(f"{live_server.url}/evidence/{mail.uid}/")
    shown = page.inner_text("#mail")
    assert SENDER not in page.content() and shown.count(PROTECTED[lang]) == 2
    assert files.ARABIC_TEXT in shown and "تقرير" in shown
    assert _fits(page)
    page.locator("#mail ul a.uid").first.click()
    page.wait_for_url(f"{live_server.url}/evidence/{mail.family.get().uid}/")
    assert _loaded(page, "#viewer img")

    # A restricted item does not exist for the viewer, nor its pictures.
    response = page.goto(f"{live_server.url}/evidence/{hidden.uid}/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/evidence/{hidden.uid}/page/1/")
    assert response.status == 404

    looks = LedgerEntry.objects.filter(actor="victor", action="other")
    assert {e.subject for e in looks} == {photo.uid, pdf.uid, mail.uid, mail.family.get().uid}
    page.context.close()


@pytest.mark.parametrize("device", [LAPTOP, PIXEL_5], ids=["laptop", "pixel5"])
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_finding_17_05_a_cleared_documenter_reveals_the_senders_and_downloads(
        browser, live_server, world, lang, device) -> None:  # type: ignore[no-untyped-def]
    mail = _take(files.eml_bytes(sender=SENDER), "tip.eml", compartment="sources")
    page = open_as(browser, live_server, "rana", lang, device=device)
    page.goto(f"{live_server.url}/evidence/{mail.uid}/")
    # Cleared or not, the page opens with the senders protected; she reveals them, with a reason.
    assert SENDER not in page.content() and PROTECTED[lang] in page.inner_text("#mail")
    assert VERIFIED[lang] in page.inner_text("#custody")
    form = page.locator("form.reveal:has(input[value='metadata_people'])")
    form.locator("input[name=reason]").fill("confirm the informant")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert SENDER in page.content()
    assert LedgerEntry.objects.filter(actor="rana", action="read_protected",
                                      subject=mail.uid).exists()
    page.goto(f"{live_server.url}/evidence/{mail.uid}/")
    with page.expect_download() as download:
        page.click("a[href$='/original/']")
    assert download.value.suggested_filename == f"{mail.uid}.eml"
    assert SENDER.encode() in Path(download.value.path()).read_bytes()
    page.goto(f"{live_server.url}/evidence/{mail.uid}/")
    timeline = page.inner_text("#custody")
    assert ("نزّل rana الأصل" if lang == "ar" else "Original downloaded by rana") in timeline
    assert _fits(page)
    page.context.close()


UPLOAD = {"ar": ("عدد العناصر المستلمة: 1. عدد الملفات المرفوضة: 1:", "رُفض: الملف فارغ"),
          "en": ("1 item taken in. 1 file refused:", "was refused: the file is empty")}


@pytest.mark.parametrize("device", [LAPTOP, PIXEL_5], ids=["laptop", "pixel5"])
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_finding_17_05_a_partly_refused_upload_in_the_browser(
        browser, live_server, world, lang, device) -> None:  # type: ignore[no-untyped-def]
    """The upload page with its script (the path a person takes): what was taken in, as a
    link, and what was refused and why, the file's name isolated as the page without the
    script has it (the script wrote it into the sentence bare, where the bidi algorithm may
    draw a name in the other script, or ending in digits, out of order)."""
    summary, reason = UPLOAD[lang]
    name = "صورة 2.txt" if lang == "en" else "scan 2.txt"  # a name in the other script
    page = open_as(browser, live_server, "rana", lang, device=device)
    page.goto(live_server.url + "/evidence/upload/")
    page.set_input_files("#id_files", files=[
        {"name": "scene.jpg", "mimeType": "image/jpeg", "buffer": _photo()},
        {"name": name, "mimeType": "text/plain", "buffer": b""}])
    page.fill("#id_method", "handed over")
    page.click("#upload-form button[type=submit]")
    page.locator("#upload-results li").nth(1).wait_for()
    assert page.inner_text("#upload-status") == summary
    taken = EvidenceItem.objects.get(original_name="scene.jpg")
    link = page.locator("#upload-results li a")
    assert link.inner_text() == taken.uid
    assert link.get_attribute("href") == f"/evidence/{taken.uid}/"
    refused = page.locator("#upload-results li").nth(1)
    assert refused.locator("bdi").inner_text() == name
    assert reason in refused.inner_text()
    assert _fits(page)
    page.context.close()
