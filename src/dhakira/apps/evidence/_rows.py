"""The rows intake writes for each original: the item, its metadata and its custody entry.

A bundle's rows are gathered in a :class:`Bundle`; the batch writes its metadata rows and custody
entries together when it commits (``intake._commit``). Plain top-level files, checked and
stored ahead on threads, are inserted a run at a time (:func:`record_plain`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dhakira.apps.custody import store
from dhakira.apps.dossier import protected
from dhakira.apps.dossier.models import Information, ProtectedValue
from dhakira.apps.evidence import _mail, _msg, identifying
from dhakira.apps.evidence._common import Collection, blob_store
from dhakira.apps.evidence._prepare import Prepared
from dhakira.apps.evidence.extract import Extracted, Unreadable, has_text
from dhakira.apps.evidence.models import EvidenceItem, Metadata, uid_for


@dataclass
class Bundle:
    """State of one all-or-nothing bundle of files: blobs to remove if it fails, items made.

    (Not :class:`dhakira.apps.dossier.models.Unit`, an organisation.)
    """

    collection: Collection
    now: datetime
    origin: str
    blobs: list[str] = field(default_factory=list)
    items: list[EvidenceItem] = field(default_factory=list)
    # Written when the batch commits, once the unit is known to be whole.
    custody: list[store.Planned] = field(default_factory=list)
    metadata: list[Metadata] = field(default_factory=list)
    # Who and where the metadata names, kept apart (dhakira.apps.evidence.identifying).
    protected: list[ProtectedValue] = field(default_factory=list)


@dataclass(frozen=True)
class Plain:
    """A plain top-level file, checked and stored, waiting for its row."""

    name: str
    origin: str
    prepared: Prepared
    information: Information | None = None  # the report it is evidence of, if any


def record(unit: Bundle, sha256: str, size: int, blob_name: str, mime: str, name: str,
           parent: EvidenceItem | None, relationship: str,
           info: Information | None) -> EvidenceItem:
    """Insert one item (a file, message, attachment or member) and gather its custody entry."""
    first = firsts({sha256}).get(sha256)
    item = _item(unit.collection, unit.now, sha256, size, blob_name, mime, name, unit.origin,
                 first)
    item.parent, item.relationship, item.information = parent, relationship, info
    item.save()
    unit.custody.append(_entry(unit, item, first))
    unit.items.append(item)
    return item


def record_plain(unit: Bundle, files: list[Plain]) -> None:
    """Insert a run of plain files in one statement; none may repeat another's bytes.

    Intake order is kept: the items' keys, and so their custody entries, follow ``files``.
    """
    blobs = blob_store()
    for f in files:  # stored ahead of this transaction: still there? (intake._remove_unheld)
        if not blobs.exists(f.prepared.stored.sha256):
            raise Unreadable(f"{f.name}: its stored copy was removed while it was being saved "
                             "(a refused save of the same bytes); nothing was saved, try again")
    held = firsts({f.prepared.stored.sha256 for f in files})
    items = []
    for f in files:
        checked, stored = f.prepared.checked, f.prepared.stored
        items.append(_item(unit.collection, unit.now, stored.sha256, checked.size,
                           stored.blob_name, checked.mime, f.name, f.origin,
                           held.get(stored.sha256), read=f.prepared.read is not None))
        items[-1].information = f.information
        if stored.created:
            unit.blobs.append(stored.sha256)
    EvidenceItem.objects.bulk_create(items)
    for f, item in zip(files, items, strict=True):
        unit.custody.append(_entry(unit, item, item.duplicate_of_id))
        metadata(unit, item, f.prepared.checked.extracted, None)
        unit.items.append(item)


def firsts(shas: set[str]) -> dict[str, int]:
    """sha256 → key of its first receipt, for the bytes already held."""
    found: dict[str, int] = {}
    rows = (EvidenceItem.objects.filter(sha256__in=shas, duplicate_of__isnull=True)
            .order_by("pk").values_list("sha256", "pk"))
    for sha256, pk in rows:
        found.setdefault(sha256, pk)
    return found


def _item(c: Collection, now: datetime, sha256: str, size: int, blob_name: str, mime: str,
          name: str, origin: str, first: int | None, *, read: bool = False) -> EvidenceItem:
    """An item's row; ``read``: its text was read ahead and is written with it (done)."""
    status = (EvidenceItem.TextStatus.DONE if read else
              EvidenceItem.TextStatus.PENDING if has_text(mime, size) else "")
    return EvidenceItem(
        sha256=sha256, size=size, mime=mime, blob_name=blob_name, original_name=name,
        collector=c.collector, method=c.method, tool=c.tool, collected_at=now,
        origin=origin[:1000], duplicate_of_id=first, graphic=c.graphic,
        compartment=c.compartment, text_status=status)


def _entry(unit: Bundle, item: EvidenceItem, first: int | None) -> store.Planned:
    c = unit.collection
    # The detail names kinds and ids only: a file name may name a person, so it stays out.
    return store.Planned(
        c.collector, "intake", item.uid, item.sha256,
        {"size": item.size, "mime": item.mime, "method": c.method[:200], "tool": c.tool[:200],
         "parent": uid_for(item.parent_id) if item.parent_id else None,
         "relationship": item.relationship or None,
         "duplicate_of": uid_for(first) if first else None,
         # Signed so that `dhakira verify` sees an item moved out of its compartment.
         "compartment": item.compartment}, unit.now)


def metadata(unit: Bundle, item: EvidenceItem, extracted: Extracted,
             mail: _mail.Mail | None) -> None:
    """Gather the item's metadata side record (EXIF, PDF information, e-mail headers) and, as
    protected values, what in it names a person or a place (senders, authors, GPS)."""
    data = dict(extracted.metadata)
    extractor = extracted.extractor
    if mail:
        data["email"] = mail.headers
        data["attachments"] = len(mail.attachments)
        if mail.body_read:  # the body's type and the decoding used, to check it by
            data["body"] = dict(mail.body_read)
        extractor = "olefile" if item.mime == _msg.MSG else "python email"
    parts = identifying.split(data)
    if parts.plain or parts.people or parts.location:
        unit.metadata.append(Metadata(item=item, data=parts.plain, extractor=extractor))
    for name, values in ((identifying.PEOPLE, parts.people),
                         (identifying.LOCATION, parts.location)):
        if values:
            unit.protected.append(protected.planned(item, name, as_text(values)))


def as_text(values: dict[str, Any]) -> str:
    """A protected metadata part as stored and revealed: JSON, as the plain part is shown."""
    return json.dumps(values, ensure_ascii=False, indent=2, sort_keys=True)
