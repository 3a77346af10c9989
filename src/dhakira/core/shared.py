"""A fixed table of times per key in anonymous shared memory, seen by every serving process.

The table is made before ``dhakira serve --workers N`` forks (``memfd``, no path on disk, mapped
``MAP_SHARED``), so every worker reads and writes the same slots. Each key is kept as a keyed
hash of fixed size (a salt drawn when the table is made: the hashes mean nothing elsewhere, and
a long key takes no more room than a short one) with a fixed number of times. The lock between
processes is a ``fcntl`` record lock, which the kernel releases when its holder dies: a worker
killed mid-request leaves no one waiting. Nothing is written to disk and a restart forgets all.

Used by the login throttle (:mod:`dhakira.core.throttle`: the times of recent attempts) and by
the idle logout (:mod:`dhakira.core.lastuse`: the time of a login's last request).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import mmap
import os
import secrets
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["SharedTable"]

_PROBE = 64  # slots looked at for one key
_DIGEST = 16


class SharedTable:
    """``slots`` keys, each with ``times`` times; a slot's age is its latest time.

    Callers hold :meth:`held` around every use of :meth:`find`, :meth:`times`, :meth:`write`
    and :meth:`drop`, so that a read and the write that follows it are one step for every
    thread and process.
    """

    def __init__(self, times: int, slots: int, *, name: str) -> None:
        if times < 1 or slots < 1:
            raise ValueError("a shared table needs at least one slot of at least one time")
        self._times = struct.Struct(f"={times}d")
        self._slot = _DIGEST + self._times.size
        self._slots = slots
        self._salt = secrets.token_bytes(16)
        self._fd = _anonymous_file(slots * self._slot, name)
        self._table = mmap.mmap(self._fd, slots * self._slot)  # MAP_SHARED: kept across fork
        self._threads = threading.Lock()  # fcntl locks are per process: threads need their own

    @property
    def size(self) -> int:
        """The table's bytes: fixed when it is made, whatever the keys."""
        return len(self._table)

    @contextmanager
    def held(self) -> Iterator[None]:
        """The table to oneself, against other threads and other processes."""
        with self._threads:
            fcntl.lockf(self._fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.lockf(self._fd, fcntl.LOCK_UN)

    def digest(self, key: str) -> bytes:
        """The salted hash a key is kept as (never the key itself)."""
        digest = hashlib.blake2b(key.encode(), digest_size=_DIGEST, key=self._salt).digest()
        return digest if any(digest) else b"\x01" + digest[1:]  # all zeros marks a free slot

    def find(self, key: str, *, make: bool, horizon: float = float("-inf")) -> int | None:
        """The slot of ``key``; None if it has none and not ``make``.

        With ``make``, a key without a slot takes a free one (never used, or whose latest time
        is at or before ``horizon``), else the one whose latest time is oldest among the slots
        looked at: that key is forgotten. Its times start at zero.
        """
        digest = self.digest(key)
        start = int.from_bytes(digest[:8], "big") % self._slots
        free, stalest, stalest_at = None, None, float("inf")
        for i in range(min(_PROBE, self._slots)):
            at = ((start + i) % self._slots) * self._slot
            held = self._table[at:at + _DIGEST]
            if held == digest:
                return at
            if not make:
                continue
            last = max(self._times.unpack_from(self._table, at + _DIGEST))
            if free is None and (not any(held) or last <= horizon):
                free = at
            if last < stalest_at:
                stalest, stalest_at = at, last
        if not make:
            return None
        taken = free if free is not None else stalest
        assert taken is not None
        self._table[taken:taken + self._slot] = digest + bytes(self._times.size)
        return taken

    def times(self, at: int) -> tuple[float, ...]:
        """The times kept in the slot at ``at``."""
        return self._times.unpack_from(self._table, at + _DIGEST)

    def write(self, at: int, times: list[float]) -> None:
        """Replace the times kept in the slot at ``at``."""
        self._times.pack_into(self._table, at + _DIGEST, *times)

    def drop(self, at: int) -> None:
        """Free the slot at ``at``: its key is forgotten."""
        self._table[at:at + self._slot] = bytes(self._slot)

    def wipe(self) -> None:
        """Forget every key."""
        self._table[:] = bytes(len(self._table))


def _anonymous_file(size: int, name: str) -> int:
    """A file of ``size`` zero bytes with no name on disk (memfd), for a shared mapping."""
    if hasattr(os, "memfd_create"):
        fd = os.memfd_create(name, os.MFD_CLOEXEC)
    else:  # pragma: no cover - not Linux: an unlinked temporary file
        import tempfile

        handle, path = tempfile.mkstemp(prefix=f"{name}-")
        os.unlink(path)
        fd = handle
    with contextlib.suppress(OSError):
        os.ftruncate(fd, size)
    return fd
