"""Finding 1 of issue 13: an e-mail taken into a compartment became a report anyone could read."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from tests.cast import client_for, make_cast
from tests.test_access_walk import BODY, MAIL_NAME, SUBJECT, restricted_mail

from dhakira.apps.dossier.models import Information
from dhakira.apps.evidence.intake import Collection, ingest_stream
from dhakira.apps.search import services as search

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(vault) -> Information:  # type: ignore[no-untyped-def]
    make_cast()
    mail = ingest_stream(io.BytesIO(restricted_mail()), name=MAIL_NAME, origin="inbox",
                         collection=Collection(collector="rana", compartment="sources"))
    return mail.information


@pytest.mark.parametrize("username", ["victor", "samir"])
def test_finding_01_viewer_and_uncleared_analyst_cannot_read_a_sources_email_report(  # type: ignore[no-untyped-def]
        report, username) -> None:
    assert report.compartment == "sources"
    client = client_for(username)
    assert client.get(reverse("dossier:report_detail", args=[report.pk])).status_code == 404
    pages = [reverse("dossier:report_list"), f"{reverse('evidence:search')}?q=Qzxmillword",
             f"{reverse('dossier:report_list')}?channel=email"]
    for url in pages:
        body = client.get(url).content.decode()
        assert SUBJECT.split()[0] not in body and BODY.split()[0] not in body
        assert MAIL_NAME not in body and report.uid not in body
    assert search.search("Qzxmillword", cleared=search.clearances_of(username)) == []


def test_finding_01_the_cleared_documenter_reads_it_and_its_files(report) -> None:  # type: ignore[no-untyped-def]
    body = client_for("rana").get(reverse("dossier:report_detail", args=[report.pk])).content.decode()
    assert BODY.split()[0] in body and MAIL_NAME in body
    assert [h.ref for h in search.search("Qzxmillword", cleared=["sources"])] == [report.uid]


def test_finding_01_a_public_report_lists_only_the_files_the_reader_may_see(report) -> None:  # type: ignore[no-untyped-def]
    public = Information.objects.create(source=report.source, received_at=report.received_at,
                                        channel="phone_call", text="public words")
    restricted = report.evidence.get()
    restricted.information = public
    restricted.save()
    url = reverse("dossier:report_detail", args=[public.pk])
    assert MAIL_NAME not in client_for("victor").get(url).content.decode()
    assert MAIL_NAME in client_for("rana").get(url).content.decode()


def test_finding_01_search_by_cli_user_needs_a_role(report) -> None:  # type: ignore[no-untyped-def]
    from dhakira.apps.evidence.errors import UnknownUser

    with pytest.raises(UnknownUser):
        search.clearances_of("oscar")  # the outsider of the cast: a superuser without a role


def test_finding_01_reports_taken_in_before_the_fix_inherit_their_compartment(report) -> None:  # type: ignore[no-untyped-def]
    import importlib

    from django.apps import apps

    Information.objects.filter(pk=report.pk).update(compartment="")  # as an older vault holds it
    migration = importlib.import_module("dhakira.apps.evidence.migrations.0005_report_compartments")
    migration.inherit(apps, None)
    report.refresh_from_db()
    assert report.compartment == "sources"
