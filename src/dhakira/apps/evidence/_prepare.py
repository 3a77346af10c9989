"""The part of intake that needs no database: check a file, read its metadata, store its blob.

It runs on a few threads ahead of the rows (see ``intake._ingest_group``): most of it is
waiting for the disk (reads, and the fsync that makes each blob durable) or hashing and
encrypting in C, so files overlap instead of queueing behind one another.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from dhakira.apps.evidence import _msg
from dhakira.apps.evidence.extract import (
    EML,
    HEAD_SIZE,
    MBOX,
    ZIP,
    Extracted,
    Unreadable,
    extract,
    sniff,
)
from dhakira.core.vault.blobs import BlobStore, StoredBlob

# Types whose content becomes family members (messages, attachments, archive members): these
# take the sequential path, which records the parent before its children.
COMPOUND = frozenset({EML, MBOX, ZIP, _msg.MSG})
WORKERS = 8


@dataclass(frozen=True)
class Checked:
    """What a file is, before anything is stored."""

    size: int
    mime: str
    extracted: Extracted


@dataclass(frozen=True)
class Prepared:
    """A checked file whose blob is stored (not yet durable: the batch syncs directories)."""

    checked: Checked
    stored: StoredBlob
    # Its text, read from the stored blob before its item is written
    # (processing.read_ahead): the item is written done, its text with it.
    read: Extracted | None = None


@dataclass(frozen=True)
class Received:
    """A top-level file whose bytes were already taken in from the same path by the same
    collection (an interrupted run, re-run): nothing is stored, no receipt written."""

    sha256: str


def size_of(stream: BinaryIO) -> int:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def check(stream: BinaryIO, name: str, depth: int) -> Checked:
    """Size, sniffed type and metadata; refuse an empty or unreadable file.

    Raises:
        Unreadable: the reason, prefixed with ``name`` below the top level.
    """
    size = size_of(stream)
    if size == 0:
        raise Unreadable("the file is empty" if depth == 0 else f"{name} is empty")
    head = stream.read(HEAD_SIZE)
    mime = sniff(head)
    stream.seek(0)
    try:
        # An Outlook message is a compound file (as old Office documents are): told apart by
        # its property streams; a compound file that cannot be opened at all is refused.
        if head.startswith(_msg.OLE_MAGIC) and _msg.is_msg(stream):
            mime = _msg.MSG
        extracted = extract(stream, mime, size)
    except Unreadable as exc:
        raise Unreadable(f"{name}: {exc}" if depth else str(exc)) from None
    return Checked(size, mime, extracted)


def prepare(path: Path, blobs: BlobStore,
            received: frozenset[str] = frozenset()) -> Prepared | Received | None:
    """Check a top-level file and store its blob; None for a compound type (left to the caller).

    Everything that can refuse the file runs before a byte is stored.

    Args:
        received: the SHA-256s already taken in from this path by this collection; a file
            with one of them (whose blob is held) is :class:`Received` and not stored again.

    Raises:
        Unreadable: the file is refused (nothing was stored).
        OSError: the file cannot be read.
    """
    with path.open("rb") as stream:
        if received:
            sha256 = hashlib.file_digest(stream, "sha256").hexdigest()
            if sha256 in received and blobs.exists(sha256):
                return Received(sha256)
            stream.seek(0)
        checked = check(stream, path.name, 0)
        if checked.mime in COMPOUND:
            return None
        stream.seek(0)
        return Prepared(checked, blobs.put_stream(stream, sync_dir=False))
