"""Issue 19: a report's files are stored and their text read before its write transaction.

Under fifty users the other half of the wait at ``BEGIN IMMEDIATE`` was report saves queued
behind each other while one hashed, encrypted and read its files inside the transaction.
The text of a file read without OCR is then written in the report's own transaction (one
write transaction a save); a picture's or a PDF's, which OCR may take seconds to read, after
the commit, in a transaction of its own.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from tests.dossier.test_intake_under_the_lock import HEAD, _reads, _transactions
from tests.evidence import hostile

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.dossier.intake import FileIn, ReportIn, VictimIn, save_report
from dhakira.apps.dossier.models import Information, Source
from dhakira.apps.evidence import intake, processing
from dhakira.apps.evidence.errors import IntakeRejected
from dhakira.apps.evidence.intake import blob_store
from dhakira.apps.evidence.models import DerivedCopy, EvidenceItem
from dhakira.apps.search.models import SearchDocument
from dhakira.core.vault.blobs import BlobStore

pytestmark = pytest.mark.django_db
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
TEXT = "شهادة مكتوبة باليد عن الاعتقال"


def _report(*files: FileIn) -> ReportIn:
    return ReportIn(source_code="NINAWA-19", received_at=datetime(2014, 11, 2, tzinfo=UTC),
                    channel="phone_call", event_title="Arrest at the market",
                    victims=(VictimIn(("Yunus Testname",)),), files=files)


def _depth() -> int:
    return len(connection.atomic_blocks)


def test_issue19_the_file_is_encrypted_stored_and_read_before_the_write_transaction(
        vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    user = get_user_model().objects.create(username="rana")
    outside = _depth()  # the test's own transaction, if any
    seen: dict[str, list[int]] = {"store": [], "read": [], "first_row": []}
    put_stream, extract_text = BlobStore.put_stream, processing.extract_text

    def storing(self: BlobStore, *args: Any, **kwargs: Any) -> Any:
        seen["store"].append(_depth())
        return put_stream(self, *args, **kwargs)

    def reading(*args: Any) -> Any:
        seen["read"].append(_depth())
        seen["first_row"].append(-1)  # read before the report's first row: -1 comes first
        return extract_text(*args)

    def first_row(execute: Any, sql: str, *args: Any) -> Any:
        if sql.lstrip().upper().startswith('INSERT INTO "DOSSIER_INFORMATION"'):
            seen["first_row"].append(len(list(blob_store().iter_names())))
        return execute(sql, *args)

    monkeypatch.setattr(BlobStore, "put_stream", storing)
    monkeypatch.setattr(processing, "extract_text", reading)
    with connection.execute_wrapper(first_row):
        info = save_report(_report(FileIn("statement.txt", io.BytesIO(TEXT.encode()))),
                           actor=user, now=NOW)
    assert seen["store"] == [outside]  # encrypted with no transaction of the save's open
    assert seen["first_row"] == [-1, 1]  # the text read and the blob there before the row
    assert seen["read"] == [outside]  # the text read with no transaction open, once
    item = EvidenceItem.objects.get(information=info)
    assert item.text_status == EvidenceItem.TextStatus.DONE
    assert DerivedCopy.objects.get(original=item).text.strip() == TEXT
    # Custody: the file's receipt, the report, then the text derived from the file.
    actions = list(LedgerEntry.objects.order_by("seq").values_list("action", "subject"))
    assert [a for a in actions if a[1] in {info.uid, item.uid}][-3:] == [
        ("intake", item.uid), ("new_version", info.uid), ("derive", item.uid)]


def test_issue19_a_refused_file_after_a_stored_one_leaves_no_row_and_no_blob(
        vault: Path) -> None:
    user = get_user_model().objects.create(username="rana")
    good = FileIn("note.txt", io.BytesIO(TEXT.encode()))
    bad = FileIn("liar.png", io.BytesIO(hostile.png_claiming(100000, 100000)))
    with pytest.raises(IntakeRejected, match="liar.png"):
        save_report(_report(good, bad), actor=user, now=NOW)
    assert not Information.objects.exists() and not EvidenceItem.objects.exists()
    assert list(blob_store().iter_names()) == []  # stored before the transaction, removed


def test_issue19_a_blob_stored_ahead_goes_when_the_transaction_then_refuses_the_report(
        vault: Path) -> None:
    user = get_user_model().objects.create(username="rana")
    report = _report(FileIn("note.txt", io.BytesIO(TEXT.encode())))
    bad = ReportIn(**{**report.__dict__, "victims": (VictimIn(("Yunus Testname",), 31, "x"),)})
    with pytest.raises(ValidationError):  # found inside the transaction, after the blob
        save_report(bad, actor=user, now=NOW)
    assert not Information.objects.exists() and not EvidenceItem.objects.exists()
    assert list(blob_store().iter_names()) == []


def test_issue19_a_blob_removed_by_a_refused_save_of_the_same_bytes_is_stored_again(
        vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two saves of the same bytes at once: the first is refused and removes the blob it
    stored ahead; the second, whose blob was stored ahead too, must not commit a row naming
    a blob that is gone (the refused save's clean-up is the real one, run between them)."""
    user = get_user_model().objects.create(username="rana")
    put_stream = BlobStore.put_stream
    calls: list[str] = []

    def stored_then_removed_by_the_other_save(self: BlobStore, *args: Any, **kwargs: Any) -> Any:
        stored = put_stream(self, *args, **kwargs)
        calls.append(stored.sha256)
        if len(calls) == 1:
            intake._remove_unheld([stored.sha256])  # the refused save's clean-up
            assert not blob_store().exists(stored.sha256)
        return stored

    monkeypatch.setattr(BlobStore, "put_stream", stored_then_removed_by_the_other_save)
    info = save_report(_report(FileIn("statement.txt", io.BytesIO(TEXT.encode()))),
                       actor=user, now=NOW)
    item = EvidenceItem.objects.get(information=info)
    assert len(calls) == 2  # stored again, inside the save's transaction
    assert b"".join(blob_store().open_stream(item.sha256)) == TEXT.encode()


def test_issue19_with_a_file_the_transactions_read_only_the_duplicate_check_and_the_head(
        vault: Path) -> None:
    user = get_user_model().objects.create(username="rana")
    Source.objects.create(code_name="NINAWA-19")  # a new one is looked for again, under the lock
    note = FileIn("statement.txt", io.BytesIO("شهادة مكتوبة باليد عن المداهمة".encode()))
    [rows] = _transactions(lambda: save_report(_report(note), actor=user, now=NOW))
    # The report's rows, its file's and the file's text, in one transaction: whether the
    # bytes are held already must be asked under the lock (two saves of the same bytes would
    # both be the first otherwise).
    assert [r.split(" FROM ")[1].split()[0] for r in _reads(rows)] == [
        '"evidence_evidenceitem"', '"ledger_ledgerentry"']
    assert rows[-2].startswith(HEAD)
    assert [r.split()[2] for r in rows if r.startswith("INSERT INTO")].count(
        '"evidence_searchdocument"') == 1  # the report's text and the file's, together
    assert any(r.startswith('INSERT INTO "evidence_derivedcopy"') for r in rows)
    assert not any(r.startswith("UPDATE") for r in rows)  # the item is inserted done
    item = EvidenceItem.objects.get()
    assert item.text_status == EvidenceItem.TextStatus.DONE
    copy = DerivedCopy.objects.get(original=item)
    assert copy.text == "شهادة مكتوبة باليد عن المداهمة"
    assert SearchDocument.objects.filter(derived=copy, item=item).count() == 1
    assert SearchDocument.objects.filter(information=item.information).count() == 1


def test_issue19_a_picture_s_text_is_read_after_the_commit_in_a_transaction_of_its_own(
        vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """OCR takes seconds a page: no other writer waits for it."""
    user = get_user_model().objects.create(username="rana")
    outside = _depth()
    read: list[int] = []
    monkeypatch.setattr(processing, "_texts_of",
                        lambda item, when: (read.append(_depth()), ([], "", ""))[1])
    picture = FileIn("scan.png", io.BytesIO(hostile.genuine_png(20, 20)))
    rows, text = _transactions(lambda: save_report(_report(picture), actor=user, now=NOW))
    assert read == [outside]  # after the report's transaction, with none open
    assert not any(r.startswith('INSERT INTO "evidence_derivedcopy"') for r in rows)
    assert any(t.startswith('UPDATE "evidence_evidenceitem"') for t in text)
    assert EvidenceItem.objects.get().text_status == EvidenceItem.TextStatus.DONE


def test_issue19_a_text_that_cannot_be_read_ahead_is_read_after_the_commit(
        vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure to read ahead fails nothing: processing reads the file again after the
    commit and records its failure, as it records every failure."""
    user = get_user_model().objects.create(username="rana")

    def broken(*args: Any) -> Any:
        raise RuntimeError("a reader's bug")

    monkeypatch.setattr(processing, "extract_text", broken)
    info = save_report(_report(FileIn("statement.txt", io.BytesIO(TEXT.encode()))),
                       actor=user, now=NOW)
    item = EvidenceItem.objects.get(information=info)
    assert item.text_status == EvidenceItem.TextStatus.FAILED
    assert not DerivedCopy.objects.exists()
    failed = LedgerEntry.objects.filter(subject=item.uid, action="other").get()
    assert failed.detail["kind"] == "text_failed"
