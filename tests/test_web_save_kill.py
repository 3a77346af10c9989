"""Issue 16, crash consistency of a web save: ``kill -9`` of the real server while a browser
saves reports, at seeded random moments, several times. Afterwards ``check``, ``repair`` and
``verify`` pass, and every save the browser saw acknowledged (redirected to its report) is
still there.
"""

from __future__ import annotations

import random
import signal
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from tests import writers_load as load

pytestmark = pytest.mark.backend_independent
ROUNDS = 3


@contextmanager
def _server(vault: load.Vault, port: int) -> Iterator[subprocess.Popen[bytes]]:
    server = load.start_server(vault, port)
    try:
        yield server
    finally:
        load.stop_server(server)


def _save_until_killed(base: str, acknowledged: list[str], stop: threading.Event,
                       saving: threading.Event) -> None:
    user = load.WebUser(base)  # logged in before any kill: the round waits for `saving`
    n = 0
    while not stop.is_set():
        try:
            response = user.opener.open(
                base + "/reports/new/", timeout=30,
                data=urllib.parse.urlencode(load.post_data(**{
                    "r-event_title": f"Kill test report {n}",
                    "csrfmiddlewaretoken": user.form_token})).encode())
        except OSError:
            return  # the server was killed mid-request: this save was never acknowledged
        if "/reports/" in response.geturl() and "/new/" not in response.geturl():
            acknowledged.append(response.geturl().removeprefix(base))
            saving.set()
        n += 1


def _cli(vault: load.Vault, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(vault.dhakira(*args), env=vault.env, capture_output=True, text=True,
                          timeout=300, check=False)


def test_issue16_a_web_save_killed_at_random_points_loses_nothing_acknowledged(
        tmp_path: Path) -> None:
    rng = random.Random(16)
    acknowledged: list[str] = []
    with load.new_vault(tmp_path) as vault:
        port = load._free_port()
        for _ in range(ROUNDS):
            with _server(vault, port) as server:
                stop, saving = threading.Event(), threading.Event()
                saver = threading.Thread(target=_save_until_killed,
                                         args=(f"http://127.0.0.1:{port}", acknowledged, stop,
                                               saving))
                saver.start()
                # The kill falls among saves, at a seeded moment after the first one of the
                # round: on a loaded machine the login alone can outlast a fixed delay.
                assert saving.wait(180), "no save was acknowledged before the kill"
                time.sleep(rng.uniform(0.0, 2.5))
                server.send_signal(signal.SIGKILL)
                server.wait(timeout=30)
                stop.set()
                saver.join(60)
        assert len(acknowledged) >= ROUNDS  # the kills fell among saves, not before them
        assert _cli(vault, "check").returncode == 0
        repaired = _cli(vault, "repair", "--actor", load.ADMIN, "--password-file",
                        str(tmp_path / "web"), "--older-than", "0")
        assert repaired.returncode == 0, repaired.stdout + repaired.stderr
        verified = _cli(vault, "verify")
        assert verified.returncode == 0, verified.stdout + verified.stderr
        with _server(vault, port):
            user = load.WebUser(f"http://127.0.0.1:{port}")
            for path in acknowledged:
                with user.opener.open(f"http://127.0.0.1:{port}{path}", timeout=30) as page:
                    assert page.status == 200, path
