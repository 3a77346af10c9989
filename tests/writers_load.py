"""Several writers at once against a real vault: the driver shared by the test and the bench.

A vault made by ``dhakira init``, served by ``dhakira serve`` in its own process; web users
(one login session each) save reports through the intake form and drafts through the draft
endpoint on threads, while ``dhakira ingest`` processes take folders in. On PostgreSQL
(``DHAKIRA_DATABASE_URL`` set) each vault gets a database of its own on that server.
Used by tests/test_several_writers.py and bench/bench_writers.py (issue 16, finding 2).
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from tests import warm
from tests.conftest import SUITE_ENV
from tests.dossier.intake_data import post_data

PASS = "a long vault passphrase for the writers test"
WEB = "a web password for the writers test"
ADMIN = "amal"


@dataclass
class Vault:
    base: Path
    path: Path
    env: dict[str, str]

    def dhakira(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "dhakira", *args, "--vault", str(self.path),
                "--passphrase-file", str(self.base / "pass")]

    def ingest(self, folder: Path) -> subprocess.Popen[str]:
        return subprocess.Popen(self.dhakira("ingest", "--collector", ADMIN, "--password-file",
                                             str(self.base / "web"), str(folder)),
                                env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)


@contextmanager
def _database(env: dict[str, str]) -> Iterator[None]:
    """On PostgreSQL, a database of this vault's own for the duration (else nothing)."""
    url = os.environ.get("DHAKIRA_DATABASE_URL")
    if not url:
        yield
        return
    import psycopg

    name = f"writers_{secrets.token_hex(6)}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")  # a fixed prefix and hex: nothing to quote
    env["DHAKIRA_DATABASE_URL"] = urlunparse(urlparse(url)._replace(path="/" + name))
    try:
        yield
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextmanager
def new_vault(base: Path) -> Iterator[Vault]:
    """A vault made by ``dhakira init`` with one administrator, ``amal``."""
    env = {k: v for k, v in os.environ.items()
           if (not k.startswith("DHAKIRA_") or k in SUITE_ENV) and k != "DJANGO_SETTINGS_MODULE"}
    with _database(env):
        (base / "pass").write_text(PASS + "\n")
        (base / "web").write_text(WEB + "\n")
        vault = Vault(base, base / "vault", env)
        init = warm.python("-m", "dhakira", "init", "--vault", str(vault.path),
                           "--passphrase-file", str(base / "pass"), "--admin", ADMIN,
                           "--admin-password-file", str(base / "web"), env=env, timeout=300)
        assert init.returncode == 0, init.stderr
        yield vault


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(vault: Vault, port: int, err: object = subprocess.DEVNULL, *args: str,
                 tls: ssl.SSLContext | None = None) -> subprocess.Popen[bytes]:
    """Start ``dhakira serve`` on ``port`` and return it once it answers (stderr to ``err``).

    ``args`` go to ``serve``; with ``tls`` (the client's context) it is asked over HTTPS.
    """
    server = subprocess.Popen(vault.dhakira("serve", "--port", str(port), *args), env=vault.env,
                              stdout=subprocess.DEVNULL, stderr=err)  # type: ignore[arg-type]
    deadline = time.monotonic() + 120
    scheme = "https" if tls else "http"
    while True:
        try:
            urllib.request.urlopen(f"{scheme}://127.0.0.1:{port}/login/", timeout=5,
                                   context=tls).close()
            return server
        except OSError:
            assert server.poll() is None, "the server stopped while starting"
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL if it does not end (a killed server is left as it is)."""
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=30)


@contextmanager
def served(vault: Vault, *args: str,
           tls: ssl.SSLContext | None = None) -> Iterator[tuple[str, Path]]:
    """``dhakira serve ARGS`` on a free port: its address and the file holding its stderr."""
    port, log = _free_port(), vault.base / "serve.log"
    with log.open("w") as err:
        try:
            server = start_server(vault, port, err, *args, tls=tls)
        except AssertionError as exc:
            raise AssertionError(f"{exc}: {log.read_text()}") from None
    try:
        yield f"{'https' if tls else 'http'}://127.0.0.1:{port}", log
    finally:
        stop_server(server)


def write_folder(folder: Path, files: int, tag: str) -> Path:
    """``files`` small synthetic text files, each different (so none is a duplicate)."""
    folder.mkdir(parents=True)
    for n in range(files):
        (folder / f"note-{n:04d}.txt").write_text(
            f"{tag} note {n}: synthetic testimony about the checkpoint, {secrets.token_hex(8)}\n" * 20)
    return folder


class WebUser:
    """One logged-in browser session of ``amal``."""

    def __init__(self, base: str, tls: ssl.SSLContext | None = None) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()),
                                                  urllib.request.HTTPSHandler(context=tls))
        self.opener.addheaders.append(("Origin", base))  # as browsers do; CSRF wants it on HTTPS
        login = urllib.parse.urlencode({"username": ADMIN, "password": WEB,
                                        "csrfmiddlewaretoken": self._token("/login/")}).encode()
        assert self.opener.open(base + "/login/", data=login, timeout=60).geturl() == base + "/"
        self.form_token = self._token("/reports/new/")

    def _token(self, path: str) -> str:
        page = self.opener.open(self.base + path, timeout=60).read().decode()
        return page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]

    def save_report(self, n: int) -> str:
        """POST one report; the problem as a line, or "" when it was saved."""
        data = post_data(**{"r-event_title": f"Report {n} of the writers test",
                            "csrfmiddlewaretoken": self.form_token})
        return _answer(lambda: self.opener.open(
            self.base + "/reports/new/", data=urllib.parse.urlencode(data).encode(), timeout=120),
            lambda r: "/reports/" in r.geturl() and "/new/" not in r.geturl())

    def save_draft(self, n: int) -> str:
        request = urllib.request.Request(
            self.base + "/reports/new/draft/",
            data=json.dumps({"r-event_title": f"draft {n}", "r-text": "half typed"}).encode(),
            headers={"Content-Type": "application/json", "X-CSRFToken": self.form_token})
        return _answer(lambda: self.opener.open(request, timeout=120),
                       lambda r: "saved" in json.loads(r.read()))


def _answer(call: Callable[[], object], ok: Callable[[object], bool]) -> str:
    try:
        response = call()
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}: {exc.read()[:300]!r}"
    except OSError as exc:
        return f"{type(exc).__name__}: {exc}"
    return "" if ok(response) else f"not saved: {getattr(response, 'geturl', str)()}"


@dataclass
class Saves:
    """What the web users did: seconds per save by kind, and every failure."""

    times: dict[str, list[float]] = field(default_factory=lambda: {"report": [], "draft": []})
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, problem: str) -> None:
        with self.lock:
            self.times[kind].append(seconds)
            if problem:
                self.failures.append(f"{kind}: {problem}")


def run_users(users: list[WebUser], kinds: list[str], *, until: Callable[[], bool],
              at_least: int, saves: Saves) -> None:
    """Each user saves its kind of thing in a loop, at least ``at_least`` times, until ``until()``."""

    def loop(user: WebUser, kind: str) -> None:
        n = 0
        while n < at_least or not until():
            started = time.perf_counter()
            problem = user.save_report(n) if kind == "report" else user.save_draft(n)
            saves.add(kind, time.perf_counter() - started, problem)
            n += 1

    threads = [threading.Thread(target=loop, args=(u, k)) for u, k in zip(users, kinds, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
