"""HTTPS on the office server (issue 19, item 1): a real `dhakira serve` and a real TLS client.

The vault's own certificate (``dhakira tls make``, key sealed in the vault) or the
organisation's files; the SHA-256 fingerprint people pin; Secure cookies and HSTS; plain HTTP
on the HTTPS port refused; a client stalled in the handshake holds up nobody else; the locked
image (re-executed without the data key) still serves the same certificate.
"""

from __future__ import annotations

import hashlib
import http.client
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pytest
from tests.protection._served import (
    Served,
    clean_env,
    dhakira,
    make_vault,
    read_pid,
    serving,
    wait_for,
)

from dhakira.apps.web import server, tls

pytestmark = pytest.mark.backend_independent


def _pinned(cert_pem: bytes) -> ssl.SSLContext:
    """A client that trusts exactly this certificate (and checks the host name in it)."""
    return ssl.create_default_context(cadata=cert_pem.decode())


def _peer_fingerprint(base: str) -> str:
    host, port = base.split("//", 1)[1].split(":")
    unchecked = ssl.create_default_context()
    unchecked.check_hostname, unchecked.verify_mode = False, ssl.CERT_NONE
    with socket.create_connection((host, int(port)), timeout=30) as raw, \
            unchecked.wrap_socket(raw) as conn:
        der = conn.getpeercert(binary_form=True)
    assert der is not None
    return ":".join(f"{b:02X}" for b in hashlib.sha256(der).digest())


def _fingerprint_line(output: str) -> str:
    found = re.search(r"SHA-256 fingerprint: ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})", output)
    assert found, output
    return found.group(1)


@pytest.fixture(scope="module")
def https(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Served, str]]:
    """`dhakira serve --tls-self-signed` on a vault whose certificate `dhakira tls make` made."""
    tmp = tmp_path_factory.mktemp("tls")
    env = clean_env()
    vault, secret = make_vault(tmp, env)
    made = dhakira("tls", "make", "--vault", str(vault), "--passphrase-file", str(secret),
                   "--name", "127.0.0.1", "--name", "dhakira.office.example", env=env)
    assert made.returncode == 0, made.stderr
    pinned = _pinned((vault / "tls" / "cert.pem").read_bytes())
    with serving(vault, secret, env, "--tls-self-signed", tls=pinned) as served:
        yield served, _fingerprint_line(made.stdout)


def test_tls_make_keeps_the_private_key_sealed_and_prints_the_fingerprint(
        https: tuple[Served, str]) -> None:
    served, fingerprint = https
    files = [p for p in served.vault.rglob("*") if p.is_file()]
    assert {p.name for p in (served.vault / "tls").iterdir()} == {"cert.pem", "key.sealed"}
    for path in files:  # no PEM key, encrypted or not, anywhere in the vault
        assert b"PRIVATE KEY" not in path.read_bytes(), path
    shown = dhakira("tls", "show", "--vault", str(served.vault), env=served.env)
    assert shown.returncode == 0 and _fingerprint_line(shown.stdout) == fingerprint


def test_the_server_presents_the_certificate_whose_fingerprint_was_printed(
        https: tuple[Served, str]) -> None:
    served, fingerprint = https
    assert _peer_fingerprint(served.base) == fingerprint
    # A client pinning the certificate verifies it, host name included.
    assert served.status("/login/")[0] == 200


def test_over_https_the_cookies_are_secure_hsts_is_sent_and_login_works(
        https: tuple[Served, str]) -> None:
    served, _ = https
    browser = served.browser()
    browser.log_in()
    assert {c.name for c in browser.jar} >= {"csrftoken", "sessionid"}
    assert all(c.secure for c in browser.jar)
    host, port = served.base.split("//", 1)[1].split(":")
    conn = http.client.HTTPSConnection(host, int(port), timeout=30, context=served.tls)
    conn.request("GET", "/login/")
    answer = conn.getresponse()
    assert answer.status == 200
    assert answer.getheader("Strict-Transport-Security") == "max-age=31536000"
    assert "; Secure" in (answer.getheader("Set-Cookie") or "")


def _raw_exchange(base: str, data: bytes) -> bytes:
    host, port = base.split("//", 1)[1].split(":")
    with socket.create_connection((host, int(port)), timeout=30) as raw:
        raw.sendall(data)
        chunks = []
        with suppress(ConnectionResetError):
            while chunk := raw.recv(65536):
                chunks.append(chunk)
    return b"".join(chunks)


def test_plain_http_on_the_https_port_is_refused_without_a_cookie(
        https: tuple[Served, str]) -> None:
    served, _ = https
    answer = _raw_exchange(served.base, b"GET /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert b"Set-Cookie" not in answer and b"csrftoken" not in answer
    assert b"https://" in answer


def test_a_client_silent_before_the_handshake_does_not_hold_up_the_others(
        https: tuple[Served, str]) -> None:
    served, _ = https
    host, port = served.base.split("//", 1)[1].split(":")
    # Cheroot's own adapter shakes hands in its accept loop: one such client stalled every
    # new connection for the whole idle timeout.
    silent = [socket.create_connection((host, int(port)), timeout=30)
              for _ in range(server.THREADS + 2)]
    try:
        started = time.monotonic()
        assert served.status("/login/")[0] == 200
        assert time.monotonic() - started < 5
    finally:
        for sock in silent:
            sock.close()


def test_a_wrong_or_missing_organisation_key_is_refused_in_one_line(tmp_path: Path) -> None:
    env = clean_env()
    vault, secret = make_vault(tmp_path, env)
    one, other = tls.make_self_signed(["127.0.0.1"]), tls.make_self_signed(["127.0.0.1"])
    (tmp_path / "cert.pem").write_bytes(one.cert_pem)
    (tmp_path / "key.pem").write_bytes(other.key_pem)
    result = dhakira("serve", "--vault", str(vault), "--passphrase-file", str(secret),
                     "--tls-cert", str(tmp_path / "cert.pem"),
                     "--tls-key", str(tmp_path / "key.pem"), env=env)
    assert result.returncode == 64
    assert result.stderr.strip().count("\n") == 0 and "does not belong" in result.stderr
    alone = dhakira("serve", "--vault", str(vault), "--passphrase-file", str(secret),
                    "--tls-cert", str(tmp_path / "cert.pem"), env=env)
    assert alone.returncode == 64 and "go together" in alone.stderr


def test_the_locked_image_serves_the_organisations_certificate_without_a_file(
        tmp_path: Path) -> None:
    env = clean_env()
    vault, secret = make_vault(tmp_path, env)
    pair = tls.make_self_signed(["127.0.0.1"])
    (tmp_path / "cert.pem").write_bytes(pair.cert_pem)
    (tmp_path / "key.pem").write_bytes(pair.key_pem)
    with serving(vault, secret, env, "--tls-cert", str(tmp_path / "cert.pem"),
                 "--tls-key", str(tmp_path / "key.pem"), tls=_pinned(pair.cert_pem)) as served:
        pid = read_pid(vault)
        locked = dhakira("lock", "--vault", str(vault), env=env)
        assert locked.returncode == 0, locked.stderr
        wait_for(lambda: served.status("/login/")[0] == 423, "the locked page over HTTPS")
        assert read_pid(vault) == pid
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        assert b"--locked" in argv and b"--tls-fd" in argv
        assert b"--tls-key" not in argv and b"key.pem" not in b" ".join(argv)  # not re-read
        assert _peer_fingerprint(served.base) == tls.fingerprint(pair.cert_pem)
        assert not (vault / "tls").exists()  # the organisation's key was never copied in


# In process: cheroot as serve_forever sets it up, on an echo application.

def _echo(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    body = environ["wsgi.input"].read()
    start_response("200 OK", [("Content-Type", "application/octet-stream"),
                              ("X-Scheme", environ["wsgi.url_scheme"])])
    return [body]


@contextmanager
def _cheroot(max_bytes: int) -> Iterator[tuple[int, ssl.SSLContext]]:
    pair = tls.make_self_signed(["127.0.0.1"])
    sock = server.listen("127.0.0.1", 0)
    srv = server._cheroot(_echo, sock, tls.context(pair), max_bytes)
    threading.Thread(target=srv.serve, daemon=True).start()
    try:
        yield sock.getsockname()[1], _pinned(pair.cert_pem)
    finally:
        srv.stop()


def test_cheroot_refuses_a_body_over_the_limit_and_says_https_to_the_app() -> None:
    with _cheroot(1024) as (port, client):
        conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=30, context=client)
        conn.request("POST", "/", body=b"x" * 1000)
        ok = conn.getresponse()
        assert ok.status == 200 and ok.getheader("X-Scheme") == "https"
        assert ok.read() == b"x" * 1000
        conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=30, context=client)
        conn.request("POST", "/", body=b"x" * 2048)
        assert conn.getresponse().status == 413


def test_a_client_stalled_mid_handshake_is_dropped_after_the_idle_timeout(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server, "IDLE_CLIENT_SECONDS", 1)
    with _cheroot(1024) as (port, _), \
            socket.create_connection(("127.0.0.1", port), timeout=30) as stalled:
        stalled.sendall(b"\x16\x03\x01")  # the start of a ClientHello, then nothing
        started = time.monotonic()
        assert stalled.recv(1024) == b""  # closed by the server
        assert time.monotonic() - started < 10


def test_the_pair_travels_to_the_next_image_in_memory_and_never_prints_its_key() -> None:
    pair = tls.make_self_signed(["127.0.0.1", "localhost"])
    fd = tls.to_fd(pair)
    target = Path(f"/proc/self/fd/{fd}").readlink() if Path("/proc/self/fd").exists() else None
    assert target is None or str(target).startswith(("/memfd:", "pipe:"))
    assert tls.from_fd(fd) == pair
    assert "PRIVATE" not in repr(pair) and tls.fingerprint(pair.cert_pem) in repr(pair)
