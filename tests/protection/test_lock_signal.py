"""`dhakira lock` end to end: a real `dhakira serve`, a signal, and the locked page."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

PASSPHRASE = "a long vault passphrase for the signal test"
TIMEOUT = 5


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _dhakira(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dhakira", *args], env=env, text=True,
                          capture_output=True, timeout=120, check=False)


def _status(url: str, data: dict[str, str] | None = None) -> tuple[int, str]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body, headers={"Accept-Language": "en"}), timeout=TIMEOUT) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _wait_for(predicate: object, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str, dict[str, str]]]:
    # The signal path does not depend on the database: always the embedded SQLCipher vault.
    env = {k: v for k, v in os.environ.items() if k not in {"DHAKIRA_DATABASE_URL",
                                                             "DJANGO_SETTINGS_MODULE"}}
    secret, password = tmp_path / "pass", tmp_path / "pw"
    secret.write_text(PASSPHRASE + "\n")
    password.write_text("web password for the test\n")
    vault = tmp_path / "vault"
    init = _dhakira("init", "--vault", str(vault), "--passphrase-file", str(secret),
                    "--admin-password-file", str(password), env=env)
    assert init.returncode == 0, init.stderr
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "dhakira", "serve", "--vault", str(vault),
                               "--passphrase-file", str(secret), "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(lambda: (vault / "serve.pid").exists() and _up(base), "the server")
        yield vault, base, env
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert not (vault / "serve.pid").exists()


def _up(base: str) -> bool:
    try:
        return _status(base + "/login/")[0] == 200
    except OSError:
        return False


def test_dhakira_lock_makes_the_running_server_serve_only_the_locked_page(served) -> None:  # type: ignore[no-untyped-def]
    vault, base, env = served
    assert _status(base + "/login/")[0] == 200
    result = _dhakira("lock", "--vault", str(vault), env=env)
    assert result.returncode == 0, result.stderr
    _wait_for(lambda: _status(base + "/login/")[0] == 423, "the lock")
    # Static files (CSS, JS) are served outside Django's middleware and hold no data.
    for path in ("/", "/login/", "/people/", "/protection/", "/admin/", "/evidence/"):
        assert _status(base + path)[0] == 423, path
    code, body = _status(base + "/unlock/", {"passphrase": "wrong"})
    assert code == 423 and "Wrong passphrase" in body
    assert _status(base + "/login/")[0] == 423
    code, _ = _status(base + "/unlock/", {"passphrase": PASSPHRASE})
    assert code == 200  # redirected to the login page, served again
    assert _status(base + "/login/")[0] == 200
