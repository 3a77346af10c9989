"""Issue 17, finding 9: the dashboard starts work — the user's draft, their recent reports,
pairs waiting for review and items waiting for text extraction, each a link."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.cast import client_for
from tests.dossier.intake_data import post_data
from tests.dossier.test_views_intake import URL, cast  # noqa: F401 - the fixture

from dhakira.apps.dossier.models import Information, Person
from dhakira.apps.evidence.models import EvidenceItem
from dhakira.apps.linkage.models import CandidatePair, LinkRun

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]


def test_finding_17_9_a_fresh_dashboard_says_nothing_is_waiting() -> None:
    body = client_for("rana").get("/").content.decode()
    assert "Nothing is waiting." in body


def test_finding_17_9_the_dashboard_lists_the_users_work() -> None:
    client = client_for("rana")
    statement = SimpleUploadedFile("statement.txt", b"a synthetic statement", "text/plain")
    assert client.post(URL, {**post_data(), "f-files": [statement]}).status_code == 302
    mine = Information.objects.get()
    client.post(reverse("dossier:draft_save"), data='{"r-event_title": "half typed"}',
                content_type="application/json")
    client.post(URL, {**post_data(**{"r-event_title": ""}),
                      "f-files": [SimpleUploadedFile("a.txt", b"synthetic", "text/plain")]})
    a, b = Person.objects.create(), Person.objects.create()
    run = LinkRun.objects.create(role="victim", settings_json={}, version="t",
                                 started_at=datetime(2026, 1, 1, tzinfo=UTC), started_by="amal")
    CandidatePair.objects.create(run=run, left=a, right=b, match_weight=3.0, probability=0.95)
    assert EvidenceItem.objects.update(text_status=EvidenceItem.TextStatus.PENDING) == 1

    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    work = body.split('id="work"', 1)[1].split("</section>", 1)[0]
    assert "Continue your unsaved report" in work and "1 file kept with it" in work
    assert "1 pair of records may be the same person" in work
    assert "1 evidence item waits for text extraction" in work
    assert mine.uid in body.split('id="recent"', 1)[1]
    # Arabic says one without the figure beside a singular noun ("1 زوج", "1 دليل").
    ar = client.get("/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    work = ar.split('id="work"', 1)[1].split("</section>", 1)[0]
    assert "زوج واحد من السجلات قد يكون الشخص نفسه" in work
    assert "دليل واحد بانتظار استخراج النص" in work
    assert "ملف واحد محفوظ معه" in work
    assert "1 زوج" not in work and "1 دليل" not in work
    # Another documenter sees neither rana's draft nor her reports as theirs.
    other = client_for("amal").get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Continue your unsaved report" not in other and 'id="recent"' not in other


@pytest.mark.parametrize(("lang", "forbidden", "missing"), [
    ("ar", "دورك لا يسمح بهذا", "لا يوجد شيء هنا"),
    ("en", "Your role does not allow this", "There is nothing here")])
def test_finding_17_7_refusals_speak_the_readers_language(lang, forbidden, missing) -> None:  # type: ignore[no-untyped-def]
    viewer = client_for("victor", lang)
    refused = viewer.get(reverse("evidence:upload"))
    assert refused.status_code == 403 and forbidden in refused.content.decode()
    gone = viewer.get("/people/99999999/")
    assert gone.status_code == 404 and missing in gone.content.decode()
    listing = viewer.get(reverse("evidence:item_list")).content.decode()
    assert reverse("evidence:upload") not in listing  # no link to a page the viewer may not use


@pytest.mark.parametrize(("msgid", "plural", "one", "two"), [
    ("%(m)s pair of records may be the same person",
     "%(m)s pairs of records may be the same person",
     "زوج واحد من السجلات قد يكون الشخص نفسه", "زوجان من السجلات قد يكونان الشخص نفسه"),
    ("%(m)s evidence item waits for text extraction",
     "%(m)s evidence items wait for text extraction",
     "دليل واحد بانتظار استخراج النص", "دليلان بانتظار استخراج النص"),
    ("Text could not be extracted from %(m)s item",
     "Text could not be extracted from %(m)s items",
     "تعذّر استخراج النص من دليل واحد", "تعذّر استخراج النص من دليلين"),
])
def test_issue17_the_dashboards_arabic_says_one_and_two_without_the_figure(
        msgid: str, plural: str, one: str, two: str) -> None:
    from django.utils import translation
    from django.utils.translation import ngettext

    with translation.override("ar"):
        assert ngettext(msgid, plural, 1) % {"m": "1"} == one
        assert ngettext(msgid, plural, 2) % {"m": "2"} == two
        assert "11 " in ngettext(msgid, plural, 11) % {"m": "11"}


def test_the_tiles_arabic_labels_are_all_definite_plural_titles() -> None:
    """A new user's walk read «الأشخاص» and «البلاغات» beside «أحداث», «أفعال» and «مصادر»:
    the tiles' labels are titles, each a definite plural."""
    body = client_for("rana").get("/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    tiles = body.split('<ul class="counts">', 1)[1].split("</ul>", 1)[0]
    labels = re.findall(r'<span class="label">(.*?)</span>', tiles)
    assert labels == ["الأشخاص", "الأحداث", "الأفعال", "البلاغات", "المصادر"], labels
    english = client_for("rana").get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    tiles = english.split('<ul class="counts">', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r'<span class="label">(.*?)</span>', tiles) == [
        "people", "events", "acts", "reports", "sources"]
