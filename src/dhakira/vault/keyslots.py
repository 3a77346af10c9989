"""Key slots: the vault's random data key, wrapped under each user's passphrase.

The data key (256 random bits) opens ``dossier.db`` as a raw SQLCipher key and derives the
blob keys. It is never stored in the clear: each slot in ``keyslots/`` holds it wrapped with
AES-256-GCM under a key-encryption key derived from one passphrase by Argon2id. Changing a
passphrase rewrites one slot; the data, and every other slot, stay as they are.

Example:
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> key = create(d, "correct horse", label="admin", params=TEST_PARAMS)
    >>> unlock(d, "correct horse") == key
    True
"""

from __future__ import annotations

import json
import os
import secrets
from base64 import b64decode, b64encode
from dataclasses import dataclass
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from dhakira.vault.errors import KeySlotError, VaultNotFound, WrongPassphrase

__all__ = [
    "DEFAULT_PARAMS",
    "KdfParams",
    "SlotInfo",
    "add_slot",
    "change_passphrase",
    "create",
    "list_slots",
    "remove_slot",
    "unlock",
    "unlock_slot",
]

SLOT_DIR = "keyslots"
_FORMAT = "dhakira-keyslot-1"
_KEY_BYTES = 32


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost: memory in KiB, iterations, lanes."""

    memory_kib: int = 65536
    iterations: int = 3
    parallelism: int = 4

    def __post_init__(self) -> None:
        if self.memory_kib < 65536 or self.iterations < 3:
            raise KeySlotError("Argon2id needs at least 64 MiB of memory and 3 iterations")


DEFAULT_PARAMS = KdfParams()
# The floor is also what tests use: the issue sets m >= 64 MiB, t >= 3 for every slot.
TEST_PARAMS = DEFAULT_PARAMS


@dataclass(frozen=True)
class SlotInfo:
    """What can be said about a slot without opening it."""

    slot_id: str
    label: str
    params: KdfParams


def _kek(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    if not passphrase:
        raise WrongPassphrase("the passphrase is empty")
    return hash_secret_raw(
        passphrase.encode("utf-8"),
        salt,
        time_cost=params.iterations,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=_KEY_BYTES,
        type=Type.ID,
    )


def _aad(slot_id: str, label: str) -> bytes:
    return f"{_FORMAT}|{slot_id}|{label}".encode()


def _write_slot(vault: Path, data_key: bytes, passphrase: str, label: str,
                params: KdfParams, slot_id: str | None = None) -> SlotInfo:
    slot_id = slot_id or secrets.token_hex(8)
    salt, nonce = os.urandom(16), os.urandom(12)
    wrapped = AESGCM(_kek(passphrase, salt, params)).encrypt(
        nonce, data_key, _aad(slot_id, label))
    record = {
        "format": _FORMAT, "slot_id": slot_id, "label": label, "kdf": "argon2id",
        "memory_kib": params.memory_kib, "iterations": params.iterations,
        "parallelism": params.parallelism, "salt": b64encode(salt).decode(),
        "nonce": b64encode(nonce).decode(), "wrapped_key": b64encode(wrapped).decode(),
    }
    slots = vault / SLOT_DIR
    slots.mkdir(parents=True, exist_ok=True)
    tmp = slots / f".{slot_id}.tmp"
    tmp.write_text(json.dumps(record, indent=1))
    os.chmod(tmp, 0o600)
    os.replace(tmp, slots / f"{slot_id}.json")  # atomic: a crash leaves the old slot whole
    return SlotInfo(slot_id, label, params)


def _read_slots(vault: Path) -> list[dict]:
    slots = vault / SLOT_DIR
    if not slots.is_dir():
        raise VaultNotFound(f"{vault} is not a Dhakira vault (no {SLOT_DIR}/ folder)")
    records = []
    for path in sorted(slots.glob("*.json")):
        record = json.loads(path.read_text())
        if record.get("format") != _FORMAT:
            raise KeySlotError(f"{path.name} is not a Dhakira key slot")
        records.append(record)
    if not records:
        raise VaultNotFound(f"{vault} has no key slots")
    return records


def _params(record: dict) -> KdfParams:
    return KdfParams(record["memory_kib"], record["iterations"], record["parallelism"])


def _open(record: dict, passphrase: str) -> bytes:
    kek = _kek(passphrase, b64decode(record["salt"]), _params(record))
    return AESGCM(kek).decrypt(b64decode(record["nonce"]), b64decode(record["wrapped_key"]),
                               _aad(record["slot_id"], record["label"]))


def _find(vault: Path, passphrase: str) -> tuple[dict, bytes]:
    for record in _read_slots(vault):
        try:
            return record, _open(record, passphrase)
        except InvalidTag:
            continue
    raise WrongPassphrase("wrong passphrase: no key slot of this vault opens with it")


def create(vault: Path, passphrase: str, *, label: str,
           params: KdfParams = DEFAULT_PARAMS) -> bytes:
    """Make a fresh random data key and its first slot; return the key.

    Raises:
        KeySlotError: the folder already holds key slots.
    """
    if (vault / SLOT_DIR).is_dir() and any((vault / SLOT_DIR).glob("*.json")):
        raise KeySlotError(f"{vault} already holds a vault; refusing to overwrite it")
    data_key = secrets.token_bytes(_KEY_BYTES)
    vault.mkdir(parents=True, exist_ok=True)
    vault.chmod(0o700)
    _write_slot(vault, data_key, passphrase, label, params)
    return data_key


def unlock(vault: Path, passphrase: str) -> bytes:
    """Return the data key if any slot opens with ``passphrase``.

    Raises:
        WrongPassphrase: no slot opens.
        VaultNotFound: ``vault`` has no key slots.
    """
    return _find(vault, passphrase)[1]


def unlock_slot(vault: Path, passphrase: str) -> tuple[str, bytes]:
    """Like :func:`unlock`, also naming the slot that opened: ``(label, data_key)``."""
    record, key = _find(vault, passphrase)
    return record["label"], key


def list_slots(vault: Path) -> list[SlotInfo]:
    """The slots of a vault, without opening any."""
    return [SlotInfo(r["slot_id"], r["label"], _params(r)) for r in _read_slots(vault)]


def add_slot(vault: Path, existing_passphrase: str, new_passphrase: str, *, label: str,
             params: KdfParams = DEFAULT_PARAMS) -> SlotInfo:
    """Add a slot for ``new_passphrase``, proven by a passphrase that already opens the vault."""
    if label in {s.label for s in list_slots(vault)}:
        raise KeySlotError(f"a key slot labelled {label!r} exists; remove it or pick another")
    data_key = unlock(vault, existing_passphrase)
    return _write_slot(vault, data_key, new_passphrase, label, params)


def remove_slot(vault: Path, passphrase: str, *, label: str) -> None:
    """Remove the slot labelled ``label``; never the last one.

    Raises:
        KeySlotError: no such slot, or it is the last.
    """
    unlock(vault, passphrase)  # only someone who can open the vault removes slots
    slots = list_slots(vault)
    matching = [s for s in slots if s.label == label]
    if not matching:
        raise KeySlotError(f"no key slot labelled {label!r}")
    if len(slots) == len(matching):
        raise KeySlotError("refusing to remove the last key slot: the data would be lost")
    for slot in matching:
        (vault / SLOT_DIR / f"{slot.slot_id}.json").unlink()


def change_passphrase(vault: Path, old: str, new: str) -> SlotInfo:
    """Rewrap the data key in the slot that ``old`` opens under ``new``."""
    record, data_key = _find(vault, old)
    return _write_slot(vault, data_key, new, record["label"], _params(record),
                       slot_id=record["slot_id"])
