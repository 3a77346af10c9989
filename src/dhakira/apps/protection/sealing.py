"""Sealed cases: opening one needs a request by one cleared user and approval by another."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from dhakira.apps.custody import store
from dhakira.apps.dossier import accounts
from dhakira.apps.dossier.errors import AccountRefused
from dhakira.apps.protection.errors import SealedCase
from dhakira.apps.protection.models import OpenRequest, ProtectionCase
from dhakira.apps.protection.services import COMPARTMENT, require_cleared

__all__ = ["WINDOW", "approve_open", "may_view", "pending_requests", "record_view", "request_open",
           "seal", "viewable_ids"]

# The approval must come within this time of the request, and lets the requester in for
# this long after it: long enough to act, short enough that an approval does not linger.
WINDOW = timedelta(minutes=15)


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def seal(user: AbstractBaseUser, case: ProtectionCase, *, now: datetime | None = None) -> None:
    """Seal a case (unsealing is not offered: open a new, unsealed case if ever needed)."""
    require_cleared(user, write=True)
    with transaction.atomic():
        ProtectionCase.objects.filter(pk=case.pk).update(sealed=True)
        store.record(actor=user.get_username(), action="decision", subject=case.code,
                     detail={"step": "sealed"}, now=_now(now))
    case.sealed = True


def request_open(user: AbstractBaseUser, case: ProtectionCase, *,
                 now: datetime | None = None) -> OpenRequest:
    """Ask to open a sealed case; a second cleared user must approve."""
    require_cleared(user)
    if not case.sealed:
        raise SealedCase(f"{case.code} is not sealed; open it directly")
    at = _now(now)
    with transaction.atomic():
        request = OpenRequest.objects.create(case=case, requester=user, requested_at=at)
        store.record(actor=user.get_username(), action="other", subject=case.code,
                     detail={"step": "open_sealed_requested", "request": request.pk}, now=at)
    return request


def approve_open(user: AbstractBaseUser, request: OpenRequest, *,
                 now: datetime | None = None) -> OpenRequest:
    """Approve another user's request to open a sealed case.

    Raises:
        SealedCase: the approver is the requester, the request expired or was approved
            already, or the approver's account was created or changed by someone else within
            ``ACCOUNT_SETTLING_HOURS`` (one administrator cannot make or take over an approver).
    """
    require_cleared(user)
    at = _now(now)
    if request.requester_id == user.pk:
        raise SealedCase("a second, different cleared user must approve")
    try:
        accounts.require_settled(user, now=at)
    except AccountRefused as exc:
        raise SealedCase(str(exc)) from None
    if request.approved_at is not None:
        raise SealedCase("this request is already approved")
    if at - request.requested_at > WINDOW:
        raise SealedCase("the request expired; ask again")
    with transaction.atomic():
        request.approver, request.approved_at = user, at
        request.save(update_fields=["approver", "approved_at"])
        store.record(actor=user.get_username(), action="decision", subject=request.case.code,
                     detail={"step": "open_sealed_approved", "request": request.pk,
                             "requester": request.requester.get_username()}, now=at)
    return request


def may_view(user: AbstractBaseUser, case: ProtectionCase, *, now: datetime | None = None) -> bool:
    """Whether ``user`` may see the case's details now (cleared; and approved if sealed)."""
    require_cleared(user)
    if not case.sealed:
        return True
    return OpenRequest.objects.filter(case=case, requester=user, approved_at__isnull=False,
                                      approved_at__gte=_now(now) - WINDOW).exists()


def viewable_ids(user: AbstractBaseUser, cases: Iterable[ProtectionCase], *,
                 now: datetime | None = None) -> set[int]:
    """The cases among ``cases`` whose details (status and risk included) ``user`` may see now."""
    require_cleared(user)
    cases = list(cases)
    opened = set(OpenRequest.objects.filter(
        case__in=[c for c in cases if c.sealed], requester=user, approved_at__isnull=False,
        approved_at__gte=_now(now) - WINDOW).values_list("case_id", flat=True))
    return {c.pk for c in cases if not c.sealed or c.pk in opened}


def pending_requests(case: ProtectionCase, *, now: datetime | None = None) -> list[OpenRequest]:
    """Requests to open ``case`` still waiting for a second user."""
    since = _now(now) - WINDOW
    return list(OpenRequest.objects.filter(case=case, approved_at__isnull=True,
                                           requested_at__gte=since).select_related("requester"))


def record_view(user: AbstractBaseUser, case: ProtectionCase, *, now: datetime | None = None) -> None:
    """Leave the custody entry for one reading of a case's details."""
    store.record(actor=user.get_username(), action="read_protected", subject=case.code,
                 detail={"compartment": COMPARTMENT, "sealed": case.sealed},
                 now=_now(now))
