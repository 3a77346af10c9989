"""Processing after intake: text extraction, the derived text copy with its custody entry,
and the search index.

Intake preserves (hash, encrypt, store, collection record, metadata, custody entry) and
marks each item whose type carries text ``pending``. Processing takes pending items in
chunks, reads each from its blob (the preserved original, not the file given), and writes a
chunk's derived copies, custody entries, index rows and new states in one transaction. An
interrupted run leaves the rest pending: the next ``dhakira ingest`` or ``dhakira process``
picks them up. A file whose text cannot be extracted stays preserved, marked ``failed`` once,
with the reason in a custody entry (``other``, kind ``text_failed``): whatever its reader
raised, it never blocks the rest.

Photos and scans, and the pages of a PDF that carry no text of their own, are read by OCR
(:mod:`dhakira.apps.evidence.ocr`) into an ``ocr_text`` copy. OCR takes seconds a page, so a
chunk is written as soon as its OCR has taken :data:`OCR_COMMIT_SECONDS`: an interrupted run
loses at most that much work. A PDF read only in part (over the page or time limit) keeps the
text of the pages read; the report names the rest (``notices``).

Items OCR has not read (``ocr_by`` empty: taken in before OCR existed, or whose OCR failed) are
read by :func:`process_ocr` (``dhakira process --ocr-missing``) through the same chunks, with
the same derived copies, custody entries and index rows; a text copy the item already holds is
not made twice. Optionally it also reads again the items an older Tesseract read: the new
``ocr_text`` copy is added beside the old one, which stays (a copy, like an original, is never
changed).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, BinaryIO, cast

from django.db import DatabaseError, transaction
from django.db.models import Q, QuerySet

from dhakira.apps.custody import store
from dhakira.apps.evidence import ocr
from dhakira.apps.evidence._common import Failure, blob_store, spool
from dhakira.apps.evidence.errors import OcrUnavailable, unexpected
from dhakira.apps.evidence.extract import (
    OCR_IMAGES,
    PDF,
    Extracted,
    Unreadable,
    extract_text,
    has_text,
)
from dhakira.apps.evidence.models import DerivedCopy, EvidenceItem, Metadata
from dhakira.apps.search import services as search
from dhakira.core.vault.errors import BlobIntegrityError, BlobNotFound, VaultError

__all__ = ["CHUNK", "OCR_KINDS", "ProcessReport", "ocr_missing", "pending_count",
           "process_items", "process_ocr", "process_pending", "read_ahead", "record_read"]

CHUNK = 200
# Seconds of OCR after which a chunk's results are written (and so kept if interrupted).
OCR_COMMIT_SECONDS = 20.0
_STATUS = EvidenceItem.TextStatus
#: The types whose pictures OCR reads: photos and scans, and PDFs (their pages without text).
OCR_KINDS = OCR_IMAGES | {PDF}


@dataclass(frozen=True)
class ProcessReport:
    """What a processing run did: items whose text was extracted, each failure, and each
    item read only in part (``notices``: the pages OCR left out, and why)."""

    done: int = 0
    failures: tuple[Failure, ...] = ()
    notices: tuple[Failure, ...] = ()


def pending_count() -> int:
    """How many items wait for text extraction."""
    return EvidenceItem.objects.filter(text_status=_STATUS.PENDING).count()


def process_pending(*, now: datetime | None = None, chunk: int = CHUNK) -> ProcessReport:
    """Extract, store and index the text of every pending item, ``chunk`` items a commit.

    Returns:
        The report; a failure names the item (by uid) and the reason.
    """
    return _run(EvidenceItem.objects.filter(text_status=_STATUS.PENDING), now, chunk)


def process_items(pks: Iterable[int], *, now: datetime | None = None) -> ProcessReport:
    """Process the named items if they are pending (an upload's, right after its intake)."""
    return _run(EvidenceItem.objects.filter(text_status=_STATUS.PENDING, pk__in=list(pks)),
                now, CHUNK)


def read_ahead(sha256: str, mime: str, size: int) -> Extracted | None:
    """The text of a file stored a moment ago whose item is not written yet, read from its
    blob as processing would read it, so that the transaction writing the item writes its
    text as well (the report intake: one write transaction a save, not two).

    Only for a type read without OCR (OCR takes seconds a page: no writer waits on it, nor on
    its reading ahead) that carries text. None when the file is left for
    :func:`process_items` after the commit: a type OCR reads, or any failure to read it,
    which processing then meets again and records as it records every failure.
    """
    if mime in OCR_KINDS or not has_text(mime, size):
        return None
    try:
        with spool() as out:
            blob_store().read_to(sha256, cast(BinaryIO, out))
            out.seek(0)
            return extract_text(cast(BinaryIO, out), mime, size)
    except Exception:  # noqa: BLE001 - read again after the commit, where a failure is recorded
        return None


def record_read(read: list[tuple[EvidenceItem, Extracted]], when: datetime,
                custody: list[store.Planned]) -> list[Any]:
    """Write, inside the caller's transaction, the texts :func:`read_ahead` read of items just
    inserted (written done already: their ``Prepared.read`` was set): each item's
    extracted-text copy (when it has text), as processing would have. The copies' custody
    entries are added to ``custody``, for the caller to append before its commit; their search
    documents are returned, built, for the caller to write (``search.services.add_documents``)
    with its own in one statement."""
    if not read:
        return []
    copies = [DerivedCopy(original=item, kind=DerivedCopy.Kind.EXTRACTED_TEXT,
                          text=extracted.text,
                          operation=f"text extraction ({extracted.extractor})"[:300],
                          created_by=item.collector, created_at=when)
              for item, extracted in read if extracted.text.strip()]
    DerivedCopy.objects.bulk_create(copies, batch_size=100)
    custody += [_custody(copy) for copy in copies]
    return search.new_derived_documents(copies)


def ocr_missing(*, older: bool = False) -> QuerySet[EvidenceItem]:
    """The items of a type OCR reads that OCR has not read (taken in before OCR existed, or
    whose OCR failed), and with ``older`` also those an older Tesseract read than the one
    installed. Pending items are left to :func:`process_pending`."""
    items = EvidenceItem.objects.filter(mime__in=OCR_KINDS).exclude(text_status=_STATUS.PENDING)
    if not older:
        return items.filter(ocr_by="")
    installed = _version(ocr.tesseract_version())
    stale = [tool for tool in items.exclude(ocr_by__in=["", EvidenceItem.NO_PICTURES])
             .values_list("ocr_by", flat=True).distinct() if _version(tool) < installed]
    return items.filter(Q(ocr_by="") | Q(ocr_by__in=stale))


def _version(tool: str) -> tuple[int, ...]:
    """``(5, 3, 0)`` for ``tesseract/5.3.0``; ``()`` (older than any) when not recorded."""
    number = tool.partition("/")[2]
    parts = []
    for part in number.split("."):
        digits = "".join(ch for ch in part if ch.isdigit()) if part[:1].isdigit() else ""
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def process_ocr(*, older: bool = False, now: datetime | None = None,
                chunk: int = CHUNK) -> ProcessReport:
    """Read by OCR the items :func:`ocr_missing` names, ``chunk`` items a commit.

    Each result is an ``ocr_text`` copy with its custody entry, indexed for search, as for a
    new item. A run that is interrupted keeps what it wrote; the next run reads the rest, and
    a run with nothing left to read reads nothing. A failure is named in the report and
    recorded as processing records it (custody ``text_failed``); the item is tried again by
    the next run.

    Raises:
        OcrUnavailable: Tesseract (or ``prlimit``, which bounds it) is not installed.
    """
    if not ocr.available():
        raise OcrUnavailable("Tesseract is not installed (the tesseract-ocr package, with its "
                             "Arabic data): nothing was read", code="no_tesseract")
    return _run(ocr_missing(older=older), now, chunk)


def _run(pending: QuerySet[EvidenceItem], now: datetime | None, chunk: int) -> ProcessReport:
    # With its report: the search documents of the texts name the report's source.
    query = pending.order_by("pk").select_related("information")
    done, failures, notices, last = 0, [], [], 0
    while batch := list(query.filter(pk__gt=last)[:chunk]):
        last = batch[-1].pk
        ok, failed, noted = _process_chunk(batch, now or datetime.now(UTC))
        done += ok
        failures += failed
        notices += noted
        if len(batch) < chunk:
            break  # that was the last: no need to ask for more
    return ProcessReport(done, tuple(failures), tuple(notices))


def _process_chunk(items: list[EvidenceItem], when: datetime
                   ) -> tuple[int, list[Failure], list[Failure]]:
    done, failures, notices, start = 0, [], [], 0
    while start < len(items):
        ok, failed, noted, start = _process_part(items, start, when)
        done += ok
        failures += failed
        notices += noted
    return done, failures, notices


def _process_part(items: list[EvidenceItem], start: int, when: datetime
                  ) -> tuple[int, list[Failure], list[Failure], int]:
    """Process items from ``start`` until the end or OCR_COMMIT_SECONDS of OCR; write them.

    Returns the counts and the index of the first item left for the next part."""
    copies: list[DerivedCopy] = []
    read_by: dict[str, list[int]] = {}  # ocr_by -> items
    # A text copy the item holds already (an older item read again by OCR) is not made twice.
    held = set(DerivedCopy.objects.filter(original__in=[i.pk for i in items[start:]],
                                          kind=DerivedCopy.Kind.EXTRACTED_TEXT)
               .values_list("original_id", flat=True))
    failures: list[Failure] = []
    notices: list[Failure] = []
    failed: list[EvidenceItem] = []
    taken: list[EvidenceItem] = []
    ocr_seconds = 0.0
    for item in items[start:]:
        if ocr_seconds >= OCR_COMMIT_SECONDS:
            break
        taken.append(item)
        began = time.monotonic()
        try:
            texts, notice, tool = _texts_of(item, when)
        except (DatabaseError, VaultError, OSError):
            raise  # the vault, not the file: stop, leaving the chunk pending
        except Exception as exc:  # Unreadable, or a reader's bug: this item fails, not the rest
            failures.append(Failure(item.uid, str(exc) if isinstance(exc, Unreadable)
                                    else unexpected(exc)))
            failed.append(item)
            continue
        finally:
            if _reads_by_ocr(item):
                ocr_seconds += time.monotonic() - began
        copies += [c for c in texts
                   if not (c.kind == DerivedCopy.Kind.EXTRACTED_TEXT and item.pk in held)]
        if tool:
            read_by.setdefault(tool, []).append(item.pk)
        if notice:
            notices.append(Failure(item.uid, notice))
    skip = {i.pk for i in failed}
    done = [i.pk for i in taken if i.pk not in skip]
    documents = search.new_derived_documents(copies)  # the costly part, before the lock
    with transaction.atomic():
        DerivedCopy.objects.bulk_create(copies, batch_size=100)
        store.record_many([_custody(copy) for copy in copies])
        search.add_documents(documents)
        # Marked failed once, the reason in custody: it is never tried again by itself.
        store.record_many([store.Planned(i.collector, "other", i.uid, None,
                                         {"kind": "text_failed", "reason": f.reason[:200]}, when)
                           for i, f in zip(failed, failures, strict=True)])
        EvidenceItem.objects.filter(pk__in=[i.pk for i in failed]).update(
            text_status=_STATUS.FAILED)
        EvidenceItem.objects.filter(pk__in=done).update(text_status=_STATUS.DONE)
        for tool, pks in read_by.items():
            EvidenceItem.objects.filter(pk__in=pks).update(ocr_by=tool)
    return len(done), failures, notices, start + len(taken)


def _custody(copy: DerivedCopy) -> store.Planned:
    # The same entry derive() appends for a text copy: the text's hash, kind and operation.
    digest = hashlib.sha256(copy.text.encode("utf-8")).hexdigest()
    return store.Planned(copy.created_by, "derive", copy.original.uid, digest,
                         {"copy": copy.uid, "kind": copy.kind, "operation": copy.operation[:200]},
                         copy.created_at)


def _reads_by_ocr(item: EvidenceItem) -> bool:
    return item.mime in OCR_IMAGES or item.mime == PDF


def _texts_of(item: EvidenceItem, when: datetime) -> tuple[list[DerivedCopy], str, str]:
    """The derived text copies of an item (extracted text, OCR text), what OCR left out, and
    its ``ocr_by``: the OCR that read it, NO_PICTURES, or "" (not read by OCR).

    Read from its blob (authenticated as it is decrypted), in memory or the encrypted spool.
    """
    def copy(kind: object, text: str, operation: str) -> DerivedCopy:
        return DerivedCopy(original=item, kind=kind, text=text, operation=operation[:300],
                           created_by=item.collector, created_at=when)

    with spool() as out:
        try:
            blob_store().read_to(item.sha256, cast(BinaryIO, out))
        except (BlobNotFound, BlobIntegrityError) as exc:
            raise Unreadable(f"the stored original cannot be read ({type(exc).__name__}); "
                             "run dhakira verify") from None
        out.seek(0)
        if item.mime in OCR_IMAGES:
            width, height = _size_of(item)
            read = ocr.image_text(out.read(), width, height)
            return ([copy(DerivedCopy.Kind.OCR_TEXT, read.text, read.operation)]
                    if read.text.strip() else []), "", ocr.tesseract_version()
        extracted: Extracted = extract_text(cast(BinaryIO, out), item.mime, item.size)
        copies = ([copy(DerivedCopy.Kind.EXTRACTED_TEXT, extracted.text,
                        f"text extraction ({extracted.extractor})")]
                  if extracted.text.strip() else [])
        scans = extracted.metadata.get("textless") if item.mime == PDF else None
        if not scans:
            return copies, "", EvidenceItem.NO_PICTURES if item.mime == PDF else ""
        out.seek(0)
        try:
            read = ocr.pdf_text(out.read(), list(scans), int(extracted.metadata.get("pages", 0)))
        except Unreadable:
            if copies:  # the text pages are kept; the scanned pages are named as unread
                return copies, ocr.pages_unread(len(scans)), ""
            raise
        if read.text.strip():
            copies.append(copy(DerivedCopy.Kind.OCR_TEXT, read.text, read.operation))
        return (copies, f"OCR: {read.left_out}" if read.left_out else "",
                ocr.tesseract_version())


def _size_of(item: EvidenceItem) -> tuple[int | None, int | None]:
    """An image's size as intake read it from its header (None when not known)."""
    data = Metadata.objects.filter(item=item).values_list("data", flat=True).first() or {}
    width, height = data.get("width"), data.get("height")
    return ((width, height) if isinstance(width, int) and isinstance(height, int)
            else (None, None))
