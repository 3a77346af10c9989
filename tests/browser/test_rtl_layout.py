"""Right-to-left layout a new user's walk of the demo in Arabic found wrong, measured in
Chromium on a laptop and a phone: the evidence item's heading stood at the left, a source line's
code name pulled its brackets and comma about, an act's id broke over two lines in an event's
acts table, and the report form's name suggestions squeezed the victim's row."""

from __future__ import annotations

import io

import pytest
from tests.browser.conftest import LAPTOP, PIXEL_5, open_as
from tests.evidence import files

from dhakira.apps.evidence.intake import Collection, ingest_stream

pytestmark = [pytest.mark.browser]

DEVICES = [pytest.param(LAPTOP, id="laptop"), pytest.param(PIXEL_5, id="phone")]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_evidence_items_heading_starts_where_the_page_starts(browser, live_server, world,
                                                                 lang, device) -> None:  # type: ignore[no-untyped-def]
    item = ingest_stream(io.BytesIO(files.pdf_bytes()), name="report.pdf", origin="usb",
                         collection=Collection(collector="rana"))
    page = open_as(browser, live_server, "rana", lang, device=device)
    page.goto(f"{live_server.url}/evidence/{item.uid}/")
    box = page.evaluate("""() => {
        const h = document.querySelector('main h1'), id = h.querySelector('.uid') || h;
        const main = document.querySelector('main').getBoundingClientRect();
        const r = id.getBoundingClientRect(), h2 = document.querySelector('main h2');
        return {dir: getComputedStyle(h).direction, left: r.left - main.left,
                right: main.right - r.right, h2dir: getComputedStyle(h2).direction,
                text: id.textContent};
    }""")
    assert box["text"] == item.uid
    # The heading reads in the page's direction (the h2s' one) and its id sits at its start.
    assert box["dir"] == box["h2dir"] == ("rtl" if lang == "ar" else "ltr")
    start = box["right"] if lang == "ar" else box["left"]
    end = box["left"] if lang == "ar" else box["right"]
    assert start < 40 < end, box
    page.context.close()


@pytest.mark.parametrize("device", DEVICES)
def test_a_source_line_reads_right_to_left_in_arabic(browser, live_server, world, device) -> None:  # type: ignore[no-untyped-def]
    """Report id — code name (grade)، date: each part isolated, in reading order from the right."""
    page = open_as(browser, live_server, "rana", "ar", device=device)
    page.goto(f"{live_server.url}/events/{world.event.pk}/")
    line = page.locator("li", has=page.locator(f"a.uid:text-is('{world.information.uid}')")).first
    parts = line.evaluate("""li => {
        const x = el => { const r = el.getBoundingClientRect(); return [r.left, r.right, r.top]; };
        const nums = li.querySelectorAll('.num');
        return {id: x(li.querySelector('a.uid')), code: x(li.querySelector('bdi')),
                grade: x(nums[0]), date: x(nums[1]), text: li.textContent,
                code_text: li.querySelector('bdi').textContent, grade_text: nums[0].textContent};
    }""")
    assert parts["code_text"] == "NINAWA-07" and parts["grade_text"] == "B2"
    assert "(B2)، " in parts["text"], parts["text"]  # the Arabic comma
    # From the right: the id, the code name, the grade, the date, each after the one before on
    # its line (a phone may carry the date to the next line, which then starts at the right).
    order = [parts[k] for k in ("id", "code", "grade", "date")]
    for before, after in zip(order, order[1:], strict=False):
        if abs(before[2] - after[2]) < 5:  # on the same line
            assert after[1] <= before[0] + 1, parts
        else:
            assert after[2] > before[2], parts
    assert abs(order[0][2] - order[1][2]) < 5, parts  # the code name stays by its report
    page.context.close()


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_ids_in_an_events_acts_table_never_break(browser, live_server, world, lang, device) -> None:  # type: ignore[no-untyped-def]
    # A reason given at length, as reports give it: the other columns take the width and the
    # act's column is left at its narrowest, where "A-000001" used to break after its hyphen.
    world.act.stated_reason = " ".join(["قال المخبر إنهم اتهموه بالتعامل مع جهات خارجية"] * 10)  # within its 500 characters
    world.act.save()
    page = open_as(browser, live_server, "rana", lang, device=device)
    page.goto(f"{live_server.url}/events/{world.event.pk}/")
    lines = page.evaluate("""() => [...document.querySelectorAll('table.acts .uid')].map(el => {
        const lh = parseFloat(getComputedStyle(el).lineHeight) || 20;
        return [el.textContent, el.getClientRects().length,
                el.getBoundingClientRect().height / lh];
    })""")
    assert lines and any(text == world.act.uid for text, _, _ in lines)
    for text, rects, height in lines:
        assert rects == 1 and height < 1.5, (text, rects, height)
    page.context.close()


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_name_suggestions_take_the_rows_whole_width(browser, live_server, world, lang,
                                                        device) -> None:  # type: ignore[no-untyped-def]
    page = open_as(browser, live_server, "rana", lang, device=device)
    page.goto(live_server.url + "/reports/new/")
    before = page.evaluate("document.querySelector('#id_v-0-name').getBoundingClientRect().width")
    page.fill("#id_v-0-name", "محمد علي حسين")
    page.locator("#suggestions li").first.wait_for()
    sizes = page.evaluate("""() => {
        const box = document.getElementById('suggestions'), row = box.closest('fieldset');
        const cs = getComputedStyle(row);
        const inner = row.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
        return {box: box.getBoundingClientRect().width, inner: inner, in_row: !!row,
                name: document.querySelector('#id_v-0-name').getBoundingClientRect().width};
    }""")
    assert sizes["in_row"], "the suggestions are shown under the name being typed"
    assert sizes["box"] >= sizes["inner"] - 2, sizes  # a whole row, not a cell of the grid
    assert abs(sizes["name"] - before) < 2, (before, sizes)  # the name field kept its width
    page.context.close()
