"""Filters by vetting status on every list (reports, events, people, a charge's items), the
status on each row, and a constant number of queries however many rows."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.cast import client_for

from dhakira.apps.dossier.models import Event, Information, Person
from dhakira.apps.dossier.views._queries import search_people
from dhakira.apps.vetting.status import set_status, told_status, with_told_status

pytestmark = pytest.mark.django_db

UNDER_REVIEW = {"en": "under review", "ar": "قيد المراجعة"}


def _rows(html: str, uid: str) -> list[str]:
    """The table rows of ``html`` that carry ``uid``."""
    return [r for r in html.split("<tr>") if f">{uid}<" in r]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_events_list_shows_each_events_status_and_filters_by_it(cast, world, lang) -> None:  # type: ignore[no-untyped-def]
    k1, k2 = world.acts["K1"].event, world.acts["K2"].event
    set_status(cast["layla"], [world.reports["R1"].pk], "under_review", reason="checking")
    client = client_for("victor", lang)
    page = client.get(reverse("dossier:event_list")).content.decode()
    assert 'data-status="under_review"' in _rows(page, k1.uid)[0]
    assert UNDER_REVIEW[lang] in _rows(page, k1.uid)[0]
    assert 'data-status="recorded"' in _rows(page, k2.uid)[0]
    under = client.get(reverse("dossier:event_list"), {"vetting": "under_review"}).content.decode()
    assert _rows(under, k1.uid) and not _rows(under, k2.uid)
    recorded = client.get(reverse("dossier:event_list"), {"vetting": "recorded"}).content.decode()
    assert not _rows(recorded, k1.uid) and _rows(recorded, k2.uid)
    # Not a status: no filter at all, every event listed.
    anything = client.get(reverse("dossier:event_list"), {"vetting": "credible"}).content.decode()
    assert _rows(anything, k1.uid) and _rows(anything, k2.uid)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_people_list_filters_by_status_with_and_without_a_name(cast, world, lang) -> None:  # type: ignore[no-untyped-def]
    alpha, beta = world.victims[0], world.victims[2]  # K1's victim, K2's victim
    set_status(cast["layla"], [world.reports["R1"].pk], "under_review", reason="checking")
    client = client_for("victor", lang)
    url = reverse("dossier:person_list")
    under = client.get(url, {"vetting": "under_review"}).content.decode()
    assert _rows(under, alpha.uid) and not _rows(under, beta.uid)
    assert UNDER_REVIEW[lang] in _rows(under, alpha.uid)[0]
    recorded = client.get(url, {"vetting": "recorded"}).content.decode()
    assert not _rows(recorded, alpha.uid) and _rows(recorded, beta.uid)
    named = client.get(url, {"q": "Testvictim", "vetting": "under_review"}).content.decode()
    assert _rows(named, alpha.uid) and not _rows(named, beta.uid)
    named = client.get(url, {"q": "Testvictim", "vetting": "recorded"}).content.decode()
    assert not _rows(named, alpha.uid) and _rows(named, beta.uid)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_charges_items_show_their_status_and_filter_by_it(cast, world, charge, lang) -> None:  # type: ignore[no-untyped-def]
    r1, r2 = world.reports["R1"], world.reports["R2"]
    set_status(cast["layla"], [r1.pk], "under_review", reason="checking")
    client = client_for("victor", lang)
    url = reverse("legal:charge_items", args=[charge.pk])
    page = client.get(url).content.decode()
    assert 'data-status="under_review"' in _rows(page, r1.uid)[0]
    assert UNDER_REVIEW[lang] in _rows(page, r1.uid)[0]
    under = client.get(url, {"vetting": "under_review"}).content.decode()
    assert _rows(under, r1.uid) and not _rows(under, r2.uid)
    recorded = client.get(url, {"vetting": "recorded"}).content.decode()
    assert not _rows(recorded, r1.uid) and _rows(recorded, r2.uid)


def test_a_withdrawn_report_leaves_the_event_as_far_as_its_other_reports(cast, world) -> None:  # type: ignore[no-untyped-def]
    """The database filter and the row's status agree, report by report (the combined rule)."""
    event = world.acts["K1"].event
    r1, r2, r3 = (world.reports[k] for k in ("R1", "R2", "R3"))
    readable = Information.objects.all()
    events = Event.objects.all()
    steps = [([r1], "under_review"), ([r1], "corroborated"), ([r2], "withdrawn"),
             ([r3], "under_review"), ([r3], "disputed"), ([r1], "disputed"), ([r3], "withdrawn"),
             ([r1], "withdrawn")]
    for reports, status in steps:
        set_status(cast["layla"], [r.pk for r in reports], status, reason="step")
        now = told_status("event", [event.pk], readable)[event.pk]
        for candidate in ("recorded", "under_review", "corroborated", "disputed", "withdrawn"):
            found = with_told_status("event", events, readable, candidate).filter(pk=event.pk).exists()
            assert found == (candidate == now), (status, candidate, now)
    assert now == "withdrawn"


def test_a_report_the_reader_may_not_see_does_not_move_the_status(cast, world) -> None:  # type: ignore[no-untyped-def]
    r1 = world.reports["R1"]
    event = world.acts["K1"].event
    set_status(cast["layla"], [r1.pk], "under_review", reason="checking")
    Information.objects.filter(pk=r1.pk).update(compartment="sources")
    seen = told_status("event", [event.pk], Information.objects.exclude(compartment="sources"))
    assert seen[event.pk] == "recorded"


def _more_events(n: int, world: Any) -> None:
    source = world.reports["R1"].source
    for i in range(n):
        event = Event.objects.create(title=f"Extra {i}", place=world.places["city"])
        person = Person.objects.create(sex="female")
        info = Information.objects.create(source=source, received_at=datetime(2015, 7, 1, tzinfo=UTC),
                                          channel="phone_call", credibility=3, text=f"extra {i}")
        info.events.add(event)
        info.persons.add(person)


@pytest.mark.parametrize("name", ["dossier:event_list", "dossier:person_list"])
def test_the_lists_ask_as_many_queries_for_many_rows_as_for_few(cast, world, name) -> None:  # type: ignore[no-untyped-def]
    client = client_for("victor")

    def queries(params: dict[str, str]) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name), params).status_code == 200
        return len(ctx.captured_queries)

    set_status(cast["layla"], [world.reports["R1"].pk], "under_review", reason="checking")
    queries({})  # the session and the log-in's first reads
    few = [queries({}), queries({"vetting": "recorded"})]
    _more_events(40, world)
    assert [queries({}), queries({"vetting": "recorded"})] == few


def test_a_filtered_name_search_looks_past_the_first_page_of_name_matches(cast, world) -> None:  # type: ignore[no-untyped-def]
    from dhakira.apps.dossier.models import NameVariant

    source = world.reports["R1"].source
    reports = {}
    for i in range(70):  # more name matches than one page (50) asks the search for
        person = Person.objects.create(sex="male")
        NameVariant.objects.create(person=person, text=f"Qzxmany Testperson {i}", script="latn")
        info = Information.objects.create(source=source, received_at=datetime(2015, 7, 1, tzinfo=UTC),
                                          channel="phone_call", credibility=3, text=f"many {i}")
        info.persons.add(person)
        reports[person.pk] = info
    ranked = [h.person_id for h in search_people("Qzxmany", want=100, user=None)]
    far = ranked[65]  # beyond the 51 matches an unfiltered first page reads
    set_status(cast["layla"], [reports[far].pk], "under_review", reason="checking")
    page = client_for("victor").get(reverse("dossier:person_list"),
                                    {"q": "Qzxmany", "vetting": "under_review"}).content.decode()
    assert _rows(page, Person.objects.get(pk=far).uid)
