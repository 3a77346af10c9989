"""Counting guesses: at most N attempts per key (a user name, a client address) per period.

Pure and thread-safe; the clock is injectable. An attempt is *reserved* before the secret is
checked and kept when it fails, so concurrent guesses cannot all slip in between a check and
a count (the unlock form once checked first and counted after the Argon2 run: sixteen
parallel guesses all ran). Limits live in the serving process's memory only: nothing about
who tried what is written to disk while the vault is locked, and a restart forgets them.

The counts are a fixed table in anonymous shared memory (``memfd``, no path on disk), so the
processes of ``dhakira serve --workers N``, forked after the throttle was made, count
together: N processes still allow ``attempts`` guesses in all, not N times as many. Each key
is kept as a keyed hash of fixed size (a long user name takes no more room than a short one)
with its attempt times. The lock between processes is a ``fcntl`` record lock, which the
kernel releases when its holder dies: a worker killed mid-login leaves no one waiting. A
full neighbourhood of the table gives up the key whose last attempt is oldest.
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
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from dhakira.errors import DhakiraError

__all__ = ["SLOTS", "Throttle", "Throttled"]

SLOTS = 16384  # keys kept at once; a full neighbourhood gives up its stalest key
_PROBE = 64  # slots looked at for one key
_DIGEST = 16


class Throttled(DhakiraError):
    """Too many recent failed attempts for one of the keys; wait and try again."""

    def __init__(self, key: str, retry_after: float) -> None:
        self.key, self.retry_after = key, retry_after
        super().__init__(f"too many failed attempts; try again in {int(retry_after) + 1} s")


class Throttle:
    """At most ``attempts`` failed attempts per key within ``period`` seconds."""

    def __init__(self, attempts: int, period: float, *,
                 clock: Callable[[], float] = time.monotonic, slots: int = SLOTS) -> None:
        if attempts < 1 or period <= 0 or slots < 1:
            raise ValueError("a throttle needs at least one attempt and a positive period")
        self.attempts, self.period, self.clock = attempts, period, clock
        self._times = struct.Struct(f"={attempts}d")
        self._slot = _DIGEST + self._times.size
        self._slots = slots
        self._salt = secrets.token_bytes(16)  # the table's hashes of keys mean nothing elsewhere
        self._fd = _anonymous_file(slots * self._slot)
        self._table = mmap.mmap(self._fd, slots * self._slot)  # MAP_SHARED: kept across fork
        self._threads = threading.Lock()  # fcntl locks are per process: threads need their own

    @contextmanager
    def _held(self) -> Iterator[None]:
        with self._threads:
            fcntl.lockf(self._fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.lockf(self._fd, fcntl.LOCK_UN)

    def _digest(self, key: str) -> bytes:
        digest = hashlib.blake2b(key.encode(), digest_size=_DIGEST, key=self._salt).digest()
        return digest if any(digest) else b"\x01" + digest[1:]  # all zeros marks a free slot

    def _find(self, digest: bytes, now: float, *, make: bool) -> int | None:
        """The offset of ``digest``'s slot; with ``make``, a free or the stalest slot, taken."""
        start = int.from_bytes(digest[:8], "big") % self._slots
        horizon, free, stalest, stalest_at = now - self.period, None, None, float("inf")
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

    def _recent(self, at: int, now: float) -> list[float]:
        return sorted(t for t in self._times.unpack_from(self._table, at + _DIGEST)
                      if t > now - self.period)

    def reserve(self, *keys: str) -> list[tuple[str, float]]:
        """Count one attempt against every key, or none if any key is at its limit.

        Returns:
            The reservation, to hand to :meth:`release` if the attempt succeeds or did
            not really try a secret.

        Raises:
            Throttled: a key has had ``attempts`` attempts within the period.
        """
        with self._held():
            now = self.clock()
            slots = [self._find(self._digest(key), now, make=True) for key in keys]
            for key, at in zip(keys, slots, strict=True):
                assert at is not None
                times = self._recent(at, now)
                if len(times) >= self.attempts:
                    raise Throttled(key, times[0] + self.period - now)
            for at in slots:
                assert at is not None
                kept = self._recent(at, now) + [now]
                kept += [0.0] * (self.attempts - len(kept))
                self._times.pack_into(self._table, at + _DIGEST, *kept)
            return [(key, now) for key in keys]

    def release(self, reservation: list[tuple[str, float]]) -> None:
        """Take back the attempts of a reservation (the secret was right, or never tried)."""
        with self._held():
            for key, when in reservation:
                at = self._find(self._digest(key), when, make=False)
                if at is None:
                    continue
                times = list(self._times.unpack_from(self._table, at + _DIGEST))
                if when in times:
                    times[times.index(when)] = 0.0
                    self._times.pack_into(self._table, at + _DIGEST, *times)

    def clear(self, *keys: str) -> None:
        """Forget the attempts of ``keys``, or of every key when none is given."""
        with self._held():
            if not keys:
                self._table[:] = bytes(len(self._table))
                return
            for key in keys:
                at = self._find(self._digest(key), self.clock(), make=False)
                if at is not None:
                    self._table[at:at + self._slot] = bytes(self._slot)

    @contextmanager
    def attempt(self, *keys: str) -> Iterator[None]:
        """Reserve an attempt for the block; it is taken back if the block does not raise."""
        reservation = self.reserve(*keys)
        yield  # an exception raised in the block leaves the attempt counted
        self.release(reservation)


def _anonymous_file(size: int) -> int:
    """A file of ``size`` zero bytes with no name on disk (memfd), for a shared mapping."""
    if hasattr(os, "memfd_create"):
        fd = os.memfd_create("dhakira-throttle", os.MFD_CLOEXEC)
    else:  # pragma: no cover - not Linux: an unlinked temporary file
        import tempfile

        handle, path = tempfile.mkstemp(prefix="dhakira-throttle-")
        os.unlink(path)
        fd = handle
    with contextlib.suppress(OSError):
        os.ftruncate(fd, size)
    return fd
