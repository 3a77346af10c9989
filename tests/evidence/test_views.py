"""Evidence pages: login required, outsiders get 404, upload, item page and search."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from tests.cast import client_for
from tests.evidence import files

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.evidence.intake import Collection, ingest_stream
from dhakira.apps.evidence.models import EvidenceItem

pytestmark = pytest.mark.django_db


def _item(compartment: str = "") -> EvidenceItem:
    return ingest_stream(io.BytesIO(files.eml_bytes(attachment=files.pdf_bytes())),
                         name="tip.eml", origin="inbox", collection=Collection(
                             collector="rana", method="forwarded", compartment=compartment))


def test_pages_require_login(cast) -> None:  # type: ignore[no-untyped-def]
    item = _item()
    for url in [reverse("evidence:item_list"), reverse("evidence:upload"),
                reverse("evidence:search"), reverse("evidence:item_detail", args=[item.uid])]:
        response = Client().get(url)
        assert response.status_code == 302 and "login" in response["Location"], url


def test_the_item_page_shows_hashes_family_derived_copies_and_custody(cast) -> None:  # type: ignore[no-untyped-def]
    item = _item()
    body = client_for("samir").get(reverse("evidence:item_detail", args=[item.uid])).content.decode()
    assert item.sha256 in body and "tip.eml" in body and "forwarded" in body
    child = item.family.get()
    assert child.uid in body and "Subject" in body and "Message-ID" not in body
    assert body.count("Received by rana on") == 1
    child_body = client_for("samir").get(reverse("evidence:item_detail", args=[child.uid])).content.decode()
    assert item.uid in child_body and "Text extracted on" in child_body


@pytest.mark.parametrize("username", ["samir", "victor"])
def test_outsiders_get_404_for_a_restricted_item(cast, username) -> None:  # type: ignore[no-untyped-def]
    item = _item(compartment="sources")
    response = client_for(username).get(reverse("evidence:item_detail", args=[item.uid]))
    assert response.status_code == 404
    missing = client_for(username).get(reverse("evidence:item_detail", args=["EV-999999"]))
    assert missing.status_code == 404
    assert item.uid not in client_for(username).get(reverse("evidence:item_list")).content.decode()


def test_a_cleared_user_sees_a_restricted_item(cast) -> None:  # type: ignore[no-untyped-def]
    item = _item(compartment="sources")
    assert client_for("rana").get(reverse("evidence:item_detail", args=[item.uid])).status_code == 200
    read = LedgerEntry.objects.get(action="read_protected")
    assert (read.actor, read.subject, read.detail) == ("rana", item.uid, {"compartment": "sources"})


def test_an_outsiders_attempt_leaves_no_read_entry(cast) -> None:  # type: ignore[no-untyped-def]
    item = _item(compartment="sources")
    client_for("samir").get(reverse("evidence:item_detail", args=[item.uid]))
    assert not LedgerEntry.objects.filter(action="read_protected").exists()


def test_upload_takes_files_and_reports_failures_as_json(cast) -> None:  # type: ignore[no-untyped-def]
    good = SimpleUploadedFile("شهادة.txt", "نص الشهادة".encode())
    empty = SimpleUploadedFile("empty.txt", b"")
    response = client_for("rana").post(reverse("evidence:upload"),
                                    {"files": [good, empty], "method": "handed over on USB"},
                                    HTTP_ACCEPT="application/json")
    assert response.status_code == 422
    data = response.json()
    assert len(data["items"]) == 1 and data["errors"] == ["empty.txt: the file is empty"]
    item = EvidenceItem.objects.get()
    assert (item.collector, item.original_name, item.origin) == ("rana", "شهادة.txt", "web upload")


def test_upload_refuses_a_viewer_and_a_compartment_the_uploader_lacks(cast) -> None:  # type: ignore[no-untyped-def]
    url = reverse("evidence:upload")
    assert client_for("victor").get(url).status_code == 403
    response = client_for("samir").post(url, {"files": [SimpleUploadedFile("a", b"a")],
                                           "method": "m", "compartment": "sources"},
                                     HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and "error" in response.json()
    assert not EvidenceItem.objects.exists()


def test_the_search_page_highlights_and_hides_restricted_results(cast) -> None:  # type: ignore[no-untyped-def]
    _item(compartment="sources")
    url = reverse("evidence:search") + "?q=" + "الحسبه"
    assert "<mark>" not in client_for("samir").get(url).content.decode()
    body = client_for("rana").get(url).content.decode()
    assert "<mark>الحسبة</mark>" in body


def test_the_search_page_reports_a_reversed_date_range(cast) -> None:  # type: ignore[no-untyped-def]
    url = reverse("evidence:search") + "?q=x&date_from=2015-01-01&date_to=2014-01-01"
    assert "swap them" in client_for("samir").get(url).content.decode()
