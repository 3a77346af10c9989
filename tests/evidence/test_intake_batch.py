"""Batched intake: order kept across plain files and archives, duplicates within a run, and a
failed commit leaving nothing behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.evidence import files

from dhakira.apps.custody import store
from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.evidence.intake import Collection, blob_store, ingest_paths
from dhakira.apps.evidence.integrity import verify_vault
from dhakira.apps.evidence.models import EvidenceItem, Metadata

pytestmark = pytest.mark.django_db


def test_items_and_custody_entries_keep_the_order_given(vault: Path, collection: Collection,
                                                        tmp_path: Path) -> None:
    paths = [files.write(tmp_path, "a.txt", b"first"),
             files.write(tmp_path, "b.zip", files.zip_bytes({"m.txt": b"member"})),
             files.write(tmp_path, "c.pdf", files.pdf_bytes("third"))]
    report = ingest_paths(paths, collection=collection, process=False)
    names = list(EvidenceItem.objects.order_by("pk").values_list("original_name", flat=True))
    assert names == ["a.txt", "b.zip", "b.zip/m.txt", "c.pdf"]
    assert list(report.items) == [i.uid for i in EvidenceItem.objects.order_by("pk")]
    intake = LedgerEntry.objects.filter(action="intake").order_by("seq")
    assert list(intake.values_list("subject", flat=True)) == list(report.items)
    assert Metadata.objects.get(item__original_name="c.pdf").data["pages"] == 1
    assert verify_vault().ok


def test_the_same_bytes_twice_in_one_run_link_to_the_first(vault: Path, collection: Collection,
                                                           tmp_path: Path) -> None:
    paths = [files.write(tmp_path, f"{n}.txt", b"same words") for n in "abc"]
    ingest_paths(paths, collection=collection)
    first, *later = EvidenceItem.objects.order_by("pk")
    assert first.duplicate_of_id is None and [i.duplicate_of_id for i in later] == [first.pk] * 2
    details = [e.detail["duplicate_of"] for e in
               LedgerEntry.objects.filter(action="intake").order_by("seq")]
    assert details == [None, first.uid, first.uid]
    assert len(list(blob_store().iter_names())) == 1


def test_a_failed_commit_leaves_no_rows_and_no_blobs(vault: Path, collection: Collection,
                                                     tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(planned: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "record_many", broken)
    paths = [files.write(tmp_path, f"{n}.txt", f"note {n}".encode()) for n in range(5)]
    with pytest.raises(RuntimeError, match="disk full"):
        ingest_paths(paths, collection=collection)
    assert not EvidenceItem.objects.exists() and not LedgerEntry.objects.exists()
    assert list(blob_store().iter_names()) == []


def test_a_refused_archive_keeps_a_blob_a_later_file_of_the_batch_uses(
        vault: Path, collection: Collection, tmp_path: Path) -> None:
    same = b"the same statement, twice" * 1000
    paths = [files.write(tmp_path, "in/00.zip",
                         files.zip_bytes({"same.txt": same, "z.pdf": b"%PDF-1.4 broken"}))]
    # Keep the threads busy, so the archive stores the shared bytes before the later file.
    paths += [files.write(tmp_path, f"in/{n:02d}.bin", os.urandom(1 << 20)) for n in range(1, 25)]
    paths.append(files.write(tmp_path, "in/99.txt", same))
    report = ingest_paths(paths, collection=collection, process=False)
    assert [f.name for f in report.failures] == [str(paths[0])]
    later = EvidenceItem.objects.get(original_name="99.txt")
    assert blob_store().exists(later.sha256) and verify_vault().ok
