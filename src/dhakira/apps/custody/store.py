"""Append to and read back the custody ledger stored in the dossier database."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import transaction

from dhakira.apps.custody.models import LedgerEntry
from dhakira.core import custody
from dhakira.core.vault import signing

__all__ = ["Planned", "as_entry", "entries", "head", "public_keys", "record", "record_many",
           "signer", "stored_about"]

_FIELDS = ("seq", "prev_hash", "timestamp", "actor", "action", "subject", "subject_hash",
           "detail", "entry_hash", "signature", "key_id")


def signer() -> custody.Signer:
    """The installation's signer (see :func:`dhakira.core.vault.signing.signer_for`)."""
    return signing.signer_for(settings.VAULT_DIR)


def public_keys() -> dict[str, bytes]:
    """key_id → public key of the installation, for verifying the chain."""
    s = signer()
    return {s.key_id: s.public_key_bytes()}


def as_entry(row: LedgerEntry) -> custody.CustodyEntry:
    """A stored row as the custody entry it holds (for the verifier)."""
    return custody.from_dict({f: getattr(row, f) for f in _FIELDS})



@dataclass(frozen=True)
class Planned:
    """One custody entry to append with :func:`record_many` (the arguments of :func:`record`)."""

    actor: str
    action: str
    subject: str
    subject_hash: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    now: datetime | None = None


def record(*, actor: str, action: str, subject: str, subject_hash: str | None = None,
           detail: dict[str, Any] | None = None, now: datetime | None = None) -> LedgerEntry:
    """Sign and append one custody entry. ``actor`` is required: the ledger never guesses.

    ``detail`` holds stable ids and kinds only, never the content of a protected field.
    """
    return record_many([Planned(actor, action, subject, subject_hash, detail or {}, now)])[0]


def record_many(planned: Sequence[Planned]) -> list[LedgerEntry]:
    """Sign and append several custody entries, in order, in one transaction.

    Each is its own entry, chained to the one before exactly as :func:`record` would chain
    it; only the round trips are shared (one read of the chain's head, one insert).

    Raises:
        ValueError: an entry without an acting user (nothing is appended).
    """
    if any(not p.actor for p in planned):
        raise ValueError("a custody entry needs the acting user")
    if not planned:
        return []
    # Appenders take turns through the database, across threads and processes alike: every
    # transaction holds the write lock from its start (IMMEDIATE on SQLCipher, the writer lock
    # of dhakira.apps.vault.postgresql). A thread lock here as well would invert that order and
    # leave two threads waiting on each other (issue 16, finding 2).
    # No savepoint inside a caller's transaction (two statements fewer under its lock): an
    # append that fails fails that whole transaction, which is what a caller needs anyway.
    with transaction.atomic(savepoint=False):
        last = LedgerEntry.objects.order_by("-seq").first()
        prev = as_entry(last) if last else None
        rows = []
        for p in planned:
            prev = custody.append(prev, signer(), actor=p.actor, action=p.action,
                                  subject=p.subject, subject_hash=p.subject_hash,
                                  detail=p.detail, now=p.now or datetime.now(UTC))
            data = custody.to_dict(prev)
            rows.append(LedgerEntry(**{f: data[f] for f in _FIELDS}))
        return LedgerEntry.objects.bulk_create(rows, batch_size=500)


def stored_about(subjects: Sequence[str]) -> list[dict[str, Any]]:
    """The stored entries about ``subjects``, in ledger order, each as a dict of its fields
    exactly as stored (for extracts: a tampered row is copied as it is, not refused)."""
    rows = LedgerEntry.objects.filter(subject__in=subjects).order_by("seq")
    return [{f: getattr(row, f) for f in _FIELDS} for row in rows]


def head() -> dict[str, Any] | None:
    """The chain's last entry as ``{"seq", "entry_hash"}``, or None on an empty chain."""
    last = LedgerEntry.objects.order_by("-seq").values("seq", "entry_hash").first()
    return dict(last) if last else None


def tagger() -> Callable[[str], str]:
    """What stands for an entry's hash outside the vault (a package's custody extract and
    custody head): a keyed hash of it, which the organisation recomputes from its vault to
    show which entry a line is, and against which no one without the vault can check a guessed
    user name (the hash itself can be, the extract holding the rest of the entry). The key is
    derived from the signing key, once for all the entries of a package."""
    key = signing.derived_unlocked(settings.VAULT_DIR, signing.CUSTODY_EXTRACT)

    def tag(entry_hash: str) -> str:
        return hmac.new(key, entry_hash.encode("ascii"), hashlib.sha256).hexdigest()
    return tag


def tag(entry_hash: str) -> str:
    """The tag of one entry's hash (see :func:`tagger`)."""
    return tagger()(entry_hash)


def entries() -> Iterator[custody.CustodyEntry]:
    """Every entry in ledger order."""
    for row in LedgerEntry.objects.order_by("seq").iterator(chunk_size=2000):
        yield as_entry(row)
