"""scripts/relayout.py: every reference to a moved module is rewritten once, and only once."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.backend_independent

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("relayout", ROOT / "scripts" / "relayout.py")
assert _spec and _spec.loader
relayout = importlib.util.module_from_spec(_spec)
sys.modules["relayout"] = relayout
_spec.loader.exec_module(relayout)

BEFORE = '''from dhakira.evidence import search, intake
from dhakira import custody, __version__
from dhakira.disclosure import (
    PackageBuilder,
    policy_named,
)
from dhakira import disclosure
    from dhakira.vault.sqlcipher import keying
import dhakira.verify as _verifier
ENGINE = "dhakira.vault.sqlcipher"
apps.is_installed("dhakira.evidence")
x = resources.files("dhakira.linkage")
see src/dhakira/law/data and src/dhakira/*/migrations/*
settings = ROOT / "src" / "dhakira" / "web" / "settings.py"
from dhakira.cli import vault, legal
'''
AFTER = '''from dhakira.apps import search
from dhakira.apps.evidence import intake
from dhakira.core import custody
from dhakira import __version__
from dhakira.core.handover import (
    PackageBuilder,
    policy_named,
)
from dhakira.core import handover as disclosure
    from dhakira.apps.vault.sqlcipher import keying
import dhakira.core.handover.verify as _verifier
ENGINE = "dhakira.apps.vault.sqlcipher"
apps.is_installed("dhakira.apps.evidence")
x = resources.files("dhakira.core.linkage")
see src/dhakira/core/law/data and src/dhakira/apps/*/migrations/*
settings = ROOT / "src" / "dhakira" / "apps" / "web" / "settings.py"
from dhakira.cli import vault, legal
'''


def test_every_kind_of_reference_is_rewritten() -> None:
    assert relayout.rewrite(BEFORE) == AFTER


def test_a_second_rewrite_changes_nothing() -> None:
    assert relayout.rewrite(AFTER) == AFTER


def test_every_package_of_the_tree_has_a_room() -> None:
    # A new top-level package must be added to MOVES, or the relayout leaves it behind.
    assert relayout._unknown(ROOT) == [] or (ROOT / "src/dhakira/core").is_dir()


def test_check_names_what_is_left_and_fails(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "relayout.py"), "--check"],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    relaid = (ROOT / "src" / "dhakira" / "core").is_dir()
    assert done.returncode == (0 if relaid else 1), done.stderr
    assert relaid or "move src/dhakira/vault/sqlcipher -> src/dhakira/apps/vault/sqlcipher" \
        in done.stdout
