"""Lock now: drop the in-memory data key of the running server, and unlock it again.

``dhakira serve`` writes its process id and start time to ``<vault>/serve.pid`` and locks
on SIGUSR1; ``dhakira lock`` checks that the pid is still that server, then signals it.
The "Lock now" button locks in-process. Each lock and unlock leaves a custody entry: the lock's before the key is dropped (afterwards nothing
can be written), the unlock's after the key is back.
"""

from __future__ import annotations

import logging
import os
import signal
import time
from pathlib import Path
from types import FrameType

from django.utils.translation import gettext as _

from dhakira.apps.protection.errors import ProtectionError
from dhakira.core.vault import keyslots, session

__all__ = ["PID_FILE", "NoServer", "RateLimited", "end_sessions", "image_of",
           "install_signal_handler", "lock_now", "read_pid", "remove_pid", "restarted",
           "send_lock", "unlock_with", "write_pid"]

PID_FILE = "serve.pid"
RESTART_SECONDS = 60.0  # how long `dhakira lock` waits for the server to restart without the key
log = logging.getLogger("dhakira.lockdown")


class RateLimited(ProtectionError):
    """Too many wrong passphrases in a short time."""


class NoServer(ProtectionError):
    """No running ``dhakira serve`` was found for this vault."""


def lock_now(*, actor: str, via: str) -> None:
    """Record the lock, end every login session, then forget the key.

    Locks even if the record cannot be written. In ``dhakira serve`` the process then
    re-executes itself without the key (see ``web.server``).
    """
    try:
        from django.db import connection

        from dhakira.apps.custody import store

        if session.is_unlocked():
            store.record(actor=actor, action="lock", subject="vault", detail={"via": via})
            end_sessions()
        if not connection.in_atomic_block:
            connection.close()  # this thread's keyed connection goes with the key
    except Exception:  # noqa: BLE001 - locking must never be prevented by a failed write
        log.exception("lock: the custody entry could not be written; locking anyway")
    finally:
        session.lock()


def end_sessions() -> int:
    """Delete every login session (drafts, kept in the same table, stay); returns how many.

    After an unlock everyone logs in again: the vault passphrase alone brings no browser back.
    """
    from django.contrib.sessions.models import Session

    from dhakira.apps.dossier.views import _drafts

    deleted, _ = Session.objects.exclude(session_key__regex=_drafts.KEY_PATTERN).delete()
    return deleted


def unlock_with(vault: Path, passphrase: str, *, via: str) -> None:
    """Open a key slot with ``passphrase``, hold the key, and record the unlock.

    Limits, one-at-a-time and the record of failed tries are :mod:`unlocking`'s.

    Raises:
        WrongPassphrase: no key slot opens.
    """
    from dhakira.apps.custody import store

    label, key = keyslots.unlock_slot(vault, passphrase)
    session.set_key(key, consume=True)
    store.record(actor=f"keyslot:{label}", action="unlock", subject="vault", detail={"via": via})


def _start_time(pid: int) -> str | None:
    """The kernel's start time of ``pid`` (clock ticks since boot), or None if unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rindex(")") + 2:].split()[19]  # field 22; the name may hold spaces


def write_pid(vault: Path) -> Path:
    """Record this process (pid and start time) as the vault's server."""
    path = vault / PID_FILE
    path.write_text(f"{os.getpid()} {_start_time(os.getpid()) or '-'}\n")
    return path


def remove_pid(vault: Path) -> None:
    """Remove the pid file if it is ours."""
    path = vault / PID_FILE
    if read_pid(vault) == os.getpid():
        path.unlink(missing_ok=True)


def _read(vault: Path) -> tuple[int, str] | None:
    try:
        pid, started = ((vault / PID_FILE).read_text().split() + ["-"])[:2]
        return int(pid), started
    except (FileNotFoundError, ValueError):
        return None


def read_pid(vault: Path) -> int | None:
    """The pid in ``<vault>/serve.pid``, or None."""
    entry = _read(vault)
    return entry[0] if entry else None


def _serves(pid: int, started: str, vault: Path) -> bool:
    """Whether ``pid`` is the ``dhakira serve`` of ``vault`` that wrote the pid file.

    Without ``/proc`` (not Linux) nothing can be checked and the pid is trusted.
    """
    if not Path("/proc/self/stat").exists():
        return True
    if started == "-" or _start_time(pid) != started:
        return False  # gone, or the pid was reused by a process started later
    argv = _argv(pid)
    try:
        cwd = Path(os.readlink(f"/proc/{pid}/cwd"))
    except OSError:
        return False
    if "serve" not in argv or not any("dhakira" in arg for arg in argv):
        return False
    given = [argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "--vault"]
    given += [a.split("=", 1)[1] for a in argv if a.startswith("--vault=")]
    return any((cwd / g).resolve() == vault.resolve() for g in given)


def _argv(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def image_of(pid: int) -> int | None:
    """How many times the server ``pid`` re-executed itself on a lock (None without /proc)."""
    if not Path("/proc/self/cmdline").exists():
        return None
    argv = _argv(pid)
    try:
        return int(argv[argv.index("--image") + 1]) if "--image" in argv else 0
    except (IndexError, ValueError):
        return 0


def restarted(pid: int, image: int, *, seconds: float | None = None) -> bool:
    """Wait until the server ``pid`` runs an image later than ``image`` (it dropped the key)."""
    deadline = time.monotonic() + (RESTART_SECONDS if seconds is None else seconds)
    while time.monotonic() < deadline:
        now = image_of(pid)
        # A later image that holds the key (one unlocked in the browser just before the
        # lock) is not the locked one: wait for an image started --locked.
        if now is not None and now > image and "--locked" in _argv(pid):
            return True
        time.sleep(0.1)
    return False


def send_lock(vault: Path) -> int:
    """Signal the vault's running server to lock; returns its pid.

    The refusals are in the active language (Django set up: the command line's speaking()).

    Raises:
        NoServer: no pid file, or it names a process that is not this vault's server
            (a crash left it and the pid may have been reused): the stale file is removed.
    """
    entry = _read(vault)
    if entry is None:
        raise NoServer(_("no server is running for %(vault)s (no %(file)s); nothing to lock")
                       % {"vault": vault, "file": PID_FILE})
    pid, started = entry
    if not _serves(pid, started, vault):
        (vault / PID_FILE).unlink(missing_ok=True)
        raise NoServer(_("no server is running for %(vault)s: %(file)s named pid %(pid)s, "
                         "which is not its server (a leftover of a crash); removed it")
                       % {"vault": vault, "file": PID_FILE, "pid": pid})
    try:
        os.kill(pid, signal.SIGUSR1)
    except ProcessLookupError:
        (vault / PID_FILE).unlink(missing_ok=True)
        raise NoServer(_("the server of %(vault)s (pid %(pid)s) is no longer running")
                       % {"vault": vault, "pid": pid}) from None
    return pid


def install_signal_handler() -> None:
    """Lock on SIGUSR1 (sent by ``dhakira lock``); exit cleanly on SIGTERM."""

    def _handler(signum: int, frame: FrameType | None) -> None:
        lock_now(actor="dhakira-lock", via="signal")
        print("Dhakira is locked: the key is dropped and the server restarts without it.",
              flush=True)

    def _terminate(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(0)  # unwinds through serve_forever's finally: the pid file goes

    signal.signal(signal.SIGUSR1, _handler)
    signal.signal(signal.SIGTERM, _terminate)
