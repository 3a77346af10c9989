"""Taking originals in: files, folders, zip archives, e-mail messages and mailboxes.

Intake is preservation: hash, sniff, check, encrypt and store each original, its collection
record, metadata side record and custody entry. Text extraction, the derived text copy and
indexing are processing (:mod:`dhakira.evidence.processing`), which :func:`ingest_paths` and
:func:`ingest_stream` run right after intake; an item waiting for it is marked pending.

Each unit (one file given, or one uploaded) is taken whole or not at all: it runs in its own
savepoint, and blobs it created are deleted if anything fails, so a bad file leaves nothing
behind and the rest of a batch goes on. A batch's custody entries and metadata rows are
written together when the batch commits; only units that succeeded contribute to them.
"""

from __future__ import annotations

import contextlib
import os
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import BinaryIO, cast

from django.contrib.auth import get_user_model
from django.db import transaction

from dhakira.dossier.models import Information, Source
from dhakira.evidence import _archive, _mail, processing, search
from dhakira.evidence._common import Failure, blob_store, spool
from dhakira.evidence.errors import IntakeRejected
from dhakira.evidence.extract import (
    EML,
    HEAD_SIZE,
    MBOX,
    ZIP,
    Extracted,
    Unreadable,
    extract,
    has_text,
    sniff,
    tool_versions,
)
from dhakira.evidence.models import DerivedCopy, EvidenceItem, Metadata
from dhakira.ledger import store

__all__ = ["Collection", "Failure", "IntakeReport", "blob_store", "derive", "ingest_paths",
           "ingest_stream"]

COMMIT_FILES = 100
COMMIT_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Collection:
    """The collection record shared by one intake run (Berkeley Protocol §3).

    ``collector`` is required and never defaulted: an audit trail never guesses who acted.
    """

    collector: str
    method: str = "file copy"
    tool: str = ""
    compartment: str = ""
    graphic: bool = False

    def __post_init__(self) -> None:
        if not self.collector or not self.collector.strip():
            raise ValueError("the collector is required: name who collected the material")


@dataclass(frozen=True)
class IntakeReport:
    """What a batch did: the uids taken in (top level first), each file refused, and each
    item kept whose text could not be extracted (``text_failures``, by uid)."""

    items: tuple[str, ...] = ()
    failures: tuple[Failure, ...] = ()
    duplicates: tuple[str, ...] = ()
    text_failures: tuple[Failure, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.failures and not self.text_failures


@dataclass
class _Unit:
    """State of one all-or-nothing unit: blobs to remove if it fails, items made."""

    collection: Collection
    now: datetime
    origin: str
    blobs: list[str] = field(default_factory=list)
    items: list[EvidenceItem] = field(default_factory=list)
    # Written when the batch commits, once the unit is known to be whole.
    custody: list[store.Planned] = field(default_factory=list)
    metadata: list[Metadata] = field(default_factory=list)


def default_tool() -> str:
    """Dhakira's, Python's and the extractors' versions, for the collection record."""
    return f"dhakira/{version('dhakira')} python/{sys.version.split()[0]} {tool_versions()}"


def display_name(raw: str) -> str:
    """A file name safe to store and show: control characters and undecodable bytes escaped.

    Arabic and other scripts are kept as given (NFC); only what a terminal or a page could
    misread is rewritten, as ``\\xNN``.
    """
    text = unicodedata.normalize("NFC", raw)
    out = []
    for ch in text:
        if unicodedata.category(ch) in {"Cc", "Cf", "Cs"} and ch not in "\u200c\u200d":
            out.append(f"\\x{ord(ch) & 0xFF:02x}" if ord(ch) < 0x100 or 0xDC80 <= ord(ch) <= 0xDCFF
                       else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)[:500]


def ingest_paths(paths: Iterable[Path], *, collection: Collection,
                 now: datetime | None = None, process: bool = True) -> IntakeReport:
    """Take in files and folders (recursively); each file is one all-or-nothing unit.

    Args:
        paths: files and folders.
        collection: the collection record shared by the run.
        now: the intake time (default: the clock).
        process: then extract, store and index the text of every pending item
            (:func:`dhakira.evidence.processing.process_pending`); False leaves them pending.

    Returns:
        The report; failures name the file and the reason, and never stop the batch.
    """
    collection = _with_tool(collection)
    items: list[str] = []
    dupes: list[str] = []
    failures: list[Failure] = []
    for group in _groups(_walk(paths)):
        for unit in _ingest_group(group, collection, now, failures):
            items.extend(i.uid for i in unit.items)
            dupes.extend(i.uid for i in unit.items if i.duplicate_of_id)
    texts = processing.process_pending(now=now).failures if process else ()
    return IntakeReport(tuple(items), tuple(failures), tuple(dupes), texts)


def _ingest_group(group: list[tuple[Path, str | None]], collection: Collection,
                  now: datetime | None, failures: list[Failure]) -> list[_Unit]:
    """Take in one group of files, each in its own savepoint, in one commit.

    A commit per file would cost more than the file: small files share one, with their
    custody entries and metadata rows written together and the blob directories made
    durable once, before the rows naming the blobs commit.
    """
    units: list[_Unit] = []
    with _cleanup(units), transaction.atomic():
        for path, problem in group:
            name = display_name(os.fsdecode(path))
            if problem:
                failures.append(Failure(name, problem))
                continue
            try:
                with path.open("rb") as stream:
                    units.append(_ingest_unit(stream, path.name, str(path.resolve()),
                                              collection, now))
            except IntakeRejected as exc:
                failures.append(Failure(name, exc.reason))
            except OSError as exc:
                failures.append(Failure(name, f"cannot be read ({exc.strerror or exc})"))
        _commit(units)
    return units


@contextlib.contextmanager
def _cleanup(units: list[_Unit]) -> Iterator[None]:
    """Remove the blobs of every unit of a batch whose commit failed."""
    try:
        yield
    except BaseException:
        for unit in units:
            _remove_blobs(unit)
        raise


def _commit(units: list[_Unit]) -> None:
    """Write a batch's metadata rows and custody entries (in intake order), sync blobs."""
    Metadata.objects.bulk_create([m for u in units for m in u.metadata], batch_size=200)
    store.record_many([p for u in units for p in u.custody])
    blob_store().sync()


def _groups(walk: Iterator[tuple[Path, str | None]]) -> Iterator[list[tuple[Path, str | None]]]:
    """Up to 100 files or 64 MiB per commit."""
    group: list[tuple[Path, str | None]] = []
    size = 0
    for entry in walk:
        group.append(entry)
        with contextlib.suppress(OSError):
            size += entry[0].lstat().st_size
        if len(group) >= COMMIT_FILES or size >= COMMIT_BYTES:
            yield group
            group, size = [], 0
    if group:
        yield group


def ingest_stream(stream: BinaryIO, *, name: str, origin: str, collection: Collection,
                  now: datetime | None = None) -> EvidenceItem:
    """Take in one seekable stream (an upload) as one unit.

    Raises:
        IntakeRejected: naming the file and the reason; nothing was kept.
    """
    units: list[_Unit] = []
    with _cleanup(units), transaction.atomic():
        units.append(_ingest_unit(stream, name, origin, _with_tool(collection), now))
        _commit(units)
    item = units[0].items[0]
    processing.process_items((i.pk for i in units[0].items), now=now)
    item.refresh_from_db(fields=["text_status"])
    return item


def _with_tool(collection: Collection) -> Collection:
    return collection if collection.tool else replace(collection, tool=default_tool())


def _walk(paths: Iterable[Path]) -> Iterator[tuple[Path, str | None]]:
    for path in paths:
        if path.is_symlink():
            yield path, "a symbolic link; give the file it points to instead"
        elif path.is_dir():
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs.sort()
                yield from _walk(Path(root) / f for f in sorted(files))
                yield from ((Path(root) / d, "a symbolic link; give the file it points to "
                             "instead") for d in dirs if (Path(root) / d).is_symlink())
        elif not path.exists():
            yield path, "no such file"
        elif not path.is_file():
            yield path, "not a regular file"
        else:
            yield path, None


def _ingest_unit(stream: BinaryIO, raw_name: str, origin: str, collection: Collection,
                 now: datetime | None) -> _Unit:
    name = display_name(raw_name)
    unit = _Unit(collection, now or datetime.now(UTC), origin)
    try:
        with transaction.atomic():
            _take(unit, stream, name, parent=None, relationship="", depth=0)
    except Unreadable as exc:
        _remove_blobs(unit)
        raise IntakeRejected(name, str(exc)) from None
    except BaseException:
        _remove_blobs(unit)
        raise
    return unit


def _remove_blobs(unit: _Unit) -> None:
    blobs = blob_store()
    for sha256 in unit.blobs:
        held = (EvidenceItem.objects.filter(sha256=sha256).exists()
                or DerivedCopy.objects.filter(blob_sha256=sha256).exists())
        if not held and blobs.exists(sha256):
            blobs.delete(sha256)


def _size(stream: BinaryIO) -> int:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def _take(unit: _Unit, stream: BinaryIO, name: str, *, parent: EvidenceItem | None,
          relationship: str, depth: int) -> EvidenceItem:
    size = _size(stream)
    if size == 0:
        raise Unreadable("the file is empty" if depth == 0 else f"{name} is empty")
    mime = sniff(stream.read(HEAD_SIZE))
    stream.seek(0)
    # Everything that can refuse the file runs before a byte is stored.
    try:
        extracted = extract(stream, mime, size)
        # A message too large to parse in memory is kept as a plain original.
        small = size <= _mail.MAX_MESSAGE_BYTES
        mail = _mail.parse(stream.read(), name) if mime == EML and small else None
        messages = _mail.read_mbox(stream) if mime == MBOX else []
        archive = _archive.open_zip(stream) if mime == ZIP and depth == 0 else None
        infos = _archive.members(archive) if archive else []
    except Unreadable as exc:
        raise Unreadable(f"{name}: {exc}" if depth else str(exc)) from None
    stream.seek(0)
    stored = blob_store().put_stream(stream, sync_dir=False)
    if stored.created:
        unit.blobs.append(stored.sha256)
    info = _information(unit, mail) if mail else None
    item = _record(unit, stored.sha256, size, stored.blob_name, mime, name, parent, relationship,
                   info)
    _metadata(unit, item, extracted, mail)
    if mail:
        search.index_information(info)  # type: ignore[arg-type]
        for att in mail.attachments:
            _take_bytes(unit, att.data, f"{name}/{display_name(att.filename)}", item,
                        "attachment", depth + 1)
    for number, raw in enumerate(messages, start=1):
        _take_bytes(unit, raw, f"{name}#message-{number}", item,
                    "message", depth + 1)
    for member in infos:
        with spool() as out:
            _archive.copy_member(archive, member, out)  # type: ignore[arg-type]
            out.seek(0)
            _take(unit, cast(BinaryIO, out), f"{name}/{display_name(member.filename)}", parent=item,
                  relationship="member", depth=depth + 1)
    return item


def _take_bytes(unit: _Unit, data: bytes, name: str, parent: EvidenceItem, relationship: str,
                depth: int) -> None:
    with spool() as out:
        out.write(data)
        out.seek(0)
        _take(unit, cast(BinaryIO, out), name, parent=parent, relationship=relationship, depth=depth)


def _record(unit: _Unit, sha256: str, size: int, blob_name: str, mime: str, name: str,
            parent: EvidenceItem | None, relationship: str,
            info: Information | None) -> EvidenceItem:
    c = unit.collection
    first = EvidenceItem.objects.filter(sha256=sha256, duplicate_of__isnull=True).first()
    item = EvidenceItem.objects.create(
        sha256=sha256, size=size, mime=mime, blob_name=blob_name, original_name=name,
        collector=c.collector, method=c.method, tool=c.tool, collected_at=unit.now,
        origin=unit.origin[:1000], parent=parent, relationship=relationship, duplicate_of=first,
        information=info, graphic=c.graphic, compartment=c.compartment,
        text_status=EvidenceItem.TextStatus.PENDING if has_text(mime, size) else "")
    # The detail names kinds and ids only: a file name may name a person, so it stays out.
    unit.custody.append(store.Planned(
        c.collector, "intake", item.uid, sha256,
        {"size": size, "mime": mime, "method": c.method[:200], "tool": c.tool[:200],
         "parent": parent.uid if parent else None, "relationship": relationship or None,
         "duplicate_of": first.uid if first else None}, unit.now))
    unit.items.append(item)
    return item


def _metadata(unit: _Unit, item: EvidenceItem, extracted: Extracted,
              mail: _mail.Mail | None) -> None:
    data = dict(extracted.metadata)
    extractor = extracted.extractor
    if mail:
        data["email"] = mail.headers
        data["attachments"] = len(mail.attachments)
        extractor = "python email"
    if data:
        unit.metadata.append(Metadata(item=item, data=data, extractor=extractor))


def _information(unit: _Unit, mail: _mail.Mail) -> Information:
    source, _created = Source.objects.get_or_create(
        code_name=mail.source_code, defaults={"kind": "informant", "network": "email"})
    text = f"{mail.subject}\n\n{mail.body}".strip()
    arabic = sum("\u0600" <= ch <= "\u06ff" for ch in text)
    user = get_user_model().objects.filter(username=unit.collection.collector).first()
    return Information.objects.create(
        source=source, received_at=mail.sent_at or unit.now, channel="email",
        language="ar" if arabic * 4 > len(text) else "en", text=text, created_by=user)


def derive(original: EvidenceItem, *, kind: str, actor: str, operation: str, text: str = "",
           stream: BinaryIO | None = None, language: str = "",
           now: datetime | None = None, index: bool = True) -> DerivedCopy:
    """Record a derived copy of ``original`` (text, or bytes stored as a blob) and its custody.

    Args:
        original: the evidence item it comes from.
        kind: one of :class:`DerivedCopy.Kind`.
        actor: who made it (required).
        operation: what was done (``"translation ar→en by hand"``, ``"pypdf text"``).
        text: the copy's text, or
        stream: its bytes (a redacted image, an audio excerpt).
        index: index the text now; intake passes False and indexes a batch's texts at once
            (:func:`dhakira.evidence.search.index_derived_many`).

    Raises:
        ValueError: no actor, an unknown kind, or neither text nor bytes.
    """
    if kind not in DerivedCopy.Kind.values:
        raise ValueError(f"unknown kind of derived copy: {kind!r}")
    if not actor or not (text or stream):
        raise ValueError("a derived copy needs who made it and its text or bytes")
    when = now or datetime.now(UTC)
    with transaction.atomic():
        blob = blob_store().put_stream(stream) if stream else None
        copy = DerivedCopy.objects.create(
            original=original, kind=kind, blob_sha256=blob.sha256 if blob else "", text=text,
            language=language, operation=operation[:300], created_by=actor, created_at=when)
        digest = blob.sha256 if blob else _sha256_text(text)
        store.record(actor=actor, action="derive", subject=original.uid, subject_hash=digest,
                     detail={"copy": copy.uid, "kind": kind, "operation": operation[:200]},
                     now=when)
        if text and index:
            search.index_derived(copy)
    return copy


def _sha256_text(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()
