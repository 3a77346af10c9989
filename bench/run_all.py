"""Run every benchmark in bench/ (quick sizes unless BENCH_FULL=1) and list the results.

Each benchmark compares against a baseline measured in the same run and writes
bench/results/<topic>.json.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent


def main() -> int:
    full = os.environ.get("BENCH_FULL") == "1"
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        args = [sys.executable, str(script)] + ([] if full else ["--quick"])
        print(f"== {script.name}", flush=True)
        if subprocess.run(args).returncode != 0:
            failed.append(script.name)
    print("results:", ", ".join(sorted(p.name for p in (HERE / "results").glob("*.json"))))
    if failed:
        print("failed:", ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
