"""The results page as a viewer: counts only, chart, CSV; only analysts may run."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from tests.cast import PASSWORD
from tests.counting.scenario import VICTIM_NAME

from dhakira.apps.counting import services
from dhakira.apps.counting.definitions import StrataDefinition


def _login(name: str) -> Client:
    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


def test_a_viewer_sees_counts_a_chart_per_stratum_and_no_names(world, cast):
    run = services.run_estimate(world.resolution, method="independence",
                                strata=StrataDefinition(by=("year",)))
    page = _login("victor").get(reverse("counting:results"))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="observed">4<' in html
    assert html.count("<svg") == 3  # two strata and the total
    assert VICTIM_NAME not in html and "CNT-A1" not in html
    assert reverse("counting:csv", args=[run.pk]) in html
    assert 'lang="ar"' in html and "new-run" not in html


def test_the_csv_download_is_an_attachment(world, cast):
    run = services.run_estimate(world.resolution, method="independence")
    response = _login("victor").get(reverse("counting:csv", args=[run.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.decode().splitlines()[1].startswith("all,4,")


def test_the_page_says_when_nothing_has_been_run(db, cast):
    html = _login("victor").get(reverse("counting:results")).content.decode()
    assert 'id="no-run"' in html


def test_a_viewer_cannot_start_an_estimate(world, cast):
    response = _login("victor").post(reverse("counting:run_new"), {
        "lists": "network", "method": "independence", "seed": 1})
    assert response.status_code == 403


def test_an_analyst_is_told_in_one_line_that_linkage_has_not_run(world, cast):
    response = _login("samir").post(reverse("counting:run_new"), {
        "lists": "network", "method": "independence", "seed": 1})
    assert response.status_code == 409
    assert str(services.NO_LINKAGE) in response.content.decode()


def test_anonymous_users_are_sent_to_log_in(db):
    response = Client().get(reverse("counting:results"))
    assert response.status_code == 302
