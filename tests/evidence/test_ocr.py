"""OCR of scans and image-only PDFs through the real intake, processing and search (issue 20,
item 2): Tesseract reads pages made here (Amiri, printed by Pillow), never a real document."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from tests.evidence import files

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.evidence import ocr
from dhakira.apps.evidence.intake import Collection, ingest_paths
from dhakira.apps.evidence.models import DerivedCopy, EvidenceItem
from dhakira.apps.search import services as search

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not ocr.available(), reason="tesseract is not installed")]

ARABIC = ["شهادة عن مكتب الحسبة في الموصل", "أعدم مسلحو التنظيم ثلاثة رجال في ساحة السوق"]


def _refs(word: str) -> list[str]:
    return [h.ref for h in search.search(word, limit=5)]


def test_a_scanned_arabic_page_is_read_recorded_and_found(
        vault: Path, collection: Collection, tmp_path: Path) -> None:
    page = files.printed_page(ARABIC, fmt="JPEG")
    report = ingest_paths([files.write(tmp_path, "court-record.jpg", page)],
                          collection=collection)
    assert report.ok, report.text_failures
    item = EvidenceItem.objects.get()
    assert item.text_status == "done"
    copy = item.derived.get()
    assert copy.kind == DerivedCopy.Kind.OCR_TEXT
    assert copy.operation.startswith("OCR (tesseract/") and "ara+eng" in copy.operation
    assert "الحسبة" in copy.text and "السوق" in copy.text
    entry = LedgerEntry.objects.get(action="derive", subject=item.uid)
    assert entry.detail["kind"] == "ocr_text" and entry.detail["copy"] == copy.uid
    assert _refs("الحسبة") == [item.uid] and _refs("السوق") == [item.uid]


def test_the_item_page_says_the_text_was_read_by_ocr(
        vault: Path, collection: Collection, tmp_path: Path, cast: dict[str, object]) -> None:
    from django.urls import reverse
    from tests.cast import client_for

    ingest_paths([files.write(tmp_path, "page.png", files.printed_page(ARABIC[:1]))],
                 collection=collection)
    url = reverse("evidence:item_detail", args=[EvidenceItem.objects.get().uid])
    assert "Text read by OCR on" in client_for("samir").get(url).content.decode()
    assert "قُرئ النص آليًا (OCR) في" in client_for("samir", "ar").get(url).content.decode()


def test_an_image_only_pdf_is_read_page_by_page(vault: Path, collection: Collection,
                                                tmp_path: Path) -> None:
    pdf = files.image_pdf([files.printed_page(ARABIC),
                           files.printed_page(["The checkpoint at the northern bridge"],
                                              arabic=False)])
    assert ingest_paths([files.write(tmp_path, "scan.pdf", pdf)], collection=collection).ok
    item = EvidenceItem.objects.get()
    copy = item.derived.get()  # no text layer: only the OCR copy
    assert copy.kind == "ocr_text" and "pages 1–2 of 2" in copy.operation
    assert _refs("checkpoint") == [item.uid] and _refs("الموصل") == [item.uid]


def test_a_pdf_with_text_and_scanned_pages_gets_both_copies(
        vault: Path, collection: Collection, tmp_path: Path) -> None:
    assert ingest_paths([files.write(tmp_path, "mixed.pdf", files.mixed_pdf(ARABIC))],
                        collection=collection).ok
    kinds = dict(DerivedCopy.objects.values_list("kind", "operation"))
    assert set(kinds) == {"extracted_text", "ocr_text"}
    assert "pages 2 of 2" in kinds["ocr_text"]
    assert _refs("letter") and _refs("الحسبة")


def test_a_50000_pixel_wide_image_is_named_kept_and_the_rest_goes_on(
        vault: Path, collection: Collection, tmp_path: Path) -> None:
    from PIL import Image

    wide = io.BytesIO()
    Image.new("1", (50_000, 40), 1).save(wide, "PNG")  # a few hundred bytes on disk
    report = ingest_paths([files.write(tmp_path, "panorama.png", wide.getvalue()),
                           files.write(tmp_path, "page.png", files.printed_page(ARABIC[:1]))],
                          collection=collection)
    panorama = EvidenceItem.objects.get(original_name="panorama.png")
    assert [f.name for f in report.text_failures] == [panorama.uid]
    reason = report.text_failures[0].reason
    assert "50000×40 pixels" in reason and f"{ocr.MAX_SIDE} pixels a side" in reason
    assert panorama.text_status == "failed"
    assert LedgerEntry.objects.filter(action="other", subject=panorama.uid,
                                      detail__kind="text_failed").exists()
    page = EvidenceItem.objects.get(original_name="page.png")
    assert page.text_status == "done" and _refs("الحسبة") == [page.uid]


def test_a_2000_page_scanned_pdf_is_read_up_to_the_limit_and_says_so(
        vault: Path, collection: Collection, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The limit is lowered so the test reads 3 pages, not 200; the rest of the path is real.
    monkeypatch.setattr(ocr, "MAX_PAGES", 3)
    from PIL import Image

    first = files.printed_page(["The checkpoint at the northern bridge"], arabic=False,
                               width=1240, height=1754, size=40)
    blank = io.BytesIO()
    Image.new("L", (124, 175), 255).save(blank, "PNG")
    pdf = files.image_pdf([first] + [blank.getvalue()] * 1999)
    report = ingest_paths([files.write(tmp_path, "ledger.pdf", pdf),
                           files.write(tmp_path, "note.txt", b"a note on the bridge")],
                          collection=collection)
    assert report.ok
    item = EvidenceItem.objects.get(original_name="ledger.pdf")
    assert item.text_status == "done"
    [notice] = report.text_notices
    assert notice.name == item.uid
    assert notice.reason == "OCR: pages 4–2000 not read (a limit of 3 pages a file)"
    copy = item.derived.get()
    assert "pages 1–3 of 2000" in copy.operation and "4–2000 not read" in copy.operation
    assert _refs("checkpoint") == [item.uid]
    assert _refs("note") == [EvidenceItem.objects.get(original_name="note.txt").uid]


@pytest.mark.parametrize(("pages", "said"), [
    ([3], "OCR: the page without text could not be read"),
    ([1, 2, 5], "OCR: the 3 pages without text could not be read"),
    (list(range(1, 1243)), "OCR: the 1,242 pages without text could not be read")])
def test_a_pdf_none_of_whose_scanned_pages_can_be_read_says_how_many_in_their_form(
        monkeypatch: pytest.MonkeyPatch, pages: list[int], said: str) -> None:
    """It said "none of the 1 page(s) without text could be read"."""
    from dhakira.apps.evidence import render

    def cannot(*args: object, **kwargs: object) -> None:
        raise render.NotRenderable("synthetic")

    monkeypatch.setattr(render, "pdf_page", cannot)
    with pytest.raises(ocr.Unreadable) as refused:
        ocr.pdf_text(b"%PDF", pages, max(pages))
    assert str(refused.value) == said


def test_a_pdf_with_text_whose_scanned_page_cannot_be_read_keeps_its_text_and_says_so(
        vault: Path, collection: Collection, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    def unreadable(*args: object, **kwargs: object) -> str:
        raise ocr.Unreadable("synthetic")

    monkeypatch.setattr(ocr, "_tesseract", unreadable)
    report = ingest_paths([files.write(tmp_path, "mixed.pdf", files.mixed_pdf(ARABIC))],
                          collection=collection)
    assert report.ok
    [notice] = report.text_notices
    assert notice.reason == "OCR: the page without text could not be read"
    assert set(DerivedCopy.objects.values_list("kind", flat=True)) == {"extracted_text"}
