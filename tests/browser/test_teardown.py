"""A browser test ends only when the live server has answered every request its pages made.

The picture of an evidence item is drawn on request and its custody entry written after; a
page closed while it was being drawn left the server writing that entry once pytest-django had
emptied the database, and the worker's next test found a ledger beginning with an entry signed
by another vault's key (``tests/evidence/test_repair.py`` failed so after
``tests/browser/test_rtl_layout.py``)."""

from __future__ import annotations

import io
import threading
import time

import pytest
from tests.browser.conftest import Answering, close_contexts, open_as

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.evidence import render
from dhakira.apps.evidence.intake import Collection, ingest_stream

pytestmark = [pytest.mark.browser]

DRAWING_S = 1.5


def _photo() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (320, 240), "darkblue").save(out, "JPEG")
    return out.getvalue()


def test_a_picture_still_being_drawn_is_written_before_the_test_ends(
        browser, live_server, world, answering: Answering,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch) -> None:
    real = render.image
    drawing = threading.Event()

    def slow(data: bytes) -> render.Picture:
        drawing.set()
        time.sleep(DRAWING_S)
        return real(data)

    monkeypatch.setattr(render, "image", slow)
    item = ingest_stream(io.BytesIO(_photo()), name="scene.jpg", origin="usb",
                         collection=Collection(collector="rana", method="handed over"))
    page = open_as(browser, live_server, "rana", "en")
    with page.expect_request(lambda r: r.url.endswith(f"/evidence/{item.uid}/page/1/")):
        page.goto(f"{live_server.url}/evidence/{item.uid}/")
    # The page has asked for the picture; closed before the server reads that request, the
    # page takes it away unanswered, and nothing is left to wait for. So close once drawing
    # has begun, waiting inside Playwright's loop: a route (as the contexts had until
    # 5 December) let a request on only while this thread was in a Playwright call.
    deadline = time.monotonic() + 30
    while not drawing.is_set() and time.monotonic() < deadline:
        page.wait_for_timeout(20)
    assert drawing.is_set(), "the server never began drawing the picture"
    page.context.close()  # the picture is still being drawn
    close_contexts(browser, answering)  # what the test's teardown does, before the flush
    views = LedgerEntry.objects.filter(subject=item.uid, action="other")
    assert [e.detail.get("page") for e in views if e.detail.get("rendition") == "picture"] == [1]
