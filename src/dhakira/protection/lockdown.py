"""Lock now: drop the in-memory data key of the running server, and unlock it again.

``dhakira serve`` writes its process id to ``<vault>/serve.pid`` and locks on SIGUSR1;
``dhakira lock`` sends that signal. The "Lock now" button locks in-process. Each lock and
unlock leaves a custody entry: the lock's before the key is dropped (afterwards nothing
can be written), the unlock's after the key is back.
"""

from __future__ import annotations

import logging
import os
import signal
from pathlib import Path
from types import FrameType

from dhakira.protection.errors import ProtectionError
from dhakira.vault import keyslots, session

__all__ = ["PID_FILE", "RateLimited", "install_signal_handler", "lock_now",
           "read_pid", "remove_pid", "send_lock", "unlock_with", "write_pid"]

PID_FILE = "serve.pid"
log = logging.getLogger("dhakira.lockdown")


class RateLimited(ProtectionError):
    """Too many wrong passphrases in a short time."""


class NoServer(ProtectionError):
    """No running ``dhakira serve`` was found for this vault."""


def lock_now(*, actor: str, via: str) -> None:
    """Record the lock, then forget the key. Locks even if the record cannot be written."""
    try:
        from django.db import connection

        from dhakira.ledger import store

        if session.is_unlocked():
            store.record(actor=actor, action="lock", subject="vault", detail={"via": via})
        if not connection.in_atomic_block:
            connection.close()  # this thread's keyed connection goes with the key
    except Exception:  # noqa: BLE001 - locking must never be prevented by a failed write
        log.exception("lock: the custody entry could not be written; locking anyway")
    finally:
        session.lock()


def unlock_with(vault: Path, passphrase: str, *, via: str) -> None:
    """Open a key slot with ``passphrase``, hold the key, and record the unlock.

    Limits, one-at-a-time and the record of failed tries are :mod:`unlocking`'s.

    Raises:
        WrongPassphrase: no key slot opens.
    """
    from dhakira.ledger import store

    label, key = keyslots.unlock_slot(vault, passphrase)
    session.set_key(key)
    store.record(actor=f"keyslot:{label}", action="unlock", subject="vault", detail={"via": via})


def write_pid(vault: Path) -> Path:
    """Record this process as the vault's server."""
    path = vault / PID_FILE
    path.write_text(f"{os.getpid()}\n")
    return path


def remove_pid(vault: Path) -> None:
    """Remove the pid file if it is ours."""
    path = vault / PID_FILE
    if read_pid(vault) == os.getpid():
        path.unlink(missing_ok=True)


def read_pid(vault: Path) -> int | None:
    """The pid in ``<vault>/serve.pid``, or None."""
    try:
        return int((vault / PID_FILE).read_text().strip())
    except (FileNotFoundError, ValueError):
        return None


def send_lock(vault: Path) -> int:
    """Signal the vault's running server to lock; returns its pid.

    Raises:
        NoServer: no pid file, or the process is gone (the stale file is removed).
    """
    pid = read_pid(vault)
    if pid is None:
        raise NoServer(f"no server is running for {vault} (no {PID_FILE}); nothing to lock")
    try:
        os.kill(pid, signal.SIGUSR1)
    except ProcessLookupError:
        (vault / PID_FILE).unlink(missing_ok=True)
        raise NoServer(f"the server of {vault} (pid {pid}) is no longer running") from None
    return pid


def install_signal_handler() -> None:
    """Lock on SIGUSR1 (sent by ``dhakira lock``); exit cleanly on SIGTERM."""

    def _handler(signum: int, frame: FrameType | None) -> None:
        lock_now(actor="dhakira-lock", via="signal")
        print("Dhakira is locked: the key is no longer in memory.", flush=True)

    def _terminate(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(0)  # unwinds through serve_forever's finally: the pid file goes

    signal.signal(signal.SIGUSR1, _handler)
    signal.signal(signal.SIGTERM, _terminate)
