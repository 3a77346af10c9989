"""Issue 20, item 3, in the browser: an analyst asks for faces to be looked for, sees the box
drawn over the face in the picture, confirms it and marks another by hand, all by keyboard,
in Arabic and English; each step lands in the chain of custody and the page stays within the
screen."""

from __future__ import annotations

import io
import os

import pytest
from tests.browser.conftest import LAPTOP, open_as
from tests.faces import drawn

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.evidence.intake import Collection, ingest_stream
from dhakira.apps.faces.models import Face

pytestmark = [pytest.mark.browser]

LOOK = {"ar": "ابحث عن الوجوه", "en": "Look for faces"}
CONFIRMED = {"ar": "مؤكَّد: يُطمَس في نسخ التسليم", "en": "confirmed: blurred in hand-over copies"}


def _press(page, locator) -> None:  # type: ignore[no-untyped-def]
    """Reach a control by keyboard focus and press Enter; wait for the page it brings."""
    locator.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_an_analyst_confirms_a_face_and_marks_one_by_hand_by_keyboard(
        browser, live_server, world, lang) -> None:  # type: ignore[no-untyped-def]
    item = ingest_stream(io.BytesIO(drawn.face_jpeg()), name="scene.jpg", origin="usb",
                         collection=Collection(collector="rana", method="handed over"))
    page = open_as(browser, live_server, "samir", lang, device=LAPTOP)
    page.goto(f"{live_server.url}/evidence/{item.uid}/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    _press(page, page.get_by_role("button", name=LOOK[lang]))

    # The box sits over the face: inside the picture, around its middle.
    image = page.locator("#viewer img").first
    image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                           arg=image.element_handle())
    pic = image.bounding_box()
    box = page.locator("#viewer .face-box rect").first.bounding_box()
    assert pic["x"] <= box["x"] and box["x"] + box["width"] <= pic["x"] + pic["width"] + 1
    middle = (box["x"] + box["width"] / 2 - pic["x"]) / pic["width"]
    assert 0.4 < middle < 0.6
    assert 0.35 < box["width"] / pic["width"] < 0.7

    # Confirm face 1, by keyboard.
    [face] = Face.objects.filter(item=item)
    _press(page, page.locator(f"#face-{face.pk} button[value=confirmed]"))
    assert CONFIRMED[lang] in page.inner_text(f"#face-{face.pk}")
    assert page.locator("#viewer .face-box.confirmed").count() == 1

    # Mark a second face by hand: open the form, type the box, press Enter.
    summary = page.locator(".face-add summary")
    summary.focus()
    page.keyboard.press("Enter")
    for name, value in (("x", "10"), ("y", "12"), ("w", "60"), ("h", "70")):
        page.locator(f".face-box-form input[name={name}]").focus()
        page.keyboard.type(value)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#viewer .face-box.confirmed").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    decisions = [e.detail["decision"] for e in
                 LedgerEntry.objects.filter(subject=item.uid, action="decision").order_by("seq")]
    assert decisions == ["confirmed", "added"]
    assert [e.actor for e in LedgerEntry.objects.filter(subject=item.uid, action="other")
            if e.detail.get("kind") == "faces_detected"] == ["samir"]
    if os.environ.get("FACES_SHOT"):  # a picture of the page for a person to look at
        shown = page.locator("#viewer img").first
        shown.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                               arg=shown.element_handle())
        page.screenshot(path=f"{os.environ['FACES_SHOT']}-{lang}.png", full_page=True)
    page.context.close()
