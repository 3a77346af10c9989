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

Counts of failed logins (:mod:`dhakira.core.throttle`) are shared by all workers, so the
limits hold for the server as a whole. Caches that are per process (orders of the review queue,
tallies) are checked against the database before use.
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


def supervise(make_server: Callable[[], Serving], workers: int) -> None:
    """Fork ``workers`` serving processes and watch them; return once the vault is locked
    (every worker ended, this process's key dropped), for the caller to re-execute.

    Raises SystemExit on SIGTERM or Ctrl-C, after ending the workers.
    """
    from django.db import connections

    from dhakira.apps.counting import jobs  # noqa: F401 - one image id shared by the workers
    from dhakira.apps.web.login import CLIENT_THROTTLE, USER_THROTTLE
    from dhakira.core.vault import session

    for throttle in (USER_THROTTLE, CLIENT_THROTTLE):
        throttle.share()
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
    children: dict[int, None] = {}
    try:
        for _ in range(workers):
            children[_fork(make_server)] = None
        while not relock.is_set():
            if worker_locked.is_set():
                session.lock()  # the worker recorded the lock; this drops the rest
                break
            for pid in _reaped(children):
                log.warning("a serving process (pid %d) ended unexpectedly; starting another", pid)
                children[_fork(make_server)] = None
            relock.wait(0.2)
        _end(children, wait_for_locker=worker_locked.is_set())
    except BaseException:
        _end(children, wait_for_locker=False)
        raise


def _reaped(children: dict[int, None]) -> list[int]:
    """The children that have ended (their exit collected), removed from ``children``."""
    ended = []
    for pid in list(children):
        with contextlib.suppress(ChildProcessError):
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done == 0:
                continue
        children.pop(pid, None)
        ended.append(pid)
    return ended


def _end(children: dict[int, None], *, wait_for_locker: bool) -> None:
    """End every worker: those still holding a key at once; the one that locked (it has
    already dropped its key and exits by itself once its locked page is sent) is waited for."""
    from dhakira.apps.web.server import GRACE_SECONDS, LOOP_SECONDS

    deadline = time.monotonic() + STOP_SECONDS + (GRACE_SECONDS + LOOP_SECONDS if wait_for_locker else 0)
    for pid in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGUSR1)  # a worker's SIGUSR1 drops its key and ends it
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
    """Start one worker; returns its pid (in the parent). The worker never returns."""
    from dhakira.core.vault import session

    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid:
        os.close(read_end)
        try:
            with session.borrow() as key:
                os.write(write_end, key)
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
    from dhakira.apps.web.server import GRACE_SECONDS, LOOP_SECONDS, read_key_fd
    from dhakira.core.vault import session

    _die_with(parent)
    # Ctrl-C reaches the whole process group: the supervisor ends the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGUSR2, signal.SIG_DFL)
    session.set_key(read_key_fd(key_fd), consume=True)
    serving = make_server()
    locked = threading.Event()
    told = {"supervisor": False}

    def _locked() -> None:
        serving.stop_accepting()
        if not told["supervisor"]:
            told["supervisor"] = True
            with contextlib.suppress(ProcessLookupError):
                os.kill(parent, signal.SIGUSR2)
        locked.set()

    session.on_lock(_locked)
    # SIGUSR1 (the inherited lockdown handler) locks this worker: from the supervisor it
    # means "end now", and is not a new lock to record; quietly drop the key and go.
    # Once this worker has locked by itself, it is the one the supervisor waits for.
    signal.signal(signal.SIGUSR1, lambda signum, frame: None if locked.is_set() else _quiet_exit())
    threading.Thread(target=serving.run, name="server", daemon=True).start()
    while not locked.wait(0.5):
        pass
    time.sleep(GRACE_SECONDS + LOOP_SECONDS)  # the locked page reaches the browser


def _quiet_exit() -> None:
    from dhakira.core.vault import session

    with contextlib.suppress(Exception):
        session.key_page().zero()
    os._exit(0)


def _die_with(parent: int) -> None:
    """Have the kernel kill this process when the supervisor dies (Linux); gone already: exit."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)
