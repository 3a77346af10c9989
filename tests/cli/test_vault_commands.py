"""The `dhakira` command on a real vault, each run in its own process as a user would."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import pytest
from tests import warm
from tests.conftest import SUITE_ENV

PASS = "a long vault passphrase"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DHAKIRA_") or k in SUITE_ENV}
    return warm.python("-m", "dhakira.cli", *args, env=env, cwd=cwd, timeout=300)


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("cli")
    (base / "pass").write_text(PASS + "\n")
    (base / "web").write_text("a web password for amal\n")
    result = run("init", "--vault", str(base / "v"), "--passphrase-file", str(base / "pass"),
                 "--admin", "amal", "--admin-password-file", str(base / "web"))
    assert result.returncode == 0, result.stderr
    return base / "v"


def test_init_makes_an_encrypted_database_and_a_key_slot(vault: Path) -> None:
    assert (vault / "dossier.db").exists()
    assert len(list((vault / "keyslots").glob("*.json"))) == 1
    import sqlite3

    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(vault / "dossier.db").execute("SELECT * FROM sqlite_master").fetchall()


def test_a_wrong_passphrase_prints_one_line_exits_2_and_writes_nothing(vault: Path, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong"
    wrong.write_text("not the passphrase\n")
    before = snapshot(vault)
    result = run("check", "--vault", str(vault), "--passphrase-file", str(wrong))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "wrong passphrase" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(vault) == before


def test_check_passes_on_a_fresh_vault(vault: Path) -> None:
    result = run("check", "--vault", str(vault), "--passphrase-file", str(vault.parent / "pass"))
    assert result.returncode == 0, result.stderr
    assert "ok" in result.stdout


def test_check_names_a_folder_that_is_not_a_vault(tmp_path: Path, vault: Path) -> None:
    result = run("check", "--vault", str(tmp_path / "nowhere"), "--passphrase-file",
                 str(vault.parent / "pass"))
    assert result.returncode == 4
    assert "dhakira init" in result.stderr


def test_init_refuses_a_folder_that_is_not_empty(vault: Path) -> None:
    result = run("init", "--vault", str(vault), "--passphrase-file", str(vault.parent / "pass"),
                 "--admin-password-file", str(vault.parent / "web"))
    assert result.returncode == 64
    assert "not empty" in result.stderr


def test_passwd_and_key_slots(vault: Path, tmp_path: Path) -> None:
    new = tmp_path / "new"
    new.write_text("the second passphrase\n")
    other = tmp_path / "other"
    other.write_text("rana's own passphrase\n")
    old = vault.parent / "pass"
    assert run("keyslot", "add", "--vault", str(vault), "--passphrase-file", str(old),
               "--label", "rana", "--new-passphrase-file", str(other)).returncode == 0
    assert "rana" in run("keyslot", "list", "--vault", str(vault), "--passphrase-file", str(old)).stdout
    assert run("passwd", "--vault", str(vault), "--passphrase-file", str(old),
               "--new-passphrase-file", str(new)).returncode == 0
    assert run("check", "--vault", str(vault), "--passphrase-file", str(new)).returncode == 0
    assert run("check", "--vault", str(vault), "--passphrase-file", str(old)).returncode == 2
    assert run("keyslot", "remove", "--vault", str(vault), "--passphrase-file", str(new),
               "--label", "rana").returncode == 0
    assert run("check", "--vault", str(vault), "--passphrase-file", str(other)).returncode == 2
    # Put the module's passphrase back for the tests that follow.
    assert run("passwd", "--vault", str(vault), "--passphrase-file", str(new),
               "--new-passphrase-file", str(old)).returncode == 0


@pytest.mark.parametrize("command", ["init", "serve", "demo-data", "passwd", "check", "keyslot"])
def test_every_command_explains_itself(command: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0
    assert "Usage:" in result.stdout
