"""Recovery shares: a key slot that opens with any K of N printed SLIP-39 shares.

``split`` makes a random 256-bit recovery secret, wraps the data key under a key derived
from it (HKDF-SHA256, AES-256-GCM) in a recovery slot ``keyslots/recovery-<id>.json``, and
splits the secret into N mnemonic shares with K needed, using the SLIP-39 reference
implementation (``shamir-mnemonic``). The shares are returned once and never stored: the
slot holds only the wrapped key, N, K and the set's SLIP-39 identifier, so a share can be
matched to its slot. ``combine`` reads K shares back and returns the data key.

A wrong, damaged, foreign or short set of shares raises :class:`RecoveryRefused` with one
line that never repeats any word of a share. Without the data key nothing can be written to
the custody ledger, so each refusal is noted in ``recovery-refusals.jsonl`` (time and reason
only) and moved into custody by the next command that opens the vault (:func:`take_refusals`).

Example:
    >>> import tempfile, pathlib, secrets
    >>> d = pathlib.Path(tempfile.mkdtemp()); key = secrets.token_bytes(32)
    >>> slot, shares = split(d, key, shares=3, threshold=2)
    >>> combine(d, shares[1:])[1] == key
    True
"""

from __future__ import annotations

import json
import os
import secrets
from base64 import b64decode, b64encode
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import shamir_mnemonic
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from dhakira.core.vault._files import shred, write_file
from dhakira.core.vault.errors import KeySlotError, VaultError

__all__ = ["RecoveryRefused", "RecoverySlot", "combine", "remove_all", "revoke", "slots",
           "split", "take_refusals"]

PREFIX = "recovery-"  # keyslots/recovery-<id>.json; passphrase slots skip these files
REFUSALS = "recovery-refusals.jsonl"
_FORMAT = "dhakira-recovery-1"
_SECRET_BYTES = 32  # SLIP-39 master secret: 256 bits, 33 words a share
_MAX_SHARES = 16  # SLIP-39's limit on members of a group


class RecoveryRefused(VaultError):
    """The shares given do not open a recovery slot of this vault."""

    exit_code = 2


@dataclass(frozen=True)
class RecoverySlot:
    """One recovery slot: what can be read without any share."""

    slot_id: str
    identifier: int  # the SLIP-39 identifier of its share set (not secret)
    shares: int
    threshold: int
    created: str
    path: Path


def _kek(secret: bytes, salt: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt=salt, info=b"dhakira recovery slot v1").derive(secret)


def _aad(slot_id: str, identifier: int, shares: int, threshold: int) -> bytes:
    return f"{_FORMAT}|{slot_id}|{identifier}|{shares}|{threshold}".encode()


def _dir(vault: Path) -> Path:
    return vault / "keyslots"


def split_unlocked(vault: Path, *, shares: int, threshold: int) -> tuple[RecoverySlot, list[str]]:
    """:func:`split` with the unlocked vault's data key (which stays in this package).

    Raises:
        VaultLocked: the vault is locked.
    """
    from dhakira.core.vault import session

    with session.borrow() as key:
        return split(vault, bytes(key), shares=shares, threshold=threshold)


def split(vault: Path, data_key: bytes, *, shares: int, threshold: int) -> tuple[RecoverySlot, list[str]]:
    """Add a recovery slot for ``data_key`` and return it with its N mnemonic shares.

    Raises:
        KeySlotError: N or K out of range (1 <= K <= N <= 16, and K >= 2 unless N == 1).
    """
    if not 1 <= threshold <= shares <= _MAX_SHARES:
        raise KeySlotError(f"need 1 <= threshold <= shares <= {_MAX_SHARES} "
                           f"(got {threshold} of {shares})", code="recovery_range",
                           params={"most": _MAX_SHARES, "threshold": threshold, "shares": shares})
    if threshold == 1 and shares > 1:
        raise KeySlotError("a threshold of 1 would let any single share open the vault: "
                           "use a threshold of 2 or more (or one share)",
                           code="recovery_threshold_one")
    secret = secrets.token_bytes(_SECRET_BYTES)
    groups = shamir_mnemonic.generate_mnemonics(1, [(threshold, shares)], secret)
    words = groups[0]
    identifier = shamir_mnemonic.Share.from_mnemonic(words[0]).identifier
    slot_id = secrets.token_hex(8)
    salt, nonce = os.urandom(16), os.urandom(12)
    wrapped = AESGCM(_kek(secret, salt)).encrypt(
        nonce, bytes(data_key), _aad(slot_id, identifier, shares, threshold))
    created = datetime.now(UTC).isoformat(timespec="seconds")
    record = {"format": _FORMAT, "slot_id": slot_id, "identifier": identifier,
              "shares": shares, "threshold": threshold, "created": created,
              "salt": b64encode(salt).decode(), "nonce": b64encode(nonce).decode(),
              "wrapped_key": b64encode(wrapped).decode()}
    path = _dir(vault) / f"{PREFIX}{slot_id}.json"
    _dir(vault).mkdir(mode=0o700, parents=True, exist_ok=True)
    write_file(path, json.dumps(record, indent=1).encode(), exclusive=True)
    return RecoverySlot(slot_id, identifier, shares, threshold, created, path), words


def _read(path: Path) -> tuple[RecoverySlot, dict[str, Any]]:
    record = json.loads(path.read_bytes()[:64 * 1024].decode("utf-8"))
    if not isinstance(record, dict) or record.get("format") != _FORMAT:
        raise ValueError("not a recovery slot")
    slot = RecoverySlot(str(record["slot_id"]), int(record["identifier"]), int(record["shares"]),
                        int(record["threshold"]), str(record.get("created", "")), path)
    return slot, record


def slots(vault: Path) -> list[RecoverySlot]:
    """The vault's recovery slots (damaged files are left out)."""
    found = []
    for path in sorted(_dir(vault).glob(f"{PREFIX}*.json")):
        try:
            found.append(_read(path)[0])
        except (ValueError, KeyError, TypeError, OSError):
            continue
    return found


def _refuse(vault: Path, reason: str, *, code: str, **params: Any) -> RecoveryRefused:
    line = json.dumps({"at": datetime.now(UTC).isoformat(timespec="seconds"), "reason": reason})
    try:
        with open(vault / REFUSALS, "a", encoding="utf-8") as out:
            os.fchmod(out.fileno(), 0o600)
            out.write(line + "\n")
            out.flush()
            os.fsync(out.fileno())
    except OSError:
        pass  # the refusal itself must still be reported
    return RecoveryRefused(reason, code=code, params=params)


def _share_words(text: str) -> str:
    return " ".join(text.lower().split())


def combine(vault: Path, mnemonics: list[str]) -> tuple[RecoverySlot, bytes]:
    """The recovery slot and data key that ``mnemonics`` (K or more shares) open.

    Raises:
        RecoveryRefused: a share is damaged, the shares come from different sets, there are
            too few, or they belong to no recovery slot of this vault.
    """
    shares = [_share_words(m) for m in mnemonics if m.strip()]
    if not shares:
        raise _refuse(vault, "no recovery share was given", code="no_share")
    parsed = []
    for number, words in enumerate(shares, 1):
        try:
            parsed.append(shamir_mnemonic.Share.from_mnemonic(words))
        except shamir_mnemonic.MnemonicError:
            raise _refuse(vault, f"share {number} is not a valid recovery share (a word is "
                          "missing, misspelt or out of order)", code="share_invalid",
                          number=number) from None
    if len({(s.identifier, s.extendable, s.iteration_exponent) for s in parsed}) > 1:
        raise _refuse(vault, "the shares come from different recovery sets; give shares of one set",
                      code="shares_mixed")
    matching = [(s, r) for s, r in (_read(p) for p in _paths(vault))
                if s.identifier == parsed[0].identifier]
    if not matching:
        raise _refuse(vault, "these shares belong to no recovery slot of this vault "
                      "(revoked, or made for another vault)", code="shares_foreign")
    slot, record = matching[0]
    distinct = {s.index for s in parsed}
    if len(distinct) < slot.threshold:
        given = f"{len(distinct)} different share{'' if len(distinct) == 1 else 's'} given"
        raise _refuse(vault, f"too few shares: {given}, {slot.threshold} needed",
                      code="too_few_shares", given=len(distinct),
                      needed=slot.threshold)
    chosen = {s.index: words for s, words in zip(parsed, shares, strict=True)}
    try:  # SLIP-39 wants exactly K shares of the group: extra ones are left out
        secret = shamir_mnemonic.combine_mnemonics(list(chosen.values())[:slot.threshold])
        key = AESGCM(_kek(secret, b64decode(record["salt"]))).decrypt(
            b64decode(record["nonce"]), b64decode(record["wrapped_key"]),
            _aad(slot.slot_id, slot.identifier, slot.shares, slot.threshold))
    except (shamir_mnemonic.MnemonicError, InvalidTag, ValueError):
        raise _refuse(vault, "the shares do not open this vault's recovery slot (shares of "
                      "another split, or a damaged slot)", code="shares_do_not_open") from None
    return slot, key


def _paths(vault: Path) -> list[Path]:
    good = []
    for path in sorted(_dir(vault).glob(f"{PREFIX}*.json")):
        try:
            _read(path)
        except (ValueError, KeyError, TypeError, OSError):
            continue
        good.append(path)
    return good


def threshold_for(vault: Path, mnemonic: str) -> int | None:
    """How many shares the set ``mnemonic`` belongs to needs, or None if it is no share of
    a recovery slot here (for prompting; :func:`combine` gives the reason)."""
    try:
        identifier = shamir_mnemonic.Share.from_mnemonic(_share_words(mnemonic)).identifier
    except shamir_mnemonic.MnemonicError:
        return None
    return next((s.threshold for s in slots(vault) if s.identifier == identifier), None)


def revoke(vault: Path, slot_id: str) -> RecoverySlot:
    """Overwrite and remove the recovery slot ``slot_id``: its shares open nothing afterwards.

    Raises:
        KeySlotError: no such recovery slot.
    """
    for slot in slots(vault):
        if slot.slot_id == slot_id:
            shred(slot.path)
            return slot
    raise KeySlotError(f"no recovery slot {slot_id!r} (see `dhakira recovery list`)",
                       code="no_recovery_slot", params={"slot": slot_id})


def remove_all(vault: Path) -> list[RecoverySlot]:
    """Revoke every recovery slot; return those removed."""
    removed = slots(vault)
    for slot in removed:
        shred(slot.path)
    return removed


def take_refusals(vault: Path) -> list[dict[str, str]]:
    """The refusals noted since the last call (and forget them): for the custody ledger."""
    path = vault / REFUSALS
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    found = []
    for line in lines:
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if isinstance(item, dict):
            found.append({"at": str(item.get("at", "")), "reason": str(item.get("reason", ""))[:300]})
    shred(path)
    return found
