"""The ledger store: single and batched appends make one chain that verifies."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests.conftest import new_vault_dir

from dhakira.apps.custody import store
from dhakira.apps.custody.models import LedgerEntry
from dhakira.core import custody
from dhakira.core.vault import signing

pytestmark = pytest.mark.django_db

WHEN = datetime(2015, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _vault(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    new_vault_dir(settings, tmp_path / "vault")
    signing.forget()


def _planned(n: int) -> list[store.Planned]:
    return [store.Planned("rana", "intake", f"EV-{i:06d}", "ab" * 32, {"n": i}, WHEN)
            for i in range(1, n + 1)]


def test_a_batch_continues_the_chain_and_verifies() -> None:
    store.record(actor="rana", action="intake", subject="EV-000000", now=WHEN)
    rows = store.record_many(_planned(3))
    store.record(actor="rana", action="export", subject="EV-000002", now=WHEN)
    entries = list(store.entries())
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert [r.subject for r in rows] == ["EV-000001", "EV-000002", "EV-000003"]
    assert all(e.prev_hash == p.entry_hash for p, e in zip(entries, entries[1:], strict=False))
    assert custody.verify_chain(entries, store.public_keys()).ok


def test_a_batch_gives_the_same_entries_as_one_at_a_time(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store.record_many(_planned(3))
    batched = [custody.to_dict(e) for e in store.entries()]
    LedgerEntry.objects.all().delete()
    for p in _planned(3):
        store.record(actor=p.actor, action=p.action, subject=p.subject,
                     subject_hash=p.subject_hash, detail=p.detail, now=p.now)
    # Ed25519 signatures are deterministic, so equal entries are equal byte for byte.
    assert [custody.to_dict(e) for e in store.entries()] == batched


def test_a_batch_with_a_missing_actor_appends_nothing() -> None:
    planned = [*_planned(2), store.Planned("", "intake", "EV-000009")]
    with pytest.raises(ValueError, match="acting user"):
        store.record_many(planned)
    assert LedgerEntry.objects.count() == 0


def test_an_empty_batch_appends_nothing() -> None:
    assert store.record_many([]) == []
    assert LedgerEntry.objects.count() == 0
