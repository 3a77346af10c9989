"""Purging perishable details: the rows go, and on SQLCipher no byte of them is left."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection
from tests.conftest import on_postgresql
from tests.protection import _pages
from tests.protection.conftest import ROUTE, SMUGGLER, World

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.protection import purge, services
from dhakira.apps.protection.models import PerishableDetail
from dhakira.core.vault import session

pytestmark = pytest.mark.django_db(transaction=True)


def _plaintext() -> bytes:
    db = Path(connection.settings_dict["NAME"])
    key = session.get_key()
    return _pages.database_plaintext(db, key) + _pages.wal_plaintext(Path(f"{db}-wal"), key)


def test_the_engine_runs_with_secure_delete_on(world: World) -> None:
    if on_postgresql():
        pytest.skip("SQLite pragma")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1


def test_after_a_purge_no_byte_of_the_details_remains(world: World) -> None:
    if not on_postgresql():
        before = _plaintext()
        assert ROUTE.encode() in before  # the check can see plaintext when it is there
    result = purge.purge_case(world.users["nadia"], world.case)
    assert {k for p in result.plans for k, _ in p.kinds} == {"route", "smuggler"}
    assert not PerishableDetail.objects.filter(case=world.case).exists()
    assert result.reclaimed
    if on_postgresql():
        return  # page-level reading is not possible on PostgreSQL: see docs/protection.md
    assert result.log_emptied
    after = _plaintext()
    for secret in (ROUTE, SMUGGLER, "Qzxroute", "Qzxsmuggler"):
        assert secret.encode() not in after, secret


def test_a_purge_leaves_one_custody_entry_per_kind_with_no_content(world: World) -> None:
    purge.purge_case(world.users["amal"], world.case)
    entries = LedgerEntry.objects.filter(action="purge", subject=world.case.code)
    assert sorted(e.detail["field_kind"] for e in entries) == ["route", "smuggler"]
    assert all(e.actor == "amal" for e in entries)
    assert "Qzx" not in " ".join(str(e.detail) for e in entries)


def test_an_uncleared_user_cannot_purge(world: World) -> None:
    from dhakira.apps.protection.errors import NotAllowed

    with pytest.raises(NotAllowed):
        purge.purge_case(world.users["rana"], world.case)
    assert PerishableDetail.objects.filter(case=world.case).count() == 2


def test_details_expire_n_days_after_the_case_closes(world: World) -> None:
    amal, case = world.users["amal"], world.case
    closed = datetime(2016, 1, 1, tzinfo=UTC)
    services.apply_transition(case, services.plan_transition(case, "closed", amal, "safe",
                                                             now=closed), amal)
    assert purge.expired_cases(now=closed + timedelta(days=29), days=30) == []
    result = purge.purge_expired(actor="cron", now=closed + timedelta(days=31), days=30)
    assert [p.case_code for p in result.plans] == [case.code]
    assert not PerishableDetail.objects.exists()
    assert LedgerEntry.objects.filter(action="purge", actor="cron", detail__reason="expired").exists()


def test_open_cases_never_expire(world: World) -> None:
    result = purge.purge_expired(actor="cron", now=datetime.now(UTC) + timedelta(days=3650), days=0)
    assert result.plans == () and PerishableDetail.objects.count() == 2


def test_the_plan_counts_kinds_without_reading_values(world: World) -> None:
    plan = purge.plan_purge(world.case)
    assert plan.kinds == (("route", 1), ("smuggler", 1)) and plan.total == 2
    assert PerishableDetail.objects.count() == 2
