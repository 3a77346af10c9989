"""The counting page says how much of each count stands on vetted material: the vetting
buckets of the reports behind each stratum and the total, as they stood at the estimate."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from tests.cast import client_for
from tests.counting import scenario

from dhakira.apps.counting import services
from dhakira.apps.counting.definitions import StrataDefinition
from dhakira.apps.counting.histories import capture_histories
from dhakira.apps.counting.models import EstimateRun
from dhakira.apps.vetting.status import set_status
from dhakira.core.vetting import BUCKETS

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(cast):  # type: ignore[no-untyped-def]
    world = scenario.build()
    reports = [m.information.get() for m in world.mentions]
    samir = cast["samir"]
    for status in ("under_review", "corroborated", "vetted"):
        set_status(samir, [reports[0].pk], status, reason="scale check")
    for status in ("under_review", "disputed"):
        set_status(samir, [reports[4].pk], status, reason="contradicted")
    # The report of the source on no list is behind no count: its status must not show.
    set_status(samir, [reports[3].pk], "withdrawn", reason="not on a list")
    return world, reports


def _cells(html: str) -> list[list[str]]:
    section = html[html.index('id="vetting"'):html.index("</section>", html.index('id="vetting"'))]
    return [re.findall(r'<td class="num">([^<]*)</td>', row) for row in section.split('class="vetting-row"')[1:]]


def test_the_reports_behind_each_stratum_are_the_ones_that_put_its_victims_on_a_list(counted) -> None:  # type: ignore[no-untyped-def]
    world, reports = counted
    hist = capture_histories(world.resolution, strata=StrataDefinition(by=("year",)))
    assert hist.reports == {"2015": frozenset(r.pk for r in reports[0:3]),
                            "2016": frozenset(r.pk for r in reports[4:8])}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_page_shows_the_vetting_of_what_each_count_is_made_of(counted, lang) -> None:  # type: ignore[no-untyped-def]
    world, reports = counted
    run = services.run_estimate(world.resolution, method="independence",
                                strata=StrataDefinition(by=("year",)))
    saved = run.result["vetting"]
    assert saved["strata"]["2015"] == {**dict.fromkeys(BUCKETS, 0), "vetted": 1, "unconfirmed": 2}
    assert saved["strata"]["2016"] == {**dict.fromkeys(BUCKETS, 0), "disputed": 1, "unconfirmed": 3}
    assert saved["total"]["vetted"] == 1 and sum(saved["total"].values()) == 7
    html = client_for("victor", lang).get(reverse("counting:results")).content.decode()
    assert ("What the count stands on" if lang == "en" else "على ماذا يقوم العدد") in html
    digits = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
    rows = [[c.translate(digits) for c in row] for row in _cells(html)]
    # reports, then vetted, confirmed, corroborated, unconfirmed, disputed, withdrawn
    assert rows == [["3", "1", "0", "0", "2", "0", "0"], ["4", "0", "0", "0", "3", "1", "0"],
                    ["7", "1", "0", "0", "5", "1", "0"]]
    assert ("<th>vetted</th>" if lang == "en" else "<th>مُدقَّق</th>") in html


def test_the_figures_are_those_of_the_time_of_the_estimate(counted, cast) -> None:  # type: ignore[no-untyped-def]
    world, reports = counted
    run = services.run_estimate(world.resolution, method="independence")
    set_status(cast["samir"], [reports[1].pk], "under_review", reason="later")
    set_status(cast["samir"], [reports[1].pk], "withdrawn", reason="later")
    assert EstimateRun.objects.get(pk=run.pk).result["vetting"]["total"]["withdrawn"] == 0


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_an_estimate_saved_before_statuses_were_counted_says_so(counted, lang) -> None:  # type: ignore[no-untyped-def]
    world, _reports = counted
    run = services.run_estimate(world.resolution, method="independence")
    run.result.pop("vetting")
    run.save()
    html = client_for("victor", lang).get(reverse("counting:results")).content.decode()
    assert 'id="no-vetting"' in html
    assert ("was not recorded" if lang == "en" else "لم تُسجَّل") in html
