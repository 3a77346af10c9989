"""A vault as ``dhakira init --admin amal`` makes it, for tests of the commands run on one.

Each ``dhakira init`` is a Python start, Django and every migration: seconds of CPU. Tests
that need a vault, rather than a test of ``init`` itself, get a copy of one vault that
``init`` made once per test run, for all its processes (``tests/once.py``; its data key, key
slot and signing key included: a copied vault opens with the same passphrase, as a backup
does). Tests of ``init`` call :func:`init`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from tests import once, warm
from tests.conftest import SUITE_ENV

PASS = "a long vault passphrase"
WEB = "a web password for amal"
ADMIN = "amal"

def clean_env() -> dict[str, str]:
    """This process's environment without Dhakira's settings, but with the suite's knobs:
    the commands run on their own embedded vault, as a user's would."""
    return {k: v for k, v in os.environ.items() if not k.startswith("DHAKIRA_") or k in SUITE_ENV}


def run(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``python -m dhakira.cli ARGS`` in its own process (forked warm: ``tests/warm.py``),
    with :func:`clean_env`."""
    return warm.python("-m", "dhakira.cli", *args, env=clean_env(), cwd=cwd, timeout=timeout)


def secrets(base: Path, passphrase: str = PASS, web: str = WEB) -> tuple[Path, Path]:
    """``base/pass`` (the vault passphrase) and ``base/web`` (amal's web password), written."""
    base.mkdir(parents=True, exist_ok=True)
    (base / "pass").write_text(passphrase + "\n")
    (base / "web").write_text(web + "\n")
    return base / "pass", base / "web"


def init(base: Path, name: str = "v", *, passphrase: str = PASS, web: str = WEB) -> Path:
    """Run ``dhakira init --admin amal`` for real into ``base/name``, with :func:`secrets`."""
    passphrase_file, web_file = secrets(base, passphrase, web)
    made = run("init", "--vault", str(base / name), "--passphrase-file", str(passphrase_file),
               "--admin", ADMIN, "--admin-password-file", str(web_file))
    assert made.returncode == 0, made.stderr
    return base / name


def new_vault(base: Path, name: str = "v", *, passphrase: str = PASS, web: str = WEB) -> Path:
    """``base/name``: a copy of the vault :func:`init` made once in this run with these
    secrets, with :func:`secrets` beside it.

    Copies share the data key, key slot and signing key of the vault they copy (as a backup
    does); a test that needs two unrelated vaults makes the second with :func:`init`.
    """
    which = hashlib.sha256(f"{passphrase}\n{web}".encode()).hexdigest()[:16]

    def build(folder: Path) -> None:
        init(folder, passphrase=passphrase, web=web)

    made = once.made_once(f"init-vault-{which}", build)
    secrets(base, passphrase, web)
    return Path(shutil.copytree(made / "v", base / name))
