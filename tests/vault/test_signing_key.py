"""The custody signing key is made once, at `dhakira init`, never lazily (issue 16, #1)."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests import warm
from tests.conftest import SUITE_ENV

from dhakira.core.vault import signing
from dhakira.core.vault.errors import SigningKeyMissing, VaultError

pytestmark = pytest.mark.backend_independent

PASS = "a long vault passphrase for the race"


def _create(vault: str, key: bytes, go: float) -> str:
    time.sleep(max(0.0, go - time.time()))
    try:
        signing.create(Path(vault), key)
    except VaultError:
        return "refused"
    return "made"


def test_finding_16_1_of_two_racing_creators_exactly_one_makes_the_key(tmp_path: Path) -> None:
    key = os.urandom(32)
    for trial in range(5):
        vault = tmp_path / str(trial)
        vault.mkdir()
        go = time.time() + 0.3
        with multiprocessing.get_context("spawn").Pool(2) as pool:
            results = pool.starmap(_create, [(str(vault), key, go)] * 2)
        assert sorted(results) == ["made", "refused"]
        assert signing.open_signer(vault, key).public_key_bytes() == signing.public_key_bytes(vault)
        assert sorted(p.name for p in vault.iterdir()) == ["signing.key", "signing.pub"]


def test_finding_16_1_loading_never_creates_a_key(tmp_path: Path) -> None:
    with pytest.raises(SigningKeyMissing, match="no custody signing key"):
        signing.open_signer(tmp_path, os.urandom(32))
    assert list(tmp_path.iterdir()) == []


_LOG_FIRST_ENTRY = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from dhakira.apps.vault import runtime
    runtime.open_vault(Path(sys.argv[1]), sys.argv[2])
    from dhakira.apps.custody import store
    Path(sys.argv[3]).touch()
    while not Path(sys.argv[4]).exists():
        time.sleep(0.001)
    from django.db import OperationalError
    for attempt in range(50):  # two writers at once may meet SQLITE_BUSY: not what this tests
        try:
            store.record(actor="race", action="other", subject=sys.argv[5], detail={})
            break
        except OperationalError:
            time.sleep(0.05)
    else:
        sys.exit("database stayed locked")
""")


def test_finding_16_1_two_processes_logging_first_entries_at_once_verify(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DHAKIRA_") or k in SUITE_ENV}
    (tmp_path / "pass").write_text(PASS + "\n")
    (tmp_path / "web").write_text("a web password for amal, long enough\n")
    vault = tmp_path / "v"

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return warm.python("-m", "dhakira.cli", *args, "--vault", str(vault),
                           "--passphrase-file", str(tmp_path / "pass"), env=env, timeout=300)

    made = cli("init", "--admin", "amal", "--admin-password-file", str(tmp_path / "web"))
    assert made.returncode == 0, made.stderr
    key_file = (vault / "signing.key").read_bytes()  # made by init, before any other entry
    before = int(cli("verify").stdout.split()[1])  # init's own entries (the account it made)
    go = tmp_path / "go"
    children = [subprocess.Popen([sys.executable, "-c", _LOG_FIRST_ENTRY, str(vault), PASS,
                                  str(tmp_path / f"ready{i}"), str(go), f"subject-{i}"], env=env,
                                 stderr=subprocess.PIPE, text=True) for i in range(2)]
    deadline = time.monotonic() + 120
    while not all((tmp_path / f"ready{i}").exists() for i in range(2)):
        assert time.monotonic() < deadline and all(c.poll() is None for c in children)
        time.sleep(0.01)
    go.touch()
    for child in children:
        assert child.wait(timeout=120) == 0, child.stderr.read() if child.stderr else ""
    assert (vault / "signing.key").read_bytes() == key_file
    verified = cli("verify")
    assert verified.returncode == 0, verified.stderr
    assert f"ok: {before + 2} ledger entries" in verified.stdout


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(junk=st.binary(max_size=200))
def test_finding_16_13_a_damaged_signing_key_is_one_clear_error(
        tmp_path_factory: pytest.TempPathFactory, junk: bytes) -> None:
    vault = tmp_path_factory.mktemp("junk")
    (vault / signing.PRIVATE_FILE).write_bytes(junk)
    with pytest.raises(VaultError, match="does not open"):
        signing.open_signer(vault, os.urandom(32))
