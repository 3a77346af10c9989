"""Backups that restore: consistent, encrypted, incremental snapshots of a vault in use.

A backup folder holds every snapshot and one shared, content-addressed blob store::

    DIR/blobs/<ab>/<keyed name>         encrypted blobs, copied once, never changed
    DIR/snapshots/<id>/dossier.db       the SQLCipher database (still encrypted, same key)
    DIR/snapshots/<id>/...              key slots, signing key, stamp, other vault files
    DIR/snapshots/<id>/manifest.json    every file and blob with its size and SHA-256
    DIR/snapshots/<id>/manifest.mac     HMAC-SHA256 of the manifest under a key from the data key

The database is copied with SQLite's online backup API in one read transaction, so writers
carry on and the copy is one consistent state. Blobs are written before the rows naming them
commit and never change, so every blob the copy names is already there when the blob store is
copied afterwards. A snapshot is built under ``snapshots/.partial-<id>`` and renamed into place
last: a backup killed at any point leaves the earlier snapshots whole, and the next backup
removes what it left. :func:`restore` refuses a snapshot whose manifest or any file does not
match, naming the first one, before it writes anything.

On PostgreSQL the database is not in the vault folder: the snapshot holds everything else and
the office dumps the database with ``pg_dump`` (see docs/backup.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from dhakira.apps.vault import rekey
from dhakira.core.vault import _crashpoints, keyslots
from dhakira.core.vault._files import fsync_dir, write_file
from dhakira.core.vault.errors import VaultError

__all__ = ["BackupRefused", "Snapshot", "latest", "make", "restore", "snapshots"]

FORMAT = "dhakira-backup-1"
DATABASE = "dossier.db"
_SKIP_TOP = {DATABASE, f"{DATABASE}-wal", f"{DATABASE}-shm", f"{DATABASE}-journal",
             "test-dossier.db", "blobs", "tmp", "rekey"}
_CHUNK = 1024 * 1024


class BackupRefused(VaultError):
    """A backup that cannot be made, or a snapshot that does not match its manifest."""

    exit_code = 5


@dataclass(frozen=True)
class Snapshot:
    """One complete snapshot: its id and folder, and what it holds."""

    snapshot_id: str
    path: Path
    files: int
    blobs: int
    new_blobs: int
    backend: str


def _mac_key(data_key: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt=None, info=b"dhakira backup manifest v1").derive(data_key)


def _sha256(path: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _copy(src: Path, dest: Path) -> tuple[int, str]:
    """Copy ``src`` to ``dest`` through a temporary name, durably; its size and SHA-256."""
    dest.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{secrets.token_hex(4)}.tmp")
    digest, size = hashlib.sha256(), 0
    try:
        with open(src, "rb") as inp, open(tmp, "xb") as out:
            os.fchmod(out.fileno(), 0o600)
            while chunk := inp.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, dest)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return size, digest.hexdigest()


def _vault_files(vault: Path) -> list[Path]:
    """The vault's small files to snapshot (relative), besides the database and the blobs."""
    found = []
    for path in sorted(vault.rglob("*")):
        rel = path.relative_to(vault)
        if rel.parts[0] in _SKIP_TOP or any(p.startswith(".") for p in rel.parts):
            continue
        if path.is_file() and not path.is_symlink():
            found.append(rel)
    return found


def snapshots(target: Path) -> list[Path]:
    """The complete snapshots in a backup folder, oldest first."""
    folder = target / "snapshots"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.is_dir() and not p.name.startswith(".") and (p / "manifest.mac").is_file())


def latest(target: Path) -> Path | None:
    """The newest complete snapshot, or None."""
    found = snapshots(target)
    return found[-1] if found else None


def _previous_blobs(target: Path) -> dict[str, list[Any]]:
    last = latest(target)
    if last is None:
        return {}
    try:
        blobs = json.loads((last / "manifest.json").read_text(encoding="utf-8"))["blobs"]
        return dict(blobs) if isinstance(blobs, dict) else {}
    except (OSError, ValueError, KeyError):
        return {}


def _copy_database(vault: Path, dest: Path, data_key: bytes) -> None:
    from sqlcipher3 import dbapi2 as Database  # SQLCipher only

    from dhakira.apps.vault.sqlcipher import keying

    source = Database.connect(str(vault / DATABASE), timeout=20)
    copy = Database.connect(str(dest))
    try:
        for conn in (source, copy):
            conn.execute("PRAGMA cipher_log_level = NONE")
            keying.key_connection(conn, data_key)
        source.execute("PRAGMA busy_timeout = 20000")
        source.backup(copy)  # one step: a single read transaction, writers carry on
        copy.commit()
    finally:
        copy.close()
        source.close()


def make_unlocked(vault: Path, target: Path, *, backend: str = "sqlcipher") -> Snapshot:
    """:func:`make` with the unlocked vault's data key (which stays in this package).

    Raises:
        VaultLocked: the vault is locked.
    """
    from dhakira.core.vault import session

    with session.borrow() as key:
        return make(vault, target, bytes(key), backend=backend)


def make(vault: Path, target: Path, data_key: bytes, *, backend: str = "sqlcipher") -> Snapshot:
    """Write a new snapshot of ``vault`` into ``target``; return it.

    Raises:
        BackupRefused: the target is inside the vault, or a rekey is unfinished.
    """
    vault, target = vault.resolve(), target.resolve()
    if target == vault or vault in target.parents:
        raise BackupRefused("the backup folder must be outside the vault")
    if rekey.unfinished(vault):
        raise BackupRefused("a rekey is unfinished: run `dhakira rekey` again first")
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    (target / "snapshots").mkdir(mode=0o700, exist_ok=True)
    for left in (target / "snapshots").glob(".partial-*"):  # what a killed backup left
        shutil.rmtree(left, ignore_errors=True)
    snapshot_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    partial = target / "snapshots" / f".partial-{snapshot_id}"
    partial.mkdir(mode=0o700)
    files: dict[str, list[Any]] = {}
    if backend == "sqlcipher":
        _copy_database(vault, partial / DATABASE, data_key)
        files[DATABASE] = list(_sha256(partial / DATABASE))
    _crashpoints.reached("backup:database")
    for rel in _vault_files(vault):
        files[str(rel)] = list(_copy(vault / rel, partial / rel))
    previous = _previous_blobs(target)
    blobs: dict[str, list[Any]] = {}
    new = 0
    source_blobs = vault / "blobs"
    for path in sorted(source_blobs.glob("??/*")) if source_blobs.is_dir() else []:
        if path.name.startswith(".") or not path.is_file():
            continue
        name = f"{path.parent.name}/{path.name}"  # blobs/<first two>/<keyed name>
        held = target / "blobs" / name
        known = previous.get(name)
        if known and held.is_file() and held.stat().st_size == known[0] == path.stat().st_size:
            blobs[name] = known  # content-addressed and never changed: already there
            continue
        blobs[name] = list(_copy(path, held))
        new += 1
        fsync_dir(held.parent)
        _crashpoints.reached("backup:blob")
    manifest = json.dumps({"format": FORMAT, "id": snapshot_id, "backend": backend,
                           "made": datetime.now(UTC).isoformat(timespec="seconds"),
                           "files": files, "blobs": blobs}, indent=1, sort_keys=True).encode()
    write_file(partial / "manifest.json", manifest)
    write_file(partial / "manifest.mac",
               hmac.new(_mac_key(data_key), manifest, hashlib.sha256).hexdigest().encode())
    _crashpoints.reached("backup:manifest")
    final = target / "snapshots" / snapshot_id
    os.replace(partial, final)
    fsync_dir(target / "snapshots")
    return Snapshot(snapshot_id, final, len(files), len(blobs), new, backend)


def _refuse(what: str) -> BackupRefused:
    return BackupRefused(f"the backup was changed or is damaged: {what}; nothing was restored "
                         "(restore an earlier snapshot with --snapshot)")


def check(source: Path, snapshot: Path, passphrase: str) -> tuple[dict[str, Any], bytes]:
    """Check ``snapshot`` of the backup folder ``source`` whole; its manifest and data key.

    Raises:
        WrongPassphrase: no key slot of the snapshot opens with ``passphrase``.
        BackupRefused: the manifest, or any file or blob, does not match.
    """
    try:
        raw = (snapshot / "manifest.json").read_bytes()
        mac = (snapshot / "manifest.mac").read_bytes().strip()
    except OSError:
        raise _refuse(f"snapshot {snapshot.name} has no manifest") from None
    data_key = keyslots.unlock(snapshot, passphrase)
    expected = hmac.new(_mac_key(data_key), raw, hashlib.sha256).hexdigest().encode()
    if not hmac.compare_digest(mac, expected):
        raise _refuse(f"the manifest of snapshot {snapshot.name} does not match its seal")
    manifest = json.loads(raw)
    if manifest.get("format") != FORMAT:
        raise _refuse(f"snapshot {snapshot.name} is not a {FORMAT} snapshot")
    if manifest.get("id") != snapshot.name:  # the sealed id, not the folder's name, says when
        raise _refuse(f"the folder {snapshot.name} holds snapshot {manifest.get('id')} "
                      "(renamed)")
    wanted = [(snapshot / rel, rel, meta) for rel, meta in sorted(manifest["files"].items())]
    wanted += [(source / "blobs" / name, f"blobs/{name}", meta)
               for name, meta in sorted(manifest["blobs"].items())]
    for path, rel, (size, digest) in wanted:
        if ".." in Path(rel).parts or Path(rel).is_absolute():
            raise _refuse(f"the manifest names {rel!r}")
        if not path.is_file():
            raise _refuse(f"{rel} is missing")
        if path.stat().st_size != size or _sha256(path)[1] != digest:
            raise _refuse(f"{rel} does not match the manifest")
    return manifest, data_key


def restore(source: Path, dest: Path, passphrase: str, *,
            snapshot_id: str | None = None) -> tuple[Path, str]:
    """Rebuild a vault at ``dest`` (new) from a snapshot in ``source``; the snapshot used and
    the database backend it was made on (``sqlcipher`` or ``postgresql``).

    Everything is checked before anything is written, and the vault is assembled under a
    temporary name and renamed into place, so ``dest`` is either whole or absent.

    Raises:
        BackupRefused: no snapshot, ``dest`` exists, or the snapshot does not match.
        WrongPassphrase: no key slot of the snapshot opens with ``passphrase``.
    """
    if dest.exists() and any(dest.iterdir()):
        raise BackupRefused(f"{dest} is not empty; restore into a new folder")
    if snapshot_id is not None:
        snapshot = source / "snapshots" / snapshot_id
        if snapshot not in snapshots(source):
            raise BackupRefused(f"no complete snapshot {snapshot_id!r} in {source}")
    else:
        found = latest(source)
        if found is None:
            raise BackupRefused(f"{source} holds no complete snapshot")
        snapshot = found
    manifest, _ = check(source, snapshot, passphrase)
    building = dest.with_name(f".{dest.name}.restoring-{secrets.token_hex(4)}")
    building.mkdir(mode=0o700, parents=True)
    building.chmod(0o700)
    try:
        for rel in manifest["files"]:
            _copy(snapshot / rel, building / rel)
        for name in manifest["blobs"]:
            _copy(source / "blobs" / name, building / "blobs" / name)
        if dest.exists():
            dest.rmdir()
        os.replace(building, dest)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    fsync_dir(dest.parent)
    return snapshot, str(manifest.get("backend", "sqlcipher"))
