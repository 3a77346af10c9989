"""Named points where the test suite kills a long-running vault command with SIGKILL.

``reached("rekey:blobs")`` does nothing unless the test variables of ``keyslots`` are set
and ``DHAKIRA_TEST_KILL_AT`` names that point (``name`` or ``name#n`` for its n-th pass):
then the process kills itself with SIGKILL, as ``kill -9`` would, so that the tests can
prove a rerun completes from wherever it stopped. Outside the test suite it is a no-op.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

from dhakira.core.vault.keyslots import TESTING_ENV

KILL_AT_ENV = "DHAKIRA_TEST_KILL_AT"
_passes: Counter[str] = Counter()


def reached(name: str) -> None:
    """Die here, as under ``kill -9``, if the test suite asked for it."""
    wanted = os.environ.get(KILL_AT_ENV)
    if not wanted or os.environ.get(TESTING_ENV) != "1":
        return
    _passes[name] += 1
    if wanted in (name, f"{name}#{_passes[name]}"):
        os.kill(os.getpid(), signal.SIGKILL)
