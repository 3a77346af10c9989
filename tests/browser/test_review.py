"""The review queue in a real browser: both records side by side on a laptop and stacked on a
phone, differing fields marked in words, and a keyboard shortcut that decides and shows the
next pair. In Arabic and in English, at 1366×768 and at a phone's 390×844.
"""

from __future__ import annotations

import re

import pytest
from tests.browser.conftest import open_as
from tests.identity.conftest import DIFFER, new_run, person

from dhakira.apps.linkage.models import CandidatePair, Status
from dhakira.apps.linkage.ordering import weight

pytestmark = [pytest.mark.browser]

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
WORDS = {"ar": "مختلف", "en": "different"}
# The D key as it arrives with each layout: with an Arabic layout it types «ي».
DIFFERENT_KEY = {"ar": "ي", "en": "d"}
FORWARD = {"ar": "ArrowLeft", "en": "ArrowRight"}


def _pair(run, probability, left, right, levels):  # type: ignore[no-untyped-def]
    return CandidatePair.objects.create(run=run, left=left, right=right,
                                        match_weight=weight(probability),
                                        probability=probability, levels=levels)


@pytest.fixture
def queue(world):  # type: ignore[no-untyped-def]
    """Three pending pairs, in queue order: near the threshold first."""
    run = new_run()
    pairs = []
    for i, probability in enumerate((0.989, 0.9, 0.6)):
        left = person(f"محمد علي حسين {i}")
        right = person(f"محمد عيسى حسين {i}")
        pairs.append(_pair(run, probability, left, right, DIFFER))
    return pairs


def _press_d(page, typed: str, code: str = "KeyD") -> None:  # type: ignore[no-untyped-def]
    """The physical key ``code`` (D unless told) typing ``typed``, through Chromium's input
    pipeline (Playwright's own keyboard knows only the US layout)."""
    cdp = page.context.new_cdp_session(page)
    virtual = ord(code[-1])
    key = {"key": typed, "code": code, "windowsVirtualKeyCode": virtual,
           "nativeVirtualKeyCode": virtual}
    cdp.send("Input.dispatchKeyEvent", {"type": "keyDown", "text": typed, **key})
    cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", **key})


def _box(page, selector: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    return box


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366x768", "phone"])
def test_finding_15_5_records_side_by_side_and_a_key_decides_and_shows_the_next_pair(
        browser, live_server, queue, lang, viewport) -> None:  # type: ignore[no-untyped-def]
    first, second, third = queue
    page = open_as(browser, live_server, "rana", lang, viewport=viewport)
    page.goto(f"{live_server.url}/identity/")
    page.click("#start")
    page.wait_for_url(re.compile(rf"/identity/pairs/{first.pk}/$"))
    left, right = (_box(page, f"tr[data-field=father] td.{side}") for side in ("left", "right"))
    if viewport is DESKTOP:
        assert abs(left["y"] - right["y"]) < 2 and abs(left["x"] - right["x"]) > 200
        # Right to left in Arabic: the first record is on the right.
        assert (left["x"] > right["x"]) == (lang == "ar")
    else:
        assert right["y"] >= left["y"] + left["height"] - 1  # stacked
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # The heading's two ids and the run's each read as one word (a bare id broke on a phone).
    assert page.locator("h1 .uid").all_inner_texts() == [first.left.uid, first.right.uid]
    assert page.locator("main p .uid").first.inner_text() == str(first.run)
    father = page.locator("tr[data-field=father]")
    assert father.get_attribute("data-verdict") == "differs"
    assert "≠" in father.inner_text() and WORDS[lang] in father.inner_text()
    # A letter typed into the reason is not a shortcut.
    page.fill("#id_reason", "sd")
    page.locator("h1").click()
    _press_d(page, DIFFERENT_KEY[lang])
    page.wait_for_url(re.compile(rf"/identity/pairs/{second.pk}/$"))
    first.refresh_from_db()
    assert (first.status, first.decided_by, first.reason) == (Status.REJECTED, "rana", "sd")
    # The arrow that points forward in the page's direction skips, deciding nothing.
    page.keyboard.press(FORWARD[lang])
    page.wait_for_url(re.compile(rf"/identity/pairs/{third.pk}/$"))
    second.refresh_from_db()
    assert second.status == Status.PENDING
    page.context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_three_decisions_look_different(browser, live_server, queue, lang) -> None:  # type: ignore[no-untyped-def]
    page = open_as(browser, live_server, "rana", lang, viewport=DESKTOP)
    page.goto(f"{live_server.url}/identity/pairs/{queue[0].pk}/")
    colours = [page.eval_on_selector(f"button[value={v}]", "b => getComputedStyle(b).backgroundColor")
               for v in ("accepted", "rejected", "unsure")]
    assert len(set(colours)) == 3
    assert page.locator("button[value=accepted]").inner_text().startswith("✓")
    assert page.locator("button[value=rejected]").inner_text().startswith("✗")
    # The skip button stands beside them, on the page (it shared the class of the "skip to
    # the content" link, which sits above the page until focused).
    skip, accept = (page.locator(sel).bounding_box() for sel in ("a#skip", "button[value=accepted]"))
    assert skip is not None and accept is not None and skip["y"] >= 0
    assert abs(skip["y"] - accept["y"]) < accept["height"]
    page.context.close()


def test_the_n_key_skips_with_an_arabic_layout(browser, live_server, queue) -> None:  # type: ignore[no-untyped-def]
    """The hint says «المفتاح N (ى)»: the physical N key, which types «ى» on an Arabic layout,
    skips to the next pair without deciding (review.js reads event.code, not the letter)."""
    first, second, _ = queue
    page = open_as(browser, live_server, "rana", "ar", viewport=DESKTOP)
    page.goto(f"{live_server.url}/identity/pairs/{first.pk}/")
    assert "المفتاح N (ى)" in page.inner_text("#shortcuts")
    page.locator("h1").click()
    _press_d(page, "ى", code="KeyN")
    page.wait_for_url(re.compile(rf"/identity/pairs/{second.pk}/$"))
    first.refresh_from_db()
    assert first.status == Status.PENDING
    page.context.close()
