"""Issue 16 #9 (an interrupted ingest is resumed by running it again, without duplicate
receipts) and #5 (a full disk names what was and was not taken in, keeps nothing partial, and
the same command run again takes in the rest)."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from django.db import connection
from tests.evidence import files

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.evidence import _prepare, intake
from dhakira.apps.evidence.errors import DiskFull, is_disk_full
from dhakira.apps.evidence.intake import Collection, ingest_paths
from dhakira.apps.evidence.integrity import verify_vault
from dhakira.apps.evidence.models import EvidenceItem
from dhakira.core.vault import blobs as blob_module

pytestmark = pytest.mark.django_db


def _folder(tmp_path: Path, count: int) -> Path:
    folder = tmp_path / "inbox"
    for n in range(count):
        files.write(folder, f"{n:02d}.txt", f"statement number {n}, synthetic".encode())
    return folder


def _receipts() -> int:
    return LedgerEntry.objects.filter(action="intake").count()


def _origins() -> list[str]:
    return list(EvidenceItem.objects.filter(parent__isnull=True).order_by("origin")
                .values_list("origin", flat=True))


def _blob_files(vault: Path) -> set[str]:
    return {p.name for p in (vault / "blobs").glob("*/*")} | {
        p.name for p in (vault / "blobs").glob(".tmp-*")}


def test_issue16_09_rerunning_an_interrupted_folder_takes_in_only_what_is_missing(
        vault: Path, collection: Collection, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _folder(tmp_path, 7)
    files.write(folder, "08.zip", files.zip_bytes({"m.txt": b"an archived member"}))
    monkeypatch.setattr(intake, "COMMIT_FILES", 3)
    real = _prepare.prepare

    def killed_at_the_fifth(path: Path, *args: object) -> object:
        if path.name == "04.txt":
            raise KeyboardInterrupt  # as a kill would stop it, mid-batch
        return real(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(_prepare, "prepare", killed_at_the_fifth)
    with pytest.raises(KeyboardInterrupt):
        ingest_paths([folder], collection=collection)
    assert EvidenceItem.objects.count() == _receipts() == 3  # the first batch, committed
    monkeypatch.setattr(_prepare, "prepare", real)

    report = ingest_paths([folder], collection=collection)
    assert report.ok and len(report.received) == 3 and not report.duplicates
    assert [EvidenceItem.objects.get(pk=int(u[3:])).original_name for u in report.items
            if EvidenceItem.objects.get(pk=int(u[3:])).parent_id is None] == [
        "03.txt", "04.txt", "05.txt", "06.txt", "08.zip"]
    origins = _origins()
    assert len(origins) == len(set(origins)) == 8  # each file once
    assert _receipts() == EvidenceItem.objects.count() == 9  # and the zip's member

    again = ingest_paths([folder], collection=collection)
    assert (again.items, len(again.received)) == ((), 8)
    assert _receipts() == 9
    assert verify_vault().ok


def test_issue16_09_only_the_same_bytes_from_the_same_collection_are_skipped(
        vault: Path, collection: Collection, tmp_path: Path) -> None:
    folder = _folder(tmp_path, 2)
    ingest_paths([folder], collection=collection)
    (folder / "00.txt").write_bytes(b"the file was changed since")
    report = ingest_paths([folder], collection=collection)
    assert (len(report.items), report.received) == (1, (str(folder / "01.txt"),))
    other = Collection(collector="amal", method=collection.method, tool=collection.tool)
    report = ingest_paths([folder], collection=other)  # someone else collecting it: a receipt
    assert len(report.items) == len(report.duplicates) == 2 and not report.received


def _full_after(stored: int, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make the blob writer run out of space on the first file after ``stored`` whole ones,
    half-way through its ciphertext (as ``write`` on a full disk fails)."""
    real = blob_module._encrypt_with_salt
    seen: list[str] = []

    def encrypt(key: bytes, fileobj, out, *, salt: bytes):  # type: ignore[no-untyped-def]
        seen.append("x")
        if len(seen) > stored:
            out.write(b"\0" * 100)
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(key, fileobj, out, salt=salt)

    monkeypatch.setattr(blob_module, "_encrypt_with_salt", encrypt)
    return seen


def test_issue16_05_a_blob_that_does_not_fit_is_named_and_nothing_partial_stays(
        vault: Path, collection: Collection, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _folder(tmp_path, 5)
    monkeypatch.setattr(_prepare, "WORKERS", 1)  # in order, so "after 3" means 00–02
    _full_after(3, monkeypatch)
    with pytest.raises(DiskFull) as raised:
        ingest_paths([folder], collection=collection)
    full = raised.value
    assert [Path(n).name for n in full.left_out] == ["03.txt", "04.txt"]
    assert len(full.report.items) == 3 and not full.report.failures
    assert "3 items were taken in and kept; 2 files were not" in str(full)
    held = {i.blob_name for i in EvidenceItem.objects.all()}
    assert _blob_files(vault) == held  # no partial file, no orphan
    monkeypatch.undo()

    report = ingest_paths([folder], collection=collection)  # space freed: the same command
    assert len(report.items) == 2 and len(report.received) == 3
    assert len(set(_origins())) == 5 == _receipts()
    assert verify_vault(grace=0).ok


@pytest.fixture
def full_database() -> object:
    """The real SQLite/SQLCipher error: the database may grow by 20 pages (a batch's rows
    need more), its free pages filled first."""
    if connection.vendor != "sqlite":
        pytest.skip("max_page_count is SQLite's")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE filler (x BLOB)")
        cursor.execute("PRAGMA freelist_count")
        free = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        cursor.execute("INSERT INTO filler VALUES (zeroblob(%s))", [free * cursor.fetchone()[0]])
        cursor.execute("PRAGMA page_count")
        cursor.execute(f"PRAGMA max_page_count = {cursor.fetchone()[0] + 20}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA max_page_count = 1073741823")


def test_issue16_05_a_full_database_undoes_the_batch_and_names_every_file_left_out(
        vault: Path, collection: Collection, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, full_database: object) -> None:
    folder = tmp_path / "inbox"
    for n in range(120):  # more rows than the free pages hold
        files.write(folder, f"{n:03d}.txt", (f"statement {n} " * 400).encode())
    monkeypatch.setattr(intake, "COMMIT_FILES", 40)
    with pytest.raises(DiskFull) as raised:
        ingest_paths([folder], collection=collection)
    full = raised.value
    kept = len(full.report.items)
    assert kept % 40 == 0 and kept < 120  # whole batches only
    assert len(full.left_out) == 120 - kept == len({*full.left_out})
    assert EvidenceItem.objects.count() == _receipts() == kept
    assert {i.blob_name for i in EvidenceItem.objects.all()} == _blob_files(vault)


def test_issue16_05_only_a_database_driver_s_message_says_disk_full() -> None:
    assert is_disk_full(OSError(errno.ENOSPC, "No space left on device"))
    assert not is_disk_full(ValueError("report: database or disk is full.txt"))
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT no_such_column FROM ledger_ledgerentry")
    except Exception as exc:  # a database error that is not a full disk
        assert not is_disk_full(exc)


def test_issue17_the_disk_full_errors_english_takes_each_numbers_form() -> None:
    """Its own English (logs, and a reader with no catalogue) said "1 item(s) were"; it now
    says what the command line's English words for its code say."""
    from types import SimpleNamespace

    from django.utils import translation

    from dhakira.cli._words import error_text

    for kept, left in ((1, ("a.txt",)), (2, ("a.txt", "b.txt")), (1, ())):
        full = DiskFull(SimpleNamespace(items=[object()] * kept), left)  # type: ignore[arg-type]
        with translation.override("en"):
            assert str(full) == error_text(full)
