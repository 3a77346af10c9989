"""Processing after intake: pending text, resuming an interrupted run, extraction failures."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.evidence import files

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.evidence import processing
from dhakira.apps.evidence.extract import Unreadable
from dhakira.apps.evidence.intake import Collection, blob_store, ingest_paths
from dhakira.apps.evidence.integrity import verify_vault
from dhakira.apps.evidence.models import DerivedCopy, EvidenceItem
from dhakira.apps.search import services as search
from dhakira.apps.search.models import SearchDocument

pytestmark = pytest.mark.django_db

PENDING = EvidenceItem.TextStatus.PENDING


def _found(word: str) -> bool:
    return bool(search.search(word, limit=5))


def test_intake_alone_preserves_and_leaves_the_text_pending(vault: Path, collection: Collection,
                                                           tmp_path: Path) -> None:
    path = files.write(tmp_path, "note.txt", b"the hisba office report")
    report = ingest_paths([path], collection=collection, process=False)
    item = EvidenceItem.objects.get()
    assert report.ok and item.text_status == PENDING
    assert LedgerEntry.objects.filter(action="intake", subject=item.uid).count() == 1
    assert not DerivedCopy.objects.exists() and not _found("hisba")
    assert processing.pending_count() == 1


def test_processing_extracts_stores_indexes_and_records_custody(
        vault: Path, collection: Collection, tmp_path: Path) -> None:
    ingest_paths([files.write(tmp_path, "r.pdf", files.pdf_bytes("Mosul checkpoint")),
                  files.write(tmp_path, "n.txt", b"a note on the checkpoint")],
                 collection=collection, process=False)
    report = processing.process_pending()
    assert (report.done, report.failures) == (2, ())
    assert set(EvidenceItem.objects.values_list("text_status", flat=True)) == {"done"}
    pdf = EvidenceItem.objects.get(mime="application/pdf")
    copy = pdf.derived.get()
    assert "Mosul checkpoint" in copy.text and copy.operation.startswith("text extraction (pypdf")
    assert copy.created_by == "rana"
    entry = LedgerEntry.objects.get(action="derive", subject=pdf.uid)
    assert entry.detail["copy"] == copy.uid and entry.detail["kind"] == "extracted_text"
    assert SearchDocument.objects.filter(kind="evidence").count() == 2
    assert _found("checkpoint") and verify_vault().ok


def test_the_next_run_picks_up_what_an_interrupted_one_left_pending(
        vault: Path, collection: Collection, tmp_path: Path) -> None:
    ingest_paths([files.write(tmp_path, "first.txt", b"qasr interview")], collection=collection,
                 process=False)
    report = ingest_paths([files.write(tmp_path, "second.txt", b"sinjar interview")],
                          collection=collection)
    assert report.ok and processing.pending_count() == 0
    assert _found("qasr") and _found("sinjar")


def test_binaries_are_not_pending_and_images_wait_for_ocr(vault: Path, collection: Collection,
                                             tmp_path: Path) -> None:
    ingest_paths([files.write(tmp_path, "a.bin", bytes(range(256)) * 10),
                  files.write(tmp_path, "p.jpg", files.jpeg_with_gps())],
                 collection=collection, process=False)
    assert dict(EvidenceItem.objects.values_list("original_name", "text_status")) == {
        "a.bin": "", "p.jpg": "pending"}


def test_an_item_whose_text_cannot_be_extracted_stays_kept_and_is_named(
        vault: Path, collection: Collection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object) -> None:
        raise Unreadable("corrupt PDF (PdfReadError)")

    monkeypatch.setattr(processing, "extract_text", refuse)
    report = ingest_paths([files.write(tmp_path, "r.pdf", files.pdf_bytes())],
                          collection=collection)
    item = EvidenceItem.objects.get()
    assert not report.ok and report.failures == ()
    assert [(f.name, f.reason) for f in report.text_failures] == [
        (item.uid, "corrupt PDF (PdfReadError)")]
    assert item.text_status == "failed" and not DerivedCopy.objects.exists()
    assert blob_store().exists(item.sha256) and verify_vault().ok
    assert processing.process_pending().done == 0  # not retried on every run


def test_a_tampered_blob_is_named_instead_of_processed(vault: Path, collection: Collection,
                                                       tmp_path: Path) -> None:
    ingest_paths([files.write(tmp_path, "n.txt", b"text to extract")], collection=collection,
                 process=False)
    item = EvidenceItem.objects.get()
    blob = vault / "blobs" / item.blob_name[:2] / item.blob_name
    data = bytearray(blob.read_bytes())
    data[-5] ^= 1
    blob.write_bytes(bytes(data))
    report = processing.process_pending()
    assert report.failures[0].name == item.uid and "dhakira verify" in report.failures[0].reason
    assert not DerivedCopy.objects.exists()


def test_a_batch_of_files_gives_one_intake_entry_each_and_a_chain_that_verifies(
        vault: Path, collection: Collection, tmp_path: Path) -> None:
    paths = [files.write(tmp_path, f"in/{n}.txt", f"note {n}".encode()) for n in range(12)]
    paths.append(files.write(tmp_path, "in/bad.pdf", b"%PDF-1.4 broken"))
    report = ingest_paths([tmp_path / "in"], collection=collection)
    assert len(report.items) == 12 and len(report.failures) == 1
    intakes = LedgerEntry.objects.filter(action="intake")
    assert sorted(intakes.values_list("subject", flat=True)) == sorted(report.items)
    assert LedgerEntry.objects.filter(action="derive").count() == 12
    assert verify_vault().ok
