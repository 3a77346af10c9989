"""Serving from several processes: one supervisor holding the key, N workers forked from it.

One Python process runs one request at a time on one core (the interpreter's lock); saving a
report costs a few hundred milliseconds of CPU, so an office of fifty people saturates it
(docs/server.md, "Load"). ``dhakira serve --workers N`` forks N workers from the unlocked
process after start-up (the Django app imported, the heap frozen: the pages are shared until
written). Every worker accepts from the same listening socket and serves with its own threads
and database connections.

The key. A fork does not copy the key page (``MADV_DONTFORK``, :mod:`dhakira.core.vault.session`):
the supervisor writes the key into a pipe that only the new worker reads, in memory. A worker
dies with the supervisor (``PR_SET_PDEATHSIG``), so no orphan holds a key.

Locking reaches every process. ``dhakira lock`` signals the supervisor (the pid in
``serve.pid``): it records the lock, drops its key, ends every worker and re-executes itself
locked, as a single-process server does. "Lock now" in a worker records the lock there, drops
that worker's key and tells the supervisor (``SIGUSR2``), which drops its own, ends the other
workers at once and waits for that one (it sends the locked page first), then re-executes.
A worker that crashes is replaced.

Counts of failed logins (:mod:`dhakira.core.throttle`) and each login's last use, for the
idle logout (:mod:`dhakira.core.lastuse`), are shared by all workers, so the limits hold for
the server as a whole and a login idle in one worker is idle in all. Caches stay per process: the review queue's orders are
checked against the database before use; the tallies (``dossier.views._tallies``) see new
rows at once but an edit to an old row's date or place only after a restart, in each worker
on its own, so two workers may show such a count differently until then.

Signals: ``dhakira lock`` sends SIGUSR1 to the supervisor; SIGUSR1 sent to a worker locks the
whole server too (a worker owns the port as well, so an operator may pick its pid). The
supervisor ends workers with SIGTERM. Signals are blocked across each fork, so a new worker
never runs the supervisor's handlers.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dhakira.apps.web.server import Serving

__all__ = ["MAX_WORKERS", "supervise"]

MAX_WORKERS = 32
STOP_SECONDS = 5.0  # how long ended workers get before SIGKILL
_PR_SET_PDEATHSIG = 1
log = logging.getLogger("dhakira.server")


_SIGNALS = {signal.SIGUSR1, signal.SIGUSR2, signal.SIGTERM}
RESTART_BACKOFF = (0.5, 1, 2, 5, 10, 30)  # seconds before replacing a worker that died young
YOUNG_SECONDS = 10.0


def supervise(make_server: Callable[[], Serving], workers: int) -> None:
    """Fork ``workers`` serving processes and watch them; return once the vault is locked
    (every worker ended, this process's key dropped), for the caller to re-execute.

    Raises SystemExit on SIGTERM or Ctrl-C, after ending the workers.
    """
    from django.db import connections

    from dhakira.apps.counting import jobs  # noqa: F401 - one image id shared by the workers
    from dhakira.apps.web import (
        login,  # noqa: F401 - its throttles' shared tables, made before the fork
        middleware,  # noqa: F401 - the logins' last use, shared likewise
    )
    from dhakira.core.vault import session

    connections.close_all()  # a forked connection would be shared by two processes
    relock = threading.Event()
    session.on_lock(relock.set)
    worker_locked = threading.Event()

    def _worker_locked(signum: int, frame: FrameType | None) -> None:
        worker_locked.set()

    def _terminate(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGUSR2, _worker_locked)
    signal.signal(signal.SIGINT, _terminate)
    children: dict[int, float] = {}  # pid -> when it was started
    deaths = 0
    try:
        while not relock.is_set() and len(children) < workers:
            if not _start(make_server, children):
                break
        while not relock.is_set():
            if worker_locked.is_set():
                session.lock()  # the worker recorded the lock; this drops the rest
                break
            for pid, started in _reaped(children):
                young = time.monotonic() - started < YOUNG_SECONDS
                deaths = deaths + 1 if young else 0
                log.warning("a serving process (pid %d) ended unexpectedly; starting another", pid)
                if deaths:  # dying at start-up again and again: do not spin
                    relock.wait(RESTART_BACKOFF[min(deaths, len(RESTART_BACKOFF)) - 1])
                if relock.is_set() or worker_locked.is_set() or not _start(make_server, children):
                    break
            relock.wait(0.2)
        if not relock.is_set():
            session.lock()
        _end(children, wait_for_locker=worker_locked.is_set())
    except BaseException:
        _end(children, wait_for_locker=False)
        raise


def _start(make_server: Callable[[], Serving], children: dict[int, float]) -> bool:
    """Fork one worker into ``children``; False if the key went meanwhile (a lock)."""
    from dhakira.core.vault.errors import VaultLocked

    try:
        children[_fork(make_server)] = time.monotonic()
    except VaultLocked:
        return False
    return True


def _reaped(children: dict[int, float]) -> list[tuple[int, float]]:
    """The children that have ended (their exit collected), removed from ``children``."""
    ended = []
    for pid in list(children):
        with contextlib.suppress(ChildProcessError):
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done == 0:
                continue
        ended.append((pid, children.pop(pid)))
    return ended


def _end(children: dict[int, float], *, wait_for_locker: bool) -> None:
    """End every worker: those still holding a key at once (SIGTERM); the one that locked
    (it has dropped its key and ignores SIGTERM) exits by itself once its locked page is sent."""
    from dhakira.apps.web.server import GRACE_SECONDS, LOOP_SECONDS

    deadline = time.monotonic() + STOP_SECONDS + (GRACE_SECONDS + LOOP_SECONDS if wait_for_locker else 0)
    for pid in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    while children and time.monotonic() < deadline:
        _reaped(children)
        time.sleep(0.05)
    for pid in list(children):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
        children.pop(pid, None)


def _fork(make_server: Callable[[], Serving]) -> int:
    """Start one worker; returns its pid (in the parent). The worker never returns.

    Signals are blocked across the fork: the child must not run the supervisor's handlers
    (a lock there would be lost); it unblocks them once its own are in place.

    Raises:
        VaultLocked: the key is gone (a lock arrived): nothing was forked.
    """
    from dhakira.apps.vault import keypipe
    from dhakira.core.vault import session
    from dhakira.core.vault.errors import VaultLocked

    if not session.is_unlocked():
        raise VaultLocked("the vault was locked: no worker is started")
    read_end, write_end = os.pipe()
    parent = os.getpid()
    signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    pid = os.fork()
    if pid:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)  # a lock that came runs here
        os.close(read_end)
        try:  # locked meanwhile: the worker reads no key and exits
            keypipe.send(write_end)
        finally:
            os.close(write_end)
        return pid
    os.close(write_end)
    code = 1
    try:
        _worker(make_server, read_end, parent)
        code = 0
    except BaseException:  # noqa: BLE001 - a worker never unwinds into the supervisor's code
        log.exception("a serving process failed")
    finally:
        os._exit(code)


def _worker(make_server: Callable[[], Serving], key_fd: int, parent: int) -> None:
    from dhakira.apps.vault import keypipe, lockdown
    from dhakira.apps.web.server import GRACE_SECONDS, LOOP_SECONDS
    from dhakira.core.vault import session

    _die_with(parent)
    locked = threading.Event()
    serving: Serving | None = None

    def _locked() -> None:
        locked.set()  # first: from now on the supervisor's SIGTERM leaves this worker be
        if serving is not None:
            serving.stop_accepting()
        with contextlib.suppress(ProcessLookupError):
            os.kill(parent, signal.SIGUSR2)

    def _lock(signum: int, frame: FrameType | None) -> None:
        # `kill -USR1` aimed at a worker (it owns the port too) locks the whole server.
        lockdown.lock_now(actor="dhakira-lock", via="signal")

    def _end(signum: int, frame: FrameType | None) -> None:
        if not locked.is_set():
            _quiet_exit()

    # Ctrl-C reaches the whole process group: the supervisor ends the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _end)
    signal.signal(signal.SIGUSR1, _lock)
    signal.signal(signal.SIGUSR2, signal.SIG_DFL)
    session.on_lock(_locked)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)  # one that came meanwhile runs now
    try:
        keypipe.receive(key_fd)
    except SystemExit:  # no key came: the supervisor locked while this worker started
        os._exit(0)
    serving = make_server()
    if locked.is_set():  # a lock came while this worker started: it never serves
        _quiet_exit()
    threading.Thread(target=serving.run, name="server", daemon=True).start()
    while not locked.wait(0.5):
        pass
    time.sleep(GRACE_SECONDS + LOOP_SECONDS)  # the locked page reaches the browser


def _quiet_exit() -> None:
    from dhakira.apps.vault import keypipe

    with contextlib.suppress(Exception):
        keypipe.drop_quietly()
    os._exit(0)


def _die_with(parent: int) -> None:
    """Have the kernel kill this process when the supervisor dies (Linux); gone already: exit."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)
