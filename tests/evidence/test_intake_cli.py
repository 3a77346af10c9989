"""`dhakira process` picks up what an interrupted `dhakira ingest` left pending."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.clivault import new_vault
from tests.conftest import SUITE_ENV
from tests.evidence import files

PASS = "a long vault passphrase"
# Intake without processing, as an ingest interrupted between the two steps leaves it.
INTERRUPTED = """
import sys
from pathlib import Path
from dhakira.cli._common import unlock
unlock(Path(sys.argv[1]), Path(sys.argv[2]))
from dhakira.apps.evidence.intake import Collection, ingest_paths
assert ingest_paths([Path(sys.argv[3])], collection=Collection(collector="amal"),
                    process=False).ok
"""


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DHAKIRA_") or k in SUITE_ENV}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env,
                          timeout=300)


def test_process_extracts_what_an_interrupted_ingest_left_pending(tmp_path: Path) -> None:
    vault, secret = new_vault(tmp_path), str(tmp_path / "pass")
    note = files.write(tmp_path, "in/note.txt", "شهادة عن مكتب الحسبة".encode())
    result = run("-c", INTERRUPTED, str(vault), secret, str(note.parent))
    assert result.returncode == 0, result.stderr
    common = ["--vault", str(vault), "--passphrase-file", secret]
    assert run("-m", "dhakira.cli", "search", *common, "الحسبة").stdout == ""
    result = run("-m", "dhakira.cli", "process", *common)
    assert result.returncode == 0, result.stderr
    assert "processed 1 item, 0 failed" in result.stdout
    assert "الحسبة" in run("-m", "dhakira.cli", "search", *common, "الحسبة").stdout
    result = run("-m", "dhakira.cli", "process", *common)
    assert "processed 0 items, 0 failed" in result.stdout
