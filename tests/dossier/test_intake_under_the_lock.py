"""Issue 19: a report's write transaction inserts and appends to custody, and reads nothing
but the custody chain's head, last.

Every transaction holds the write lock from its start (``BEGIN IMMEDIATE`` on SQLCipher, the
writer lock on PostgreSQL) to its commit, and every other save waits for it meanwhile. So a
save looks up, checks and builds its rows (sources, places, persons, name and search keys,
consents) before its transaction, and inside it only inserts them; the chain's head, which
every custody entry is chained to, is read just before the commit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from dhakira.apps.custody import store
from dhakira.apps.dossier import intake
from dhakira.apps.dossier.intake import (
    ActIn,
    PerpetratorIn,
    ReportIn,
    VictimIn,
    save_report,
)
from dhakira.apps.dossier.models import Consent, NameVariant, Place, Source
from dhakira.apps.search.models import SearchDocument
from dhakira.core.custody import verify_chain

pytestmark = pytest.mark.django_db
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
HEAD = 'SELECT "ledger_ledgerentry".'


@pytest.fixture
def user():  # type: ignore[no-untyped-def]
    return get_user_model().objects.create(username="rana")


def _report(**changes: object) -> ReportIn:
    base = ReportIn(
        source_code="NINAWA-19", received_at=datetime(2014, 11, 2, 10, tzinfo=UTC),
        channel="phone_call", event_title="Raid on the market", date_text="late October 2014",
        place_text="the old market", text="شهادة عن مداهمة السوق",
        consent_decision="granted", consent_scopes=("share_icc", "share_un_investigators"),
        victims=(VictimIn(("محمّد علي حسين", "Mohammed Ali"), 31, "male"),
                 VictimIn(("Khalid Saleh",))),
        acts=(ActIn("killing", None, "shooting", "killed"),),
        perpetrators=(PerpetratorIn("directly_carried_out", "أبو عمر"),))
    return ReportIn(**{**base.__dict__, **changes})  # type: ignore[arg-type]


def _transactions(run: Callable[[], Any]) -> list[list[str]]:
    """The statements each write transaction ``run`` opened sent, one list a transaction
    (inside a test's own transaction, the save's outermost block is the one above it)."""
    outside = len(connection.atomic_blocks)
    found: list[tuple[object, list[str]]] = []  # holding each block keeps its identity apart

    def watch(execute: Any, sql: str, *args: Any) -> Any:
        if len(connection.atomic_blocks) > outside:
            block = connection.atomic_blocks[outside]
            if not found or found[-1][0] is not block:
                found.append((block, []))
            found[-1][1].append(" ".join(sql.split()))
        return execute(sql, *args)

    with connection.execute_wrapper(watch):
        run()
    return [statements for _, statements in found]


def _reads(statements: list[str]) -> list[str]:
    """The statements that are not writes (a savepoint is neither)."""
    return [s for s in statements
            if not s.upper().startswith(("INSERT", "UPDATE", "SAVEPOINT", "RELEASE"))]


def test_issue19_a_report_s_transaction_inserts_and_reads_only_the_chain_s_head_last(
        user) -> None:  # type: ignore[no-untyped-def]
    Source.objects.create(code_name="NINAWA-19", reliability="b")
    saved: list[Any] = []
    [statements] = _transactions(lambda: saved.append(save_report(_report(), actor=user,
                                                                  now=NOW)))
    assert _reads(statements) == [statements[-2]] and statements[-2].startswith(HEAD)
    assert statements[-1].startswith('INSERT INTO "ledger_ledgerentry"')
    # What it wrote is whole: the place typed, the consents, the index, the custody entry.
    info = saved[0]
    assert info.events.get().place.name_en == "the old market"
    assert Consent.objects.filter(person__in=info.persons.all()).count() == 4
    assert SearchDocument.objects.get(information=info).place_id == info.events.get().place_id
    assert verify_chain(list(store.entries()), store.public_keys()).ok


def test_issue19_a_source_another_writer_recorded_meanwhile_is_the_one_named(
        user, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """The source is looked for before the transaction and, if new, again under the lock:
    recorded by another writer in between, it is that row the report names, not a second
    row with the same code name."""
    write = intake._write

    def meanwhile(*args: Any, **kwargs: Any) -> Any:
        Source.objects.create(code_name="NEW-7", reliability="b")  # the other writer
        return write(*args, **kwargs)

    monkeypatch.setattr(intake, "_write", meanwhile)
    info = save_report(_report(source_code="new-7"), actor=user, now=NOW)
    stored = Source.objects.get()
    assert (stored.code_name, stored.reliability) == ("NEW-7", "b")
    assert info.source_id == stored.pk
    assert set(NameVariant.objects.values_list("source_id", flat=True)) == {stored.pk}
    assert SearchDocument.objects.get(information=info).source_id == stored.pk


def test_issue19_a_new_source_and_place_are_written_with_the_report(user) -> None:  # type: ignore[no-untyped-def]
    info = save_report(_report(source_code="NEW-8"), actor=user, now=NOW)
    assert Source.objects.get().code_name == "NEW-8" == info.source.code_name
    assert Place.objects.get().name_en == "the old market"
    doc = SearchDocument.objects.get(information=info)
    assert (doc.source_id, doc.place_id) == (info.source_id, Place.objects.get().pk)
