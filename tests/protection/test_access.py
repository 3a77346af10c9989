"""Users without the protection clearance find no trace of a case anywhere."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.cast import client_for
from tests.protection.conftest import NOTE, ROUTE, TASK, THREAT, World

from dhakira.apps.search import services as evidence_search

SECRETS = [THREAT, ROUTE, TASK, NOTE]
UNCLEARED = ["victor", "samir", "rana"]  # viewer, analyst, documenter cleared for other compartments


def _protection_urls(w: World) -> list[tuple[str, str]]:
    code = w.case.code
    return [("get", reverse("protection:dashboard")), ("get", reverse("protection:api_cases")),
            ("get", reverse("protection:case_detail", args=[code])),
            ("get", reverse("protection:case_detail", args=["PC-00000"])),
            ("post", reverse("protection:case_new")),
            ("post", reverse("protection:case_transition", args=[code])),
            ("post", reverse("protection:case_add", args=[code, "note"])),
            ("post", reverse("protection:case_purge", args=[code])),
            ("post", reverse("protection:case_seal", args=[code])),
            ("post", reverse("protection:open_request", args=[code])),
            ("post", reverse("protection:open_approve", args=[code, 1]))]


def _everyday_pages(w: World) -> list[str]:
    victim = w.scenario.victim.pk
    return [reverse("web:dashboard"), reverse("dossier:person_list"),
            reverse("dossier:person_detail", args=[victim]),
            reverse("dossier:person_list") + "?q=orchard",
            reverse("dossier:api_person_list"), reverse("dossier:api_person_detail", args=[victim]),
            reverse("evidence:search") + "?q=orchard", reverse("evidence:item_list")]


@pytest.mark.parametrize("username", UNCLEARED)
def test_every_protection_url_is_404_for_an_uncleared_user(world: World, username: str) -> None:
    client = client_for(username)
    for method, url in _protection_urls(world):
        response = getattr(client, method)(url)
        assert response.status_code == 404, (username, url)
        assert world.case.code not in response.content.decode()


@pytest.mark.parametrize("username", UNCLEARED)
def test_no_everyday_page_shows_a_trace_of_the_case(world: World, username: str) -> None:
    client = client_for(username)
    for url in _everyday_pages(world):
        body = client.get(url).content.decode()
        for secret in [*SECRETS, world.case.code, "/protection/", "Lock now"]:
            assert secret not in body, (username, url, secret)


def test_a_cleared_user_sees_the_nav_link_and_the_case(world: World) -> None:
    client = client_for("nadia")
    assert "/protection/" in client.get(reverse("web:dashboard")).content.decode()
    body = client.get(reverse("protection:case_detail", args=[world.case.code])).content.decode()
    assert THREAT in body and ROUTE in body


def test_the_dashboard_counts_and_overdue_tasks_reach_cleared_users_only(world: World) -> None:
    body = client_for("nadia").get(reverse("protection:dashboard")).content.decode()
    assert TASK in body and world.case.code in body
    main = client_for("rana").get(reverse("web:dashboard")).content.decode()
    assert "protection" not in main.lower() and world.case.code not in main


def test_search_returns_nothing_from_a_case_even_for_a_cleared_user(world: World) -> None:
    for cleared in ([], ["protection"], ["sources", "sogi", "protection", "addresses"]):
        assert evidence_search.search("Qzxthreatword", cleared=cleared) == []
        assert evidence_search.search("Qzxroute", cleared=cleared) == []


def test_the_admin_site_does_not_list_protection_tables(world: World) -> None:
    body = client_for("amal").get("/admin/").content.decode().lower()
    assert "protectioncase" not in body and "perishable" not in body


def test_anonymous_users_are_sent_to_log_in(world: World) -> None:
    from django.test import Client

    response = Client().get(reverse("protection:dashboard"))
    assert response.status_code == 302 and world.case.code not in response["Location"]
