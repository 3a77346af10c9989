"""Web uploads: streamed into the encrypted spool, never Django's /tmp files; a hard size cap."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from tests.cast import PASSWORD, make_cast

from dhakira.apps.evidence import views
from dhakira.apps.evidence.models import EvidenceItem
from dhakira.core.vault.spool import EncryptedSpool

pytestmark = pytest.mark.django_db

MiB = 1024 * 1024


@pytest.fixture
def rana(vault):  # type: ignore[no-untyped-def]
    make_cast()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username="rana", password=PASSWORD)
    return client


def _post(client: Client, *uploads: SimpleUploadedFile, **headers: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("evidence:upload"), {"files": list(uploads), "method": "by hand"},
                       **headers)


def test_finding_03_an_upload_over_django_memory_limit_streams_into_the_encrypted_spool(
        rana, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Django's default handlers would have written this (> 2.5 MB) to /tmp/*.upload.
    settings.SPOOL_MEMORY_BYTES = 0
    data = b"\x00" + b"synthetic statement line\n" * (3 * MiB // 25)
    assert len(data) > 2_621_440
    seen = []
    real = views.ingest_stream

    def spy(stream, **kwargs):  # type: ignore[no-untyped-def]
        seen.append((type(stream), stream.spilled))
        return real(stream, **kwargs)

    monkeypatch.setattr(views, "ingest_stream", spy)
    response = _post(rana, SimpleUploadedFile("big.bin", data), HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content
    assert seen == [(EncryptedSpool, True)]
    item = EvidenceItem.objects.get()
    assert (item.size, item.sha256) == (len(data), hashlib.sha256(data).hexdigest())


def test_an_upload_over_the_cap_is_refused_with_413_and_nothing_is_kept(rana, settings) -> None:  # type: ignore[no-untyped-def]
    settings.UPLOAD_MAX_BYTES = 1 * MiB
    small = SimpleUploadedFile("small.txt", b"a short note")
    big = SimpleUploadedFile("big.txt", b"x" * (MiB + 1))
    response = _post(rana, small, big, HTTP_ACCEPT="application/json")
    assert response.status_code == 413
    assert response.json() == {"error": "The upload is larger than 1 MiB and was not kept. "
                                        "Upload fewer or smaller files at a time."}
    assert not EvidenceItem.objects.exists()
    # Without JavaScript: the page says so, in the user's language.
    small.seek(0), big.seek(0)
    page = _post(rana, small, big, HTTP_ACCEPT_LANGUAGE="ar")
    assert page.status_code == 413 and "الرفع أكبر من 1 ميبيبايت" in page.content.decode()
    assert not EvidenceItem.objects.exists()


def test_an_upload_under_the_cap_is_taken(rana, settings) -> None:  # type: ignore[no-untyped-def]
    settings.UPLOAD_MAX_BYTES = 1 * MiB
    response = _post(rana, SimpleUploadedFile("note.txt", b"n" * (MiB // 2)),
                     HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and len(response.json()["items"]) == 1


@pytest.mark.parametrize(("name", "value"), [("DHAKIRA_UPLOAD_MAX_MB", "0"),
                                             ("DHAKIRA_SPOOL_MEMORY_MB", "-1"),
                                             ("DHAKIRA_UPLOAD_MAX_MB", "lots")])
def test_a_bad_cap_or_spool_size_stops_start_up_naming_the_variable(name: str, value: str) -> None:
    env = {**os.environ, name: value}
    result = subprocess.run([sys.executable, "-c", "import dhakira.apps.web.settings"], env=env,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode != 0 and "ImproperlyConfigured" in result.stderr
    assert name in result.stderr.splitlines()[-1]


def test_the_files_of_one_upload_share_one_memory_budget(rana, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings.SPOOL_MEMORY_BYTES = 300 * 1024
    spilled = []
    real = views.ingest_stream

    def spy(stream, **kwargs):  # type: ignore[no-untyped-def]
        spilled.append(stream.spilled)
        return real(stream, **kwargs)

    monkeypatch.setattr(views, "ingest_stream", spy)
    uploads = [SimpleUploadedFile(f"{n}.bin", bytes([n]) * (200 * 1024)) for n in range(1, 4)]
    response = _post(rana, *uploads, HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content
    assert spilled == [False, True, True]  # 200 KiB fits; 400 and 600 KiB would not
