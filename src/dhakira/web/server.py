"""Serving the app from the CLI: waitress (threads, one process) on loopback.

The process holds the unlocked key in memory, so the server runs in this process: no
autoreloader, no forked workers (they would start without the key, or copy it).

A lock ends this process image: after the key is dropped (``dhakira lock``, "Lock now",
anything that calls ``session.lock()``) the server re-executes itself (``execv``) with
the same listening socket and ``--locked``, so no heap page of the unlocked process
(cached records, copies a library made of the key) survives. The new image serves the
locked page and the unlock form until someone unlocks it.
"""

from __future__ import annotations

import gc
import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Any

# Waitress holds a request body in memory up to this many bytes and refuses larger ones
# (HTTP 413). Its default is to spill bodies and responses past 512 KiB / 1 MiB to
# temporary files: plaintext on disk, so both overflows are set beyond the limits.
MAX_REQUEST_HEADER_BYTES = 64 * 1024
IDLE_CLIENT_SECONDS = 30  # a client that sends or reads nothing this long is dropped
CONNECTION_LIMIT = 64
THREADS = 4
GRACE_SECONDS = 0.5  # lets the locked page of "Lock now" reach the browser before execv
LOOP_SECONDS = 0.25  # how long the network loop may wait before it sees it must stop accepting
_HELD_SIGNALS = {signal.SIGUSR1, signal.SIGTERM}


def limits(max_request_bytes: int) -> dict[str, Any]:
    """Waitress adjustments: request-size and slow-client limits, nothing spooled to disk."""
    return {
        "threads": THREADS,
        "connection_limit": CONNECTION_LIMIT,
        "channel_timeout": IDLE_CLIENT_SECONDS,
        "cleanup_interval": min(IDLE_CLIENT_SECONDS, 10),  # how often idle clients are checked
        "max_request_header_size": MAX_REQUEST_HEADER_BYTES,
        "max_request_body_size": max_request_bytes,
        "inbuf_overflow": max_request_bytes + MAX_REQUEST_HEADER_BYTES + 1,
        "outbuf_overflow": sys.maxsize,  # responses are already in memory; never spill them
        "expose_tracebacks": False,
        "asyncore_loop_timeout": LOOP_SECONDS,
        "ident": "Dhakira",
        # A TLS proxy on this machine may say the browser came over HTTPS (nothing else).
        "trusted_proxy": "127.0.0.1",
        "trusted_proxy_headers": {"x-forwarded-proto"},
        "clear_untrusted_proxy_headers": True,
    }


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port``."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    return sock


def settle_heap() -> None:
    """Import every view now, then put what start-up made out of the garbage collector's reach.

    A full collection walks every object the process holds: after start-up (Django, pandas,
    Splink) about 200,000, about 110 ms of CPU for whichever request triggers it. Frozen,
    they are never walked again; the request's own objects still are.
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - the import is the point
    gc.collect()
    gc.freeze()


def serve_forever(host: str, port: int, *, listen_fd: int | None = None, image: int = 0) -> None:
    """Serve until interrupted; re-execute this process, locked, whenever the key is dropped."""
    from django.conf import settings
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.wsgi import get_wsgi_application
    from waitress.server import create_server

    from dhakira.protection import lockdown
    from dhakira.vault import session

    sock = socket.socket(fileno=listen_fd) if listen_fd is not None else listen(host, port)
    app = StaticFilesHandler(get_wsgi_application())
    settle_heap()
    server = create_server(app, sockets=[sock], **limits(settings.MAX_REQUEST_BYTES))
    relock = threading.Event()

    def _locked() -> None:
        # New connections wait in the socket's queue for the re-executed image.
        server.accepting = False
        relock.set()

    session.on_lock(_locked)
    lockdown.install_signal_handler()
    # A re-executed server starts with these blocked (see _reexec); a signal that arrived
    # meanwhile is delivered now, to the handlers.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD_SIGNALS)
    lockdown.write_pid(settings.VAULT_DIR)
    threading.Thread(target=server.run, name="waitress", daemon=True).start()
    state = "serving" if session.is_unlocked() else "locked; unlock it in the browser"
    print(f"Dhakira is {state} on http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
    try:
        while not relock.wait(0.5):
            pass
    except BaseException:
        lockdown.remove_pid(settings.VAULT_DIR)
        raise
    time.sleep(GRACE_SECONDS + LOOP_SECONDS)
    try:
        _reexec(Path(settings.VAULT_DIR), host, port, sock, image + 1)
    except OSError as exc:  # a stopped server holds no key either
        lockdown.remove_pid(settings.VAULT_DIR)
        raise SystemExit(f"dhakira: the locked server could not restart ({exc}); stopped") from exc


def _reexec(vault: Path, host: str, port: int, sock: socket.socket, image: int) -> None:
    """Replace this process image with a locked server on the same socket and pid."""
    os.set_inheritable(sock.fileno(), True)
    # Blocked across execv until the new image has its handlers (the defaults would kill it
    # and leave the pid file behind).
    signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_SIGNALS)
    sys.stdout.flush()
    sys.stderr.flush()
    argv = [sys.executable, "-m", "dhakira", "serve", "--vault", str(vault), "--host", host,
            "--port", str(port), "--locked", "--listen-fd", str(sock.fileno()),
            "--image", str(image)]  # tells an observer (and the tests) that the image changed
    os.execv(sys.executable, argv)
