"""Protected fields: hidden from viewers everywhere, and every read by a cleared user audited."""

from __future__ import annotations

import re

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from tests.cast import PASSWORD, client_for, make_cast
from tests.dossier import scenario

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.dossier import protected
from dhakira.apps.dossier.errors import NotCleared

pytestmark = pytest.mark.django_db

SECRETS = [scenario.SOURCE_IDENTITY, scenario.SOURCE_PHONE, scenario.VICTIM_ADDRESS]


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    cast = make_cast()
    return cast, scenario.build()


def _reveal(client: Client, kind: str, pk: int, field: str, reason: str) -> HttpResponse:
    return client.post(reverse("dossier:reveal", args=[kind, pk]), {"field": field, "reason": reason})


def _pages(s: scenario.Scenario) -> list[str]:
    return [reverse("web:dashboard"), reverse("dossier:person_list"),
            reverse("dossier:person_detail", args=[s.victim.pk]),
            reverse("dossier:person_list") + "?q=Mohammed",
            reverse("dossier:event_list"), reverse("dossier:event_detail", args=[s.event.pk]),
            reverse("dossier:api_person_list"), reverse("dossier:api_person_detail", args=[s.victim.pk])]


@pytest.mark.parametrize("username", ["victor", "samir", "rana", "amal"])
def test_no_page_or_api_response_shows_a_protected_value(world, username) -> None:  # type: ignore[no-untyped-def]
    _, s = world
    client = client_for(username)
    for url in _pages(s):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for secret in SECRETS:
            assert secret not in body, (url, secret)


def test_a_viewer_cannot_reveal_a_protected_field(world) -> None:  # type: ignore[no-untyped-def]
    _, s = world
    client = client_for("victor")
    response = _reveal(client, "person", s.victim.pk, "address", "curious")
    assert response.status_code == 404
    assert scenario.VICTIM_ADDRESS not in response.content.decode()
    assert not LedgerEntry.objects.filter(action="read_protected").exists()


def test_a_viewer_sees_no_reveal_form(world) -> None:  # type: ignore[no-untyped-def]
    _, s = world
    body = client_for("victor").get(reverse("dossier:person_detail", args=[s.victim.pk])).content.decode()
    assert "Reveal" not in body and "/reveal/" not in body


def test_an_analyst_without_clearance_gets_404_not_403(world) -> None:  # type: ignore[no-untyped-def]
    _, s = world
    response = _reveal(client_for("samir"), "source", s.source.pk, "identity", "x")
    assert response.status_code == 404


def test_a_cleared_reader_sees_the_value_and_leaves_a_custody_entry(world) -> None:  # type: ignore[no-untyped-def]
    _, s = world
    response = _reveal(client_for("rana"), "source", s.source.pk, "identity", "arrange a call-back")
    assert response.status_code == 200
    assert scenario.SOURCE_IDENTITY in response.content.decode()
    entry = LedgerEntry.objects.get(action="read_protected")
    assert entry.actor == "rana"
    assert entry.subject == f"{s.source.uid}/identity"
    assert entry.detail["reason"] == "arrange a call-back"
    assert scenario.SOURCE_IDENTITY not in str(entry.detail)


def test_a_reveal_without_a_reason_reads_nothing(world) -> None:  # type: ignore[no-untyped-def]
    _, s = world
    before = LedgerEntry.objects.count()  # the cast's account entries
    response = _reveal(client_for("rana"), "source", s.source.pk, "identity", " ")
    assert response.status_code == 400
    assert scenario.SOURCE_IDENTITY not in response.content.decode()
    assert LedgerEntry.objects.count() == before


def test_the_value_never_appears_in_the_url_or_title(world) -> None:  # type: ignore[no-untyped-def]
    _, s = world
    url = reverse("dossier:reveal", args=["person", s.victim.pk])
    body = _reveal(client_for("amal"), "person", s.victim.pk, "address", "court request").content.decode()
    title = body.split("<title>")[1].split("</title>")[0]
    assert scenario.VICTIM_ADDRESS not in title and scenario.VICTIM_ADDRESS not in url


def test_the_accessor_refuses_an_uncleared_user(world) -> None:  # type: ignore[no-untyped-def]
    cast, s = world
    with pytest.raises(NotCleared):
        protected.read(cast["samir"], s.source, "identity", reason="x")
    with pytest.raises(NotCleared):
        protected.write(cast["victor"], s.victim, "address", "elsewhere")


def test_a_viewer_cannot_be_cleared(db) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    from dhakira.apps.dossier.accounts import create_user

    with pytest.raises(ValidationError):
        create_user("vera", PASSWORD, role="viewer", clearances=["sources"], actor="test-setup")
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="vera").exists()


def test_the_admin_site_does_not_list_protected_values(world) -> None:  # type: ignore[no-untyped-def]
    response = client_for("amal").get("/admin/")
    assert "protectedvalue" not in response.content.decode().lower()


def test_every_protected_field_belongs_to_a_known_compartment() -> None:
    from dhakira.apps.dossier.models import Compartment

    assert {f.compartment for f in protected.FIELDS.values()} <= set(Compartment.values)


@pytest.mark.parametrize(("username", "kind", "field"), [
    ("victor", "person", "address"), ("samir", "source", "identity"),
    ("samir", "person", "self_identified_sogi")])
def test_finding_low_reveal_answers_404_before_400_for_an_uncleared_user(
        world, username: str, kind: str, field: str) -> None:  # type: ignore[no-untyped-def]
    _, s = world
    pk = s.victim.pk if kind == "person" else s.source.pk
    client = client_for(username)
    # No reason (what used to answer 400), a wrong field, and a record that does not exist:
    # all the same 404, so an uncleared user cannot tell real records and fields apart.
    for reason in ("", " ", "x" * 600, "a reason"):
        assert _reveal(client, kind, pk, field, reason).status_code == 404
    assert _reveal(client, kind, pk, "no_such_field", "").status_code == 404
    assert _reveal(client, kind, pk + 10_000, field, "").status_code == 404
    assert client.post(reverse("dossier:reveal", args=[kind, pk]), {}).status_code == 404
    assert not LedgerEntry.objects.filter(action="read_protected").exists()


def test_finding_low_the_reveal_url_never_names_the_field(world) -> None:  # type: ignore[no-untyped-def]
    _, s = world
    page = client_for("amal").get(reverse("dossier:person_detail", args=[s.victim.pk])).content.decode()
    actions = re.findall(r'<form[^>]*class="reveal"[^>]*action="([^"]+)"', page)
    assert actions, "the cleared administrator sees reveal forms"
    names = {f.name for f in protected.FIELDS.values()} | {"sogi"}
    for action in actions:  # what the access log of any server or proxy would record
        assert not any(name in action for name in names), action
    assert 'name="field" value="address"' in page
    response = _reveal(client_for("amal"), "person", s.victim.pk, "address", "court request")
    assert response.status_code == 200 and scenario.VICTIM_ADDRESS in response.content.decode()


def test_a_name_from_a_report_the_reader_may_not_read_shows_on_no_page(world) -> None:  # type: ignore[no-untyped-def]
    """A person's name given by a protected report is as restricted as that report, also where
    the person is met through a report, an event or an act the reader may read: the report's
    people, and the victims and perpetrators of the acts tables (which showed each person's
    first name, whatever gave it)."""
    from datetime import UTC, datetime

    from dhakira.apps.dossier.models import Act, Information, Involvement, Person

    _, s = world
    secret = Information.objects.create(source=s.source, channel="phone_call",
                                        received_at=datetime(2015, 1, 1, tzinfo=UTC),
                                        compartment="protection")
    victim = Person.objects.create(sex="female")
    victim.names.create(text="Qzxhiddenvictim Layla", script="latn", information=secret)
    victim.names.create(text="Layla Qzxpublic", script="latn")
    perpetrator = Person.objects.create(sex="male")
    perpetrator.names.create(text="Qzxhiddenperp Abu", script="latn", information=secret)
    perpetrator.names.create(text="Abu Qzxpublic", script="latn")
    act = Act.objects.create(event=s.event, victim=victim, act_type="killing")
    Involvement.objects.create(act=act, perpetrator=perpetrator, degree="directly_carried_out")
    Involvement.objects.create(act=s.act, perpetrator=perpetrator, degree="ordered")
    s.information.persons.add(victim)
    s.information.acts.add(act)
    pages = [reverse("dossier:report_detail", args=[s.information.pk]),
             reverse("dossier:event_detail", args=[s.event.pk]),
             reverse("dossier:person_detail", args=[s.victim.pk]),
             reverse("dossier:person_detail", args=[victim.pk]),
             reverse("dossier:person_detail", args=[perpetrator.pk]),
             reverse("legal:person", args=[perpetrator.pk])]  # the perpetrator's record
    for username in ("victor", "samir", "rana"):  # none is cleared for protection
        client = client_for(username)
        for url in pages:
            body = client.get(url).content.decode()
            assert "Qzxhidden" not in body, (username, url)
            assert "Qzxpublic" in body, (username, url)
    # The charge form shows the perpetrators ticked so far again after an error: by the ids
    # the request sent, so whoever may write a charge could ask for anyone's names.
    form = client_for("samir").post(reverse("legal:charge_create"),
                                   {"perpetrators": [perpetrator.pk]}).content.decode()
    assert "Qzxpublic" in form and "Qzxhidden" not in form
    cleared = client_for("amal")
    report = cleared.get(pages[0]).content.decode()
    assert "Qzxhiddenvictim Layla" in report and "Qzxhiddenperp Abu" in report
    assert "Qzxhiddenperp Abu" in cleared.get(reverse("legal:person", args=[perpetrator.pk])
                                              ).content.decode()
