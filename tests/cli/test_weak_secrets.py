"""Finding 10 on the command line: weak passphrases and passwords stop `dhakira` before it
writes anything, each run in its own process as a user would."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests import warm
from tests.conftest import SUITE_ENV

PASS = "a long vault passphrase"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DHAKIRA_") or k in SUITE_ENV}
    return warm.python("-m", "dhakira.cli", *args, env=env, timeout=300)


def _secrets(tmp_path: Path) -> Path:
    for name, text in {"a": "a", "pass": PASS, "web": "a web password for amal",
                       "1234": "1234"}.items():
        (tmp_path / name).write_text(text + "\n")
    return tmp_path


def test_finding_10_init_refuses_passphrase_a_and_password_1234_and_writes_nothing(
        tmp_path: Path) -> None:
    s = _secrets(tmp_path)
    weak_pass = run("init", "--vault", str(s / "v1"), "--passphrase-file", str(s / "a"),
                    "--admin-password-file", str(s / "web"))
    assert weak_pass.returncode == 64 and "too short" in weak_pass.stderr
    weak_web = run("init", "--vault", str(s / "v2"), "--passphrase-file", str(s / "pass"),
                   "--admin-password-file", str(s / "1234"))
    assert weak_web.returncode == 64 and "too short" in weak_web.stderr
    assert not (s / "v1").exists() and not (s / "v2").exists()


def test_finding_10_passwd_and_keyslot_add_refuse_a_weak_new_passphrase(tmp_path: Path) -> None:
    s = _secrets(tmp_path)
    vault = s / "v"
    assert run("init", "--vault", str(vault), "--passphrase-file", str(s / "pass"),
               "--admin-password-file", str(s / "web")).returncode == 0
    slots = sorted(p.read_bytes() for p in (vault / "keyslots").iterdir())
    passwd = run("passwd", "--vault", str(vault), "--passphrase-file", str(s / "pass"),
                 "--new-passphrase-file", str(s / "a"))
    add = run("keyslot", "add", "--vault", str(vault), "--passphrase-file", str(s / "pass"),
              "--label", "rana", "--new-passphrase-file", str(s / "1234"))
    assert passwd.returncode == add.returncode == 64
    assert sorted(p.read_bytes() for p in (vault / "keyslots").iterdir()) == slots
