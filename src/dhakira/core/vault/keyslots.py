"""Key slots: the vault's random data key, wrapped under each user's passphrase.

The data key (256 random bits) opens ``dossier.db`` as a raw SQLCipher key and derives the
blob keys. It is never stored in the clear: each slot in ``keyslots/`` holds it wrapped with
AES-256-GCM under a key-encryption key derived from one passphrase by Argon2id. Changing a
passphrase rewrites one slot; the data, and every other slot, stay as they are.

A slot's file shows only a random id and the Argon2id cost: whose slot it is (the label)
is encrypted under a key derived from the data key, so only someone who can open the vault
can list its key holders. Slots written by earlier versions (``dhakira-keyslot-1``, label in
the clear) still open and are rewritten in the current form by the next passphrase change.

One damaged or foreign file in ``keyslots/`` never blocks another slot: it is skipped with a
warning naming it.

Example:
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> key = create(d, "correct horse", label="admin", params=TEST_PARAMS)
    >>> unlock(d, "correct horse") == key
    True
"""

from __future__ import annotations

import binascii
import json
import logging
import os
import secrets
from base64 import b64decode, b64encode
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from dhakira.core.vault import signing
from dhakira.core.vault._files import shred, write_file
from dhakira.core.vault.errors import KeySlotError, VaultNotFound, WrongPassphrase

__all__ = [
    "DEFAULT_PARAMS",
    "KdfParams",
    "SlotInfo",
    "add_slot",
    "change_passphrase",
    "create",
    "damaged_files",
    "list_slots",
    "remove_slot",
    "slot_params",
    "unlock",
    "unlock_slot",
    "write_slot",
]

SLOT_DIR = "keyslots"
_FORMAT = "dhakira-keyslot-2"
_FORMAT_V1 = "dhakira-keyslot-1"  # label in the clear; still opens, upgraded on passwd
_KEY_BYTES = 32
_MAX_SLOT_BYTES = 64 * 1024  # a slot is under 1 KiB; anything far larger is not one
_MAX_KDF = (2 * 1024 * 1024, 64, 64)  # memory KiB, iterations, lanes: refuse absurd costs

_log = logging.getLogger(__name__)


# A test-only Argon2id cost (docs/security.md, "Argon2id in the test suite"): the suite derives
# hundreds of keys, and at full strength they were most of its time. It is honoured only while
# both variables below are set, as tests/conftest.py sets them for the suite and the processes
# it starts; anywhere else a slot with this cost is under the floor and does not open.
TESTING_ENV = "DHAKIRA_TESTING"
FAST_ARGON2_ENV = "DHAKIRA_TEST_FAST_ARGON2"
_FAST_COST = (1024, 1, 1)  # memory KiB, iterations, lanes


def fast_argon2_allowed() -> bool:
    """Whether the test-only Argon2id cost may be used: both test variables are set to 1."""
    return os.environ.get(TESTING_ENV) == "1" and os.environ.get(FAST_ARGON2_ENV) == "1"


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost: memory in KiB, iterations, lanes."""

    memory_kib: int = 65536
    iterations: int = 3
    parallelism: int = 4

    def __post_init__(self) -> None:
        if self.weak and (self.memory_kib, self.iterations, self.parallelism) == _FAST_COST:
            raise KeySlotError("its Argon2id cost is the test suite's, refused outside the tests")
        if self.weak:
            raise KeySlotError("Argon2id needs at least 64 MiB of memory and 3 iterations")

    @property
    def weak(self) -> bool:
        """Under the floor (64 MiB, 3 iterations), unless it is the allowed test-only cost."""
        if self.memory_kib >= 65536 and self.iterations >= 3:
            return False
        cost = (self.memory_kib, self.iterations, self.parallelism)
        return not (cost == _FAST_COST and fast_argon2_allowed())


DEFAULT_PARAMS = KdfParams()
# The floor: what tests about Argon2id itself use. The issue sets m >= 64 MiB, t >= 3.
TEST_PARAMS = DEFAULT_PARAMS


def default_params() -> KdfParams:
    """The cost of a new slot: DEFAULT_PARAMS, or the test-only cost inside the test suite."""
    return KdfParams(*_FAST_COST) if fast_argon2_allowed() else DEFAULT_PARAMS


@dataclass(frozen=True)
class SlotInfo:
    """One slot: its opaque id, whose it is, and its Argon2id cost."""

    slot_id: str
    label: str
    params: KdfParams


@dataclass(frozen=True)
class _Slot:
    """A slot file that parsed: every field present and of the right type."""

    path: Path
    format: str
    slot_id: str
    params: KdfParams
    salt: bytes
    nonce: bytes
    wrapped: bytes
    label_nonce: bytes = b""
    sealed_label: bytes = b""
    plain_label: str = ""  # version-1 slots only


def _kek(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    if not passphrase:
        raise WrongPassphrase("the passphrase is empty", code="passphrase_empty")
    return hash_secret_raw(
        passphrase.encode("utf-8"),
        salt,
        time_cost=params.iterations,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=_KEY_BYTES,
        type=Type.ID,
    )


def _label_key(data_key: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt=None, info=b"dhakira keyslot labels").derive(data_key)


def _aad(slot_id: str, label: str | None = None) -> bytes:
    if label is not None:  # version 1 bound the clear label to the wrapped key
        return f"{_FORMAT_V1}|{slot_id}|{label}".encode()
    return f"{_FORMAT}|{slot_id}".encode()


def _write_slot(vault: Path, data_key: bytes, passphrase: str, label: str,
                params: KdfParams) -> SlotInfo:
    slot_id = secrets.token_hex(8)
    salt, nonce, label_nonce = os.urandom(16), os.urandom(12), os.urandom(12)
    wrapped = AESGCM(_kek(passphrase, salt, params)).encrypt(nonce, data_key, _aad(slot_id))
    sealed_label = AESGCM(_label_key(data_key)).encrypt(
        label_nonce, label.encode("utf-8"), _aad(slot_id))
    record = {
        "format": _FORMAT, "slot_id": slot_id, "kdf": "argon2id",
        "memory_kib": params.memory_kib, "iterations": params.iterations,
        "parallelism": params.parallelism, "salt": b64encode(salt).decode(),
        "nonce": b64encode(nonce).decode(), "wrapped_key": b64encode(wrapped).decode(),
        "label_nonce": b64encode(label_nonce).decode(),
        "sealed_label": b64encode(sealed_label).decode(),
    }
    slots = vault / SLOT_DIR
    slots.mkdir(mode=0o700, parents=True, exist_ok=True)
    # A fresh id per write and an exclusive link: a crash leaves every other slot whole.
    write_file(slots / f"{slot_id}.json", json.dumps(record, indent=1).encode(), exclusive=True)
    return SlotInfo(slot_id, label, params)


def _b64(record: dict[str, Any], name: str) -> bytes:
    value = record[name]
    if not isinstance(value, str):
        raise ValueError(f"{name} is not text")
    return b64decode(value, validate=True)


def _parse(path: Path) -> _Slot:
    """Read one slot file, or raise ValueError/KeyError/OSError/KeySlotError saying why not."""
    with open(path, "rb") as handle:
        raw = handle.read(_MAX_SLOT_BYTES + 1)
    if len(raw) > _MAX_SLOT_BYTES:
        raise ValueError("too large to be a key slot")
    record = json.loads(raw.decode("utf-8"))
    if not isinstance(record, dict) or record.get("format") not in (_FORMAT, _FORMAT_V1):
        raise ValueError("not a Dhakira key slot")
    numbers = [record["memory_kib"], record["iterations"], record["parallelism"]]
    if not all(type(n) is int and 0 < n <= top for n, top in zip(numbers, _MAX_KDF, strict=True)):
        raise ValueError("its Argon2id parameters are out of range")
    slot_id = record["slot_id"]
    if not isinstance(slot_id, str) or not slot_id:
        raise ValueError("it has no slot id")
    common = {"path": path, "format": record["format"], "slot_id": slot_id,
              "params": KdfParams(*numbers), "salt": _b64(record, "salt"),
              "nonce": _b64(record, "nonce"), "wrapped": _b64(record, "wrapped_key")}
    if len(common["nonce"]) != 12 or len(common["salt"]) < 8:  # type: ignore[arg-type]
        raise ValueError("its salt or nonce has the wrong size")
    if record["format"] == _FORMAT_V1:
        if not isinstance(record["label"], str):
            raise ValueError("its label is not text")
        return _Slot(**common, plain_label=record["label"])  # type: ignore[arg-type]
    label_nonce = _b64(record, "label_nonce")
    if len(label_nonce) != 12:
        raise ValueError("its label nonce has the wrong size")
    return _Slot(**common, label_nonce=label_nonce,  # type: ignore[arg-type]
                 sealed_label=_b64(record, "sealed_label"))


def _scan(vault: Path) -> tuple[list[_Slot], list[str]]:
    """The slots that parse, and one line for each file in ``keyslots/`` that does not."""
    slots = vault / SLOT_DIR
    if not slots.is_dir():
        raise VaultNotFound(f"{vault} is not a Dhakira vault (no {SLOT_DIR}/ folder)",
                            code="not_a_vault", params={"vault": str(vault), "folder": SLOT_DIR})
    good: list[_Slot] = []
    damaged: list[str] = []
    for path in sorted(slots.iterdir()):
        if path.name.startswith((".", "recovery-")):  # a temporary file; vault/recovery.py's
            continue
        try:
            if not path.is_file() or path.suffix != ".json":
                raise ValueError("not a key slot file")
            good.append(_parse(path))
        except (ValueError, KeyError, TypeError, OSError, KeySlotError, binascii.Error) as exc:
            reason = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
            why = f"missing {reason}" if isinstance(exc, KeyError) else str(reason) or "unreadable"
            damaged.append(f"{SLOT_DIR}/{path.name}: skipped ({why[:120]})")
    for line in damaged:
        _log.warning("key slot %s", line)
    return good, damaged


def _read_slots(vault: Path) -> list[_Slot]:
    good, damaged = _scan(vault)
    if not good:
        files = "damaged file" if len(damaged) == 1 else "damaged files"
        more = f" ({len(damaged):,} {files} skipped)" if damaged else ""
        raise VaultNotFound(f"{vault} has no usable key slots{more}", code="no_usable_slots",
                            params={"vault": str(vault), "damaged": len(damaged)})
    return good


def _open(slot: _Slot, passphrase: str) -> bytes:
    kek = _kek(passphrase, slot.salt, slot.params)
    aad = _aad(slot.slot_id, slot.plain_label if slot.format == _FORMAT_V1 else None)
    return AESGCM(kek).decrypt(slot.nonce, slot.wrapped, aad)


def _label(slot: _Slot, data_key: bytes) -> str:
    if slot.format == _FORMAT_V1:
        return slot.plain_label
    try:
        return AESGCM(_label_key(data_key)).decrypt(
            slot.label_nonce, slot.sealed_label, _aad(slot.slot_id)).decode("utf-8")
    except (InvalidTag, UnicodeDecodeError):
        return "(label unreadable)"


def _find(vault: Path, passphrase: str,
          slots: list[_Slot] | None = None) -> tuple[_Slot, bytes]:
    for slot in _read_slots(vault) if slots is None else slots:
        try:
            key = _open(slot, passphrase)
        except InvalidTag:
            continue
        if len(key) == _KEY_BYTES:
            return slot, key
    raise WrongPassphrase("wrong passphrase: no key slot of this vault opens with it",
                          code="wrong_passphrase")


def _infos(slots: list[_Slot], data_key: bytes) -> list[SlotInfo]:
    return [SlotInfo(s.slot_id, _label(s, data_key), s.params) for s in slots]


def create(vault: Path, passphrase: str, *, label: str,
           params: KdfParams | None = None) -> bytes:
    """Make a fresh random data key, its first slot and the vault's signing key; return the key.

    Every per-vault secret is made here, once: nothing is created lazily later.

    Raises:
        KeySlotError: the folder already holds key slots.
    """
    if (vault / SLOT_DIR).is_dir() and any((vault / SLOT_DIR).glob("*.json")):
        raise KeySlotError(f"{vault} already holds a vault; refusing to overwrite it",
                           code="vault_exists", params={"vault": str(vault)})
    data_key = secrets.token_bytes(_KEY_BYTES)
    vault.mkdir(parents=True, exist_ok=True)
    vault.chmod(0o700)
    _write_slot(vault, data_key, passphrase, label, params or default_params())
    signing.create(vault, data_key)
    return data_key


def unlock(vault: Path, passphrase: str) -> bytes:
    """Return the data key if any slot opens with ``passphrase``.

    Raises:
        WrongPassphrase: no slot opens.
        VaultNotFound: ``vault`` has no usable key slots.
    """
    return _find(vault, passphrase)[1]


def unlock_slot(vault: Path, passphrase: str) -> tuple[str, bytes]:
    """Like :func:`unlock`, also naming the slot that opened: ``(label, data_key)``."""
    slot, key = _find(vault, passphrase)
    return _label(slot, key), key


def list_slots(vault: Path, passphrase: str) -> list[SlotInfo]:
    """The slots of a vault with their labels, for someone who can open it.

    Raises:
        WrongPassphrase: no slot opens with ``passphrase``.
    """
    slots = _read_slots(vault)  # scanned once: each damaged file is warned about once
    return _infos(slots, _find(vault, passphrase, slots)[1])


def slot_params(vault: Path) -> list[tuple[str, KdfParams]]:
    """Each slot's opaque id and Argon2id cost: all that can be read without a passphrase."""
    return [(s.slot_id, s.params) for s in _read_slots(vault)]


def damaged_files(vault: Path) -> list[str]:
    """One line for each file in ``keyslots/`` that is not a usable slot."""
    return _scan(vault)[1]


def add_slot(vault: Path, existing_passphrase: str, new_passphrase: str, *, label: str,
             params: KdfParams | None = None) -> SlotInfo:
    """Add a slot for ``new_passphrase``, proven by a passphrase that already opens the vault."""
    slots = _read_slots(vault)
    data_key = _find(vault, existing_passphrase, slots)[1]
    if label in {s.label for s in _infos(slots, data_key)}:
        raise KeySlotError(f"a key slot labelled {label!r} exists; remove it or pick another",
                           code="slot_label_taken", params={"label": label})
    return _write_slot(vault, data_key, new_passphrase, label, params or default_params())


def write_slot(vault: Path, data_key: bytes, passphrase: str, *, label: str,
               params: KdfParams | None = None) -> SlotInfo:
    """Add a slot for ``passphrase`` wrapping ``data_key`` (already proven: recovery, rekey).

    Raises:
        KeySlotError: a slot with ``label`` exists.
    """
    good, _ = _scan(vault)
    if label in {s.label for s in _infos(good, data_key)}:
        raise KeySlotError(f"a key slot labelled {label!r} exists; remove it or pick another",
                           code="slot_label_taken", params={"label": label})
    return _write_slot(vault, data_key, passphrase, label, params or default_params())


def remove_slot(vault: Path, passphrase: str, *, label: str) -> None:
    """Remove the slot labelled ``label``, overwriting its file first; never the last one.

    Raises:
        KeySlotError: no such slot, or it is the last.
    """
    slots = _read_slots(vault)
    data_key = _find(vault, passphrase, slots)[1]  # only someone who can open the vault removes
    matching = [s for s in slots if _label(s, data_key) == label]
    if not matching:
        raise KeySlotError(f"no key slot labelled {label!r}", code="no_such_slot",
                           params={"label": label})
    if len(slots) == len(matching):
        raise KeySlotError("refusing to remove the last key slot: the data would be lost",
                           code="last_slot")
    for slot in matching:
        shred(slot.path)


def change_passphrase(vault: Path, old: str, new: str) -> SlotInfo:
    """Rewrap the data key for the slot that ``old`` opens under ``new``.

    The new slot is written (under a new id, in the current format) before the old file is
    overwritten and removed, so a crash in between leaves both, never neither.
    """
    slot, data_key = _find(vault, old)
    info = _write_slot(vault, data_key, new, _label(slot, data_key), slot.params)
    shred(slot.path)
    return info
