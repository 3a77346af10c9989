"""Issue 16 #11: `dhakira lock` trusted a stale `serve.pid` and signalled an unrelated process.

A crash leaves ``serve.pid`` behind; the kernel reuses pids. The red team put the pid of an
unrelated process in the file: `dhakira lock` killed it and reported success.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from dhakira.apps.vault import lockdown
from dhakira.cli import main

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")

# A stand-in server: on SIGUSR1 it writes a file and re-executes itself with the next
# --image, as `dhakira serve` does when it locks.
_FAKE = """import os, pathlib, signal, sys, time
def lock(*_):
    pathlib.Path(sys.argv[1]).write_text("locked")
    os.execv(sys.executable, [sys.executable, *sys.argv, "--locked", "--image", "1"])
signal.signal(signal.SIGUSR1, lock)
pathlib.Path(sys.argv[1] + ".ready").write_text("")
time.sleep(60)
"""


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        process.kill()
        process.wait()


def _start(processes: list[subprocess.Popen[bytes]], argv: list[str], cwd: Path,
           ready: Path | None = None) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(argv, cwd=cwd)
    processes.append(process)
    deadline = time.monotonic() + 30
    while ready is not None and not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return process


def _fake(directory: Path) -> Path:
    path = directory / "fake_server.py"
    path.write_text(_FAKE)
    return path


def _pid_file(vault: Path, pid: int, started: str | None = None) -> None:
    (vault / lockdown.PID_FILE).write_text(f"{pid} {started or lockdown._start_time(pid)}\n")


def _lock(vault: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["lock", "--vault", str(vault)])
    return result.exit_code, result.output


def test_issue16_11_lock_never_signals_an_unrelated_process_that_reused_the_pid(
        tmp_path: Path, processes: list[subprocess.Popen[bytes]]) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    # Default SIGUSR1 action: terminate. The red team's victim died this way.
    victim = _start(processes, ["sleep", "60"], tmp_path)
    _pid_file(vault, victim.pid)
    code, output = _lock(vault)
    assert code == 1 and "not its server" in output and "removed" in output
    time.sleep(0.2)
    assert victim.poll() is None, "the unrelated process was signalled"
    assert not (vault / lockdown.PID_FILE).exists()


def test_issue16_11_lock_refuses_a_pid_file_whose_start_time_is_not_the_process(
        tmp_path: Path, processes: list[subprocess.Popen[bytes]]) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    marker = tmp_path / "signalled"
    server = _start(processes, [sys.executable, str(_fake(tmp_path)), str(marker), "dhakira", "serve",
                                "--vault", str(vault)], tmp_path, ready=Path(f"{marker}.ready"))
    # The right command line, but started after the pid file was written: a reused pid.
    _pid_file(vault, server.pid, started="1")
    code, output = _lock(vault)
    assert code == 1 and "not its server" in output
    time.sleep(0.2)
    assert not marker.exists()


def test_lock_refuses_the_server_of_another_vault(
        tmp_path: Path, processes: list[subprocess.Popen[bytes]]) -> None:
    vault, other = tmp_path / "vault", tmp_path / "other"
    vault.mkdir()
    other.mkdir()
    marker = tmp_path / "signalled"
    server = _start(processes, [sys.executable, str(_fake(tmp_path)), str(marker), "dhakira", "serve",
                                "--vault", str(other)], tmp_path, ready=Path(f"{marker}.ready"))
    _pid_file(vault, server.pid)
    code, _ = _lock(vault)
    assert code == 1
    time.sleep(0.2)
    assert not marker.exists()


def test_lock_signals_the_server_of_this_vault_named_relative_to_its_directory(
        tmp_path: Path, processes: list[subprocess.Popen[bytes]]) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    marker = tmp_path / "signalled"
    server = _start(processes, [sys.executable, str(_fake(tmp_path)), str(marker), "dhakira", "serve",
                                "--vault", "./vault"], tmp_path, ready=Path(f"{marker}.ready"))
    _pid_file(vault, server.pid)
    code, output = _lock(vault)
    assert code == 0 and "restarted without it" in output, output
    assert marker.read_text() == "locked"
    assert (vault / lockdown.PID_FILE).exists()


def test_lock_fails_when_the_server_does_not_restart(
        tmp_path: Path, processes: list[subprocess.Popen[bytes]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    marker = tmp_path / "signalled"
    # Catches the signal but stays the same image: the key may still be there.
    server = _start(processes, [sys.executable, "-c",
                                "import signal, time, pathlib, sys; "
                                "signal.signal(signal.SIGUSR1, lambda *a: None); "
                                "pathlib.Path(sys.argv[1] + '.ready').write_text(''); "
                                "time.sleep(60)", str(marker), "dhakira", "serve", "--vault",
                                str(vault)], tmp_path, ready=Path(f"{marker}.ready"))
    _pid_file(vault, server.pid)
    monkeypatch.setattr(lockdown, "RESTART_SECONDS", 1.0)
    code, output = _lock(vault)
    assert code == 1 and "did not restart" in output


def test_a_pid_file_of_the_old_format_is_treated_as_stale(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / lockdown.PID_FILE).write_text(f"{os.getpid()}\n")
    previous = signal.signal(signal.SIGUSR1, lambda *a: pytest.fail("signalled"))
    try:
        code, output = _lock(vault)
    finally:
        signal.signal(signal.SIGUSR1, previous)
    assert code == 1 and "not its server" in output


def test_the_server_records_its_pid_and_start_time(tmp_path: Path) -> None:
    lockdown.write_pid(tmp_path)
    pid, started = (tmp_path / lockdown.PID_FILE).read_text().split()
    assert int(pid) == os.getpid() and started == lockdown._start_time(os.getpid())
    lockdown.remove_pid(tmp_path)
    assert not (tmp_path / lockdown.PID_FILE).exists()
