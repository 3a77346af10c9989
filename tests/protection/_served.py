"""A real `dhakira serve` on a fresh vault, and a small browser (cookies, CSRF) to talk to it."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests import clivault, warm

# The secrets of tests.clivault's vault: every vault here is a copy of the one it made.
PASSPHRASE, ADMIN, PASSWORD = clivault.PASS, clivault.ADMIN, clivault.WEB
TIMEOUT = 60  # a re-executing server answers once its new image is up


def read_pid(vault: Path) -> int:
    """The server's pid, from the pid file it writes (pid and start time)."""
    from dhakira.apps.vault import lockdown

    pid = lockdown.read_pid(vault)
    assert pid is not None, "no serve.pid"
    return pid


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def clean_env() -> dict[str, str]:
    # The lock path does not depend on the database: always the embedded SQLCipher vault.
    return {k: v for k, v in os.environ.items() if k not in {"DHAKIRA_DATABASE_URL",
                                                             "DJANGO_SETTINGS_MODULE"}}


def dhakira(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return warm.python("-m", "dhakira", *args, env=env, timeout=120)


def wait_for(predicate: Callable[[], bool], what: str, seconds: float = 30, *,
             required: bool = True) -> bool:
    """Poll ``predicate`` until it holds; fail the test after ``seconds`` unless not ``required``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:  # not accepting yet, or still starting (a re-executing server)
            pass
        time.sleep(0.1)
    if required:
        pytest.fail(f"timed out waiting for {what}")
    return False


class Browser:
    """Cookies kept, CSRF token sent: enough of a browser to log in and post forms."""

    def __init__(self, base: str, tls: ssl.SSLContext | None = None) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self._open = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                 urllib.request.HTTPSHandler(context=tls)).open

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body,
                                     headers={"Accept-Language": "en", "Origin": self.base})
        try:
            with self._open(req, timeout=TIMEOUT) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def post_form(self, path: str, data: dict[str, str], *, form_page: str) -> tuple[int, str]:
        """Post ``data`` with the CSRF token of the form on ``form_page``."""
        _, page = self.request(form_page)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, f"no CSRF token on {form_page}"
        return self.request(path, {**data, "csrfmiddlewaretoken": token.group(1)})

    def log_in(self, username: str = ADMIN, password: str = PASSWORD) -> None:
        status, body = self.post_form("/login/", {"username": username, "password": password},
                                      form_page="/login/")
        assert status == 200 and "/logout/" in body, "the login failed"


@dataclass
class Served:
    vault: Path
    base: str
    env: dict[str, str]
    process: subprocess.Popen[bytes]
    passphrase_file: Path
    tls: ssl.SSLContext | None = None  # the client's, when served over HTTPS

    def browser(self) -> Browser:
        return Browser(self.base, self.tls)

    def status(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str]:
        return self.browser().request(path, data)

    def up(self) -> bool:
        return self.status("/login/")[0] in {200, 423}


def make_vault(tmp_path: Path, env: dict[str, str]) -> tuple[Path, Path]:
    """A vault as ``dhakira init --admin amal`` makes it (a copy of one this process made, see
    :func:`tests.clivault.new_vault`), its passphrase in ``pass`` and amal's password in ``pw``.

    ``env`` is kept for the callers' sake: the vault is embedded whatever the environment.
    """
    vault = clivault.new_vault(tmp_path, "vault")
    secret, password = tmp_path / "pass", tmp_path / "pw"
    (tmp_path / "web").rename(password)
    return vault, secret


@contextmanager
def serving(vault: Path, secret: Path, env: dict[str, str], *args: str,
            tls: ssl.SSLContext | None = None, seconds: float = 120) -> Iterator[Served]:
    """``dhakira serve`` with ``args``; over HTTPS when given the client's ``tls`` context.

    ``seconds``: at most how long it may take to answer (a server that stops fails at once)."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "dhakira", "serve", "--vault", str(vault),
                                "--passphrase-file", str(secret), "--port", str(port), *args],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    scheme = "https" if tls else "http"
    served = Served(vault, f"{scheme}://127.0.0.1:{port}", env, process, secret, tls)
    try:
        def answering() -> bool:
            assert process.poll() is None, "the server stopped while starting"
            return (vault / "serve.pid").exists() and served.up()

        # Awaited until it answers, and failed at once if it stops; the deadline only bounds
        # a server that hangs (a start takes seconds, minutes on a machine shared by many runs).
        wait_for(answering, "the server", seconds=seconds)
        yield served
    finally:
        process.terminate()
        process.wait(timeout=10)
