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
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import BinaryIO, cast

from django.db import DatabaseError, transaction
from django.db.models import QuerySet

from dhakira.apps import search
from dhakira.apps.custody import store
from dhakira.apps.evidence._common import Failure, blob_store, spool
from dhakira.apps.evidence.errors import unexpected
from dhakira.apps.evidence.extract import Extracted, Unreadable, extract_text
from dhakira.apps.evidence.models import DerivedCopy, EvidenceItem
from dhakira.core.vault.errors import BlobIntegrityError, BlobNotFound, VaultError

__all__ = ["CHUNK", "ProcessReport", "pending_count", "process_items", "process_pending"]

CHUNK = 200
_STATUS = EvidenceItem.TextStatus


@dataclass(frozen=True)
class ProcessReport:
    """What a processing run did: items whose text was extracted, and each failure."""

    done: int = 0
    failures: tuple[Failure, ...] = ()


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


def _run(pending: QuerySet[EvidenceItem], now: datetime | None, chunk: int) -> ProcessReport:
    query = pending.order_by("pk")
    done, failures, last = 0, [], 0
    while batch := list(query.filter(pk__gt=last)[:chunk]):
        last = batch[-1].pk
        ok, failed = _process_chunk(batch, now or datetime.now(UTC))
        done += ok
        failures += failed
    return ProcessReport(done, tuple(failures))


def _process_chunk(items: list[EvidenceItem], when: datetime) -> tuple[int, list[Failure]]:
    copies: list[DerivedCopy] = []
    failures: list[Failure] = []
    failed: list[EvidenceItem] = []
    for item in items:
        try:
            extracted = _text_of(item)
        except (DatabaseError, VaultError, OSError):
            raise  # the vault, not the file: stop, leaving the chunk pending
        except Exception as exc:  # Unreadable, or a reader's bug: this item fails, not the rest
            failures.append(Failure(item.uid, str(exc) if isinstance(exc, Unreadable)
                                    else unexpected(exc)))
            failed.append(item)
            continue
        if extracted.text.strip():
            copies.append(DerivedCopy(
                original=item, kind=DerivedCopy.Kind.EXTRACTED_TEXT, text=extracted.text,
                operation=f"text extraction ({extracted.extractor})"[:300],
                created_by=item.collector, created_at=when))
    skip = {i.pk for i in failed}
    done = [i.pk for i in items if i.pk not in skip]
    with transaction.atomic():
        DerivedCopy.objects.bulk_create(copies, batch_size=100)
        store.record_many([_custody(copy) for copy in copies])
        search.index_derived_many(copies)
        # Marked failed once, the reason in custody: it is never tried again by itself.
        store.record_many([store.Planned(i.collector, "other", i.uid, None,
                                         {"kind": "text_failed", "reason": f.reason[:200]}, when)
                           for i, f in zip(failed, failures, strict=True)])
        EvidenceItem.objects.filter(pk__in=[i.pk for i in failed]).update(
            text_status=_STATUS.FAILED)
        EvidenceItem.objects.filter(pk__in=done).update(text_status=_STATUS.DONE)
    return len(done), failures


def _custody(copy: DerivedCopy) -> store.Planned:
    # The same entry derive() appends for a text copy: the text's hash, kind and operation.
    digest = hashlib.sha256(copy.text.encode("utf-8")).hexdigest()
    return store.Planned(copy.created_by, "derive", copy.original.uid, digest,
                         {"copy": copy.uid, "kind": copy.kind, "operation": copy.operation[:200]},
                         copy.created_at)


def _text_of(item: EvidenceItem) -> Extracted:
    """The text of an item, read from its blob (authenticated as it is decrypted)."""
    with spool() as out:
        try:
            blob_store().read_to(item.sha256, cast(BinaryIO, out))
        except (BlobNotFound, BlobIntegrityError) as exc:
            raise Unreadable(f"the stored original cannot be read ({type(exc).__name__}); "
                             "run dhakira verify") from None
        out.seek(0)
        return extract_text(cast(BinaryIO, out), item.mime, item.size)
