"""When each login was last used, for the idle logout, without writing to the database.

The idle logout once wrote the time of use into the login's session, a database write (and
so SQLite's one write lock) every few requests per user: under fifty users half of the time
requests waited at ``BEGIN IMMEDIATE`` was for those session saves. The times are now kept in
a :class:`~dhakira.core.shared.SharedTable` made before the server forks, so every worker of
``dhakira serve --workers N`` sees them, keyed by a salted hash of the session key (the key
itself, which would let its holder in, is never kept).

Fail safe: a login the table does not know is treated as idle, and ends.

- A login recorded at log-in (:meth:`LastUse.begin`) is always known until it has been idle
  for the period, or until the table forgets it.
- The table full: a login needs a slot among the few its hash may use; when all of those
  hold logins used within the period, the least recently used of them is forgotten and so
  ends at its next request. The alternative, refusing to remember the new login, would end
  a login that has just begun and keep the idlest one; keeping a login the table cannot
  remember alive would let it live forever. With 16,384 slots this needs thousands of
  logins used within one idle period.
- A server restart (or a lock, which re-executes the server) makes a new table: every login
  made before it ends at its next request. Sessions live in the vault's database and would
  outlive the table; they would not get far anyway, as the restarted server has a new
  ``SECRET_KEY`` (a lock deletes every login session besides).
"""

from __future__ import annotations

from dhakira.core.shared import SharedTable

__all__ = ["SLOTS", "LastUse"]

SLOTS = 16384  # logins kept at once; a full neighbourhood forgets its least recently used


class LastUse:
    """The last time each key (a session key) was used, shared by the server's processes.

    Times are whatever the caller's clock says (seconds); the caller passes them in, so a
    test can move time.
    """

    def __init__(self, *, slots: int = SLOTS) -> None:
        self._table = SharedTable(1, slots, name="dhakira-last-use")

    def begin(self, key: str, now: float, idle: float) -> None:
        """Remember ``key`` as used at ``now`` (a login begins, or its session key changed).

        ``idle`` is the period after which a slot counts as free.
        """
        with self._table.held():
            at = self._table.find(key, make=True, horizon=now - idle)
            assert at is not None
            self._table.write(at, [now])

    def use(self, key: str, now: float, idle: float) -> bool:
        """Record a use of ``key`` at ``now`` if it was last used at most ``idle`` seconds ago.

        Returns:
            False if ``key`` is unknown or was idle longer than ``idle`` (it is then
            forgotten: the caller ends the login); True otherwise.
        """
        with self._table.held():
            at = self._table.find(key, make=False)
            if at is None:
                return False
            if now - self._table.times(at)[0] > idle:
                self._table.drop(at)
                return False
            self._table.write(at, [now])
            return True

    def forget(self, key: str) -> None:
        """Forget ``key`` (its login ended)."""
        with self._table.held():
            at = self._table.find(key, make=False)
            if at is not None:
                self._table.drop(at)
