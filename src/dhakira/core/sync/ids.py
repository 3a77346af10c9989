"""Stable ids of records across vaults: ``<device key id>/<local uid>``.

Every vault numbers its own rows (``P-000012``, ``I-0000003``, ``EV-000001``), so two kits
and the office all have a ``P-000001``. A record keeps, wherever it travels, the id it was
given where it was made, prefixed with the key id of that vault's signing key (16 hex
characters of the SHA-256 of its Ed25519 public key, as in the custody ledger): unique per
device without any coordination, and checkable against the key that signed the record's
custody entries. The office gives a merged record its own local row (and uid) and keeps the
mapping (:class:`dhakira.apps.fieldkit.models.Origin`).
"""

from __future__ import annotations

import re

from dhakira.core.sync.errors import SyncError

__all__ = ["global_id", "split_global_id"]

_KEY_ID = re.compile(r"[0-9a-f]{16}")
_UID = re.compile(r"[A-Z]{1,3}-[0-9]{4,12}")


def global_id(device_key_id: str, uid: str) -> str:
    """The stable id of the record ``uid`` made on the vault whose key id is given.

    Raises:
        SyncError: either part is malformed.
    """
    if not _KEY_ID.fullmatch(device_key_id) or not _UID.fullmatch(uid):
        raise SyncError(f"not a device key id and record uid: {device_key_id!r}, {uid!r}")
    return f"{device_key_id}/{uid}"


def split_global_id(gid: str) -> tuple[str, str]:
    """(device key id, local uid) of a stable id.

    Raises:
        SyncError: ``gid`` is not a stable id.
    """
    device, _, uid = gid.partition("/")
    if not _KEY_ID.fullmatch(device) or not _UID.fullmatch(uid):
        raise SyncError(f"not a stable record id: {gid[:80]!r}")
    return device, uid
