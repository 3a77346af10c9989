"""An external reviewer walks every URL of the app (the access walk's dossier and URL table):
only their review pages, their own second factor and the dashboard's hand-over answer them,
and no page shows them a word of restricted material or a protected value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.cast import PASSWORD, make_cast
from tests.conftest import new_vault_dir
from tests.dossier.scenario import SOURCE_IDENTITY, SOURCE_PHONE, VICTIM_ADDRESS
from tests.test_access_walk import (
    BODY,
    MAIL_NAME,
    PDF_NAME,
    PUBLIC_PAGES,
    SUBJECT,
    THREAT,
    build,
    urls,
)
from tests.web.test_two_step import code

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.vetting import reviewers

pytestmark = pytest.mark.django_db

# Pages a reviewer may open (200), and where the dashboard sends them.
THEIRS = {"vetting:review_home", "vetting:review_report", "twofactor:setup"}


def test_a_reviewer_reaches_nothing_but_their_review_pages(settings: Any, tmp_path: Path) -> None:
    new_vault_dir(settings, tmp_path / "vault")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    d = build(make_cast())
    grant = reviewers.create_reviewer(d.users["amal"], "rev.walk", PASSWORD, charge=d.charge)
    assert reviewers.scope_of(grant).reports == {d.base.information.pk}  # never the e-mail's
    device = TOTPDevice.objects.create(user=grant.user, name="totp", confirmed=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="127.0.0.1")
    client.post(reverse("login"), {"username": "rev.walk", "password": PASSWORD})
    assert client.post(reverse("twofactor:verify"), {"token": code(device.bin_key)}).status_code == 302
    secrets = [SUBJECT.split()[0], BODY.split()[0], MAIL_NAME, PDF_NAME, "qzxattachname",
               "Qzxflagnote", THREAT.split()[0], SOURCE_IDENTITY, SOURCE_PHONE, VICTIM_ADDRESS,
               *d.restricted_uids]
    problems, opened = [], 0
    for name, url, kwargs in urls(d):
        if name in PUBLIC_PAGES or name in {"logout", "lock"}:
            continue
        response = client.get(url)
        body = (b"".join(response.streaming_content) if response.streaming
                else response.content).decode("utf-8", "replace")
        status = response.status_code
        mine = name in THEIRS and not (name == "vetting:review_report" and kwargs["pk"] == d.report.pk)
        if name == "web:dashboard":
            ok = status == 302 and response["Location"] == reverse("vetting:review_home")
        elif mine:
            ok = status == 200
            opened += name.startswith("vetting:")
        else:
            ok = status in (403, 404, 405)
        if not ok:
            problems.append(f"{url}: {status}")
        problems += [f"{url}: shows {s!r}" for s in secrets if s in body]
    assert opened == 2 and problems == []
    read = {e.subject for e in LedgerEntry.objects.filter(actor="rev.walk", action="other")
            if e.detail.get("vetting") == "reviewer page"}
    assert d.base.information.uid in read
    refused = [e for e in LedgerEntry.objects.filter(actor="rev.walk", action="other")
               if e.detail.get("why") == "outside scope"]
    assert [e.subject for e in refused] == [d.report.uid]  # the restricted report, asked for
