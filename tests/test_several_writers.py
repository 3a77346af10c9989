"""Issue 16, finding 2: writers wait for one another instead of failing "database is locked".

The red team's runs: three users saving reports got HTTP 500 on 65 % of saves; a CLI ingest
while the web app was used was refused after 1.4 s; of two CLI ingests at once, one was
refused every time. Replayed here against the real server: web users saving reports and
drafts on threads while two ``dhakira ingest`` processes run at the same time.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from tests import writers_load as load

# Its own `dhakira` processes use the PostgreSQL server on that leg (tests/writers_load.py).
pytestmark = pytest.mark.backend_dependent

FILES = 120  # per ingest: a few seconds of writing each, overlapping the web saves


def test_finding_16_02_concurrent_writers_all_succeed(tmp_path: Path) -> None:
    with load.new_vault(tmp_path) as vault:
        with load.served(vault) as (base, log):
            _write_at_once(vault, base, log, tmp_path)
        _custody_intact(vault)


def _write_at_once(vault: load.Vault, base: str, log: Path, tmp_path: Path) -> None:
    users = [load.WebUser(base) for _ in range(5)]
    folders = [load.write_folder(tmp_path / f"in-{n}", FILES, f"batch {n}") for n in (1, 2)]
    saves = load.Saves()
    ingests = [vault.ingest(folder) for folder in folders]
    load.run_users(users, ["report", "report", "report", "draft", "draft"],
                   until=lambda: all(p.poll() is not None for p in ingests), at_least=5,
                   saves=saves)
    outputs = [p.communicate(timeout=120) for p in ingests]
    server_log = log.read_text()
    assert saves.failures == [], (saves.failures[:3], server_log[-3000:])
    assert len(saves.times["report"]) >= 15 and len(saves.times["draft"]) >= 10
    for process, (out, err) in zip(ingests, outputs, strict=True):
        assert process.returncode == 0, err
        assert f"took in {FILES} items (0 already held), 0 failed" in out, out
    assert "database is locked" not in server_log + "".join(o + e for o, e in outputs)


def _custody_intact(vault: load.Vault) -> None:
    """Every save and intake is in one unbroken, verifiable custody chain."""
    result = subprocess.run(vault.dhakira("verify"), env=vault.env, capture_output=True,
                            text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
