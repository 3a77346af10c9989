"""Encrypted, content-addressed blob store: streaming AES-256-GCM with keyed file names.

Every original piece of evidence is stored once, encrypted, and never changes. The format
(see ``docs/custody.md``, "Blob format")::

    header  = b"DHKB" ‖ version (1 byte) ‖ salt (32 random bytes)
    key     = HKDF-SHA256(data_key, salt=salt, info=b"dhakira blob v1")
    chunk i = AES-256-GCM(key, nonce = i (11 bytes, big-endian) ‖ final (1 byte),
                          plaintext = up to 1 MiB, aad = header [‖ sha256 if final])

The final chunk's associated data also carries the raw SHA-256 of the whole plaintext, so
a blob renamed over another blob's name fails authentication. File names are
``HMAC-SHA256(name_key, sha256)``: holding the hash of a known file does not reveal that
the vault holds it.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import os
import re
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from dhakira.core.vault import session
from dhakira.core.vault._files import fsync_dir
from dhakira.core.vault.errors import BlobIntegrityError, BlobNotFound, InvalidBlobRequest

__all__ = ["BlobStore", "CHUNK_SIZE", "Leftover", "StoredBlob"]

MAGIC = b"DHKB"
VERSION = 1
SALT_SIZE = 32
HEADER_SIZE = len(MAGIC) + 1 + SALT_SIZE
CHUNK_SIZE = 1024 * 1024
TAG_SIZE = 16
FILE_INFO = b"dhakira blob v1"
NAME_INFO = b"dhakira blob names v1"
_HEX64 = re.compile(r"[0-9a-f]{64}")
# The 11-byte counter cannot realistically overflow (2**88 MiB), but refuse rather than wrap.
_MAX_CHUNKS = 2**88


@dataclass(frozen=True)
class StoredBlob:
    """The outcome of storing one stream.

    Attributes:
        sha256: hex SHA-256 of the plaintext; the blob's public identity.
        size: plaintext size in bytes.
        blob_name: the keyed file name (hex HMAC) under ``blobs/``.
        created: False when the same bytes were already held (deduplicated).
    """

    sha256: str
    size: int
    blob_name: str
    created: bool


@dataclass(frozen=True)
class Leftover:
    """A file under ``blobs/`` that :meth:`BlobStore.remove_leftover` may remove.

    Attributes:
        name: the file's name (a keyed blob name, or ``.tmp-*.part``).
        size: its size in bytes (ciphertext).
        age: seconds since it was last written or reused.
        partial: True for a temporary file an interrupted writer left.
    """

    name: str
    size: int
    age: float
    partial: bool


def _hkdf(key: bytes, *, salt: bytes | None, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(key)


def _nonce(counter: int, final: bool) -> bytes:
    if counter >= _MAX_CHUNKS:
        raise OverflowError("blob too large for the chunk counter")
    return counter.to_bytes(11, "big") + (b"\x01" if final else b"\x00")


def _check_sha256(sha256: str) -> str:
    if not isinstance(sha256, str) or not _HEX64.fullmatch(sha256):
        raise InvalidBlobRequest(
            f"expected a SHA-256 as 64 lowercase hex characters, got {sha256!r}"
        )
    return sha256


def _read_full(fileobj: BinaryIO, size: int) -> bytes:
    """Read exactly ``size`` bytes unless EOF comes first (pipes may return short reads)."""
    first = fileobj.read(size)
    if not first or len(first) == size:
        return first
    parts = [first]
    got = len(first)
    while got < size:
        more = fileobj.read(size - got)
        if not more:
            break
        parts.append(more)
        got += len(more)
    return b"".join(parts)


def _encrypt_with_salt(
    data_key: bytes, fileobj: BinaryIO, out: BinaryIO, *, salt: bytes
) -> tuple[str, int]:
    """Encrypt ``fileobj`` into ``out`` with a caller-chosen salt.

    Private: only :meth:`BlobStore.put_stream` (with a fresh random salt) and the
    known-answer vector tests (with a fixed salt) call it. Callers never choose salts.

    Returns:
        (hex SHA-256 of the plaintext, plaintext size).
    """
    header = MAGIC + bytes([VERSION]) + salt
    aead = AESGCM(_hkdf(data_key, salt=salt, info=FILE_INFO))
    digest = hashlib.sha256()
    out.write(header)
    size = 0
    counter = 0
    # Look one chunk ahead: the final flag must be set on the last chunk, and only EOF tells.
    current = _read_full(fileobj, CHUNK_SIZE)
    while True:
        following = _read_full(fileobj, CHUNK_SIZE) if len(current) == CHUNK_SIZE else b""
        digest.update(current)
        size += len(current)
        if following:
            out.write(aead.encrypt(_nonce(counter, False), current, header))
        else:
            aad = header + digest.digest()
            out.write(aead.encrypt(_nonce(counter, True), current, aad))
            return digest.hexdigest(), size
        counter += 1
        current = following


def _decrypt_chunks(data_key: bytes, fileobj: BinaryIO, sha256: str) -> Iterator[bytes]:
    """Yield authenticated plaintext chunks; raise BlobIntegrityError on any failure.

    A chunk is authentic when yielded, but truncation and swapping are only known at the
    final chunk: a consumer must treat the output as untrusted until the iterator ends.
    """
    header = _read_full(fileobj, HEADER_SIZE)
    if len(header) != HEADER_SIZE or header[:4] != MAGIC or header[4] != VERSION:
        raise BlobIntegrityError(sha256)
    aead = AESGCM(_hkdf(data_key, salt=header[5:], info=FILE_INFO))
    digest = hashlib.sha256()
    final_aad = header + bytes.fromhex(sha256)
    step = CHUNK_SIZE + TAG_SIZE
    counter = 0
    current = _read_full(fileobj, step)
    while True:
        following = _read_full(fileobj, step) if len(current) == step else b""
        final = not following
        try:
            plain = aead.decrypt(_nonce(counter, final), current, final_aad if final else header)
        except (InvalidTag, ValueError):
            # ValueError: a chunk shorter than a tag after truncation.
            raise BlobIntegrityError(sha256) from None
        digest.update(plain)
        if final:
            # The AAD already binds the hash; re-hashing guards against a bug in that path.
            if not hmac.compare_digest(digest.hexdigest(), sha256):
                raise BlobIntegrityError(sha256)
            if plain:
                yield plain
            return
        yield plain
        counter += 1
        current = following


class BlobStore:
    """An encrypted, deduplicating store of evidence files under ``root/blobs``.

    Args:
        root: the vault directory; blobs live in ``root / "blobs"``.
        data_key: the vault's 32-byte data key (from an unlocked key slot).

    Raises:
        InvalidBlobRequest: if the data key is not 32 bytes.
    """

    def __init__(self, root: Path, data_key: bytes) -> None:
        if not isinstance(data_key, bytes) or len(data_key) != 32:
            raise InvalidBlobRequest("the data key must be exactly 32 bytes")
        self._dir = Path(root) / "blobs"
        self._key = data_key
        self._name_key = _hkdf(data_key, salt=None, info=NAME_INFO)
        # Shard directories whose new entries are not yet durable (see ``put_stream``).
        self._unsynced: set[Path] = set()

    def __repr__(self) -> str:
        return f"BlobStore({str(self._dir.parent)!r})"

    def blob_name(self, sha256: str) -> str:
        """Return the keyed file name for a plaintext SHA-256 (hex HMAC-SHA256)."""
        raw = bytes.fromhex(_check_sha256(sha256))
        return hmac.new(self._name_key, raw, hashlib.sha256).hexdigest()

    def _path(self, blob_name: str) -> Path:
        return self._dir / blob_name[:2] / blob_name

    def exists(self, sha256: str) -> bool:
        """Return True if a blob with this plaintext SHA-256 is held."""
        return self._path(self.blob_name(sha256)).is_file()

    def put_stream(self, fileobj: BinaryIO, *, sync_dir: bool = True) -> StoredBlob:
        """Encrypt and store a stream, 1 MiB at a time, never holding it whole in memory.

        The ciphertext goes to a temporary file inside ``blobs/`` and is renamed into place
        only once complete; on any error the temporary file is removed, so nothing partial
        remains.

        Args:
            fileobj: a binary stream opened for reading.
            sync_dir: make the rename durable now (fsync the directory). A batch passes
                False and calls :meth:`sync` once before it commits the rows naming its
                blobs; the file itself is always fsynced before the rename.

        Returns:
            The stored blob; ``created`` is False if the same bytes were already held
            intact. A held copy that fails verification is replaced (``created`` True).
        """
        self._dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=".part", dir=self._dir)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                sha256, size = _encrypt_with_salt(
                    self._key, fileobj, out, salt=os.urandom(SALT_SIZE)
                )
                out.flush()
                os.fsync(out.fileno())
            name = self.blob_name(sha256)
            final = self._path(name)
            if final.is_file():
                with self._lock(fcntl.LOCK_SH):
                    if final.is_file() and self._is_intact(sha256):
                        # Touched, so `dhakira repair` sees it as new until the row naming
                        # it commits (it removes only old unreferenced blobs, under LOCK_EX).
                        os.utime(final)
                        tmp.unlink()
                        return StoredBlob(sha256, size, name, created=False)
            # A damaged copy of the same bytes is replaced: re-ingesting repairs it.
            dirs = {final.parent}
            if not final.parent.is_dir():
                final.parent.mkdir(mode=0o700, exist_ok=True)
                dirs.add(self._dir)  # a new shard's own entry must be durable too
            # Same file system, so the rename is atomic. Two writers racing on the same
            # bytes both produce valid blobs; whichever lands last wins, harmlessly.
            os.replace(tmp, final)
            self._unsynced.update(dirs)
            if sync_dir:
                self.sync()
            return StoredBlob(sha256, size, name, created=True)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            raise

    def sync(self) -> None:
        """Make the blobs stored with ``sync_dir=False`` durable: fsync each directory once."""
        while self._unsynced:
            fsync_dir(self._unsynced.pop())

    def _is_intact(self, sha256: str) -> bool:
        try:
            self.verify_blob(sha256)
        except (BlobIntegrityError, BlobNotFound):
            return False
        return True

    def remove_partial_files(self) -> int:
        """Remove every temporary file left by an interrupted process; return how many.

        Only when no ``put_stream`` is running: it would remove a concurrent writer's
        temporary file. :meth:`leftovers` with a grace period is safe at any time.
        """
        if not self._dir.is_dir():
            return 0
        removed = 0
        for path in self._dir.glob(".tmp-*.part"):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed += 1
        return removed

    @contextlib.contextmanager
    def _lock(self, how: int) -> Iterator[None]:
        """Writers reusing a blob (shared) against removal of old ones (exclusive)."""
        fd = os.open(self._dir / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, how)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def leftovers(self, referenced: set[str], *, older_than: float) -> list[Leftover]:
        """Temporary files, and blobs whose name is not in ``referenced``, not written (nor
        reused) for ``older_than`` seconds; sorted by name.

        List first, then read ``referenced`` from the database, so that a blob whose row
        commits in between counts as referenced.
        """
        found = []
        for path, partial in self._files():
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            age = time.time() - stat.st_mtime
            if (partial or path.name not in referenced) and age >= older_than:
                found.append(Leftover(path.name, stat.st_size, age, partial))
        return sorted(found, key=lambda left: (not left.partial, left.name))

    def unreferenced(self, referenced: set[str]) -> list[Leftover]:
        """Every blob whose name is not in ``referenced`` (of any age), sorted by name."""
        return [left for left in self.leftovers(referenced, older_than=float("-inf"))
                if not left.partial]

    def remove_leftover(self, leftover: Leftover, *, older_than: float) -> bool:
        """Remove a file found by :meth:`leftovers` if it is still that old; True if removed.

        Under the exclusive lock, the age is read again: a writer that reused the blob in
        the meantime has touched it, and it stays.
        """
        path = (self._dir / leftover.name if leftover.partial
                else self._path(leftover.name))
        with self._lock(fcntl.LOCK_EX):
            try:
                if time.time() - path.stat().st_mtime < older_than:
                    return False
                path.unlink()
            except FileNotFoundError:
                return False
        fsync_dir(path.parent)
        return True

    def _files(self) -> Iterator[tuple[Path, bool]]:
        if not self._dir.is_dir():
            return
        for path in self._dir.glob(".tmp-*.part"):
            yield path, True
        for name in self.iter_names():
            yield self._path(name), False

    def open_stream(self, sha256: str) -> Iterator[bytes]:
        """Yield the plaintext of a blob in chunks, authenticating each one.

        The output is trustworthy only once the iterator is exhausted without error:
        truncation and swapping are detected at the final chunk.

        Raises:
            BlobNotFound: if no such blob is held (raised by this call, not lazily).
            BlobIntegrityError: if the blob was altered, truncated, extended or swapped.
        """
        path = self._path(self.blob_name(sha256))
        try:
            fileobj = path.open("rb")
        except FileNotFoundError:
            raise BlobNotFound(sha256) from None
        return self._stream_from(fileobj, sha256)

    def _stream_from(self, fileobj: BinaryIO, sha256: str) -> Iterator[bytes]:
        with fileobj:
            yield from _decrypt_chunks(self._key, fileobj, sha256)

    def read_to(self, sha256: str, out_fileobj: BinaryIO) -> int:
        """Decrypt a blob into ``out_fileobj``; discard the output if this raises.

        Returns:
            The number of plaintext bytes written.

        Raises:
            BlobNotFound, BlobIntegrityError: as for :meth:`open_stream`.
        """
        written = 0
        for chunk in self.open_stream(sha256):
            out_fileobj.write(chunk)
            written += len(chunk)
        return written

    def verify_blob(self, sha256: str) -> None:
        """Decrypt and re-hash a blob; return None if it is intact.

        Raises:
            BlobNotFound: if no such blob is held.
            BlobIntegrityError: if it was altered, truncated, extended or swapped.
        """
        for _chunk in self.open_stream(sha256):
            pass

    def iter_names(self) -> Iterator[str]:
        """Yield the keyed names of all stored blobs, sorted; temporary files are skipped."""
        if not self._dir.is_dir():
            return
        for shard in sorted(self._dir.iterdir()):
            if not shard.is_dir() or len(shard.name) != 2:
                continue
            for entry in sorted(shard.iterdir()):
                if _HEX64.fullmatch(entry.name) and entry.name[:2] == shard.name:
                    yield entry.name

    def delete(self, sha256: str) -> None:
        """Remove a blob's file (the storage half of a purge).

        This does not defeat a copy taken earlier, nor blocks kept by flash storage: the
        per-file key is derived from the vault's data key and the salt in the file header.

        Raises:
            BlobNotFound: if no such blob is held.
        """
        path = self._path(self.blob_name(sha256))
        try:
            path.unlink()
        except FileNotFoundError:
            raise BlobNotFound(sha256) from None
        fsync_dir(path.parent)



_stores: dict[tuple[str, int], BlobStore] = {}


def store_for(root: Path | str) -> BlobStore:
    """The blob store of the vault at ``root``, opened with the unlocked data key (one per
    vault and unlock, forgotten when the vault locks: the store holds the key).

    Raises:
        VaultLocked: the vault is locked.
    """
    with session.borrow() as key:
        handle = (str(root), session.generation())
        store = _stores.get(handle)
        if store is None:
            _stores.clear()
            store = _stores[handle] = BlobStore(Path(root), bytes(key))
        return store


session.on_lock(_stores.clear)
