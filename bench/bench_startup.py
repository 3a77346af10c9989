"""The CPU a `dhakira` command costs before and around its work: start-up, as a user pays it.

Each run is a fresh Python process, as a command is. Measured: ``dhakira --help`` (no vault),
``dhakira check`` and ``dhakira verify`` on a new vault (``init``; Argon2id at the suite's
test-only cost, so that the key derivation does not hide the start-up). Baselines in the
same run: the interpreter alone (``python -c pass``) and Django's own import
(``python -c "import django.db.models"``). The CPU is the child's user+system time
(``resource.getrusage(RUSAGE_CHILDREN)`` around each run); the median of the runs is kept.

Usage: .venv/bin/python bench/bench_startup.py [--runs 7 | --quick]
Writes bench/results/startup.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

RESULTS = Path(__file__).parent / "results"
PASSPHRASE = "a benchmark passphrase for start-up"


def _cpu(argv: list[str], env: dict[str, str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.strip()}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="three runs each")
    args = parser.parse_args()
    runs = 3 if args.quick else args.runs
    env = {k: v for k, v in os.environ.items() if not k.startswith("DHAKIRA_")}
    env |= {"DHAKIRA_TESTING": "1", "DHAKIRA_TEST_FAST_ARGON2": "1"}
    dhakira = [sys.executable, "-m", "dhakira.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        (base / "pass").write_text(PASSPHRASE + "\n")
        (base / "web").write_text("a benchmark web password\n")
        vault = base / "v"
        _cpu([*dhakira, "init", "--vault", str(vault), "--passphrase-file", str(base / "pass"),
              "--admin", "amal", "--admin-password-file", str(base / "web")], env)
        opened = ["--vault", str(vault), "--passphrase-file", str(base / "pass")]
        cases = {
            "baseline: python -c pass": [sys.executable, "-c", "pass"],
            "baseline: import django.db.models": [sys.executable, "-c", "import django.db.models"],
            "dhakira --help": [*dhakira, "--help"],
            "dhakira check": [*dhakira, "check", *opened],
            "dhakira verify": [*dhakira, "verify", *opened],
        }
        cpu = {name: [_cpu(argv, env) for _ in range(runs)] for name, argv in cases.items()}
    result = {name: {"median_cpu_s": round(statistics.median(v), 3),
                     "min_cpu_s": round(min(v), 3), "max_cpu_s": round(max(v), 3)}
              for name, v in cpu.items()}
    out = {"runs": runs, "commands": result}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "startup.json").write_text(json.dumps(out, indent=2) + "\n")
    for name, r in result.items():
        print(f"{name:36s} {r['median_cpu_s']:.3f} s ({r['min_cpu_s']:.3f}-{r['max_cpu_s']:.3f})")


if __name__ == "__main__":
    main()
