"""Custody entries: plan one, sign it, and move it to and from plain dictionaries.

An entry records who did what to which item, when. ``detail`` carries JSON scalars that
help an auditor (a file name hash, a derived-copy operation, an export id) and NEVER
protected content: no names of victims or sources, no testimony. The ledger is meant to be
shown to a court and to the other side; anything protected stays in the vault and is
referred to by its stable id in ``subject``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from dhakira.core.custody._canonical import (
    GENESIS_HASH,
    SIGNED_FIELDS,
    canonical_bytes,
    check_detail,
    check_hex64,
    check_text,
    format_timestamp,
)
from dhakira.core.custody.errors import InvalidEntryError
from dhakira.core.custody.signing import Signer

__all__ = [
    "ACTIONS",
    "CustodyEntry",
    "UnsignedEntry",
    "append",
    "from_dict",
    "plan_entry",
    "sign",
    "to_dict",
]

ACTIONS = frozenset(
    {
        "intake",
        "derive",
        "read_protected",
        "new_version",
        "export",
        "deletion_request",
        "purge",
        "merge",
        "split",
        "decision",
        "consent",
        "lock",
        "unlock",
        "other",
    }
)


@dataclass(frozen=True)
class UnsignedEntry:
    """A planned entry: everything but the signer's key id, hash and signature."""

    seq: int
    prev_hash: str
    timestamp: str
    actor: str
    action: str
    subject: str
    subject_hash: str | None
    detail: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class CustodyEntry:
    """One signed link of the custody chain.

    ``entry_hash`` is SHA-256 of the canonical JSON of every other field except
    ``signature``; ``signature`` is Ed25519 over the 32 raw bytes of ``entry_hash``.
    """

    seq: int
    prev_hash: str
    timestamp: str
    actor: str
    action: str
    subject: str
    subject_hash: str | None
    detail: Mapping[str, Any]
    key_id: str
    entry_hash: str
    signature: str

    def canonical_bytes(self) -> bytes:
        """Return the bytes whose SHA-256 is ``entry_hash`` (recomputed from the fields)."""
        return canonical_bytes(_signed_view(self))


def _signed_view(entry: UnsignedEntry | CustodyEntry, key_id: str | None = None) -> dict:
    view = {name: getattr(entry, name, None) for name in SIGNED_FIELDS}
    if key_id is not None:
        view["key_id"] = key_id
    return view


def plan_entry(
    prev: CustodyEntry | None,
    *,
    actor: str,
    action: str,
    subject: str,
    subject_hash: str | None = None,
    detail: Mapping[str, Any] | None = None,
    now: datetime,
) -> UnsignedEntry:
    """Plan the entry that follows ``prev`` (or the first entry when ``prev`` is None).

    Args:
        prev: the current head of the chain, or None for an empty ledger.
        actor: who acted (a user id or name); required, never defaulted.
        action: one of :data:`ACTIONS`.
        subject: the stable id of the item, e.g. ``"EV-000012"`` or ``"P-000044/address"``.
        subject_hash: hex SHA-256 of the item's content, when relevant.
        detail: JSON scalars for the auditor; never protected content.
        now: the aware time of the action.

    Returns:
        The unsigned entry, to be passed to :func:`sign`.

    Raises:
        InvalidEntryError: if a field is missing or malformed.
    """
    if action not in ACTIONS:
        raise InvalidEntryError(
            f"unknown action {action!r}; use one of {', '.join(sorted(ACTIONS))}"
        )
    return UnsignedEntry(
        seq=1 if prev is None else prev.seq + 1,
        prev_hash=GENESIS_HASH if prev is None else prev.entry_hash,
        timestamp=format_timestamp(now),
        actor=check_text("actor", actor),
        action=action,
        subject=check_text("subject", subject),
        subject_hash=check_hex64("subject_hash", subject_hash, optional=True),
        detail=MappingProxyType(check_detail(detail)),
    )


def sign(unsigned: UnsignedEntry, signer: Signer) -> CustodyEntry:
    """Hash and sign a planned entry.

    Returns:
        The signed entry, ready to store.
    """
    entry_hash = hashlib.sha256(canonical_bytes(_signed_view(unsigned, signer.key_id))).digest()
    return CustodyEntry(
        seq=unsigned.seq,
        prev_hash=unsigned.prev_hash,
        timestamp=unsigned.timestamp,
        actor=unsigned.actor,
        action=unsigned.action,
        subject=unsigned.subject,
        subject_hash=unsigned.subject_hash,
        detail=unsigned.detail,
        key_id=signer.key_id,
        entry_hash=entry_hash.hex(),
        signature=signer.sign(entry_hash).hex(),
    )


def append(
    prev: CustodyEntry | None,
    signer: Signer,
    *,
    actor: str,
    action: str,
    subject: str,
    subject_hash: str | None = None,
    detail: Mapping[str, Any] | None = None,
    now: datetime,
) -> CustodyEntry:
    """Plan and sign in one step; see :func:`plan_entry` for the arguments.

    Raises:
        InvalidEntryError: if a field is missing or malformed.
    """
    unsigned = plan_entry(
        prev,
        actor=actor,
        action=action,
        subject=subject,
        subject_hash=subject_hash,
        detail=detail,
        now=now,
    )
    return sign(unsigned, signer)


_FIELD_TYPES: dict[str, type | tuple[type, ...]] = {
    "seq": int,
    "prev_hash": str,
    "timestamp": str,
    "actor": str,
    "action": str,
    "subject": str,
    "subject_hash": (str, type(None)),
    "detail": dict,
    "key_id": str,
    "entry_hash": str,
    "signature": str,
}


def to_dict(entry: CustodyEntry) -> dict[str, Any]:
    """Return a new plain dictionary of every field (``detail`` copied)."""
    out = {name: getattr(entry, name) for name in _FIELD_TYPES}
    out["detail"] = dict(entry.detail)
    return out


def from_dict(data: Mapping[str, Any]) -> CustodyEntry:
    """Rebuild an entry from :func:`to_dict` output, checking shape but not authenticity.

    A stored entry may have been tampered with; :func:`~dhakira.core.custody.verify_chain`
    judges that. This only refuses input that is not an entry at all: every key must be
    present (absent keys are never filled in) and none may be extra.

    Raises:
        InvalidEntryError: naming the missing, extra or mistyped key.
    """
    missing = sorted(set(_FIELD_TYPES) - set(data))
    extra = sorted(set(data) - set(_FIELD_TYPES))
    if missing or extra:
        raise InvalidEntryError(f"custody entry has missing keys {missing} / extra keys {extra}")
    for name, kind in _FIELD_TYPES.items():
        value = data[name]
        if not isinstance(value, kind) or (name == "seq" and isinstance(value, bool)):
            raise InvalidEntryError(f"custody entry field {name!r} has the wrong type")
    return CustodyEntry(
        **{name: data[name] for name in _FIELD_TYPES if name != "detail"},
        detail=MappingProxyType(check_detail(data["detail"])),
    )
