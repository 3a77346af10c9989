"""Protection casework actions: plan, then act; every act leaves a custody entry.

Custody entries name the case by its code and say what kind of thing happened; they never
carry a threat, a reason, a note or a perishable value.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from decimal import Decimal
from random import Random

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from dhakira.apps.custody import store
from dhakira.apps.dossier.access import can_write, is_cleared
from dhakira.apps.dossier.models import Person
from dhakira.apps.protection import workflow
from dhakira.apps.protection.errors import NotAllowed, ProtectionError
from dhakira.apps.protection.models import (
    Disbursement,
    Note,
    PerishableDetail,
    PerishableKind,
    ProtectionCase,
    Referral,
    StatusChange,
    Task,
)

__all__ = ["add_disbursement", "add_note", "add_perishable", "add_referral", "add_task",
           "apply_transition", "case_for", "complete_task", "new_case_code", "open_case",
           "plan_transition", "require_cleared", "reverse_disbursement"]

_CODE_ALPHABET = "0123456789ABCDEF"
COMPARTMENT = "protection"


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def require_cleared(user: AbstractBaseUser, *, write: bool = False) -> None:
    """Raise :class:`NotAllowed` unless ``user`` is cleared for the protection compartment."""
    if not is_cleared(user, COMPARTMENT):
        raise NotAllowed("not cleared for the protection compartment")
    if write and not can_write(user):
        raise NotAllowed("this role cannot change protection cases")


def case_for(user: AbstractBaseUser, code: str) -> ProtectionCase:
    """The case ``code`` if ``user`` is cleared; NotAllowed for outsiders and unknown codes alike."""
    require_cleared(user)
    case = ProtectionCase.objects.filter(code=code).first()
    if case is None:
        raise NotAllowed("no such case")
    return case


def new_case_code(*, rng: Random | None = None) -> str:
    """A random case code such as ``PC-7F3A2``: random, so codes do not reveal how many exist."""
    for _ in range(50):
        digits = "".join((rng.choice(_CODE_ALPHABET) if rng else secrets.choice(_CODE_ALPHABET))
                         for _ in range(5))
        code = f"PC-{digits}"
        if not ProtectionCase.objects.filter(code=code).exists():
            return code
    raise ProtectionError("could not find a free case code; try again")


def open_case(user: AbstractBaseUser, *, threat: str, risk_level: str, person: Person | None = None,
              requested_by: str = "", channel: str = "", sealed: bool = False,
              now: datetime | None = None, rng: Random | None = None) -> ProtectionCase:
    """Open a case in status ``request_received`` and record who opened it."""
    require_cleared(user, write=True)
    at = _now(now)
    with transaction.atomic():
        case = ProtectionCase.objects.create(
            code=new_case_code(rng=rng), person=person, requested_by=requested_by, channel=channel,
            threat=threat, risk_level=risk_level, opened_at=at, sealed=sealed, created_by=user)
        StatusChange.objects.create(case=case, from_status="", to_status=case.status, actor=user,
                                    at=at, reason="request received")
        store.record(actor=user.get_username(), action="intake", subject=case.code,
                     detail={"compartment": COMPARTMENT, "sealed": sealed}, now=at)
    return case


def plan_transition(case: ProtectionCase, to_status: str, actor: AbstractBaseUser, reason: str,
                    *, now: datetime | None = None) -> workflow.TransitionPlan:
    """Check a status change without writing anything.

    Raises:
        NotAllowed: ``actor`` may not change protection cases.
        InvalidTransition: the workflow table forbids the move, or no reason was given.
    """
    require_cleared(actor, write=True)
    return workflow.plan(case.code, case.status, to_status, actor=actor.get_username(),
                         reason=reason, now=_now(now))


def apply_transition(case: ProtectionCase, plan: workflow.TransitionPlan,
                     actor: AbstractBaseUser) -> StatusChange:
    """Carry out a plan from :func:`plan_transition` (re-checked against the stored status).

    Raises:
        ProtectionError: the case changed since the plan was made, or the actor differs.
    """
    if plan.actor != actor.get_username() or plan.case_code != case.code:
        raise ProtectionError("the plan was made for another case or user; plan again")
    with transaction.atomic():
        locked = ProtectionCase.objects.select_for_update().get(pk=case.pk)
        if locked.status != plan.from_status:
            raise ProtectionError(f"{case.code} is now {locked.status}; plan the change again")
        locked.status = plan.to_status
        if plan.closes:
            locked.closed_at = plan.at
        elif plan.reopens:
            locked.closed_at = None
        locked.save(update_fields=["status", "closed_at"])
        change = StatusChange.objects.create(case=locked, from_status=plan.from_status,
                                             to_status=plan.to_status, actor=actor, at=plan.at,
                                             reason=plan.reason)
        store.record(actor=plan.actor, action="decision", subject=case.code, now=plan.at,
                     detail={"status_from": plan.from_status, "status_to": plan.to_status})
    case.refresh_from_db()
    return change


def _log(user: AbstractBaseUser, case: ProtectionCase, what: str, at: datetime,
         **extra: str) -> None:
    store.record(actor=user.get_username(), action="new_version", subject=case.code, now=at,
                 detail={"compartment": COMPARTMENT, "what": what, **extra})


def add_task(user: AbstractBaseUser, case: ProtectionCase, *, title: str,
             owner: AbstractBaseUser, due_at: datetime, now: datetime | None = None) -> Task:
    """Give a task with an owner and a due time; the owner must be cleared too."""
    require_cleared(user, write=True)
    require_cleared(owner)
    with transaction.atomic():
        task = Task.objects.create(case=case, title=title, owner=owner, due_at=due_at)
        _log(user, case, "task", _now(now))
    return task


def complete_task(user: AbstractBaseUser, task: Task, *, now: datetime | None = None) -> Task:
    """Mark a task done (once)."""
    require_cleared(user, write=True)
    if task.done_at is None:
        with transaction.atomic():
            task.done_at = _now(now)
            task.save(update_fields=["done_at"])
            _log(user, task.case, "task_done", task.done_at)
    return task


def add_referral(user: AbstractBaseUser, case: ProtectionCase, *, organisation: str,
                 outcome: str = "", now: datetime | None = None) -> Referral:
    """Record a referral to a partner organisation."""
    require_cleared(user, write=True)
    with transaction.atomic():
        referral = Referral.objects.create(case=case, organisation=organisation,
                                           referred_at=_now(now), outcome=outcome)
        _log(user, case, "referral", referral.referred_at)
    return referral


def add_disbursement(user: AbstractBaseUser, case: ProtectionCase, *, amount: Decimal,
                     currency: str, purpose: str, approver: AbstractBaseUser,
                     now: datetime | None = None) -> Disbursement:
    """Append a payment to the case's funds ledger; the approver must be cleared."""
    require_cleared(user, write=True)
    require_cleared(approver)
    if amount <= 0:
        raise ProtectionError("a payment is a positive amount; to correct one, reverse it")
    at = _now(now)
    with transaction.atomic():
        entry = Disbursement.objects.create(case=case, amount=amount, currency=currency.upper(),
                                            purpose=purpose, approver=approver,
                                            recorded_by=user, at=at)
        _log(user, case, "disbursement", at)
    return entry


def reverse_disbursement(user: AbstractBaseUser, entry: Disbursement, *, reason: str,
                         now: datetime | None = None) -> Disbursement:
    """Cancel a payment by appending its negative; the original is never edited.

    Raises:
        ProtectionError: the entry is itself a reversal, or was already reversed.
    """
    require_cleared(user, write=True)
    entry = Disbursement.objects.get(pk=entry.pk)  # the stored amount, not an edited copy
    if entry.reverses_id is not None or Disbursement.objects.filter(reverses=entry).exists():
        raise ProtectionError("this entry is a reversal or already reversed")
    at = _now(now)
    with transaction.atomic():
        reversal = Disbursement.objects.create(
            case=entry.case, amount=-entry.amount, currency=entry.currency,
            purpose=f"reversal: {reason.strip()}", approver=user, recorded_by=user, at=at,
            reverses=entry)
        _log(user, entry.case, "disbursement_reversal", at)
    return reversal


def add_note(user: AbstractBaseUser, case: ProtectionCase, *, text: str,
             now: datetime | None = None) -> Note:
    """Add a dated note."""
    require_cleared(user, write=True)
    with transaction.atomic():
        note = Note.objects.create(case=case, author=user, at=_now(now), text=text)
        _log(user, case, "note", note.at)
    return note


def add_perishable(user: AbstractBaseUser, case: ProtectionCase, *, kind: str, value: str,
                   now: datetime | None = None) -> PerishableDetail:
    """Record an operational detail that will be purged after the case closes."""
    require_cleared(user, write=True)
    if kind not in PerishableKind.values:
        raise ProtectionError(f"unknown kind {kind!r}; use one of {', '.join(PerishableKind.values)}")
    with transaction.atomic():
        detail = PerishableDetail.objects.create(case=case, kind=kind, value=value,
                                                 added_at=_now(now), added_by=user)
        _log(user, case, "perishable", detail.added_at, kind=kind)
    return detail
