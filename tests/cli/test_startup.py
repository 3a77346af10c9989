"""What a command pays to start: opening a vault loads Django and the dossier's models, not
the linkage stack (Splink, pandas, SciPy, numpy, DuckDB), which only linking and the review queue use.

Every `dhakira` command, every server and every CLI test pays for what Django's set-up imports;
the linkage stack alone was about half of a command's start-up CPU.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests import clivault

HEAVY = ("splink", "pandas", "scipy", "numpy", "duckdb", "sqlglot", "statsmodels")

_OPEN_AND_LIST = """
import json, sys
from pathlib import Path
from dhakira.apps.vault import runtime
runtime.open_vault(Path(sys.argv[1]), sys.argv[2])
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in sys.argv[3:])))
"""


def _loaded_after_open(vault: Path) -> list[str]:
    done = subprocess.run([sys.executable, "-c", _OPEN_AND_LIST, str(vault), clivault.PASS, *HEAVY],
                          capture_output=True, text=True, env=clivault.clean_env(), timeout=300)
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout))


@pytest.mark.backend_independent
def test_opening_a_vault_loads_no_linkage_stack(tmp_path: Path) -> None:
    assert _loaded_after_open(clivault.new_vault(tmp_path)) == []


@pytest.mark.django_db
def test_a_new_link_run_still_drops_the_queues_kept_orders() -> None:
    # The signal no longer imports the queue; once it is loaded (a server showing it, or this
    # test process), saving a LinkRun still clears the orders it kept.
    from django.utils import timezone

    from dhakira.apps.linkage import queue
    from dhakira.apps.linkage.models import LinkRun

    queue._ORDERS[("kept",)] = [1]
    LinkRun.objects.create(role="victim", settings_json={}, version="t",
                           started_at=timezone.now(), started_by="amal")
    assert not queue._ORDERS


_RUN_AND_LIST = """
import atexit, json, os, sys
heavy = os.environ["HEAVY"].split()
atexit.register(lambda: print(json.dumps(sorted(
    m for m in sys.modules if m.split(".")[0] in heavy)), file=sys.stderr))
from dhakira.cli import main
main(sys.argv[1:], prog_name="dhakira")
"""


@pytest.mark.backend_independent
@pytest.mark.parametrize("command", ["verify", "check"])
def test_verifying_or_checking_a_vault_loads_no_linkage_or_counting_stack(
        tmp_path: Path, command: str) -> None:
    # `dhakira verify` formats its counts with the counting page's helper, whose package
    # imported SciPy (about 1 s of CPU) until its names were loaded on first use.
    vault = clivault.new_vault(tmp_path)
    args = [command, "--vault", str(vault), "--passphrase-file", str(tmp_path / "pass")]
    done = subprocess.run([sys.executable, "-c", _RUN_AND_LIST, *args], capture_output=True,
                          text=True, timeout=300, env=clivault.clean_env() | {"HEAVY": " ".join(HEAVY)})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stderr.strip().splitlines()[-1]) == []
