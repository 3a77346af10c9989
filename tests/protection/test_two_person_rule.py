"""Finding 06: one administrator cannot take over or make a second person to open a sealed case."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.test import Client
from django.urls import reverse
from tests.cast import PASSWORD, client_for
from tests.protection.conftest import THREAT, World

from dhakira import cli
from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.dossier import accounts
from dhakira.apps.protection import sealing
from dhakira.apps.protection.errors import SealedCase
from dhakira.apps.protection.models import OpenRequest

TAKEN_OVER = "a password the administrator chose"


@pytest.fixture
def sealed(world: World, settings: Any) -> World:
    settings.ACCOUNT_SETTLING_HOURS = 24
    sealing.seal(world.users["amal"], world.case)
    return world


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    monkeypatch.setattr(cli.vault, "unlock", lambda *a: b"")  # the test database is open
    (tmp_path / "pw").write_text(PASSWORD + "\n")
    (tmp_path / "new").write_text(TAKEN_OVER + "\n")

    def invoke(*args: str) -> Any:
        return CliRunner().invoke(cli.main, [*args[:2], "--vault", str(tmp_path), *args[2:]])
    return invoke


def test_finding_06_a_password_reset_by_the_requester_does_not_make_an_approver(
        sealed: World, run: Any, tmp_path: Path) -> None:
    code, url = sealed.case.code, reverse("protection:case_detail", args=[sealed.case.code])
    amal = client_for("amal")
    amal.post(reverse("protection:open_request", args=[code]))
    request = OpenRequest.objects.get(case=sealed.case)
    # The red team's path: reset the second cleared user's password, log in as them, approve.
    result = run("user", "passwd", "--username", "nadia", "--as", "amal", "--password-file",
                 str(tmp_path / "pw"), "--new-password-file", str(tmp_path / "new"))
    assert result.exit_code == 0, result.output
    as_nadia = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert as_nadia.login(username="nadia", password=TAKEN_OVER)
    as_nadia.post(reverse("protection:open_approve", args=[code, request.pk]))
    request.refresh_from_db()
    assert request.approved_at is None
    assert THREAT not in amal.get(url).content.decode()
    reset = LedgerEntry.objects.get(subject=f"user:{sealed.users['nadia'].pk}",
                                    detail__account="password")
    assert reset.actor == "amal" and reset.detail["actor_id"] == sealed.users["amal"].pk


def test_finding_06_a_sock_puppet_added_by_the_requester_cannot_approve(
        sealed: World, run: Any, tmp_path: Path) -> None:
    request = sealing.request_open(sealed.users["amal"], sealed.case)
    result = run("user", "add", "--username", "puppet", "--role", "documenter", "--clearance",
                 "protection", "--as", "amal", "--password-file", str(tmp_path / "pw"),
                 "--new-password-file", str(tmp_path / "new"))
    assert result.exit_code == 0, result.output
    puppet = accounts.authenticate("puppet", TAKEN_OVER)
    with pytest.raises(SealedCase, match="cannot approve yet"):
        sealing.approve_open(puppet, request)
    assert not sealing.may_view(sealed.users["amal"], sealed.case)


def test_an_account_approves_once_it_has_settled(sealed: World) -> None:
    nadia = sealed.users["nadia"]
    accounts.set_password(nadia, TAKEN_OVER, actor=sealed.users["amal"])
    later = datetime.now(UTC) + timedelta(hours=25)
    request = sealing.request_open(sealed.users["amal"], sealed.case, now=later)
    sealing.approve_open(nadia, request, now=later + timedelta(minutes=1))
    assert sealing.may_view(sealed.users["amal"], sealed.case, now=later + timedelta(minutes=2))


def test_changing_ones_own_password_does_not_unsettle_the_account(sealed: World) -> None:
    nadia, later = sealed.users["nadia"], datetime.now(UTC) + timedelta(hours=25)
    accounts.set_password(nadia, "nadia chose this herself", actor=nadia, now=later)
    request = sealing.request_open(sealed.users["amal"], sealed.case, now=later)
    sealing.approve_open(nadia, request, now=later + timedelta(minutes=1))
    assert request.approved_at is not None
