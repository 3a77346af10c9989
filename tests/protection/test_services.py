"""Casework actions: the workflow, append-only ledgers, and custody entries without content."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from random import Random

import pytest
from tests.protection.conftest import NOTE, ROUTE, THREAT, World

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.protection import services
from dhakira.apps.protection.errors import InvalidTransition, NotAllowed, ProtectionError
from dhakira.apps.protection.models import Disbursement, StatusChange


def test_case_codes_are_random_not_sequential(db: None) -> None:
    codes = {services.new_case_code(rng=Random(seed)) for seed in range(20)}
    assert len(codes) == 20
    assert all(c.startswith("PC-") and len(c) == 8 for c in codes)
    assert "PC-00001" not in codes


def test_a_status_change_records_who_when_and_why(world: World) -> None:
    amal, case = world.users["amal"], world.case
    plan = services.plan_transition(case, "verified", amal, "called back the mother")
    assert not StatusChange.objects.filter(to_status="verified").exists()  # planning writes nothing
    services.apply_transition(case, plan, amal)
    change = StatusChange.objects.get(case=case, to_status="verified")
    assert (change.actor, change.from_status, change.reason) == (amal, "request_received",
                                                                 "called back the mother")
    assert case.status == "verified"
    entry = LedgerEntry.objects.filter(action="decision", subject=case.code).get()
    assert "called back" not in str(entry.detail)


def test_it_rejects_a_transition_the_table_forbids(world: World) -> None:
    with pytest.raises(InvalidTransition):
        services.plan_transition(world.case, "relocated", world.users["amal"], "skip ahead")


def test_it_refuses_a_stale_plan(world: World) -> None:
    amal, case = world.users["amal"], world.case
    plan = services.plan_transition(case, "verified", amal, "ok")
    services.apply_transition(case, services.plan_transition(case, "detained", amal, "taken"), amal)
    with pytest.raises(ProtectionError, match="plan the change again"):
        services.apply_transition(case, plan, amal)


def test_closing_sets_and_reopening_clears_the_closing_date(world: World) -> None:
    amal, case = world.users["amal"], world.case
    services.apply_transition(case, services.plan_transition(case, "closed", amal, "withdrawn"), amal)
    assert case.closed_at is not None
    services.apply_transition(case, services.plan_transition(case, "verified", amal, "again"), amal)
    assert case.closed_at is None


def test_an_uncleared_user_cannot_act_on_a_case(world: World) -> None:
    for username in ("rana", "samir", "victor"):
        with pytest.raises(NotAllowed):
            services.plan_transition(world.case, "verified", world.users[username], "x")
        with pytest.raises(NotAllowed):
            services.add_note(world.users[username], world.case, text="x")


def test_disbursements_are_corrected_by_reversal_never_edited(world: World) -> None:
    amal, nadia = world.users["amal"], world.users["nadia"]
    paid = services.add_disbursement(amal, world.case, amount=Decimal("250.00"), currency="usd",
                                     purpose="transport", approver=nadia)
    paid.amount = Decimal("25.00")
    with pytest.raises(ProtectionError, match="append-only"):
        paid.save()
    with pytest.raises(ProtectionError, match="append-only"):
        paid.delete()
    reversal = services.reverse_disbursement(amal, paid, reason="typed wrong amount")
    assert reversal.amount == Decimal("-250.00") and reversal.reverses_id == paid.pk
    assert sum(d.amount for d in Disbursement.objects.filter(case=world.case)) == 0
    with pytest.raises(ProtectionError):
        services.reverse_disbursement(amal, paid, reason="twice")


def test_a_payment_needs_a_cleared_approver(world: World) -> None:
    with pytest.raises(NotAllowed):
        services.add_disbursement(world.users["amal"], world.case, amount=Decimal("10"),
                                  currency="IQD", purpose="food", approver=world.users["rana"])


def test_custody_entries_never_carry_case_content(world: World) -> None:
    ledger = " ".join(f"{e.subject} {e.detail}" for e in LedgerEntry.objects.all())
    for secret in (THREAT, ROUTE, NOTE, "Qzx"):
        assert secret not in ledger
    assert world.case.code in ledger and "'kind': 'route'" in ledger


def test_status_changes_are_append_only(world: World) -> None:
    change = StatusChange.objects.filter(case=world.case).first()
    assert change is not None
    change.reason = "rewritten"
    with pytest.raises(ProtectionError):
        change.save()


def test_completing_a_task_takes_it_off_the_overdue_list(world: World) -> None:
    from dhakira.apps.protection.models import Task

    task = Task.objects.get(case=world.case)
    assert Task.objects.filter(done_at__isnull=True, due_at__lt=datetime.now(UTC)).count() == 1
    services.complete_task(world.users["nadia"], task, now=datetime.now(UTC) + timedelta(minutes=1))
    assert Task.objects.filter(done_at__isnull=True).count() == 0
