"""OCR of the items already in a vault that OCR has not read (issue 20): photos taken in by the
release before OCR, and scans whose OCR failed because Tesseract was not installed, become
searchable through ``dhakira process --ocr-missing``; a second run reads nothing.

The older states are made by the real intake, as it ran then: the pre-OCR release's
``has_text`` (photos carried no text, so intake never marked them for processing), and an
installation without Tesseract (``ocr.available`` says no, as ``shutil.which`` would).
Synthetic pages only (Amiri, printed by Pillow).
"""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pytest
from tests import warm
from tests.clivault import new_vault
from tests.conftest import SUITE_ENV
from tests.evidence import files

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.evidence import _rows, ocr, processing
from dhakira.apps.evidence.errors import OcrUnavailable
from dhakira.apps.evidence.extract import DOCX, MAX_TEXT_BYTES, PDF, TEXT
from dhakira.apps.evidence.intake import Collection, ingest_paths
from dhakira.apps.evidence.models import DerivedCopy, EvidenceItem
from dhakira.apps.search import services as search

pytestmark = pytest.mark.skipif(not ocr.available(), reason="tesseract is not installed")

ARABIC = ["شهادة عن مكتب الحسبة في الموصل"]
ENGLISH = ["The checkpoint at the northern bridge"]


def pre_ocr_has_text(mime: str, size: int) -> bool:
    """``extract.has_text`` as the release before OCR had it: no images."""
    return mime in (PDF, DOCX) or (mime == TEXT and size <= MAX_TEXT_BYTES)


def _refs(word: str) -> list[str]:
    return [h.ref for h in search.search(word, limit=5)]


def _mixed_pdf() -> bytes:
    """A typed cover page and a scanned Arabic page."""
    return files.mixed_pdf(ARABIC)


@pytest.mark.django_db
def test_old_photos_and_failed_scans_are_read_once(
        vault: Path, collection: Collection, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as old:
        old.setattr(_rows, "has_text", pre_ocr_has_text)
        assert ingest_paths([files.write(tmp_path, "a/court-record.png",
                                         files.printed_page(ENGLISH, arabic=False))],
                            collection=collection).ok
    with monkeypatch.context() as bare:
        bare.setattr(ocr, "available", lambda: False)
        report = ingest_paths([files.write(tmp_path, "b/mixed.pdf", _mixed_pdf()),
                               files.write(tmp_path, "b/scan.pdf",
                                           files.image_pdf([files.printed_page(ARABIC)]))],
                              collection=collection)
    photo = EvidenceItem.objects.get(original_name="court-record.png")
    mixed = EvidenceItem.objects.get(original_name="mixed.pdf")
    scan = EvidenceItem.objects.get(original_name="scan.pdf")
    assert (photo.text_status, photo.ocr_by) == ("", "")  # never processed
    assert [f.name for f in report.text_failures] == [scan.uid]
    assert (scan.text_status, scan.ocr_by) == ("failed", "")
    assert (mixed.text_status, mixed.ocr_by) == ("done", "")  # typed text kept, scan unread
    assert not DerivedCopy.objects.filter(kind="ocr_text").exists()
    assert _refs("checkpoint") == [] and _refs("الحسبة") == []
    assert list(processing.ocr_missing()) == [photo, mixed, scan]

    done = processing.process_ocr()
    assert (done.done, done.failures) == (3, ())
    for item in (photo, mixed, scan):
        item.refresh_from_db()
        assert item.text_status == "done"
        assert item.ocr_by == ocr.tesseract_version()
        copy = item.derived.get(kind="ocr_text")
        entry = LedgerEntry.objects.get(action="derive", subject=item.uid, detail__kind="ocr_text")
        assert entry.detail["copy"] == copy.uid
    # The typed page's text copy made at intake is not made a second time.
    assert mixed.derived.filter(kind="extracted_text").count() == 1
    assert _refs("checkpoint") == [photo.uid]
    assert sorted(_refs("الحسبة")) == sorted([mixed.uid, scan.uid])

    entries = LedgerEntry.objects.count()
    assert not processing.ocr_missing().exists()
    again = processing.process_ocr()
    assert (again.done, again.failures) == (0, ())
    assert LedgerEntry.objects.count() == entries
    assert DerivedCopy.objects.filter(kind="ocr_text").count() == 3


@pytest.mark.django_db
def test_a_failure_is_named_the_rest_read_and_it_is_tried_again(
        vault: Path, collection: Collection, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image

    wide = io.BytesIO()
    Image.new("1", (50_000, 40), 1).save(wide, "PNG")
    monkeypatch.setattr(_rows, "has_text", pre_ocr_has_text)
    ingest_paths([files.write(tmp_path, "panorama.png", wide.getvalue()),
                  files.write(tmp_path, "page.png", files.printed_page(ARABIC))],
                 collection=collection)
    monkeypatch.undo()
    panorama = EvidenceItem.objects.get(original_name="panorama.png")
    page = EvidenceItem.objects.get(original_name="page.png")
    report = processing.process_ocr()
    assert report.done == 1
    [failure] = report.failures
    assert failure.name == panorama.uid and "50000×40 pixels" in failure.reason
    assert LedgerEntry.objects.filter(action="other", subject=panorama.uid,
                                      detail__kind="text_failed").count() == 1
    panorama.refresh_from_db()
    assert (panorama.text_status, panorama.ocr_by) == ("failed", "")
    assert _refs("الحسبة") == [page.uid]
    # Still unread, so the next run tries it again, and names it again; the page is not read.
    assert list(processing.ocr_missing()) == [panorama]
    assert [f.name for f in processing.process_ocr().failures] == [panorama.uid]
    assert page.derived.count() == 1


@pytest.mark.django_db
def test_items_an_older_tesseract_read_are_read_again_on_request(
        vault: Path, collection: Collection, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as older:
        older.setattr(ocr, "tesseract_version", lambda: "tesseract/4.1.1")
        ingest_paths([files.write(tmp_path, "page.png", files.printed_page(ARABIC))],
                     collection=collection)
    item = EvidenceItem.objects.get()
    assert item.ocr_by == "tesseract/4.1.1"
    assert not processing.ocr_missing().exists()
    assert list(processing.ocr_missing(older=True)) == [item]
    assert processing.process_ocr(older=True).done == 1
    item.refresh_from_db()
    assert item.ocr_by == ocr.tesseract_version()
    old, new = item.derived.order_by("pk")
    assert "tesseract/4.1.1" in old.operation and ocr.tesseract_version() in new.operation
    assert not processing.ocr_missing(older=True).exists()


@pytest.mark.django_db
def test_without_tesseract_nothing_is_read_and_it_says_why(
        vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(OcrUnavailable, match="Tesseract is not installed"):
        processing.process_ocr()


@pytest.mark.django_db
def test_the_migration_fills_in_what_ocr_read_before(
        vault: Path, collection: Collection, tmp_path: Path) -> None:
    import importlib

    from django.apps import apps

    ingest_paths([files.write(tmp_path, "page.png", files.printed_page(ARABIC)),
                  files.write(tmp_path, "blank.png", _blank()),
                  files.write(tmp_path, "typed.pdf", files.pdf_bytes())], collection=collection)
    read = dict(EvidenceItem.objects.values_list("original_name", "ocr_by"))
    assert read == {"page.png": ocr.tesseract_version(), "blank.png": ocr.tesseract_version(),
                    "typed.pdf": EvidenceItem.NO_PICTURES}
    EvidenceItem.objects.update(ocr_by="")  # the field as the migration adds it
    importlib.import_module("dhakira.apps.evidence.migrations.0008_ocr_by")._fill(apps, None)
    assert dict(EvidenceItem.objects.values_list("original_name", "ocr_by")) == {
        "page.png": ocr.tesseract_version(),  # from its copy's operation
        "blank.png": "tesseract",  # read, nothing found, version not recorded
        "typed.pdf": ""}  # may hold scans: read again by --ocr-missing


def _blank() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (300, 200), 255).save(out, "PNG")
    return out.getvalue()


# The release before OCR took this photo in: its intake never marked photos for processing.
OLD_INTAKE = """
import sys
from pathlib import Path
from dhakira.cli._common import unlock
unlock(Path(sys.argv[1]), Path(sys.argv[2]))
from dhakira.apps.evidence import _rows
from dhakira.apps.evidence.extract import DOCX, MAX_TEXT_BYTES, PDF, TEXT
_rows.has_text = lambda mime, size: mime in (PDF, DOCX) or (mime == TEXT and size <= MAX_TEXT_BYTES)
from dhakira.apps.evidence.intake import Collection, ingest_paths
assert ingest_paths([Path(sys.argv[3])], collection=Collection(collector="amal")).ok
"""


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DHAKIRA_") or k in SUITE_ENV}
    return warm.python(*args, env=env, timeout=300)


def test_the_command_makes_old_photos_searchable_once_and_custody_verifies(
        tmp_path: Path) -> None:
    vault, secret = new_vault(tmp_path), str(tmp_path / "pass")
    page = files.write(tmp_path, "in/court-record.jpg", files.printed_page(ARABIC, fmt="JPEG"))
    made = _run("-c", OLD_INTAKE, str(vault), secret, str(page.parent))
    assert made.returncode == 0, made.stderr
    common = ["--vault", str(vault), "--passphrase-file", secret]
    assert _run("-m", "dhakira.cli", "search", *common, "الحسبة").stdout == ""
    plain = _run("-m", "dhakira.cli", "process", *common)
    assert "processed 0 items, 0 failed" in plain.stdout  # not pending: plain process skips it
    first = _run("-m", "dhakira.cli", "process", *common, "--ocr-missing")
    assert first.returncode == 0, first.stderr
    assert "OCR: read 1 item, 0 failed" in first.stdout
    assert "الحسبة" in _run("-m", "dhakira.cli", "search", *common, "الحسبة").stdout
    second = _run("-m", "dhakira.cli", "process", *common, "--ocr-missing")
    assert second.returncode == 0, second.stderr
    assert "OCR: nothing to read" in second.stdout
    verified = _run("-m", "dhakira.cli", "verify", *common)
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith("ok:")
