"""Vaults made by earlier main commits open on this release.

A vault made by the release before the new layout and sub-keys opens, migrates and verifies.

``tests/data/vaults/main-a21d7a8`` was made by commit a21d7a8 with ``dhakira init`` and
``dhakira ingest`` (one synthetic note), and holds a draft saved on the intake page under the
data key itself (the old naming), all at the suite's test-only Argon2id cost. Issue 18: the
layout move keeps app labels, tables and migrations; the drafts move to their sub-key.
``tests/data/vaults/main-0e6aa62`` was made by ``dhakira init`` before each app's migrations
were squashed, and must open as current.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from tests import warm
from tests.conftest import SUITE_ENV

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "vaults" / "main-a21d7a8"
pytestmark = pytest.mark.backend_independent

READ = """
import json, sys
from pathlib import Path
from dhakira.apps.vault import runtime
runtime.open_vault(Path(sys.argv[1]), Path(sys.argv[2]).read_text().splitlines()[0])
from django.contrib.auth import get_user_model
from dhakira.apps.dossier.views import _drafts
from dhakira.apps.evidence.models import EvidenceItem
amal = get_user_model().objects.get(username="amal")
print(json.dumps({"draft": _drafts.load(amal), "items": EvidenceItem.objects.count()}))
"""


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DHAKIRA_") or k in SUITE_ENV}
    return warm.python(*args, env=env, timeout=300)


@pytest.mark.slow
def test_issue18_a_vault_made_before_the_relayout_migrates_and_keeps_its_draft(
        tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    shutil.copytree(FIXTURE / "vault", vault)
    secret = str(FIXTURE / "passphrase")
    migrated = _run("-m", "dhakira", "migrate", "--vault", str(vault), "--passphrase-file", secret)
    assert migrated.returncode == 0, migrated.stderr
    assert "applied dossier.0007_drafts_subkey" in migrated.stdout
    for command in ("check", "verify"):
        done = _run("-m", "dhakira", command, "--vault", str(vault), "--passphrase-file", secret)
        assert done.returncode == 0, (command, done.stderr)
    read = _run("-c", READ, str(vault), secret)
    assert read.returncode == 0, read.stderr
    assert json.loads(read.stdout.splitlines()[-1]) == {
        "draft": {"narrative": "a synthetic half-typed report"}, "items": 1}


SQUASHED = Path(__file__).resolve().parents[1] / "data" / "vaults" / "main-0e6aa62"


@pytest.mark.slow
def test_issue18_a_vault_made_before_the_squashed_migrations_opens_as_current(
        tmp_path: Path) -> None:
    """``main-0e6aa62``: ``dhakira init`` of commit 0e6aa62, the last before each app's
    migrations were squashed, at the suite's Argon2id cost. It recorded the migrations the
    squashes replace, not the squashes: this release must not take it for a newer release's
    vault (exit 7). It asks for one migration, dossier.0009 (the list index that vaults made
    before the squashes lost), and is current after it."""
    vault = tmp_path / "vault"
    shutil.copytree(SQUASHED / "vault", vault)
    secret = str(SQUASHED / "passphrase")
    checked = _run("-m", "dhakira", "check", "--vault", str(vault), "--passphrase-file", secret)
    assert checked.returncode == 6 and "was made by an earlier Dhakira" in checked.stderr, \
        checked.stderr
    migrated = _run("-m", "dhakira", "migrate", "--vault", str(vault), "--passphrase-file", secret)
    assert migrated.returncode == 0, migrated.stderr
    assert "dossier.0009_list_indexes_again" in migrated.stdout, migrated.stdout
    again = _run("-m", "dhakira", "check", "--vault", str(vault), "--passphrase-file", secret)
    assert again.returncode == 0, again.stderr
