"""The legal core stays pure: importing it loads no Django."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_law_core_loads_no_django() -> None:
    code = (
        "import sys, dhakira.core.law, dhakira.core.law.matrix, dhakira.core.law.patterns;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'django');"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
