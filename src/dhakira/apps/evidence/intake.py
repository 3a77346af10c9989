"""Taking originals in: files, folders, zip archives, e-mail messages and mailboxes.

Intake is preservation: hash, sniff, check, encrypt and store each original, its collection
record, metadata side record and custody entry. Text extraction, the derived text copy and
indexing are processing (:mod:`dhakira.apps.evidence.processing`), which :func:`ingest_paths` and
:func:`ingest_stream` run right after intake; an item waiting for it is marked pending.

Each unit (one file given, or one uploaded) is taken whole or not at all: it runs in its own
savepoint, and blobs it created are deleted if anything fails, so a bad file leaves nothing
behind and the rest of a batch goes on. A batch's custody entries and metadata rows are
written together when the batch commits; only units that succeeded contribute to them.

An interrupted run is resumed by running it again: a file whose bytes were already taken in
from the same path by the same collection (collector, method, compartment, graphic) is
skipped as ``received``, with no second receipt. On a full disk a file whose blob does not fit
is left out and the rest go on; a full database undoes the batch under way and stops the run.
Either way :class:`~dhakira.apps.evidence.errors.DiskFull` names what was kept and every file that
was not.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor, wait
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import BinaryIO, cast

from django.contrib.auth import get_user_model
from django.db import DatabaseError, transaction

from dhakira.apps.custody import store
from dhakira.apps.dossier import intake, protected
from dhakira.apps.dossier.models import Information, ProtectedValue, Source
from dhakira.apps.evidence import _archive, _mail, _msg, _prepare, _rows, processing
from dhakira.apps.evidence._common import Collection, Failure, blob_store, spool
from dhakira.apps.evidence.errors import DiskFull, IntakeRejected, is_disk_full, unexpected
from dhakira.apps.evidence.extract import (
    EML,
    MBOX,
    ZIP,
    Unreadable,
    tool_versions,
)
from dhakira.apps.evidence.models import DerivedCopy, EvidenceItem, Metadata
from dhakira.apps.search import services as search

__all__ = ["Collection", "Failure", "IntakeReport", "atomic_with_blobs", "blob_store", "derive",
           "ingest_paths", "ingest_stream", "owning_blobs", "prepare_stream", "record_stream"]

COMMIT_FILES = 500
COMMIT_BYTES = 256 * 1024 * 1024
_Ahead = Future[_prepare.Prepared | _prepare.Received | None]


@dataclass(frozen=True)
class IntakeReport:
    """What a batch did: the uids taken in (top level first), each file refused, each item
    kept whose text could not be extracted (``text_failures``, by uid), and the files skipped
    as already taken in from the same path (``received``, by name)."""

    items: tuple[str, ...] = ()
    failures: tuple[Failure, ...] = ()
    duplicates: tuple[str, ...] = ()
    text_failures: tuple[Failure, ...] = ()
    received: tuple[str, ...] = ()
    # Items whose text was read only in part (the pages OCR left out, and why), by uid.
    text_notices: tuple[Failure, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.failures and not self.text_failures


@functools.cache  # as tool_versions: fixed for the life of the process
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
            (:func:`dhakira.apps.evidence.processing.process_pending`); False leaves them pending.

    Returns:
        The report; failures name the file and the reason, and never stop the batch.

    Raises:
        DiskFull: the disk or the database filled up. A file whose blob did not fit is left
            out and the rest go on; when the database is full, the batch under way is undone
            and the run stops. The error holds the report of what was kept and names every
            file left out; running the same command again takes in just those.
    """
    collection = _with_tool(collection)
    items: list[str] = []
    dupes: list[str] = []
    tally = _Tally()

    def report(texts: tuple[Failure, ...] = (), notices: tuple[Failure, ...] = ()
               ) -> IntakeReport:
        return IntakeReport(tuple(items), tuple(tally.failures), tuple(dupes), texts,
                            tuple(tally.received), notices)

    walk = _walk(paths)
    for group in _groups(walk):
        settled = len(tally.failures), len(tally.received), len(tally.left_out)
        try:
            units = _ingest_group(group, collection, now, tally)
        except Exception as exc:
            if not is_disk_full(exc):
                raise
            # The group was rolled back: all its files are left out, but for those refused
            # or skipped on their own account (named already). The run stops there.
            named = ({f.name for f in tally.failures[settled[0]:]}
                     | set(tally.received[settled[1]:]))
            del tally.left_out[settled[2]:]
            tally.left_out += [n for n in (_name(p) for p, _ in group) if n not in named]
            tally.left_out += [_name(p) for p, _ in walk]
            raise DiskFull(report(), tuple(tally.left_out)) from None
        for unit in units:
            items.extend(i.uid for i in unit.items)
            dupes.extend(i.uid for i in unit.items if i.duplicate_of_id)
    texts: tuple[Failure, ...] = ()
    notices: tuple[Failure, ...] = ()
    try:
        if process:
            processed = processing.process_pending(now=now)
            texts, notices = processed.failures, processed.notices
    except Exception as exc:
        if not is_disk_full(exc):
            raise
        texts = ()  # what is left stays pending, for the next run or `dhakira process`
        tally.full = True
    if tally.left_out or tally.full:
        raise DiskFull(report(texts, notices), tuple(tally.left_out))
    return report(texts, notices)


@dataclass
class _Tally:
    """Files of a run not taken in: refused, already received, or left out (disk full)."""

    failures: list[Failure] = field(default_factory=list)
    received: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    full: bool = False


def _name(path: Path) -> str:
    return display_name(os.fsdecode(path))


def _origin(path: Path) -> str:
    """Where the file was taken from, as text the database can hold: bytes of the path that
    are not UTF-8 written as ``\\xNN`` (as a file's name is), not left as surrogates that
    no database accepts (they sank the whole run)."""
    return os.fsencode(path.resolve()).decode("utf-8", "backslashreplace")[:1000]


def _received(group: list[tuple[Path, str | None]],
              collection: Collection) -> dict[Path, frozenset[str]]:
    """For each file of the group, the SHA-256s the same collection already took in from its
    path (top level only): a re-run after an interruption skips them."""
    origins = {_origin(path): path for path, problem in group if not problem}
    held: dict[str, set[str]] = defaultdict(set)
    keys = list(origins)
    for start in range(0, len(keys), 500):
        rows = EvidenceItem.objects.filter(
            origin__in=keys[start:start + 500], parent__isnull=True,
            collector=collection.collector, method=collection.method,
            compartment=collection.compartment, graphic=collection.graphic,
        ).values_list("origin", "sha256")
        for origin, sha256 in rows:
            held[origin].add(sha256)
    return {origins[origin]: frozenset(shas) for origin, shas in held.items()}


def _ingest_group(group: list[tuple[Path, str | None]], collection: Collection,
                  now: datetime | None, tally: _Tally) -> list[_rows.Bundle]:
    """Take in one group of files in one commit.

    A commit per file would cost more than the file: a group's custody entries and metadata
    rows are written together and the blob directories made durable once, before the rows
    naming the blobs commit. Files are checked and stored on threads ahead of their rows
    (:mod:`dhakira.apps.evidence._prepare`); runs of plain files are then inserted together, and
    each archive or e-mail is taken in its own savepoint, in the order given.
    """
    units: list[_rows.Bundle] = []
    known = _received(group, collection)
    with ThreadPoolExecutor(_prepare.WORKERS) as pool:
        ahead = [None if problem else pool.submit(_prepare.prepare, path, blob_store(),
                                                  known.get(path, frozenset()))
                 for path, problem in group]
        try:
            # A transaction holds the write lock from BEGIN (IMMEDIATE): check and store the
            # files first, so other writers wait only for the rows (issue 16, finding 2).
            wait([f for f in ahead if f is not None])
            with _cleanup(units), transaction.atomic():
                _record_group(group, ahead, collection, now, units, tally)
                _commit(units, pool)
        except BaseException:
            pool.shutdown(cancel_futures=True)
            _drop_unheld(_created(ahead))
            raise
    return units


def _record_group(group: list[tuple[Path, str | None]], ahead: list[_Ahead | None],
                  collection: Collection, now: datetime | None, units: list[_rows.Bundle],
                  tally: _Tally) -> None:
    run: list[_rows.Plain] = []

    def flush() -> None:
        if run:
            units.append(_rows.Bundle(collection, now or datetime.now(UTC), ""))
            _rows.record_plain(units[-1], run)
            run.clear()

    for (path, problem), future in zip(group, ahead, strict=True):
        name = display_name(os.fsdecode(path))
        try:
            if problem or future is None:
                raise Unreadable(problem or "not read")
            prepared = future.result()
        except Exception as exc:  # refused on its thread, before anything was stored
            if is_disk_full(exc):
                tally.left_out.append(name)  # its blob did not fit; a smaller file may
            else:
                tally.failures.append(Failure(name, _reason(exc)))
            continue
        if isinstance(prepared, _prepare.Received):
            tally.received.append(name)
            continue
        if prepared is not None:
            # The same bytes twice in one run: the first must have its row before the second.
            if any(p.prepared.stored.sha256 == prepared.stored.sha256 for p in run):
                flush()
            run.append(_rows.Plain(display_name(path.name), _origin(path), prepared))
            continue
        flush()  # an archive or e-mail keeps its place in the order given
        try:
            with path.open("rb") as stream:
                units.append(_ingest_unit(stream, path.name, _origin(path), collection, now,
                                          keep=lambda: _stored(ahead)))
        except IntakeRejected as exc:
            tally.failures.append(Failure(name, exc.reason))
        except OSError as exc:
            if is_disk_full(exc):
                tally.left_out.append(name)
            else:
                tally.failures.append(Failure(name, _reason(exc)))
    flush()


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return f"cannot be read ({exc.strerror or exc})"
    if isinstance(exc, Unreadable):
        return str(exc)
    return unexpected(exc)


def _stored(ahead: list[_Ahead | None]) -> set[str]:
    """Every blob the threads stored or found held: a failed archive must not delete one of
    them (a later file's row will name it). Waits for the threads."""
    wait([f for f in ahead if f is not None])
    done = [f.result() for f in ahead if f is not None and f.exception() is None]
    return {p.stored.sha256 if isinstance(p, _prepare.Prepared) else p.sha256
            for p in done if p is not None}


def _created(ahead: list[_Ahead | None]) -> set[str]:
    """The blobs the threads created (not those already held)."""
    done = [f.result() for f in ahead
            if f is not None and f.done() and not f.cancelled() and f.exception() is None]
    return {p.stored.sha256 for p in done
            if isinstance(p, _prepare.Prepared) and p.stored.created}


def _drop_unheld(shas: set[str]) -> None:
    """Delete the blobs no row names (after a failed commit, once no thread is storing)."""
    if not shas:
        return
    blobs = blob_store()
    with transaction.atomic():  # under the write lock: see _remove_unheld
        held = set(EvidenceItem.objects.filter(sha256__in=shas)
                   .values_list("sha256", flat=True))
        held |= set(DerivedCopy.objects.filter(blob_sha256__in=shas)
                    .values_list("blob_sha256", flat=True))
        for sha256 in shas - held:
            if blobs.exists(sha256):
                blobs.delete(sha256)


@contextlib.contextmanager
def _cleanup(units: list[_rows.Bundle]) -> Iterator[None]:
    """Remove the blobs of every unit of a batch whose commit failed.

    Inside a caller's transaction (:func:`atomic_with_blobs`) the batch's "commit" is only a
    savepoint: its blobs are handed to that transaction, which removes them if it rolls back.
    """
    try:
        yield
    except BaseException:
        for unit in units:
            _remove_blobs(unit)
        raise
    owner = _OWNER.get()
    if owner is not None:
        owner.extend(sha for unit in units for sha in unit.blobs)


# The blobs stored inside the outermost transaction that owns them (see atomic_with_blobs).
_OWNER: ContextVar[list[str] | None] = ContextVar("blobs_owned_by_transaction", default=None)


@contextlib.contextmanager
def owning_blobs() -> Iterator[None]:
    """A block that owns the blobs stored inside it: if it fails, so do they.

    Rows roll back with a transaction but encrypted files in ``blobs/`` do not; without this a
    report whose second file was refused left the first file's bytes behind, named by no row.
    Blobs stored before the block's transaction (:func:`prepare_stream`) are owned too, so a
    file stored ahead of the write lock is removed when the transaction then fails. A blob
    another row names by then (the same bytes, taken in meanwhile) is kept.
    """
    if _OWNER.get() is not None:  # already owned further out
        yield
        return
    made: list[str] = []
    token = _OWNER.set(made)
    try:
        yield
    except BaseException:
        _remove_unheld(made)
        raise
    finally:
        _OWNER.reset(token)


@contextlib.contextmanager
def atomic_with_blobs() -> Iterator[None]:
    """A transaction that owns the blobs stored inside it (:func:`owning_blobs`): if it
    rolls back, so do they. Use it for the outermost transaction of a service that takes
    files in."""
    with owning_blobs(), transaction.atomic():
        yield


def _commit(units: list[_rows.Bundle], pool: Executor | None = None,
            custody: list[store.Planned] | None = None) -> None:
    """Write a batch's metadata rows and custody entries (in intake order) and make its blobs
    durable (on ``pool``, meanwhile), all before the rows naming them commit. The custody
    entries go to ``custody`` instead, when given, for the caller to append."""
    syncing = pool.submit(blob_store().sync) if pool else None
    Metadata.objects.bulk_create([m for u in units for m in u.metadata], batch_size=200)
    ProtectedValue.objects.bulk_create([p for u in units for p in u.protected], batch_size=200)
    planned = [p for u in units for p in u.custody]
    if custody is None:
        store.record_many(planned)
    else:
        custody += planned
    if syncing:
        syncing.result()
    else:
        blob_store().sync()


def _groups(walk: Iterator[tuple[Path, str | None]]) -> Iterator[list[tuple[Path, str | None]]]:
    """Up to COMMIT_FILES files or COMMIT_BYTES per commit."""
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
    """Take in one seekable stream (an upload) as one unit, and read its text.

    Raises:
        IntakeRejected: naming the file and the reason; nothing was kept.
    """
    items = record_stream(stream, name=name, origin=origin, collection=collection, now=now)
    processing.process_items((i.pk for i in items), now=now)
    item = items[0]
    item.refresh_from_db(fields=["text_status"])
    return item


def prepare_stream(stream: BinaryIO, *, name: str) -> _prepare.Prepared | None:
    """Check an upload and store its blob (hash, encrypt, write, make durable) with no
    transaction open, so that a writer's transaction holds the write lock only for the rows.

    Call it inside :func:`owning_blobs` (or :func:`atomic_with_blobs`): a blob it creates
    belongs to that block, and is removed if the block fails, the transaction that was to
    name it included. Hand the result to :func:`record_stream` inside the transaction.

    Returns:
        The checked, stored file; None for an e-mail, a mailbox, an Outlook message or an
        archive, whose parts become items of their own and are taken in by
        :func:`record_stream` inside the transaction, as before.

    Raises:
        IntakeRejected: naming the file and the reason; nothing was stored.
        RuntimeError: not called inside a block that owns blobs.
    """
    owner = _OWNER.get()
    if owner is None:
        raise RuntimeError("prepare_stream stores a blob: call it inside owning_blobs()")
    shown = display_name(name)
    try:
        checked = _prepare.check(stream, shown, 0)
    except Unreadable as exc:
        raise IntakeRejected(shown, str(exc)) from None
    except (DatabaseError, OSError):
        raise
    except Exception as exc:  # a reader's bug on a strange file: this file is refused
        raise IntakeRejected(shown, unexpected(exc)) from None
    stream.seek(0)
    if checked.mime in _prepare.COMPOUND:
        return None
    stored = blob_store().put_stream(stream)
    if stored.created:
        owner.append(stored.sha256)
    return _prepare.Prepared(checked, stored)


def record_stream(stream: BinaryIO, *, name: str, origin: str, collection: Collection,
                  now: datetime | None = None,
                  prepared: _prepare.Prepared | None = None,
                  information: Information | None = None,
                  custody: list[store.Planned] | None = None) -> list[EvidenceItem]:
    """Take in one seekable stream as one unit, without reading its text: its items stay
    pending for :func:`dhakira.apps.evidence.processing.process_items`.

    Args:
        prepared: what :func:`prepare_stream` made of ``stream``; only the rows are written.
            None: the stream is checked and stored here (an e-mail or an archive is taken
            apart here always).
        information: the (saved) report the unit's first item is evidence of.
        custody: a list the unit's custody entries are added to, in order, instead of being
            appended here: the caller appends them (with its own, after them) before its
            transaction commits. The report intake does, so that its transaction reads the
            chain's head once, last. None: appended here.

    Returns:
        The unit's items, the one given first (then its messages, attachments, members).

    Raises:
        IntakeRejected: naming the file and the reason; nothing was kept.
    """
    collection = _with_tool(collection)
    units: list[_rows.Bundle] = []
    with _cleanup(units), transaction.atomic():
        if prepared is None:
            units.append(_ingest_unit(stream, name, origin, collection, now))
            if information is not None:
                units[0].items[0].information = information
                units[0].items[0].save(update_fields=["information"])
        else:
            units.append(_rows.Bundle(collection, now or datetime.now(UTC), origin))
            if not blob_store().exists(prepared.stored.sha256):
                # Stored ahead of this transaction, then removed by a refused save of the
                # same bytes (see _remove_unheld): store it again, under the write lock.
                stream.seek(0)
                prepared = replace(prepared, stored=blob_store().put_stream(stream))
            _rows.record_plain(units[0], [_rows.Plain(display_name(name), origin, prepared,
                                                      information)])
        _commit(units, custody=custody)
    return units[0].items


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
                 now: datetime | None, *, keep: Callable[[], set[str]] = set) -> _rows.Bundle:
    """Take one file or upload whole in a savepoint; on failure remove the blobs it created,
    except those ``keep()`` names (stored by the batch's threads for other files)."""
    name = display_name(raw_name)
    unit = _rows.Bundle(collection, now or datetime.now(UTC), origin)
    try:
        with transaction.atomic():
            _take(unit, stream, name, parent=None, relationship="", depth=0)
    except Unreadable as exc:
        _remove_blobs(unit, keep)
        raise IntakeRejected(name, str(exc)) from None
    except (DatabaseError, OSError):
        _remove_blobs(unit, keep)
        raise  # the vault or the file system (the caller names an unreadable file)
    except Exception as exc:
        # A reader's own bug on a strange file sinks this file only, never the batch.
        _remove_blobs(unit, keep)
        raise IntakeRejected(name, unexpected(exc)) from None
    except BaseException:
        _remove_blobs(unit, keep)
        raise
    return unit


def _remove_blobs(unit: _rows.Bundle, keep: Callable[[], set[str]] = set) -> None:
    kept = keep() if unit.blobs else set()
    _remove_unheld(set(unit.blobs) - kept)


def _remove_unheld(names: Iterable[str]) -> None:
    """Delete the blobs among ``names`` that no original or derived copy names.

    The check and the delete hold the write lock (a transaction takes it on both backends), so
    another save of the same bytes, whose blob was stored ahead of its own transaction, either
    committed its row first (the blob is kept) or finds the blob gone inside its transaction
    and stores it again or refuses (:func:`dhakira.apps.evidence._rows.record_plain`).
    """
    names = set(names)
    if not names:
        return
    blobs = blob_store()
    with transaction.atomic():
        for sha256 in names:
            held = (EvidenceItem.objects.filter(sha256=sha256).exists()
                    or DerivedCopy.objects.filter(blob_sha256=sha256).exists())
            if not held and blobs.exists(sha256):
                blobs.delete(sha256)


def _take(unit: _rows.Bundle, stream: BinaryIO, name: str, *, parent: EvidenceItem | None,
          relationship: str, depth: int) -> EvidenceItem:
    checked = _prepare.check(stream, name, depth)
    size, mime, extracted = checked.size, checked.mime, checked.extracted
    # Everything that can refuse the file runs before a byte is stored.
    try:
        # A message too large to parse in memory is kept as a plain original.
        small = size <= _mail.MAX_MESSAGE_BYTES
        mail = (_mail.parse(stream.read(), name) if mime == EML and small
                else _msg.parse(stream, name) if mime == _msg.MSG and small else None)
        messages = _mail.read_mbox(stream) if mime == MBOX else 0
        archive = _archive.open_zip(stream) if mime == ZIP and depth == 0 else None
        infos = _archive.members(archive) if archive else []
    except Unreadable as exc:
        raise Unreadable(f"{name}: {exc}" if depth else str(exc)) from None
    stream.seek(0)
    stored = blob_store().put_stream(stream, sync_dir=False)
    if stored.created:
        unit.blobs.append(stored.sha256)
    info = _information(unit, mail) if mail else None
    item = _rows.record(unit, stored.sha256, size, stored.blob_name, mime, name, parent,
                        relationship, info)
    _rows.metadata(unit, item, extracted, mail)
    if mail:
        assert info is not None
        # The report made from the e-mail is logged like any other, after the e-mail's receipt.
        unit.custody.append(intake.report_entry(
            info, actor=unit.collection.collector, now=unit.now,
            detail={"evidence": item.uid, "channel": "email"}))
        search.index_report(info)
        for att in mail.attachments:
            _take_bytes(unit, att.data, f"{name}/{display_name(att.filename)}", item,
                        "attachment", depth + 1)
    if messages:  # read again, one message at a time: a mailbox is never held whole
        for number, raw in enumerate(_mail.iter_mbox(stream), start=1):
            _take_bytes(unit, raw, f"{name}#message-{number}", item, "message", depth + 1)
    for member in infos:
        with spool() as out:
            _archive.copy_member(archive, member, out)  # type: ignore[arg-type]
            out.seek(0)
            _take(unit, cast(BinaryIO, out), f"{name}/{display_name(member.filename)}", parent=item,
                  relationship="member", depth=depth + 1)
    return item


def _take_bytes(unit: _rows.Bundle, data: bytes, name: str, parent: EvidenceItem, relationship: str,
                depth: int) -> None:
    with spool() as out:
        out.write(data)
        out.seek(0)
        _take(unit, cast(BinaryIO, out), name, parent=parent, relationship=relationship, depth=depth)


def _information(unit: _rows.Bundle, mail: _mail.Mail) -> Information:
    source, created = Source.objects.get_or_create(
        code_name=mail.source_code(),
        defaults={"kind": "informant", "network": "email"})
    if created:  # who the code stands for, readable by those cleared for sources
        protected.write_system(source, "identity", mail.sender_name or mail.sender)
        protected.write_system(source, "contact", mail.sender)
    user = get_user_model().objects.filter(username=unit.collection.collector).first()
    return intake.new_information(
        source=source, received_at=mail.sent_at or unit.now, channel="email",
        text=f"{mail.subject}\n\n{mail.body}".strip(), created_by=user,
        compartment=unit.collection.compartment)  # the report is as restricted as its e-mail


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
            (:func:`dhakira.apps.search.services.index_derived_many`).

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
        owner = _OWNER.get()
        if blob is not None and blob.created and owner is not None:
            owner.append(blob.sha256)
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
