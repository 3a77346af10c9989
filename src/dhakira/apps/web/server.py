"""Serving the app from the CLI: waitress (plain HTTP) or cheroot (HTTPS), threads, and one
process or, with ``--workers N``, N processes forked from it (:mod:`dhakira.apps.web.workers`).

The process holds the unlocked key in memory, so the server runs in this process: no
autoreloader. Forked workers do not inherit the key page (``MADV_DONTFORK``): each is handed
the key through a pipe, and every one of them ends when the vault locks.

A lock ends this process image: after the key is dropped (``dhakira lock``, "Lock now",
anything that calls ``session.lock()``) the server re-executes itself (``execv``) with
the same listening socket and ``--locked``, so no heap page of the unlocked process
(cached records, copies a library made of the key) survives. The new image serves the
locked page and the unlock form until someone unlocks it.

HTTPS (``--tls-cert``/``--tls-key`` or the vault's own certificate, :mod:`dhakira.apps.web.tls`)
runs on cheroot, CherryPy's maintained threaded server, because waitress has no TLS and its
asyncore channels cannot carry a non-blocking TLS socket (records buffered inside OpenSSL
are invisible to ``select``). Cheroot does the handshake on the connection's worker thread
here (``_LazyHandshake``), not in its accept loop, and a new connection gets a worker only
once it has sent something: a silent client holds nothing, one that stalls mid-handshake or
mid-request holds one worker thread for at most ``IDLE_CLIENT_SECONDS`` (waitress, which reads
requests in its event loop, is not held even that long). A plain-HTTP
request on the HTTPS port fails the handshake and is dropped: no cookie is ever set over it.
"""

from __future__ import annotations

import gc
import os
import signal
import socket
import ssl
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from django.db import connections
from django.utils.translation import gettext

# Waitress holds a request body in memory up to this many bytes and refuses larger ones
# (HTTP 413). Its default is to spill bodies and responses past 512 KiB / 1 MiB to
# temporary files: plaintext on disk, so both overflows are set beyond the limits.
MAX_REQUEST_HEADER_BYTES = 64 * 1024
IDLE_CLIENT_SECONDS = 30  # a client that sends or reads nothing this long is dropped
CONNECTION_LIMIT = 64
THREADS = 4
GRACE_SECONDS = 0.5  # lets the locked page of "Lock now" reach the browser before execv
LOOP_SECONDS = 0.25  # a margin after stop_accepting (the loop reads that flag at every event)
# How long waitress's network loop waits in select() for a socket to wake it (a finished
# response wakes it at once, through waitress's trigger). Whole seconds: waitress reads the
# setting with int(), so the 0.25 it was once given became 0, a loop polling without pause
# that took half a processor from each idle server and the requests' share of the GIL.
NETWORK_WAIT_SECONDS = 1
# How long a request thread may keep the interpreter before another may run (Python's default
# is 5 ms). Every query lets go of it; a thread holding the write lock then waited up to the
# whole interval, for each of a save's eighty queries, behind threads reading pages. At 1 ms a
# save held the lock for less time and its p95 fell in each of three alternated runs under
# 50 users (docs/server.md, "Load").
SWITCH_INTERVAL_SECONDS = 0.001
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
        "asyncore_loop_timeout": NETWORK_WAIT_SECONDS,
        "ident": "Dhakira",
        # A TLS proxy on this machine may say the browser came over HTTPS (nothing else).
        "trusted_proxy": "127.0.0.1",
        "trusted_proxy_headers": {"x-forwarded-proto"},
        "clear_untrusted_proxy_headers": True,
    }


def _cheroot(app: Any, sock: socket.socket, ssl_context: Any, max_request_bytes: int) -> Any:
    """A cheroot server on the already-listening ``sock``, terminating TLS with ``ssl_context``."""
    from cheroot import errors, wsgi
    from cheroot.makefile import StreamReader, StreamWriter
    from cheroot.ssl import Adapter

    class _HandshakeIO(socket.SocketIO):
        """The socket as the reader sees it: the TLS handshake first, on this worker thread."""

        shaken = False

        def readinto(self, b: Any) -> int | None:
            if not self.shaken:
                self.shaken = True
                tls_sock: Any = self._sock  # type: ignore[attr-defined]
                try:
                    tls_sock.do_handshake()
                except ssl.SSLError as exc:
                    if exc.reason == "HTTP_REQUEST":
                        _refuse_plain_http(tls_sock)
                    raise errors.FatalSSLAlert(str(exc)) from None  # closed without a log line
                except OSError as exc:  # stalled or gone mid-handshake
                    raise errors.FatalSSLAlert(str(exc)) from None
            return super().readinto(b)

    class _Reader(StreamReader):  # type: ignore[misc]
        def __init__(self, sock: Any, mode: str, bufsize: int) -> None:
            super(StreamReader, self).__init__(_HandshakeIO(sock, mode), bufsize)  # type: ignore[arg-type]
            self.bytes_read = 0

    class _LazyHandshake(Adapter):
        def __init__(self) -> None:  # the context is made by dhakira.apps.web.tls
            self.context = ssl_context

        def bind(self, sock: socket.socket) -> socket.socket:
            return sock

        def wrap(self, sock: socket.socket) -> tuple[Any, dict[str, str]]:
            # Cheroot calls this in its accept loop: the handshake waits for the first read.
            wrapped = ssl_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
            return wrapped, self.get_environ()

        def get_environ(self) -> dict[str, str]:  # type: ignore[override]
            return {"wsgi.url_scheme": "https", "HTTPS": "on"}

        def makefile(self, sock: Any, mode: str = "r", bufsize: int = -1) -> Any:
            return (_Reader if "r" in mode else StreamWriter)(sock, mode, bufsize)

    class _Server(wsgi.Server):  # type: ignore[misc]
        def bind(self, family: int, type: int, proto: int = 0) -> socket.socket:  # noqa: A002
            self.socket = sock  # inherited or made by listen(): never bound again
            return sock

        def process_conn(self, conn: Any) -> None:
            # Cheroot hands a new connection to a worker at once, to block reading it: a few
            # silent clients would hold every worker. It waits in the selector until it sends.
            if getattr(conn, "dhakira_seen", False):
                super().process_conn(conn)
            else:
                conn.dhakira_seen = True
                self._connections.put(conn)  # type: ignore[attr-defined]

        def stop_accepting(self) -> None:
            # New connections wait in the socket's queue for the re-executed image.
            self._connections._selector.unregister(sock.fileno())  # type: ignore[attr-defined]

    server = _Server(sock.getsockname()[:2], app, numthreads=THREADS, max=THREADS, server_name="Dhakira",
                     request_queue_size=128, shutdown_timeout=1,
                     timeout=IDLE_CLIENT_SECONDS, accepted_queue_timeout=IDLE_CLIENT_SECONDS)
    server.ssl_adapter = _LazyHandshake()
    server.max_request_header_size = MAX_REQUEST_HEADER_BYTES
    server.max_request_body_size = max_request_bytes
    server.keep_alive_conn_limit = CONNECTION_LIMIT
    server.prepare()
    return server


def _refuse_plain_http(tls_sock: Any) -> None:
    """Answer a plain-HTTP request on the HTTPS port in plain HTTP, with no cookie, and close."""
    raw = socket.socket(fileno=os.dup(tls_sock.fileno()))
    try:
        raw.settimeout(5)
        raw.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n"
                    b"Connection: close\r\nContent-Length: 52\r\n\r\n"
                    b"This server speaks HTTPS only: use https:// instead\n")
    except OSError:
        pass
    finally:
        raw.close()


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


class Serving(NamedTuple):
    """One server on the listening socket: how to run it, stop accepting, and stop it."""

    run: Callable[[], None]
    stop_accepting: Callable[[], None]
    stop: Callable[[], None]
    scheme: str


def make_server(app: Any, sock: socket.socket, tls_pair: Any = None) -> Serving:
    """Waitress (plain HTTP) or, with ``tls_pair``, cheroot (HTTPS) on the listening ``sock``."""
    from django.conf import settings
    from waitress.server import create_server

    if tls_pair is not None:
        from dhakira.apps.web import tls

        if not settings.HTTPS:
            raise RuntimeError("HTTPS served without DHAKIRA_HTTPS: cookies would not be Secure")
        server = _cheroot(app, sock, tls.context(tls_pair), settings.MAX_REQUEST_BYTES)
        # stop: its worker threads would otherwise keep the process alive
        return Serving(server.serve, server.stop_accepting, server.stop, "https")
    plain = create_server(app, sockets=[sock], **limits(settings.MAX_REQUEST_BYTES))

    def stop_accepting() -> None:
        # New connections wait in the socket's queue for the re-executed image.
        plain.accepting = False

    return Serving(plain.run, stop_accepting, lambda: None, "http")  # waitress's thread is a daemon


def serve_forever(host: str, port: int, *, listen_fd: int | None = None, image: int = 0,
                  tls_pair: Any = None, workers: int = 1, language: str | None = None) -> None:
    """Serve until interrupted; re-execute this process, locked, whenever the key is dropped.

    ``tls_pair`` (a :class:`dhakira.apps.web.tls.Pair`) serves HTTPS with it; the settings must
    then have been loaded with ``DHAKIRA_HTTPS=1`` (secure cookies, HSTS). With ``workers``
    above 1 an unlocked server serves from that many processes
    (:mod:`dhakira.apps.web.workers`); a locked one serves the unlock page from this process
    and, once unlocked, re-executes itself with the key to start them. What it prints on the
    console is in ``language`` (the reader's, from the command line), else the settings'.
    """
    from django.conf import settings
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.wsgi import get_wsgi_application

    from dhakira.apps.vault import lockdown
    from dhakira.core.vault import session

    sock = socket.socket(fileno=listen_fd) if listen_fd is not None else listen(host, port)
    app = StaticFilesHandler(get_wsgi_application())
    settle_heap()
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)  # the workers forked below inherit it
    scheme = "https" if tls_pair is not None else "http"
    url = f"{scheme}://{host}:{port}/"
    if tls_pair is not None:
        from dhakira.apps.web import tls

        with _speaking(language):
            print(gettext("TLS certificate SHA-256 fingerprint: %(fingerprint)s")
                  % {"fingerprint": tls.fingerprint(tls_pair.cert_pem)}, flush=True)
    unlocked_at_start = session.is_unlocked()
    if unlocked_at_start:
        from dhakira.apps.vault import runtime

        runtime.refresh_statistics()
        connections.close_all()  # the workers forked below open their own
    if workers > 1 and unlocked_at_start:
        from dhakira.apps.web import workers as family

        lockdown.install_signal_handler()
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD_SIGNALS)
        lockdown.write_pid(settings.VAULT_DIR)
        with _speaking(language):
            print(gettext("Dhakira is serving on %(url)s with %(n)s processes (Ctrl-C to stop)")
                  % {"url": url, "n": workers}, flush=True)
        try:
            family.supervise(lambda: make_server(app, sock, tls_pair), workers)
        except BaseException:
            lockdown.remove_pid(settings.VAULT_DIR)
            raise
        _restart(Path(settings.VAULT_DIR), host, port, sock, image + 1, tls_pair, workers)
        return
    serving = make_server(app, sock, tls_pair)
    relock = threading.Event()

    def _locked() -> None:
        serving.stop_accepting()
        relock.set()

    session.on_lock(_locked)
    lockdown.install_signal_handler()
    # A re-executed server starts with these blocked (see _reexec); a signal that arrived
    # meanwhile is delivered now, to the handlers.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD_SIGNALS)
    lockdown.write_pid(settings.VAULT_DIR)
    threading.Thread(target=serving.run, name="server", daemon=True).start()
    with _speaking(language):
        print((gettext("Dhakira is serving on %(url)s (Ctrl-C to stop)") if unlocked_at_start
               else gettext("Dhakira is locked; unlock it in the browser on %(url)s (Ctrl-C to "
                            "stop)")) % {"url": url}, flush=True)
    # Unlocked in the browser, a server meant to have several processes starts them: it
    # re-executes itself with the key (handed over in memory), as a lock re-executes it without.
    promote = workers > 1 and not unlocked_at_start
    promoting = False
    try:
        while not relock.wait(0.5):
            if promote and session.is_unlocked():
                serving.stop_accepting()
                promoting = True
                break
    except BaseException:
        lockdown.remove_pid(settings.VAULT_DIR)
        serving.stop()
        raise
    time.sleep(GRACE_SECONDS + LOOP_SECONDS)
    # Any lock since start-up, even one that came while an unlock was under way, wins: the
    # key goes along only when the loop ended on the unlock and nothing has locked since.
    with_key = promoting and not relock.is_set() and session.is_unlocked()
    _restart(Path(settings.VAULT_DIR), host, port, sock, image + 1, tls_pair, workers,
             with_key=with_key)


def _speaking(language: str | None) -> Any:
    """The console's lines in ``language`` (this thread only: requests keep their own)."""
    from contextlib import nullcontext

    from django.utils import translation

    return translation.override(language) if language else nullcontext()


def _restart(vault: Path, host: str, port: int, sock: socket.socket, image: int,
             tls_pair: Any, workers: int, *, with_key: bool = False) -> None:
    try:
        _reexec(vault, host, port, sock, image, tls_pair, workers=workers, with_key=with_key)
    except OSError as exc:  # a stopped server holds no key either
        from dhakira.apps.vault import lockdown

        lockdown.remove_pid(vault)
        raise SystemExit(f"dhakira: the server could not restart ({exc}); stopped") from exc


def _reexec(vault: Path, host: str, port: int, sock: socket.socket, image: int,
            tls_pair: Any = None, *, workers: int = 1, with_key: bool = False) -> None:
    """Replace this process image with a server on the same socket and pid: locked, or
    ``with_key`` (just unlocked in the browser) holding the data key, handed over in memory.

    The TLS certificate and key (the locked image cannot unseal them) go along in memory.
    """
    os.set_inheritable(sock.fileno(), True)
    if with_key:
        from dhakira.apps.vault import keypipe

        key_args = ["--key-fd", str(keypipe.inheritable())]
    else:
        key_args = ["--locked"]
    tls_args: list[str] = []
    if tls_pair is not None:
        from dhakira.apps.web import tls

        tls_args = ["--tls-fd", str(tls.to_fd(tls_pair))]
    # Blocked across execv until the new image has its handlers (the defaults would kill it
    # and leave the pid file behind).
    signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_SIGNALS)
    sys.stdout.flush()
    sys.stderr.flush()
    argv = [sys.executable, "-m", "dhakira", "serve", "--vault", str(vault), "--host", host,
            "--port", str(port), *key_args, "--listen-fd", str(sock.fileno()),
            "--workers", str(workers),
            "--image", str(image), *tls_args]  # tells an observer (and the tests) that the image changed
    os.execv(sys.executable, argv)
