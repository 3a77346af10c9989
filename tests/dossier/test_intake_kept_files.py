"""Issue 17, finding 3: files attached to a form that did not validate are not lost.

They wait sealed under the vault's key (never plaintext on disk, nor in the row) until the
corrected report is saved, and go when it is, or when the draft is discarded.
"""

from __future__ import annotations

import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.cast import client_for
from tests.dossier.intake_data import post_data
from tests.dossier.test_views_intake import URL, cast  # noqa: F401 - the fixture

from dhakira.apps.dossier.models import Information, PendingFile
from dhakira.apps.evidence.models import EvidenceItem
from dhakira.core.vault import sealed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

STATEMENT = "شهادة مكتوبة، اختبار: Synthetic statement".encode()


def _upload(name: str = "statement.txt", data: bytes = STATEMENT) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "text/plain")


def _kept_ids(body: str) -> list[str]:
    return re.findall(r'name="f-pending" value="(\d+)" checked', body)


def test_finding_17_3_files_survive_a_form_error_and_go_with_the_saved_report() -> None:
    client = client_for("rana")
    bad = client.post(URL, {**post_data(**{"r-event_title": ""}), "f-files": [_upload()],
                            "f-graphic": "on"})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "statement.txt" in body and len(_kept_ids(body)) == 1
    row = PendingFile.objects.get()
    assert STATEMENT not in bytes(row.sealed_data) and b"statement" not in bytes(row.sealed_name)

    good = client.post(URL, {**post_data(), "f-pending": _kept_ids(body)})
    assert good.status_code == 302, good.content.decode()[:2000]
    item = EvidenceItem.objects.get()
    assert item.information == Information.objects.get() and item.graphic is True
    assert item.sha256 == hashlib.sha256(STATEMENT).hexdigest()
    assert not PendingFile.objects.exists()


def test_finding_17_3_a_file_unticked_is_left_out_and_removed() -> None:
    client = client_for("rana")
    bad = client.post(URL, {**post_data(**{"r-event_title": ""}),
                            "f-files": [_upload(), _upload("second.txt", b"another synthetic file")]})
    ids = _kept_ids(bad.content.decode())
    assert len(ids) == 2
    assert client.post(URL, {**post_data(), "f-pending": ids[1:]}).status_code == 302
    assert list(EvidenceItem.objects.values_list("sha256", flat=True)) == [
        hashlib.sha256(b"another synthetic file").hexdigest()]
    assert not PendingFile.objects.exists()


def test_finding_17_3_a_second_error_keeps_them_still_and_another_user_cannot_take_them() -> None:
    client = client_for("rana")
    first = client.post(URL, {**post_data(**{"r-event_title": ""}), "f-files": [_upload()]})
    ids = _kept_ids(first.content.decode())
    second = client.post(URL, {**post_data(**{"r-credibility": ""}), "f-pending": ids})
    assert second.status_code == 400 and _kept_ids(second.content.decode()) == ids
    # amal posting rana's pending id gets nothing of it.
    assert client_for("amal").post(URL, {**post_data(), "f-pending": ids}).status_code == 302
    assert not EvidenceItem.objects.exists() and PendingFile.objects.count() == 1


def test_finding_17_3_discarding_the_draft_discards_the_kept_files() -> None:
    client = client_for("rana")
    client.post(URL, {**post_data(**{"r-event_title": ""}), "f-files": [_upload()]})
    assert PendingFile.objects.count() == 1
    client.post(reverse("dossier:draft_discard"))
    assert not PendingFile.objects.exists()


@settings(max_examples=50, deadline=None)
@given(data=st.binary(max_size=2000), purpose=st.text(min_size=1, max_size=20))
def test_a_sealed_value_opens_only_for_its_purpose_and_never_when_changed(data, purpose) -> None:  # type: ignore[no-untyped-def]
    token = sealed.seal(data, purpose=purpose)
    assert sealed.unseal(token, purpose=purpose) == data
    with pytest.raises(sealed.SealBroken):
        sealed.unseal(token, purpose=purpose + "x")
    flipped = bytearray(token)
    flipped[-1] ^= 1
    with pytest.raises(sealed.SealBroken):
        sealed.unseal(bytes(flipped), purpose=purpose)
    with pytest.raises(sealed.SealBroken):
        sealed.unseal(token[:10], purpose=purpose)


def test_walk_a_held_file_chosen_again_is_one_evidence_item() -> None:
    """The held file ticked and the same file chosen again: one file, one item."""
    client = client_for("rana")
    bad = client.post(URL, {**post_data(**{"r-event_title": ""}), "f-files": [_upload()]})
    ids = _kept_ids(bad.content.decode())
    good = client.post(URL, {**post_data(), "f-pending": ids, "f-files": [_upload()]})
    assert good.status_code == 302, good.content.decode()[:2000]
    assert EvidenceItem.objects.filter(information__isnull=False).count() == 1
    assert not PendingFile.objects.exists()


def test_walk_the_same_file_chosen_again_after_two_errors_is_held_once() -> None:
    client = client_for("rana")
    first = client.post(URL, {**post_data(**{"r-event_title": ""}), "f-files": [_upload()]})
    ids = _kept_ids(first.content.decode())
    second = client.post(URL, {**post_data(**{"r-event_title": ""}), "f-pending": ids,
                               "f-files": [_upload("renamed.txt")]})
    assert second.status_code == 400 and _kept_ids(second.content.decode()) == ids
    assert PendingFile.objects.count() == 1
    good = client.post(URL, {**post_data(), "f-pending": ids})
    assert good.status_code == 302
    assert EvidenceItem.objects.count() == 1


def test_walk_one_file_chosen_twice_in_one_submission_is_one_item() -> None:
    client = client_for("rana")
    good = client.post(URL, {**post_data(), "f-files": [_upload(), _upload("copy.txt")]})
    assert good.status_code == 302
    assert EvidenceItem.objects.count() == 1


def test_issue17_a_kept_files_size_is_said_by_the_projects_file_size_not_django_s() -> None:
    """Django's Arabic ``filesizeformat`` says "5 بايتان" (two bytes) for 3 to 10 bytes."""
    bad = client_for("rana", lang="ar").post(
        URL, {**post_data(**{"r-event_title": ""}), "f-files": [_upload(data=b"12345")]},
        HTTP_ACCEPT_LANGUAGE="ar")
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "(5 بايت)" in body and "بايتان" not in body
