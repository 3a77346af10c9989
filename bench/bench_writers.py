"""Report saves under several writers: p50/p95 with and without other writers (issue 16, #2).

The real server (``dhakira serve`` on a vault made by ``dhakira init``) and real HTTP: the
baseline, in the same run and on the same vault, is one user saving reports with no other
writer. The load is three users saving reports and two saving drafts, on threads, while
two ``dhakira ingest`` processes take a folder each. Every save must succeed.

Usage:
    .venv/bin/python bench/bench_writers.py            # 400 files per ingest
    .venv/bin/python bench/bench_writers.py --quick    # 120 files per ingest
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "writers.json"
BASELINE_SAVES = 40


def _summary(samples: list[float]) -> dict[str, float | int]:
    from tests.writers_load import percentile

    return {"n": len(samples), "p50_ms": round(statistics.median(samples) * 1000, 1),
            "p95_ms": round(percentile(samples, 0.95) * 1000, 1),
            "max_ms": round(max(samples) * 1000, 1)}


def main() -> None:
    from tests import writers_load as load

    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    files = 120 if parser.parse_args().quick else 400
    with tempfile.TemporaryDirectory(prefix="dhakira-bench-writers-") as tmp:
        base_dir = Path(tmp)
        with load.new_vault(base_dir) as vault, load.served(vault) as (base, log):
            alone = load.Saves()
            load.run_users([load.WebUser(base)], ["report"], until=lambda: True,
                           at_least=BASELINE_SAVES, saves=alone)
            users = [load.WebUser(base) for _ in range(5)]
            folders = [load.write_folder(base_dir / f"in-{n}", files, f"batch {n}") for n in (1, 2)]
            busy = load.Saves()
            started = time.perf_counter()
            ingests = [vault.ingest(folder) for folder in folders]
            load.run_users(users, ["report", "report", "report", "draft", "draft"],
                           until=lambda: all(p.poll() is not None for p in ingests),
                           at_least=5, saves=busy)
            outputs = [p.communicate(timeout=600) for p in ingests]
            seconds = time.perf_counter() - started
            locked = "database is locked" in log.read_text() + str(outputs)
    failures = alone.failures + busy.failures
    result = {
        "what": "report save through the web intake form, real server and HTTP",
        "backend": "postgresql" if "DHAKIRA_DATABASE_URL" in __import__("os").environ
        else "sqlcipher",
        "baseline_one_writer": _summary(alone.times["report"]),
        "under_load": {"report": _summary(busy.times["report"]),
                       "draft": _summary(busy.times["draft"])},
        "load": {"report_users": 3, "draft_users": 2, "cli_ingests": 2,
                 "files_per_ingest": files, "seconds": round(seconds, 1)},
        "ingests_ok": [p.returncode == 0 for p in ingests],
        "failed_saves": len(failures),
        "database_is_locked": locked,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    if failures or locked or not all(result["ingests_ok"]):
        raise SystemExit(f"writers failed: {failures[:3]}")


if __name__ == "__main__":
    main()
