"""The CPU a new vault costs: ``runtime.migrate()`` on an empty database, and ``dhakira init``.

Each run is a fresh Python process (as ``dhakira init`` and a test process are), so imports
and Django's start-up are paid as they are in real use; the migration's own CPU is measured
inside the process around ``runtime.migrate()`` alone, the whole command's CPU (start-up,
key slot, migrate, first administrator) from outside. Argon2id runs at the suite's test-only
cost, so that it does not hide what is measured here.

With ``DHAKIRA_DATABASE_URL`` set (``scripts/with-postgres``), every run migrates a new, empty
PostgreSQL database made for it and dropped after; ``init`` is only measured on SQLCipher.

Usage: .venv/bin/python bench/bench_migrate.py [--runs 3 | --quick]
Writes bench/results/migrate.json (or migrate-postgresql.json).
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
from urllib.parse import urlparse, urlunparse

from dhakira.core.vault import keyslots

RESULTS = Path(__file__).parent / "results"

MIGRATE = """
import json, sys, time
from pathlib import Path
from dhakira.apps.vault import runtime
from dhakira.core.vault import keyslots, session
vault = Path(sys.argv[1])
vault.mkdir()
session.set_key(keyslots.create(vault, "a benchmark passphrase", label="bench"), consume=True)
runtime.configure(vault)
start = time.process_time()
runtime.migrate()
print(json.dumps({"migrate_cpu_s": time.process_time() - start}))
"""


def _env(database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DHAKIRA_")}
    env[keyslots.TESTING_ENV] = env[keyslots.FAST_ARGON2_ENV] = "1"
    if database_url:
        env["DHAKIRA_DATABASE_URL"] = database_url
    return env


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _fresh_database(url: str, name: str, *, drop_only: bool = False) -> str:
    """A new empty database ``name`` on the server of ``url`` (dropped first); its URL."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(urlparse(url)._replace(path=f"/{name}"))


def migrate_once(tmp: Path, database_url: str | None) -> float:
    """CPU seconds of ``runtime.migrate()`` on an empty database, in a fresh process."""
    done = subprocess.run([sys.executable, "-c", MIGRATE, str(tmp / "vault")], env=_env(database_url),
                          capture_output=True, text=True, check=True)
    return float(json.loads(done.stdout.splitlines()[-1])["migrate_cpu_s"])


def init_once(tmp: Path) -> float:
    """CPU seconds of a whole ``dhakira init`` (its process and any children)."""
    (tmp / "pass").write_text("a benchmark passphrase\n")
    (tmp / "web").write_text("a web password for amal\n")
    before = _children_cpu()
    subprocess.run([sys.executable, "-m", "dhakira.cli", "init", "--vault", str(tmp / "init"),
                    "--passphrase-file", str(tmp / "pass"), "--admin", "amal",
                    "--admin-password-file", str(tmp / "web")],
                   env=_env(None), capture_output=True, text=True, check=True)
    return _children_cpu() - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one run (bench/run_all.py)")
    args = parser.parse_args()
    if args.quick:
        args.runs = 1
    url = os.environ.get("DHAKIRA_DATABASE_URL")
    result: dict[str, object] = {"benchmark": "migrate", "backend": "postgresql" if url else "sqlcipher",
                                 "runs": args.runs}
    migrate, init = [], []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as folder:
            tmp = Path(folder)
            target = _fresh_database(url, f"bench_migrate_{run}") if url else None
            migrate.append(migrate_once(tmp, target))
            if url:
                _fresh_database(url, f"bench_migrate_{run}", drop_only=True)
            else:
                init.append(init_once(tmp))
    result["migrate_cpu_s"] = [round(x, 2) for x in migrate]
    result["migrate_cpu_median_s"] = round(statistics.median(migrate), 2)
    if init:
        result["init_cpu_s"] = [round(x, 2) for x in init]
        result["init_cpu_median_s"] = round(statistics.median(init), 2)
    print(json.dumps(result, indent=1))
    name = "migrate" + ("-postgresql" if url else "") + ".json"
    (RESULTS / name).write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
