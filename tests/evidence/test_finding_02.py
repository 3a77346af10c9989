"""Finding 2 of the red-team test: informant identity and exact location sat in plain metadata.

The red team took in an e-mail and a photo, then read the sender's name and address and the
photo's GPS and Artist on the evidence page as a viewer, and confirmed a suspect's address by
hashing it into the source code. Each test replays one step against the fixed code.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.cast import PASSWORD, client_for
from tests.evidence import files

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.dossier import protected
from dhakira.apps.dossier.accounts import create_user
from dhakira.apps.dossier.models import ProtectedValue, Source
from dhakira.apps.evidence.intake import Collection, ingest_stream
from dhakira.apps.evidence.models import EvidenceItem, Metadata
from dhakira.apps.search import services as search
from dhakira.core.vault import session
from dhakira.core.vault.codes import keyed_code

pytestmark = pytest.mark.django_db

NAME, ADDRESS = "Layla Synthetic", "informant7@example.org"
ARTIST, OWNER, SERIAL = "Synthetic Photographer", "Synthetic Owner", "SN-0042-SYNTH"
AUTHOR = "Synthetic Author"
# What must never be shown to someone not cleared, nor stored outside protected values.
WHO = (NAME, ADDRESS, "informant7", ARTIST, OWNER, SERIAL, AUTHOR, "desk@example.org")
WHERE = ("GPSLatitude", "GPSLongitude", "GPSInfo")


def _take(data: bytes, name: str) -> EvidenceItem:
    return ingest_stream(io.BytesIO(data), name=name, origin="inbox", collection=Collection(
        collector="rana", method="forwarded"))


def _mail() -> EvidenceItem:
    raw = files.eml_bytes(sender=ADDRESS, attachment=files.pdf_bytes()).replace(
        b"From: Informant", f"From: {NAME}".encode())
    return _take(raw, "tip.eml")


def _photo() -> EvidenceItem:
    """Uploaded through the web, as the red team did; the JSON answer names only the item."""
    upload = SimpleUploadedFile("photo.jpg", files.jpeg_with_author_and_gps(ARTIST, OWNER, SERIAL))
    response = client_for("rana").post(reverse("evidence:upload"),
                                    {"files": [upload], "method": "handed over on USB"},
                                    HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and not any(
        s in response.content.decode() for s in (*WHO, *WHERE))
    (uid,) = response.json()["items"]
    return EvidenceItem.objects.get(pk=int(uid.removeprefix("EV-")))


def _docx() -> EvidenceItem:
    return _take(files.docx_bytes("a plain statement", author=AUTHOR), "statement.docx")


def _page(username: str, item: EvidenceItem) -> str:
    response = client_for(username).get(reverse("evidence:item_detail", args=[item.uid]))
    assert response.status_code == 200
    return response.content.decode()


def _reveal(username: str, item: EvidenceItem, field: str, reason: str = "checking the sender"):  # type: ignore[no-untyped-def]
    return client_for(username).post(reverse("evidence:reveal", args=[item.uid]),
                                  {"field": field, "reason": reason})


@pytest.mark.parametrize("username", ["victor", "samir"])  # a viewer, an analyst cleared for nothing
def test_finding_02_the_evidence_page_shows_no_sender_author_or_gps(cast, username) -> None:  # type: ignore[no-untyped-def]
    mail, photo, document = _mail(), _photo(), _docx()
    attachment = mail.family.get()  # the PDF carries /Author (Test Author)
    for item in (mail, attachment, photo, document):
        body = _page(username, item)
        for secret in (*WHO, *WHERE, "Test Author", "Message-ID", "Artist", "XPAuthor"):
            assert secret not in body, (item.original_name, secret)
        assert "Protected metadata" not in body and "reveal" not in body.lower()
    # What names no one is still there for everyone.
    photo_page = _page(username, photo)
    assert "TestCam" in photo_page and "Taken</dt>" in photo_page  # DateTimeOriginal, labelled
    assert "Subject" in _page(username, mail)


@pytest.mark.parametrize("username", ["victor", "samir"])
def test_finding_02_search_finds_no_sender_author_or_photographer(cast, username) -> None:  # type: ignore[no-untyped-def]
    _mail(), _photo(), _docx()
    client = client_for(username)
    for word in ("informant7", "Layla", "Synthetic", SERIAL):
        assert search.search(word, cleared=["sources", "addresses"]) == [], word
        body = client.get(reverse("evidence:search"), {"q": word}).content.decode()
        assert "EV-0" not in body and "I-0" not in body, word


@pytest.mark.parametrize("username", ["victor", "samir"])
def test_finding_02_the_reveal_answers_404_to_the_uncleared(cast, username) -> None:  # type: ignore[no-untyped-def]
    mail, photo = _mail(), _photo()
    for item, field in ((mail, "metadata_people"), (photo, "metadata_location"),
                        (photo, "metadata_people"), (mail, "no_such_field")):
        assert _reveal(username, item, field).status_code == 404
        assert _reveal(username, item, field, reason="").status_code == 404  # not 400 first
    assert not LedgerEntry.objects.filter(action="read_protected").exists()


def test_finding_02_nothing_but_protected_values_holds_who_or_where(cast, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    _mail(), _photo(), _docx()
    for model in apps.get_models():
        if model is ProtectedValue:
            continue
        for row in model.objects.values():
            text = json.dumps(row, default=str, ensure_ascii=False)
            for secret in (*WHO, *WHERE):
                assert secret not in text, (model.__name__, secret)
    for secret in (*WHO, *WHERE):
        assert secret not in caplog.text
    # ... and the protected values hold all of it, each in its compartment.
    values = ProtectedValue.objects.all()
    people = " ".join(v.value for v in values if v.compartment == "sources")
    where = " ".join(v.value for v in values if v.compartment == "addresses")
    for secret in WHO:
        assert secret in people, secret
    assert "GPSLatitude" in where and not any(s in where for s in WHO)


def test_finding_02_a_cleared_user_reveals_and_the_reveal_is_in_custody(cast) -> None:  # type: ignore[no-untyped-def]
    mail, photo = _mail(), _photo()
    body = _page("rana", mail)  # cleared for sources and addresses
    assert "Protected metadata" in body and reverse("evidence:reveal", args=[mail.uid]) in body
    assert 'value="metadata_people"' in body
    assert ADDRESS not in body
    response = _reveal("rana", mail, "metadata_people", reason="confirm the informant")
    assert response.status_code == 200
    revealed = response.content.decode()
    assert ADDRESS in revealed and NAME in revealed and "desk@example.org" in revealed
    response = _reveal("rana", photo, "metadata_location")
    assert response.status_code == 200 and "GPSLatitude" in response.content.decode()
    assert ARTIST in _reveal("rana", photo, "metadata_people").content.decode()
    entries = LedgerEntry.objects.filter(action="read_protected", actor="rana").order_by("seq")
    assert [e.subject for e in entries] == [f"{mail.uid}/metadata_people",
                                            f"{photo.uid}/metadata_location",
                                            f"{photo.uid}/metadata_people"]
    assert entries[0].detail["reason"] == "confirm the informant"
    ledger = json.dumps([e.detail for e in LedgerEntry.objects.all()], ensure_ascii=False)
    assert not any(secret in ledger for secret in (*WHO, *WHERE))
    # A reveal needs a reason.
    assert _reveal("rana", mail, "metadata_people", reason=" ").status_code == 400


def test_finding_02_clearance_for_sources_does_not_open_the_location(cast) -> None:  # type: ignore[no-untyped-def]
    create_user("nadia", PASSWORD, role="analyst", clearances=["sources"], actor="test-setup")
    photo = _photo()
    body = _page("nadia", photo)
    assert "metadata_people" in body and "metadata_location" not in body
    assert _reveal("nadia", photo, "metadata_location").status_code == 404
    assert SERIAL in _reveal("nadia", photo, "metadata_people").content.decode()


def test_finding_02_the_source_code_is_keyed_not_the_hash_of_the_address(cast) -> None:  # type: ignore[no-untyped-def]
    source = _mail().information.source
    # The red team's check: hash a suspect's address and look for the code.
    unkeyed = f"MAIL-{hashlib.sha256(ADDRESS.encode()).hexdigest()[:10].upper()}"
    assert source.code_name != unkeyed
    assert not Source.objects.filter(code_name=unkeyed).exists()
    assert source.code_name == keyed_code(session.get_key(), ADDRESS, prefix="MAIL")
    # The same sender, written differently, is the same source.
    again = files.eml_bytes(body="second message", sender=" Informant7@EXAMPLE.org")
    assert _take(again, "again.eml").information.source == source
    # Who the code stands for is a protected value of the source.
    rana = cast["rana"]
    assert protected.read(rana, source, "identity", reason="test") == NAME
    assert protected.read(rana, source, "contact", reason="test") == ADDRESS


def test_finding_02_the_same_address_has_a_different_code_in_another_vault() -> None:
    this, other = os.urandom(32), os.urandom(32)
    assert keyed_code(this, ADDRESS, prefix="MAIL") != keyed_code(other, ADDRESS, prefix="MAIL")
    assert keyed_code(this, ADDRESS, prefix="MAIL") == keyed_code(this, ADDRESS.upper(),
                                                                   prefix="MAIL")
    assert keyed_code(bytes(32), "Someone@Example.org ", prefix="MAIL") == "MAIL-F1D2250A08"


def test_finding_02_older_vaults_are_moved_over_by_the_migration(cast) -> None:  # type: ignore[no-untyped-def]
    """An item taken in before the fix: plain metadata with the sender, an unkeyed code."""
    import importlib

    migration = importlib.import_module("dhakira.apps.evidence.migrations.0004_protected_metadata")
    mail = _mail()
    source = mail.information.source
    ProtectedValue.objects.filter(owner__in=[mail.uid, source.uid]).delete()
    old = f"MAIL-{hashlib.sha256(ADDRESS.encode()).hexdigest()[:10].upper()}"
    Source.objects.filter(pk=source.pk).update(code_name=old)
    Metadata.objects.filter(item=mail).update(data={"attachments": 1, "email": {
        "From": f"{NAME} <{ADDRESS}>", "Subject": "تقرير", "Message-ID": "<m@example.org>"}})

    migration.forwards(apps, None)

    assert Metadata.objects.get(item=mail).data == {"attachments": 1,
                                                    "email": {"Subject": "تقرير"}}
    moved = json.loads(ProtectedValue.objects.get(owner=mail.uid, field="metadata_people").value)
    assert moved["email"]["From"] == f"{NAME} <{ADDRESS}>"
    source.refresh_from_db()
    assert source.code_name == keyed_code(session.get_key(), ADDRESS, prefix="MAIL")
    assert ProtectedValue.objects.get(owner=source.uid, field="contact").value == ADDRESS
