"""A scratch file for intake that never puts plaintext on disk.

Intake needs a seekable stream for what has no file of its own: an upload, an archive
member, an e-mail attachment, a decrypted original being read for its text. Small ones are
held in memory. Past ``memory_bytes`` the stream spills to an anonymous file in ``directory``,
encrypted with a random key that lives only in this object::

    chunk i = AES-256-GCM(ephemeral key, nonce = i (12 bytes, big-endian),
                          plaintext = CHUNK_SIZE bytes)  at offset i * (CHUNK_SIZE + 16)

Only whole chunks reach the file, each exactly once (the stream is written front to back),
so no nonce is ever reused; the last, partial chunk stays in memory. The file is unlinked as
it is created, and its key is gone when the object is: what a crash leaves is noise.

Unlike :class:`tempfile.SpooledTemporaryFile` there is no ``fileno()``: nothing can hand the
plaintext to the operating system behind the spool's back.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import IO, TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer, WriteableBuffer

__all__ = ["CHUNK_SIZE", "EncryptedSpool", "SpoolTampered"]

CHUNK_SIZE = 64 * 1024
_TAG = 16


class SpoolTampered(OSError):
    """A spilled chunk failed authentication: the scratch file was changed under us."""


class EncryptedSpool(io.BufferedIOBase):
    """A seekable binary stream, written front to back, then read anywhere.

    Args:
        directory: where the encrypted spill file goes (created 0700 if missing).
        memory_bytes: plaintext held in memory before spilling; 0 spills from the first
            whole chunk.

    Raises:
        ValueError: a negative ``memory_bytes``.
    """

    def __init__(self, directory: Path, memory_bytes: int) -> None:
        super().__init__()
        if memory_bytes < 0:
            raise ValueError("memory_bytes must be 0 or more")
        self._dir = Path(directory)
        self._limit = memory_bytes
        self._memory: bytearray | None = bytearray()  # None once spilled
        self._file: IO[bytes] | None = None
        self._aead: AESGCM | None = None
        self._chunks = 0  # whole chunks in the file
        self._tail = bytearray()  # after the file's chunks (spilled only)
        self._size = 0
        self._pos = 0
        self._cached: tuple[int, bytes] | None = None

    @property
    def spilled(self) -> bool:
        """Whether part of the stream is in the encrypted file (for tests and limits)."""
        return self._memory is None

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def fileno(self) -> int:
        raise io.UnsupportedOperation("an encrypted spool has no file descriptor to hand out")

    def tell(self) -> int:
        self._check_open()
        return self._pos

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        self._check_open()
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: self._size}.get(whence)
        if base is None:
            raise ValueError(f"invalid whence ({whence!r})")
        if base + offset < 0:
            raise ValueError(f"negative seek position {base + offset}")
        self._pos = base + offset
        return self._pos

    def write(self, data: ReadableBuffer) -> int:
        """Append ``data``; writing anywhere but at the end is refused (a nonce is used once)."""
        self._check_open()
        view = memoryview(data).cast("B")
        if self._pos != self._size:
            raise io.UnsupportedOperation("an encrypted spool is written front to back only")
        if self._memory is not None:
            self._memory += view
            if len(self._memory) > self._limit:
                self._spill()
        else:
            self._tail += view
            self._flush_chunks()
        self._size += len(view)
        self._pos = self._size
        return len(view)

    def read(self, size: int | None = -1) -> bytes:
        self._check_open()
        end = self._size if size is None or size < 0 else min(self._size, self._pos + size)
        parts = []
        while self._pos < end:
            piece = self._piece(self._pos, end - self._pos)
            parts.append(piece)
            self._pos += len(piece)
        return b"".join(parts)

    def read1(self, size: int = -1) -> bytes:
        return self.read(size)

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        data = self.read(len(view))
        view[:len(data)] = data
        return len(data)

    def peek(self, size: int = 0) -> bytes:
        """Bytes from the current position without moving it."""
        self._check_open()
        if self._pos >= self._size:
            return b""
        return self._piece(self._pos, max(size, 1) if size > 0 else CHUNK_SIZE)

    def readline(self, size: int | None = -1) -> bytes:
        """One line, searched for in place (mailboxes are read line by line)."""
        self._check_open()
        end = self._size if size is None or size < 0 else min(self._size, self._pos + size)
        parts = []
        while self._pos < end:
            buffer, start = self._where(self._pos)
            stop = min(len(buffer), start + end - self._pos)
            newline = buffer.find(b"\n", start, stop)
            if newline >= 0:
                stop = newline + 1
            parts.append(bytes(buffer[start:stop]))
            self._pos += stop - start
            if newline >= 0:
                break
        return b"".join(parts)

    def close(self) -> None:
        if not self.closed:
            # Zero what this object holds (readers' copies are theirs to drop).
            for buffer in (self._memory, self._tail):
                if buffer is not None:
                    buffer[:] = bytes(len(buffer))
            self._memory = None
            self._tail = bytearray()
            self._cached = None
            self._aead = None
            if self._file is not None:
                self._file.close()
        super().close()

    def _check_open(self) -> None:
        if self.closed:
            raise ValueError("I/O operation on a closed spool")

    def _piece(self, pos: int, most: int) -> bytes:
        """Up to ``most`` bytes at ``pos``, from one chunk (or from memory)."""
        buffer, start = self._where(pos)
        return bytes(buffer[start:start + most])

    def _where(self, pos: int) -> tuple[bytes | bytearray, int]:
        """The buffer holding ``pos`` (memory, a decrypted chunk or the tail) and the index
        of ``pos`` in it."""
        if self._memory is not None:
            return self._memory, pos
        index, offset = divmod(pos, CHUNK_SIZE)
        if index >= self._chunks:
            return self._tail, pos - self._chunks * CHUNK_SIZE
        return self._chunk(index), offset

    def _chunk(self, index: int) -> bytes:
        if self._cached is not None and self._cached[0] == index:
            return self._cached[1]
        assert self._file is not None and self._aead is not None
        self._file.seek(index * (CHUNK_SIZE + _TAG))
        sealed = self._file.read(CHUNK_SIZE + _TAG)
        try:
            plain = self._aead.decrypt(_nonce(index), sealed, None)
        except (InvalidTag, ValueError):
            raise SpoolTampered("the spooled data was altered on disk") from None
        self._cached = (index, plain)
        return plain

    def _spill(self) -> None:
        self._dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Anonymous (O_TMPFILE where the system has it): no name to find, nothing left on a crash.
        self._file = tempfile.TemporaryFile(dir=self._dir)  # noqa: SIM115 (closed by close())
        self._aead = AESGCM(AESGCM.generate_key(bit_length=256))
        assert self._memory is not None
        self._tail, self._memory = self._memory, None
        self._flush_chunks()

    def _flush_chunks(self) -> None:
        """Encrypt every whole chunk of the tail to the file; keep the rest in memory."""
        assert self._file is not None and self._aead is not None
        whole = len(self._tail) // CHUNK_SIZE
        if not whole:
            return
        self._file.seek(self._chunks * (CHUNK_SIZE + _TAG))
        with memoryview(self._tail) as view:
            for n in range(whole):
                with view[n * CHUNK_SIZE:(n + 1) * CHUNK_SIZE] as plain:
                    self._file.write(self._aead.encrypt(_nonce(self._chunks), plain, None))
                self._chunks += 1
        self._file.flush()
        del self._tail[:whole * CHUNK_SIZE]


def _nonce(index: int) -> bytes:
    return index.to_bytes(12, "big")
