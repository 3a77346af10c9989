"""Unlocking from the browser: bounded, per client, same-site only, and on the record.

- **One Argon2 at a time.** Each try runs Argon2 (hundreds of MiB); a second try while one
  runs is refused at once (:class:`Busy`) instead of queueing memory.
- **The slot is reserved before Argon2 runs**, per client address (``UNLOCK_THROTTLE``: 5
  tries a minute), so concurrent guesses cannot all pass the check, and a stranger who can
  reach the port uses up only their own tries, not the owner's.
- **Console override:** ``dhakira lock --vault V``, run on the server's machine, clears every
  client's count (the locked server is simply locked again).
- **Cross-site posts are refused** by ``Sec-Fetch-Site``/``Origin`` (the form has no CSRF
  token: the session store is inside the locked database).
- **On the record:** while locked nothing can be written, so each refused or failed try is
  kept in memory (at most ``MAX_PENDING``; beyond that only counted) and written as a custody
  entry right after the next successful unlock. A restart before that forgets them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from dhakira.apps.custody import store
from dhakira.apps.protection.errors import ProtectionError
from dhakira.apps.vault import lockdown
from dhakira.core.throttle import Throttle, Throttled
from dhakira.core.vault import session
from dhakira.core.vault.errors import WrongPassphrase

__all__ = ["MAX_PENDING", "UNLOCK_THROTTLE", "Busy", "attempt", "is_cross_site", "pending",
           "reset_limits"]

UNLOCK_THROTTLE = Throttle(attempts=5, period=60)
MAX_PENDING = 1000
_argon2 = threading.Lock()
_pending_lock = threading.Lock()
_pending: list[Attempt] = []
_dropped = 0
log = logging.getLogger("dhakira.unlocking")


class Busy(ProtectionError):
    """Another unlock attempt is running; try again in a moment."""


@dataclass(frozen=True)
class Attempt:
    """One unlock try that did not open the vault, waiting to be written to custody."""

    at: datetime
    client: str
    outcome: str  # wrong_passphrase, throttled, busy, cross_site
    via: str


def is_cross_site(headers: Mapping[str, str], origin: str) -> bool:
    """Whether a browser says the post comes from another site than ``origin``.

    ``origin`` is this server's ``scheme://host[:port]``. A request without either header
    (a command-line client) is not cross-site: browsers send at least one on a form post.
    """
    site = headers.get("Sec-Fetch-Site", "")
    if site and site not in {"same-origin", "none"}:
        return True
    sent = headers.get("Origin", "")
    return bool(sent) and sent != origin  # "null" (a sandboxed or file page) is refused too


def note(client: str, outcome: str, *, via: str, now: datetime | None = None) -> None:
    """Keep a try that did not open the vault until it can be written to custody."""
    global _dropped
    with _pending_lock:
        if len(_pending) < MAX_PENDING:
            _pending.append(Attempt(now or datetime.now(UTC), client, outcome, via))
        else:
            _dropped += 1


def pending() -> list[Attempt]:
    """The tries kept since the last unlock (a copy)."""
    with _pending_lock:
        return list(_pending)


def reset_limits() -> None:
    """Forget every client's count of tries (the console override; runs on every lock)."""
    UNLOCK_THROTTLE.clear()


session.on_lock(reset_limits)


def attempt(vault: Path, passphrase: str, *, client: str, via: str) -> None:
    """Try ``passphrase`` for ``client``; on success write the kept tries to custody.

    Raises:
        lockdown.RateLimited: this client used its tries for the minute (not tried).
        Busy: another try is running Argon2 (not tried, not counted).
        WrongPassphrase: no key slot opens.
    """
    key = f"client:{client}"
    try:
        reservation = UNLOCK_THROTTLE.reserve(key)
    except Throttled:
        note(client, "throttled", via=via)
        raise lockdown.RateLimited("too many wrong passphrases; wait a minute and try again") \
            from None
    if not _argon2.acquire(blocking=False):
        UNLOCK_THROTTLE.release(reservation)
        note(client, "busy", via=via)
        raise Busy("another unlock attempt is running; try again in a moment")
    try:
        lockdown.unlock_with(vault, passphrase, via=via)
    except WrongPassphrase:
        note(client, "wrong_passphrase", via=via)
        raise
    finally:
        _argon2.release()
    UNLOCK_THROTTLE.clear(key)
    _write_pending()


def _write_pending() -> None:
    """Write the kept tries as custody entries after the unlock's own entry, then forget them."""
    global _dropped
    with _pending_lock:
        kept, dropped = list(_pending), _dropped
        _pending.clear()
        _dropped = 0
    planned = [store.Planned(actor=f"client:{a.client}", action="other", subject="vault",
                             detail={"step": "unlock_refused", "outcome": a.outcome, "via": a.via,
                                     "attempted_at": a.at.isoformat()})
               for a in kept]
    if dropped:
        planned.append(store.Planned(actor="dhakira-unlock", action="other", subject="vault",
                                     detail={"step": "unlock_refused_uncounted",
                                             "count": dropped}))
    try:
        store.record_many(planned)
    except Exception:  # noqa: BLE001 - the vault is open; keep the tries for the next unlock
        log.exception("unlock: the refused tries could not be written; kept for the next unlock")
        with _pending_lock:
            _pending[:0] = kept
            _dropped += dropped
