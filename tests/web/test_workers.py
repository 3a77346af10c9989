"""`dhakira serve --workers N`: several serving processes, and a lock that reaches every one.

Real servers on fresh vaults (tests.protection._served), real signals, real HTTP.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.protection._served import (
    PASSPHRASE,
    Served,
    clean_env,
    dhakira,
    make_vault,
    read_pid,
    serving,
    wait_for,
)

pytestmark = [pytest.mark.backend_independent, pytest.mark.slow]
WORKERS = 2


def workers_of(pid: int) -> set[int]:
    """The serving processes forked by the server ``pid`` (not its file-reading helpers)."""
    out = subprocess.run(["ps", "-o", "pid=,args=", "--ppid", str(pid)], capture_output=True,
                         text=True, check=False).stdout
    return {int(line.split()[0]) for line in out.splitlines() if " serve " in line}


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    env = clean_env()
    vault, secret = make_vault(tmp_path, env)
    with serving(vault, secret, env, "--workers", str(WORKERS)) as server:
        wait_for(lambda: len(workers_of(read_pid(vault))) == WORKERS, "the workers")
        yield server
    assert not (vault / "serve.pid").exists()


def test_dhakira_lock_ends_every_worker_and_an_unlock_in_the_browser_starts_them_again(
        served: Served) -> None:
    vault, env = served.vault, served.env
    pid = read_pid(vault)
    before = workers_of(pid)
    assert len(before) == WORKERS
    result = dhakira("lock", "--vault", str(vault), env=env)
    assert result.returncode == 0, result.stderr
    wait_for(lambda: served.status("/login/")[0] == 423, "the lock")
    # Every worker that held the key is gone; the locked image serves alone, same pid.
    assert not any(alive(w) for w in before)
    assert workers_of(pid) == set() and read_pid(vault) == pid
    for _ in range(6):  # new connections: whichever process takes them, all are locked
        assert served.status("/people/")[0] == 423
    code, _ = served.status("/unlock/", {"passphrase": PASSPHRASE})
    assert code == 200
    # The unlocked image restarts with the key and forks its workers again.
    wait_for(lambda: len(workers_of(pid)) == WORKERS, "the workers after the unlock")
    browser = served.browser()
    browser.log_in()
    assert browser.request("/people/")[0] == 200


def test_lock_now_in_one_worker_locks_them_all(served: Served) -> None:
    pid = read_pid(served.vault)
    before = workers_of(pid)
    browser = served.browser()
    browser.log_in()
    code, body = browser.post_form("/lock/", {}, form_page="/")
    assert code == 423, body[:300]
    wait_for(lambda: not any(alive(w) for w in before), "every worker to end")
    assert workers_of(pid) == set()
    for _ in range(6):
        assert served.status("/login/")[0] == 423


def test_a_killed_worker_is_replaced_and_the_workers_die_with_the_supervisor(
        served: Served) -> None:
    pid = read_pid(served.vault)
    first = workers_of(pid)
    victim = min(first)
    os.kill(victim, signal.SIGKILL)
    wait_for(lambda: len(workers_of(pid) - {victim}) == WORKERS, "a replacement worker")
    for _ in range(6):
        assert served.status("/login/")[0] == 200
    now = workers_of(pid)
    os.kill(pid, signal.SIGKILL)  # no clean-up at all: the kernel ends the workers
    wait_for(lambda: not any(alive(w) for w in now), "the workers to die with the supervisor")
    (served.vault / "serve.pid").unlink()  # a killed server leaves its pid file


def test_failed_logins_are_counted_for_the_whole_server_not_per_worker(served: Served) -> None:
    outcomes = []
    for _ in range(9):  # each on a new connection: the kernel hands them to either worker
        browser = served.browser()
        _, body = browser.post_form("/login/", {"username": "amal", "password": "wrong"},
                                    form_page="/login/")
        outcomes.append("Too many failed logins" in body)
    # Five tries per user name in 15 minutes, for the server as a whole.
    assert outcomes == [False] * 5 + [True] * 4


def test_over_https_every_worker_serves_and_a_lock_reaches_them(tmp_path: Path) -> None:
    import ssl
    import time

    env = clean_env()
    vault, secret = make_vault(tmp_path, env)
    made = dhakira("tls", "make", "--vault", str(vault), "--passphrase-file", str(secret),
                   "--name", "127.0.0.1", env=env)
    assert made.returncode == 0, made.stderr
    pinned = ssl.create_default_context(cadata=(vault / "tls" / "cert.pem").read_text())
    with serving(vault, secret, env, "--tls-self-signed", "--workers", str(WORKERS),
                 tls=pinned) as served:
        pid = read_pid(vault)
        wait_for(lambda: len(workers_of(pid)) == WORKERS, "the workers")
        browser = served.browser()
        browser.log_in()
        started = time.monotonic()
        for _ in range(10):  # new connections, new handshakes: neither worker stalls the other
            assert served.status("/login/")[0] == 200
        assert time.monotonic() - started < 30
        result = dhakira("lock", "--vault", str(vault), env=env)
        assert result.returncode == 0, result.stderr
        wait_for(lambda: served.status("/login/")[0] == 423, "the lock over HTTPS")
        assert workers_of(pid) == set()


def test_a_login_s_last_use_is_seen_by_every_worker_and_idleness_ends_it(tmp_path: Path) -> None:
    # The last use is kept in memory shared by the workers, not in the session row: a login
    # recorded by one worker must be known to the other, and idle in both.
    env = {**clean_env(), "DHAKIRA_IDLE_LOCK_SECONDS": "4"}
    vault, secret = make_vault(tmp_path, env)
    with serving(vault, secret, env, "--workers", str(WORKERS)) as server:
        wait_for(lambda: len(workers_of(read_pid(vault))) == WORKERS, "the workers")
        browser = server.browser()
        browser.log_in()
        for _ in range(8):  # 8 s of use in all, longer than the idle period, on new connections
            time.sleep(1)
            code, body = browser.request("/people/")
            assert code == 200 and "/logout/" in body
        time.sleep(5)
        code, body = browser.request("/people/")
        assert "/logout/" not in body and 'name="password"' in body  # back at the login form
