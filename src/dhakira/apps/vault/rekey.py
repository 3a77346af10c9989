"""Rotating the data key (``dhakira rekey``), resumably, when a passphrase may have been coerced.

A new random data key replaces the old one everywhere the old one reaches: the SQLCipher
database (exported under the new key with ``sqlcipher_export``), every blob (decrypted and
encrypted again, under new keyed names), the custody signing key (the same Ed25519 key,
wrapped again: the chain keeps one signer), sealed values in the database (pending uploads),
sealed files (the HTTPS server's private key, ``tls/key.sealed``: the same key and
certificate, so the fingerprint people pinned stays) and the key slots: only the slots whose passphrases the operator gives are rewrapped, the
operator's own under a new passphrase; every other slot, and every recovery slot, is dropped.
Login sessions and unsaved drafts are dropped (everyone logs in again).

Everything new is first built under ``rekey/new/`` beside a journal, ``rekey/journal.json``,
which holds each key wrapped under the other (so a passphrase of either side finds both).
Then the new parts are moved into place one by one, each move idempotent, and the rows that
name blobs are rewritten. Killed at any point (``kill -9``), the next ``dhakira rekey`` with
a passphrase that opens either the old or the new slots finishes the job; until it has, the
vault refuses to open (``runtime`` checks :func:`unfinished`).

Codes made from the key (e-mail senders' ``MAIL-`` codes) that are already stored stay as they
are; a sender seen again after a rekey gets a new code (docs/recovery.md).
"""

from __future__ import annotations

import io
import json
import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from dhakira.core.vault import _crashpoints, keyslots, signing
from dhakira.core.vault._files import fsync_dir, shred, write_file
from dhakira.core.vault.blobs import BlobStore
from dhakira.core.vault.errors import VaultError, WrongPassphrase

__all__ = ["Plan", "Rekeyed", "RekeyUnfinished", "finish", "start", "unfinished"]

WORK = "rekey"
JOURNAL = "journal.json"
_FORMAT = "dhakira-rekey-1"
DATABASE = "dossier.db"


class RekeyUnfinished(VaultError):
    """The vault is half way through a rekey: only ``dhakira rekey`` may open it."""

    exit_code = 6


@dataclass(frozen=True)
class Plan:
    """Who keeps a key slot: ``(passphrase, new passphrase)`` of the operator, passphrases of
    the others (same passphrase, same label)."""

    operator: str
    new_passphrase: str
    keep: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rekeyed:
    """What a finished rekey did."""

    rekey_id: str
    blobs: int
    kept: tuple[str, ...]
    dropped: int
    recovery_dropped: int


def unfinished(vault: Path) -> bool:
    """Whether a rekey of ``vault`` has started and not finished."""
    return (vault / WORK / JOURNAL).exists()


def _cross(key: bytes) -> AESGCM:
    return AESGCM(HKDF(hashes.SHA256(), 32, salt=None, info=b"dhakira rekey journal").derive(key))


def _wrap(under: bytes, key: bytes) -> str:
    nonce = os.urandom(12)
    return (nonce + _cross(under).encrypt(nonce, key, _FORMAT.encode())).hex()


def _unwrap(under: bytes, blob: str) -> bytes | None:
    raw = bytes.fromhex(blob)
    try:
        return _cross(under).decrypt(raw[:12], raw[12:], _FORMAT.encode())
    except InvalidTag:
        return None


def _journal(vault: Path) -> dict[str, Any]:
    record: dict[str, Any] = json.loads((vault / WORK / JOURNAL).read_text(encoding="utf-8"))
    if record.get("format") != _FORMAT:
        raise VaultError(f"{vault / WORK / JOURNAL} is not a rekey journal")
    return record


def _write_journal(vault: Path, record: dict[str, Any]) -> None:
    write_file(vault / WORK / JOURNAL, json.dumps(record, indent=1).encode())


def _referenced() -> set[str]:
    from dhakira.apps.evidence.models import DerivedCopy, EvidenceItem

    shas = set(EvidenceItem.objects.values_list("sha256", flat=True))
    return shas | set(DerivedCopy.objects.exclude(blob_sha256="").values_list("blob_sha256", flat=True))


class _Chunks(io.RawIOBase):
    """A read-only stream over an iterator of chunks (a blob being decrypted)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks, self._left = chunks, b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._left:
            try:
                self._left = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(buffer), len(self._left))
        buffer[:size], self._left = self._left[:size], self._left[size:]
        return size


def _export_database(vault: Path, new_key: bytes) -> None:
    """Copy the database, under the new key, to ``rekey/new/dossier.db`` (whole or absent)."""
    from django.db import connection

    done = vault / WORK / "new" / DATABASE
    if done.exists():
        return
    building = done.with_name(DATABASE + ".part")
    building.unlink(missing_ok=True)
    raw = bytearray(b"x'" + new_key.hex().encode() + b"'")
    try:
        with connection.cursor() as cursor:
            cursor.execute("ATTACH DATABASE %s AS rekeyed KEY %s", [str(building), bytes(raw)])
            try:
                cursor.execute("SELECT sqlcipher_export('rekeyed')")
            finally:
                cursor.execute("DETACH DATABASE rekeyed")
    finally:
        raw[:] = bytes(len(raw))
    with open(building, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(building, done)
    fsync_dir(done.parent)


def start(vault: Path, plan: Plan, *, sqlcipher: bool, open_db: Callable[[bytes], None],
          record: Callable[[str, dict[str, Any]], None]) -> tuple[bytes, bytes, str]:
    """Begin a rekey: the journal and the new slots. Returns ``(old key, new key, rekey id)``.

    ``open_db(key)`` points the process's database at the vault under ``key``; ``record``
    appends a custody entry. Everything else happens in :func:`finish`.

    Raises:
        WrongPassphrase: the operator's passphrase, or one to keep, opens no slot.
    """
    label, old = keyslots.unlock_slot(vault, plan.operator)
    keep: list[tuple[str, str]] = []
    for passphrase in plan.keep:
        other, key = keyslots.unlock_slot(vault, passphrase)
        if key != old:
            raise WrongPassphrase("a passphrase to keep opens another vault", code="keep_opens_another")
        if other != label and other not in {k for k, _ in keep}:
            keep.append((other, passphrase))
    new = secrets.token_bytes(32)
    rekey_id = secrets.token_hex(8)
    open_db(old)
    record("rekey started", {"rekey": rekey_id, "kept": " ".join([label] + [k for k, _ in keep])})
    slots = len(keyslots.slot_params(vault))
    recovery_slots = len(list((vault / keyslots.SLOT_DIR).glob("recovery-*.json")))
    work = vault / WORK
    if work.exists():
        shutil.rmtree(work)
    (work / "new" / keyslots.SLOT_DIR).mkdir(mode=0o700, parents=True)
    (work / "new" / "blobs").mkdir(mode=0o700)  # so that the old blobs/ is always moved aside
    for slot_label, passphrase in [(label, plan.new_passphrase), *keep]:
        keyslots.write_slot(work / "new", new, passphrase, label=slot_label)
    _crashpoints.reached("rekey:slots")
    # The journal last: until it exists nothing has changed, and a rerun starts over.
    _write_journal(vault, {"format": _FORMAT, "id": rekey_id, "sqlcipher": sqlcipher,
                           "started": datetime.now(UTC).isoformat(timespec="seconds"),
                           "new_under_old": _wrap(old, new), "old_under_new": _wrap(new, old),
                           "kept": [label] + [k for k, _ in keep],
                           "dropped": slots - 1 - len(keep), "recovery_dropped": recovery_slots})
    return old, new, rekey_id


def keys_for(vault: Path, passphrase: str) -> tuple[bytes, bytes, str]:
    """``(old key, new key, rekey id)`` of an unfinished rekey, from a passphrase that opens
    either the old slots or the new ones.

    Raises:
        WrongPassphrase: it opens neither.
    """
    journal = _journal(vault)
    for where in (vault, vault / WORK / "new", vault / WORK / "old"):
        if not (where / keyslots.SLOT_DIR).is_dir():
            continue
        try:
            key = keyslots.unlock(where, passphrase)
        except (WrongPassphrase, VaultError):
            continue
        new = _unwrap(key, journal["new_under_old"])
        if new is not None:
            return key, new, str(journal["id"])
        old = _unwrap(key, journal["old_under_new"])
        if old is not None:
            return old, key, str(journal["id"])
    raise WrongPassphrase("wrong passphrase: it opens neither the old nor the new key slots "
                          "of this unfinished rekey", code="wrong_passphrase_rekey")


def _move(src: Path, dest: Path, *, aside: Path | None = None) -> None:
    """Put ``src`` at ``dest`` (moving what is there to ``aside``); a no-op once done."""
    if not src.exists():
        return
    if aside is not None and dest.exists():
        aside.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.replace(dest, aside)
        fsync_dir(dest.parent)
        _crashpoints.reached("rekey:aside")
    os.replace(src, dest)
    fsync_dir(dest.parent)
    _crashpoints.reached("rekey:moved")


def finish(vault: Path, old: bytes, new: bytes, rekey_id: str, *, open_db: Callable[[bytes], None],
           record: Callable[[str, dict[str, Any]], None],
           recorded: Callable[[str], bool]) -> Rekeyed:
    """Build what is left under ``rekey/new/``, move it into place, rewrite the rows naming
    blobs, record the end in custody and remove the journal. Safe to run again at any point."""
    work, journal = vault / WORK, _journal(vault)
    staged, before = work / "new", work / "old"
    if journal.get("phase") != "switching":
        open_db(old)
        shas = sorted(_referenced())
        old_store, new_store = BlobStore(vault, old), BlobStore(staged, new)
        for sha256 in shas:
            if not new_store.exists(sha256) and old_store.exists(sha256):
                new_store.put_stream(_Chunks(iter(old_store.open_stream(sha256))))  # type: ignore[arg-type]
                _crashpoints.reached("rekey:blob")
        if journal["sqlcipher"]:
            _export_database(vault, new)
        write_file(staged / signing.PRIVATE_FILE, signing.rewrapped(vault, old, new))
        _stage_sealed_files(vault, staged, old, new)
        _crashpoints.reached("rekey:staged")
        from django.db import connections

        connections.close_all()
        journal["phase"], journal["blobs"] = "switching", len(shas)
        _write_journal(vault, journal)
    if journal["sqlcipher"] and (staged / DATABASE).exists():
        for suffix in ("-wal", "-shm"):  # the old database's; its content is in the export
            (vault / (DATABASE + suffix)).unlink(missing_ok=True)
        _move(staged / DATABASE, vault / DATABASE)
    _move(staged / signing.PRIVATE_FILE, vault / signing.PRIVATE_FILE)
    for rel, _ in _sealed_files():
        _move(staged / rel, vault / rel)
    _move(staged / "blobs", vault / "blobs", aside=before / "blobs")
    _move(staged / keyslots.SLOT_DIR, vault / keyslots.SLOT_DIR, aside=before / keyslots.SLOT_DIR)
    open_db(new)
    _rewrite_rows(old, new)
    _crashpoints.reached("rekey:rows")
    if not recorded(rekey_id):
        record("rekey finished", {"rekey": rekey_id, "blobs": int(journal["blobs"]),
                                  "kept": " ".join(journal["kept"]),
                                  "dropped": int(journal.get("dropped", 0)),
                                  "recovery_dropped": int(journal.get("recovery_dropped", 0))})
    _crashpoints.reached("rekey:recorded")
    for path in sorted((before / keyslots.SLOT_DIR).glob("*")) if before.exists() else []:
        shred(path)
    shutil.rmtree(before, ignore_errors=True)
    shred(work / JOURNAL)
    shutil.rmtree(work, ignore_errors=True)
    fsync_dir(vault)
    return Rekeyed(rekey_id, int(journal["blobs"]), tuple(journal["kept"]),
                   int(journal.get("dropped", 0)), int(journal.get("recovery_dropped", 0)))


def _sealed_files() -> tuple[tuple[str, str], ...]:
    """Files in the vault sealed with :mod:`dhakira.core.vault.sealed`: (path, purpose)."""
    from dhakira.apps.web import tls

    return ((tls.KEY_FILE, tls.PURPOSE),)


def _stage_sealed_files(vault: Path, staged: Path, old: bytes, new: bytes) -> None:
    """Seal each sealed file again under ``new``, into ``staged`` (moved into place later).

    A file that opens under neither key was damaged before the rekey: it is left as it is
    (it opened under no key then either), as damaged sealed rows are.
    """
    from dhakira.core.vault import sealed

    for rel, purpose in _sealed_files():
        source = vault / rel
        if not source.is_file():
            continue
        try:
            token = sealed.reseal(source.read_bytes(), purpose=purpose, old_key=old, new_key=new)
        except sealed.SealBroken:
            continue
        (staged / rel).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_file(staged / rel, token if token is not None else source.read_bytes())


def _rewrite_rows(old: bytes, new: bytes) -> None:
    """Rows that hold something made with the key: blob names, sealed pending uploads, and
    sessions (login sessions and drafts are dropped). Idempotent."""
    from django.contrib.sessions.models import Session
    from django.db import transaction

    from dhakira.apps.dossier import pending
    from dhakira.apps.dossier.models import PendingFile
    from dhakira.apps.evidence.models import EvidenceItem
    from dhakira.apps.importing import held
    from dhakira.core.vault import sealed

    names = BlobStore(Path(os.devnull), new)
    with transaction.atomic():
        for sha256 in set(EvidenceItem.objects.values_list("sha256", flat=True)):
            EvidenceItem.objects.filter(sha256=sha256).update(blob_name=names.blob_name(sha256))
        for row in PendingFile.objects.all():
            try:
                name = sealed.reseal(row.sealed_name, purpose=pending.NAME_PURPOSE,
                                     old_key=old, new_key=new)
                data = sealed.reseal(row.sealed_data, purpose=pending.DATA_PURPOSE,
                                     old_key=old, new_key=new)
            except sealed.SealBroken:
                continue  # damaged before the rekey: it opened under no key then either
            if name is not None and data is not None:
                PendingFile.objects.filter(pk=row.pk).update(sealed_name=name, sealed_data=data)
        Session.objects.all().delete()
        held.drop_all()  # sheets waiting in the import wizard: uploaded again, like drafts
