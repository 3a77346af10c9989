"""What the key, recovery and backup tests share: a real vault made and used by the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests import warm
from tests.conftest import SUITE_ENV

PASS = "a long vault passphrase"
WEB = "a web password for amal"


def env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("DHAKIRA_") or k in SUITE_ENV}


def run(*args: str, timeout: float = 300, kill_at: str | None = None,
        environment: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``dhakira ARGS`` in its own process (with ``environment``, else :func:`env`);
    ``kill_at`` names the crash point where it kills itself with SIGKILL
    (``dhakira.core.vault._crashpoints``)."""
    extra = {"DHAKIRA_TEST_KILL_AT": kill_at} if kill_at else {}
    return warm.python("-m", "dhakira.cli", *args, env=(environment or env()) | extra,
                       timeout=timeout)


def secret(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text + "\n")
    return path


def make_vault(base: Path, name: str = "v", *, fresh: bool = False) -> Path:
    """A vault under ``base`` as ``dhakira init --admin amal`` makes it (passphrase in
    ``base/pass``): a copy of one this process made (:func:`tests.clivault.new_vault`), or,
    ``fresh``, one ``init`` makes now (its own data key, for a test about two vaults)."""
    from tests import clivault

    return (clivault.init if fresh else clivault.new_vault)(base, name, passphrase=PASS, web=WEB)


_EVENTS = """
import json, sys
from pathlib import Path
from dhakira.apps.vault import runtime
runtime.open_vault(Path(sys.argv[1]), sys.argv[2])
from dhakira.apps.custody.models import LedgerEntry
rows = LedgerEntry.objects.filter(subject="vault:keys").order_by("seq")
print(json.dumps([dict(r.detail, actor=r.actor) for r in rows]))
"""


def custody_events(vault: Path, passphrase: str = PASS) -> list[dict[str, object]]:
    """The key custody entries of ``vault`` (``subject = vault:keys``), oldest first."""
    result = warm.python("-c", _EVENTS, str(vault), passphrase, env=env(), timeout=120)
    assert result.returncode == 0, result.stderr
    events: list[dict[str, object]] = json.loads(result.stdout)
    return events


def ingest(vault: Path, *paths: Path) -> subprocess.CompletedProcess[str]:
    """``dhakira ingest`` as amal."""
    base = vault.parent
    return run("ingest", "--vault", str(vault), "--passphrase-file", str(base / "pass"),
               "--collector", "amal", "--password-file", str(base / "web"), *map(str, paths))
