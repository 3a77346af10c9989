"""Counting guesses: at most N attempts per key (a user name, a client address) per period.

Pure and thread-safe; the clock is injectable. An attempt is *reserved* before the secret is
checked and kept when it fails, so concurrent guesses cannot all slip in between a check and
a count (the unlock form once checked first and counted after the Argon2 run: sixteen
parallel guesses all ran). Limits live in the serving process's memory only: nothing about
who tried what is written to disk while the vault is locked, and a restart forgets them.

The counts are a :class:`~dhakira.core.shared.SharedTable` (anonymous shared memory, made
before ``dhakira serve --workers N`` forks), so the workers count together: N processes still
allow ``attempts`` guesses in all, not N times as many. Each key is kept as a keyed hash with
its attempt times. A full neighbourhood of the table gives up the key whose last attempt is
oldest.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from dhakira.core.shared import SharedTable
from dhakira.errors import DhakiraError

__all__ = ["SLOTS", "Throttle", "Throttled"]

SLOTS = 16384  # keys kept at once; a full neighbourhood gives up its stalest key


class Throttled(DhakiraError):
    """Too many recent failed attempts for one of the keys; wait and try again."""

    def __init__(self, key: str, retry_after: float) -> None:
        self.key, self.retry_after = key, retry_after
        super().__init__(f"too many failed attempts; try again in {int(retry_after) + 1} s")


class Throttle:
    """At most ``attempts`` failed attempts per key within ``period`` seconds.

    ``clock`` must give positive times (``time.monotonic``, seconds since the machine
    started, does): a time of 0.0 marks an unused place.
    """

    def __init__(self, attempts: int, period: float, *,
                 clock: Callable[[], float] = time.monotonic, slots: int = SLOTS) -> None:
        if attempts < 1 or period <= 0 or slots < 1:
            raise ValueError("a throttle needs at least one attempt and a positive period")
        self.attempts, self.period, self.clock = attempts, period, clock
        self._table = SharedTable(attempts, slots, name="dhakira-throttle")

    def _recent(self, at: int, now: float) -> list[float]:
        # 0.0 is an unused place in a slot, never an attempt: in the first ``period`` seconds
        # after the machine starts, ``now - period`` is below zero, and the empty places once
        # counted as attempts, so every login and unlock was refused until then.
        return sorted(t for t in self._table.times(at) if t > 0.0 and t > now - self.period)

    def reserve(self, *keys: str) -> list[tuple[str, float]]:
        """Count one attempt against every key, or none if any key is at its limit.

        Returns:
            The reservation, to hand to :meth:`release` if the attempt succeeds or did
            not really try a secret.

        Raises:
            Throttled: a key has had ``attempts`` attempts within the period.
        """
        with self._table.held():
            now = self.clock()
            slots = [self._table.find(key, make=True, horizon=now - self.period)
                     for key in keys]
            for key, at in zip(keys, slots, strict=True):
                assert at is not None
                times = self._recent(at, now)
                if len(times) >= self.attempts:
                    raise Throttled(key, times[0] + self.period - now)
            for at in slots:
                assert at is not None
                kept = self._recent(at, now) + [now]
                kept += [0.0] * (self.attempts - len(kept))
                self._table.write(at, kept)
            return [(key, now) for key in keys]

    def release(self, reservation: list[tuple[str, float]]) -> None:
        """Take back the attempts of a reservation (the secret was right, or never tried)."""
        with self._table.held():
            for key, when in reservation:
                at = self._table.find(key, make=False)
                if at is None:
                    continue
                times = list(self._table.times(at))
                if when in times:
                    times[times.index(when)] = 0.0
                    self._table.write(at, times)

    def clear(self, *keys: str) -> None:
        """Forget the attempts of ``keys``, or of every key when none is given."""
        with self._table.held():
            if not keys:
                self._table.wipe()
                return
            for key in keys:
                at = self._table.find(key, make=False)
                if at is not None:
                    self._table.drop(at)

    @contextmanager
    def attempt(self, *keys: str) -> Iterator[None]:
        """Reserve an attempt for the block; it is taken back if the block does not raise."""
        reservation = self.reserve(*keys)
        yield  # an exception raised in the block leaves the attempt counted
        self.release(reservation)

