"""Purging perishable details so that they are really gone from the database.

SQLite/SQLCipher: every connection runs with ``secure_delete = ON`` (checked here), so a
deleted row's bytes are overwritten in its page; ``VACUUM`` then rebuilds the file without
free pages, and ``wal_checkpoint(TRUNCATE)`` empties the write-ahead log that still held
older page images. PostgreSQL: ``VACUUM FULL`` rewrites the table; what PostgreSQL cannot
promise (WAL segments, replicas, backups, freed disk blocks) is in docs/protection.md.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction

from dhakira.apps.custody import store
from dhakira.apps.protection.models import PerishableDetail, ProtectionCase, Status
from dhakira.apps.protection.services import require_cleared

__all__ = ["PurgePlan", "PurgeResult", "expired_cases", "plan_purge", "purge", "purge_case",
           "purge_expired", "reclaim"]


@dataclass(frozen=True)
class PurgePlan:
    """What a purge of one case will remove: counts per kind, never values."""

    case_code: str
    kinds: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        return sum(n for _, n in self.kinds)


@dataclass(frozen=True)
class PurgeResult:
    """What was removed, and whether the database was compacted and its log emptied."""

    plans: tuple[PurgePlan, ...]
    reclaimed: bool
    log_emptied: bool


def plan_purge(case: ProtectionCase) -> PurgePlan:
    """Count the perishable details of ``case`` by kind (reads no value)."""
    counts = Counter(PerishableDetail.objects.filter(case=case).values_list("kind", flat=True))
    return PurgePlan(case.code, tuple(sorted(counts.items())))


def _delete(plan: PurgePlan, case: ProtectionCase, actor: str, reason: str) -> None:
    with transaction.atomic():
        # Custody first, in the same transaction: no purge without its entry.
        for kind, n in plan.kinds:
            store.record(actor=actor, action="purge", subject=case.code,
                         detail={"field_kind": kind, "count": n, "reason": reason})
        PerishableDetail.objects.filter(case=case).delete()


def reclaim() -> tuple[bool, bool]:
    """Compact the database and empty its log; returns (vacuumed, log emptied).

    Skipped (False, False) inside a transaction, where VACUUM cannot run.
    """
    if connection.in_atomic_block:
        return False, False
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA secure_delete")
            if cursor.fetchone()[0] != 1:  # the engine sets it; never purge without it
                cursor.execute("PRAGMA secure_delete = ON")
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy = cursor.fetchone()[0]
            return True, busy == 0
        if connection.vendor == "postgresql":
            cursor.execute(f"VACUUM FULL {PerishableDetail._meta.db_table}")
            return True, False
    return False, False


def purge(cases: list[ProtectionCase], *, actor: str, reason: str) -> PurgeResult:
    """Delete every perishable detail of ``cases``, one custody entry per case and kind."""
    plans = []
    for case in cases:
        plan = plan_purge(case)
        if plan.total:
            _delete(plan, case, actor, reason)
            plans.append(plan)
    vacuumed, emptied = reclaim() if plans else (False, False)
    return PurgeResult(tuple(plans), vacuumed, emptied)


def purge_case(user: AbstractBaseUser, case: ProtectionCase) -> PurgeResult:
    """Purge one case's perishable details now, on a cleared user's request."""
    require_cleared(user, write=True)
    return purge([case], actor=user.get_username(), reason="on request")


def expired_cases(*, now: datetime | None = None, days: int | None = None) -> list[ProtectionCase]:
    """Closed cases whose perishable details are past ``DHAKIRA_PERISHABLE_DAYS``."""
    keep = days if days is not None else settings.PERISHABLE_DAYS
    cutoff = (now or datetime.now(UTC)) - timedelta(days=keep)
    return list(ProtectionCase.objects.filter(
        status=Status.CLOSED, closed_at__lte=cutoff, perishables__isnull=False).distinct())


def purge_expired(*, actor: str, now: datetime | None = None, days: int | None = None) -> PurgeResult:
    """Purge every closed case past the keeping period (run by ``dhakira purge-expired``)."""
    return purge(expired_cases(now=now, days=days), actor=actor, reason="expired")
