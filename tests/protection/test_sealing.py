"""A sealed case opens only with two different cleared users, within the window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from tests.cast import client_for
from tests.protection.conftest import THREAT, World

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.protection import sealing
from dhakira.apps.protection.errors import NotAllowed, SealedCase
from dhakira.apps.protection.models import OpenRequest


@pytest.fixture
def sealed(world: World) -> World:
    sealing.seal(world.users["amal"], world.case)
    return world


def test_a_sealed_case_shows_no_details_to_a_single_cleared_user(sealed: World) -> None:
    for username in ("amal", "nadia"):
        body = client_for(username).get(
            reverse("protection:case_detail", args=[sealed.case.code])).content.decode()
        assert THREAT not in body and "Request to open" in body


def test_a_sealed_case_opens_after_a_second_user_approves(sealed: World) -> None:
    url = reverse("protection:case_detail", args=[sealed.case.code])
    nadia, amal = client_for("nadia"), client_for("amal")
    nadia.post(reverse("protection:open_request", args=[sealed.case.code]))
    request = OpenRequest.objects.get(case=sealed.case)
    assert THREAT not in nadia.get(url).content.decode()
    amal.post(reverse("protection:open_approve", args=[sealed.case.code, request.pk]))
    assert THREAT in nadia.get(url).content.decode()
    assert THREAT not in amal.get(url).content.decode()  # the approver did not ask to open it
    steps = [e.detail.get("step") for e in LedgerEntry.objects.filter(subject=sealed.case.code)]
    assert {"sealed", "open_sealed_requested", "open_sealed_approved"} <= set(steps)
    assert LedgerEntry.objects.filter(action="read_protected", actor="nadia",
                                      subject=sealed.case.code).exists()


def test_it_rejects_approving_ones_own_request(sealed: World) -> None:
    request = sealing.request_open(sealed.users["nadia"], sealed.case)
    with pytest.raises(SealedCase, match="different"):
        sealing.approve_open(sealed.users["nadia"], request)
    assert not sealing.may_view(sealed.users["nadia"], sealed.case)


def test_it_rejects_a_late_approval_and_an_expired_one_stops_working(sealed: World) -> None:
    t0 = datetime.now(UTC)
    request = sealing.request_open(sealed.users["nadia"], sealed.case, now=t0)
    with pytest.raises(SealedCase, match="expired"):
        sealing.approve_open(sealed.users["amal"], request, now=t0 + timedelta(minutes=16))
    fresh = sealing.request_open(sealed.users["nadia"], sealed.case, now=t0)
    sealing.approve_open(sealed.users["amal"], fresh, now=t0 + timedelta(minutes=1))
    assert sealing.may_view(sealed.users["nadia"], sealed.case, now=t0 + timedelta(minutes=2))
    assert not sealing.may_view(sealed.users["nadia"], sealed.case, now=t0 + timedelta(minutes=20))


def test_an_uncleared_user_can_neither_request_nor_approve(sealed: World) -> None:
    with pytest.raises(NotAllowed):
        sealing.request_open(sealed.users["rana"], sealed.case)
    request = sealing.request_open(sealed.users["nadia"], sealed.case)
    with pytest.raises(NotAllowed):
        sealing.approve_open(sealed.users["samir"], request)


def test_changes_to_a_sealed_case_are_refused_until_opened(sealed: World) -> None:
    response = client_for("amal").post(
        reverse("protection:case_add", args=[sealed.case.code, "note"]), {"text": "x"})
    assert response.status_code == 404
