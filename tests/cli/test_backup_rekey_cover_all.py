"""Backups and rekey reach every file of the vault: the office's quarantine and the TLS material.

Through the real CLI: `dhakira tls make`, `backup`, `restore`, `rekey`, `verify` and a real
`dhakira serve --tls-self-signed` answering a client that pins the certificate.
"""

from __future__ import annotations

import hashlib
import shutil
import ssl
import subprocess
import sys
from pathlib import Path

import pytest
from tests.cli.keys_helpers import env, make_vault, run, secret
from tests.protection._served import Served, free_port, wait_for

# Each test makes its own embedded vault in its own processes: the PostgreSQL leg skips them.
pytestmark = pytest.mark.backend_independent

NEW = "a fresh passphrase after the checkpoint"


def _tls_make(vault: Path) -> None:
    made = run("tls", "make", "--vault", str(vault), "--passphrase-file",
               str(vault.parent / "pass"), "--name", "127.0.0.1")
    assert made.returncode == 0, made.stderr


def _quarantined(vault: Path) -> Path:
    """A bundle the office kept in quarantine (sealed bytes, as `sync receive` leaves them)."""
    folder = vault / "quarantine"
    folder.mkdir(exist_ok=True)
    data = b"age-encryption.org/v1\n" + bytes(range(256)) * 8  # opaque sealed bytes
    path = folder / f"{hashlib.sha256(data).hexdigest()}.age"
    path.write_bytes(data)
    return path


def _serves_tls(vault: Path, passphrase_file: Path) -> None:
    """`dhakira serve --tls-self-signed` starts on ``vault`` and answers over pinned HTTPS."""
    pinned = ssl.create_default_context(cadata=(vault / "tls" / "cert.pem").read_text())
    port = free_port()
    log = vault.parent / f"serve-{port}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "dhakira", "serve", "--vault", str(vault),
                                    "--passphrase-file", str(passphrase_file), "--port", str(port),
                                    "--tls-self-signed"], env=env(), stdout=out, stderr=out)
    served = Served(vault, f"https://127.0.0.1:{port}", env(), process, passphrase_file, pinned)
    try:
        up = wait_for(lambda: process.poll() is None and served.up(), "the server", 120,
                      required=False)
        assert up, log.read_text(errors="replace")[-2000:]
        assert served.status("/login/")[0] == 200
    finally:
        process.terminate()
        process.wait(timeout=30)


def _verified(vault: Path, passphrase_file: Path) -> None:
    result = run("verify", "--vault", str(vault), "--passphrase-file", str(passphrase_file))
    assert result.returncode == 0, result.stderr


def _restore(source: Path, dest: Path, passphrase_file: Path) -> None:
    result = run("restore", "--from", str(source), "--to", str(dest), "--passphrase-file",
                 str(passphrase_file))
    assert result.returncode == 0, result.stderr


def _backup(vault: Path, target: Path, passphrase_file: Path) -> None:
    result = run("backup", "--vault", str(vault), "--passphrase-file", str(passphrase_file),
                 "--to", str(target))
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_a_backup_holds_the_quarantine_and_the_tls_material_and_the_restore_serves(
        tmp_path: Path) -> None:
    vault = make_vault(tmp_path)
    _tls_make(vault)
    held = _quarantined(vault)
    before = {p: (vault / p).read_bytes() for p in
              ("tls/cert.pem", "tls/key.sealed", str(held.relative_to(vault)))}
    _backup(vault, tmp_path / "bk", tmp_path / "pass")
    _restore(tmp_path / "bk", tmp_path / "back", tmp_path / "pass")
    for rel, data in before.items():
        assert (tmp_path / "back" / rel).read_bytes() == data, rel
    _verified(tmp_path / "back", tmp_path / "pass")
    _serves_tls(tmp_path / "back", tmp_path / "pass")


@pytest.mark.slow
def test_rekey_reseals_the_tls_key_and_serve_backup_restore_work_after_it(tmp_path: Path) -> None:
    vault = make_vault(tmp_path)
    _tls_make(vault)
    held = _quarantined(vault)
    quarantined = held.read_bytes()
    sealed_before = (vault / "tls" / "key.sealed").read_bytes()
    cert = (vault / "tls" / "cert.pem").read_bytes()
    done = run("rekey", "--vault", str(vault), "--passphrase-file", str(tmp_path / "pass"),
               "--new-passphrase-file", str(secret(tmp_path, "new", NEW)))
    assert done.returncode == 0, done.stderr
    # The same certificate (people pinned its fingerprint), its key sealed under the new key.
    assert (vault / "tls" / "cert.pem").read_bytes() == cert
    assert (vault / "tls" / "key.sealed").read_bytes() != sealed_before
    assert held.read_bytes() == quarantined  # sealed to the office's age key, which stays
    _verified(vault, tmp_path / "new")
    _serves_tls(vault, tmp_path / "new")
    _backup(vault, tmp_path / "bk", tmp_path / "new")
    _restore(tmp_path / "bk", tmp_path / "back", tmp_path / "new")
    _verified(tmp_path / "back", tmp_path / "new")
    _serves_tls(tmp_path / "back", tmp_path / "new")
    assert (tmp_path / "back" / held.relative_to(vault)).read_bytes() == quarantined


@pytest.mark.slow
@pytest.mark.parametrize(("point", "resume_with"), [("rekey:staged", "new"),
                                                    ("rekey:moved#2", "pass")])
def test_a_rekey_killed_after_staging_the_tls_key_still_serves_once_finished(
        tmp_path: Path, point: str, resume_with: str) -> None:
    vault = make_vault(tmp_path)
    _tls_make(vault)
    secret(tmp_path, "new", NEW)
    argv = ("rekey", "--vault", str(vault), "--new-passphrase-file", str(tmp_path / "new"))
    killed = run(*argv, "--passphrase-file", str(tmp_path / "pass"), kill_at=point)
    assert killed.returncode == -9, killed.stderr
    again = run(*argv, "--passphrase-file", str(tmp_path / resume_with))
    assert again.returncode == 0, again.stderr
    assert not (vault / "rekey").exists()
    shutil.rmtree(tmp_path / "bk", ignore_errors=True)
    _serves_tls(vault, tmp_path / "new")
