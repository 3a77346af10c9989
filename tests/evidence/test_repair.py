"""Issue 16 #8: what an interrupted write leaves (blobs no item names, partial files) is
removed by `repair`, with a custody entry; `verify` reports no false problem while another
process writes."""

from __future__ import annotations

import io
import os
import threading
from pathlib import Path

import pytest
from django.db import connections
from tests.evidence import files

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.evidence import intake
from dhakira.apps.evidence.intake import Collection, blob_store, ingest_paths
from dhakira.apps.evidence.integrity import GRACE_SECONDS, repair, verify_vault
from dhakira.apps.evidence.models import EvidenceItem

pytestmark = pytest.mark.django_db
HOURS_AGO = 2 * 3600


def _age(path: Path, seconds: float) -> None:
    when = path.stat().st_mtime - seconds
    os.utime(path, (when, when))


def _orphan(vault: Path, data: bytes, *, age: float = HOURS_AGO) -> Path:
    """A blob stored by a write that never committed its row (as a kill leaves it)."""
    stored = blob_store().put_stream(io.BytesIO(data))
    path = vault / "blobs" / stored.blob_name[:2] / stored.blob_name
    _age(path, age)
    return path


def _partial(vault: Path, *, age: float = HOURS_AGO) -> Path:
    path = vault / "blobs" / ".tmp-killed1234.part"
    path.write_bytes(b"half an encrypted file")
    _age(path, age)
    return path


@pytest.fixture
def held(vault: Path, collection: Collection, tmp_path: Path) -> list[EvidenceItem]:
    ingest_paths([files.write(tmp_path / "in", f"{n}.txt", f"kept {n}".encode())
                  for n in range(3)], collection=collection)
    return list(EvidenceItem.objects.all())


def test_issue16_08_repair_removes_old_orphan_blobs_and_partial_files_with_a_custody_entry(
        vault: Path, held: list[EvidenceItem]) -> None:
    orphan, partial = _orphan(vault, b"never committed"), _partial(vault)
    assert {p.kind for p in verify_vault().problems} == {"unreferenced blob"}

    dry = repair(actor="rana", dry_run=True)
    assert [(left.name, left.partial) for left in dry.removed] == [
        (partial.name, True), (orphan.name, False)]
    assert orphan.exists() and partial.exists()
    assert not LedgerEntry.objects.filter(detail__step="repair").exists()

    done = repair(actor="rana")
    assert [left.name for left in done.removed] == [partial.name, orphan.name]
    assert not orphan.exists() and not partial.exists()
    entry = LedgerEntry.objects.get(detail__step="repair")
    assert (entry.actor, entry.action, entry.subject) == ("rana", "other", "vault")
    assert (entry.detail["blobs_removed"], entry.detail["blob_names"]) == (1, orphan.name)
    assert entry.detail["partial_files_removed"] == 1
    report = verify_vault(grace=0)
    assert report.ok, report.problems
    assert report.items == 3 and all(blob_store().exists(i.sha256) for i in held)
    assert repair(actor="rana").removed == ()  # nothing left; nothing logged
    assert LedgerEntry.objects.filter(detail__step="repair").count() == 1


def test_issue16_08_repair_leaves_young_leftovers_and_every_referenced_blob(
        vault: Path, held: list[EvidenceItem]) -> None:
    for item in held:  # old, but an item names each
        _age(vault / "blobs" / item.blob_name[:2] / item.blob_name, HOURS_AGO)
    young_blob, young_part = _orphan(vault, b"a batch still writing", age=0), _partial(vault, age=0)
    report = repair(actor="rana")
    assert (report.removed, report.kept_young) == ((), 2)
    assert young_blob.exists() and young_part.exists()
    assert repair(actor="rana", older_than=0).kept_young == 0
    assert not young_blob.exists() and verify_vault(grace=0).ok


def test_issue16_08_a_blob_a_writer_reuses_is_not_removed(vault: Path,
                                                         held: list[EvidenceItem]) -> None:
    orphan = _orphan(vault, b"left by a kill, then sent again")
    found = blob_store().leftovers(set(), older_than=GRACE_SECONDS)
    # Between repair's listing and its removal, an ingest stores the same bytes: it finds the
    # blob held, touches it, and its row will name it.
    again = blob_store().put_stream(io.BytesIO(b"left by a kill, then sent again"))
    assert not again.created
    leftover = next(left for left in found if left.name == orphan.name)
    assert not blob_store().remove_leftover(leftover, older_than=GRACE_SECONDS)
    assert orphan.exists()


@pytest.mark.django_db(transaction=True)
def test_issue16_08_verify_names_no_problem_while_another_thread_ingests(
        vault: Path, collection: Collection, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Reproduces the false "unreferenced blob": verify between a batch's blobs and its rows."""
    folder = tmp_path / "in"
    for n in range(6):
        files.write(folder, f"{n}.txt", f"written while verify runs {n}".encode())
    real = intake._commit
    stored, resume = threading.Event(), threading.Event()

    def slow_commit(units, pool=None):  # type: ignore[no-untyped-def]
        stored.set()  # the blobs are on disk, the rows not yet committed
        assert resume.wait(30)
        real(units, pool)

    monkeypatch.setattr(intake, "_commit", slow_commit)
    errors: list[BaseException] = []

    def ingest() -> None:
        try:
            ingest_paths([folder], collection=collection, process=False)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connections.close_all()  # this thread's own connection

    worker = threading.Thread(target=ingest)
    worker.start()
    try:
        assert stored.wait(30)
        report = verify_vault()
    finally:
        resume.set()
        worker.join(30)
    assert not errors
    assert report.ok, report.problems
    assert report.unclaimed == 6
    assert verify_vault(grace=0).ok
