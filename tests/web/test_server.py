"""The production server (issue 13, Low): waitress with request-size and slow-client limits,
nothing spooled to disk, and Secure cookies with HSTS when served over HTTPS."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

import pytest
from waitress.server import create_server

from dhakira.apps.web import server

BODY = 3 * 1024 * 1024  # past waitress's default spill thresholds (512 KiB in, 1 MiB out)


def _echo(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    body = environ["wsgi.input"].read()
    start_response("200 OK", [("Content-Type", "application/octet-stream"),
                              ("X-Scheme", environ["wsgi.url_scheme"])])
    return [body]


@contextmanager
def _running(**adjustments: Any) -> Iterator[int]:
    sock = server.listen("127.0.0.1", 0)
    srv = create_server(_echo, sockets=[sock], **adjustments)

    def run() -> None:
        with suppress(OSError, ValueError):  # the loop notices its closed socket on the way out
            srv.run()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield sock.getsockname()[1]
    finally:
        srv.close()


def _post(port: int, body: bytes, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", "/", body=body, headers=headers or {})
    return conn.getresponse()


def test_a_request_over_the_size_limit_is_refused_with_413() -> None:
    """The server answers 413 from the declared length and closes; a client still pushing
    the whole body may meet the closed socket before it reads the answer (a broken pipe),
    so this client declares the size, sends a little of the body and reads."""
    with _running(**server.limits(1024 * 1024)) as port, \
            socket.create_connection(("127.0.0.1", port), timeout=30) as client:
        client.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n"
                       % (1024 * 1024 + 1) + b"x" * 1024)
        answer = b""
        while b"\r\n" not in answer:
            chunk = client.recv(1024)
            assert chunk, f"closed without an answer: {answer!r}"
            answer += chunk
        assert answer.split(b"\r\n", 1)[0].split()[1] == b"413"
        ok = _post(port, b"y" * 1024)
        assert ok.status == 200 and ok.read() == b"y" * 1024


def test_neither_request_nor_response_is_spooled_to_a_temporary_file(
        monkeypatch: pytest.MonkeyPatch) -> None:
    spooled: list[object] = []
    real = tempfile.TemporaryFile

    def recording(*args: Any, **kwargs: Any) -> Any:
        spooled.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "TemporaryFile", recording)
    # Control: waitress's defaults do write these bodies to temporary files.
    with _running(threads=2) as port:
        assert _post(port, b"z" * BODY).read() == b"z" * BODY
    assert spooled, "the control did not spool: this test could not fail"
    spooled.clear()
    with _running(**server.limits(16 * 1024 * 1024)) as port:
        assert _post(port, b"z" * BODY).read() == b"z" * BODY
    assert spooled == []


def test_a_client_that_stops_sending_is_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server, "IDLE_CLIENT_SECONDS", 1)
    with _running(**server.limits(1024 * 1024)) as port, socket.create_connection(("127.0.0.1", port)) as slow:
        slow.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly a part")
        slow.settimeout(20)
        started = time.monotonic()
        assert slow.recv(1024) == b""  # closed by the server, without an answer
        assert time.monotonic() - started < 15


def test_an_idle_server_sleeps_until_a_socket_wakes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Waitress reads its loop timeout with int(): the 0.25 s once given became 0, a network
    loop that polled without pause, half a processor per idle server and GIL time taken from
    its requests. Idle, the loop now waits in select(); a response still goes out at once
    (the worker thread wakes the loop)."""
    from waitress import wasyncore

    polls: list[float] = []
    real = wasyncore.poll

    def counting(timeout: float = 0.0, map: Any = None) -> None:  # noqa: A002 - waitress's name
        polls.append(timeout)
        real(timeout, map)

    monkeypatch.setattr(wasyncore, "poll", counting)
    with _running(**server.limits(1024 * 1024)) as port:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        started = time.monotonic()
        for n in range(10):  # one connection, as a browser keeps it
            conn.request("POST", "/", body=b"x" * n)
            assert conn.getresponse().read() == b"x" * n
        assert time.monotonic() - started < 5, "each answer waited for the loop's timeout"
        polls.clear()
        time.sleep(2)
        idle = len(polls)
    assert idle <= 4, f"the idle network loop polled {idle} times in 2 s"
    assert all(timeout >= 1 for timeout in polls)


def test_a_local_tls_proxy_can_say_the_request_came_over_https() -> None:
    with _running(**server.limits(1024 * 1024)) as port:
        plain = _post(port, b"")
        proxied = _post(port, b"", {"X-Forwarded-Proto": "https"})
    assert plain.getheader("X-Scheme") == "http" and proxied.getheader("X-Scheme") == "https"


@pytest.mark.parametrize(("https", "secure", "hsts"), [("1", "True", "31536000"),
                                                        ("", "False", "0")])
def test_cookies_are_secure_and_hsts_is_sent_when_served_over_https(
        https: str, secure: str, hsts: str) -> None:
    code = ("from dhakira.apps.web import settings as s; "
            "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"DHAKIRA_HTTPS": https, "PATH": "", "PYTHONPATH": ":".join(sys.path)},
                         check=True).stdout.split()
    assert out == [secure, secure, hsts]
