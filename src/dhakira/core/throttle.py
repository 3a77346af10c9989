"""Counting guesses: at most N attempts per key (a user name, a client address) per period.

Pure and thread-safe; the clock is injectable. An attempt is *reserved* before the secret is
checked and kept when it fails, so concurrent guesses cannot all slip in between a check and
a count (the unlock form once checked first and counted after the Argon2 run: sixteen
parallel guesses all ran). Limits live in the serving process's memory only: nothing about
who tried what is written to disk while the vault is locked, and a restart forgets them.

A server of several processes (``dhakira serve --workers N``) calls :meth:`Throttle.share`
before it forks them: the counts then live in one anonymous shared-memory buffer under one
lock, so N processes still allow ``attempts`` guesses in all, not N times as many.
"""

from __future__ import annotations

import json
import mmap
import multiprocessing
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from dhakira.errors import DhakiraError

__all__ = ["SHARED_BYTES", "Throttle", "Throttled"]

SHARED_BYTES = 1024 * 1024  # about 20,000 keys with a few attempts each
_LENGTH = struct.Struct("!I")


class Throttled(DhakiraError):
    """Too many recent failed attempts for one of the keys; wait and try again."""

    def __init__(self, key: str, retry_after: float) -> None:
        self.key, self.retry_after = key, retry_after
        super().__init__(f"too many failed attempts; try again in {int(retry_after) + 1} s")


class Throttle:
    """At most ``attempts`` failed attempts per key within ``period`` seconds."""

    def __init__(self, attempts: int, period: float, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if attempts < 1 or period <= 0:
            raise ValueError("a throttle needs at least one attempt and a positive period")
        self.attempts, self.period, self.clock = attempts, period, clock
        self._seen: dict[str, deque[float]] = {}
        self._lock: AbstractContextManager[Any] = threading.Lock()
        self._shared: mmap.mmap | None = None

    def share(self, size: int = SHARED_BYTES) -> None:
        """Keep the counts in memory shared with processes forked after this call.

        The buffer is anonymous (no file, nothing on disk) and holds the counts as JSON under
        a lock that both threads and forked processes respect. If the keys ever outgrow it,
        the keys whose last attempt is oldest are dropped first.
        """
        if self._shared is not None:
            return
        with self._lock:
            buffer = mmap.mmap(-1, size)  # MAP_SHARED | MAP_ANONYMOUS: inherited across fork
            self._shared = buffer
            self._lock = multiprocessing.get_context("fork").Lock()
            self._store()

    @contextmanager
    def _held(self) -> Iterator[None]:
        """The lock, with the shared counts loaded for the block and stored after it."""
        with self._lock:
            if self._shared is not None:
                self._load()
            yield
            if self._shared is not None:
                self._store()

    def _load(self) -> None:
        assert self._shared is not None
        (length,) = _LENGTH.unpack_from(self._shared, 0)
        raw = json.loads(self._shared[_LENGTH.size:_LENGTH.size + length] or b"{}")
        self._seen = {key: deque(times) for key, times in raw.items()}

    def _store(self) -> None:
        assert self._shared is not None
        horizon = self.clock() - self.period
        live = {k: [t for t in v if t > horizon] for k, v in self._seen.items()}
        keys = sorted((k for k in live if live[k]), key=lambda k: live[k][-1], reverse=True)
        while True:
            data = json.dumps({k: live[k] for k in keys}, separators=(",", ":")).encode()
            if _LENGTH.size + len(data) <= len(self._shared) or not keys:
                break
            keys = keys[: len(keys) * 3 // 4]  # the newest three quarters
        self._shared[: _LENGTH.size + len(data)] = _LENGTH.pack(len(data)) + data

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._seen.setdefault(key, deque())
        while times and times[0] <= now - self.period:
            times.popleft()
        return times

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
            for key in keys:
                times = self._recent(key, now)
                if len(times) >= self.attempts:
                    raise Throttled(key, times[0] + self.period - now)
            for key in keys:
                self._seen[key].append(now)
            return [(key, now) for key in keys]

    def release(self, reservation: list[tuple[str, float]]) -> None:
        """Take back the attempts of a reservation (the secret was right, or never tried)."""
        with self._held():
            for key, at in reservation:
                times = self._seen.get(key)
                if times is not None and at in times:
                    times.remove(at)

    def clear(self, *keys: str) -> None:
        """Forget the attempts of ``keys``, or of every key when none is given."""
        with self._held():
            for key in keys or tuple(self._seen):
                self._seen.pop(key, None)

    @contextmanager
    def attempt(self, *keys: str) -> Iterator[None]:
        """Reserve an attempt for the block; it is taken back if the block does not raise."""
        reservation = self.reserve(*keys)
        yield  # an exception raised in the block leaves the attempt counted
        self.release(reservation)
