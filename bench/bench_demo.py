"""Benchmark `dhakira demo-data`: reports per second and peak memory at 10,000 and 1,000,000
reports, against a same-run baseline of plain stdlib sqlite3 executemany of as many rows of
similar width into an unencrypted file. Also times unlocking the vault's key slot.

Each size runs in its own child process so that peak memory (ru_maxrss) is that run's own.

Usage:
    .venv/bin/python bench/bench_demo.py            # 10,000 and 1,000,000 reports
    .venv/bin/python bench/bench_demo.py --quick    # 10,000 reports only
    .venv/bin/python bench/bench_demo.py --reports 50000 --reports 200000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "demo.json"
SEED = 1


def victims_for(reports: int) -> int:
    """Documented victims that give about ``reports`` reports (from a pure pilot run)."""
    from dhakira.apps.demo import DemoParams, build_world, iter_chunks

    params = DemoParams(victims=3000, seed=SEED)
    world = build_world(params)
    pilot = sum(len(ch.reports) for ch in iter_chunks(world, params))
    return max(1, round(reports * params.victims / pilot))


def child(reports: int) -> dict[str, object]:
    """Build one dossier into a fresh temporary vault; return its figures."""
    from dhakira.apps.vault import runtime
    from dhakira.core.vault import keyslots, session

    victims = victims_for(reports)
    with tempfile.TemporaryDirectory(prefix="dhakira-bench-") as tmp:
        vault = Path(tmp) / "vault"
        vault.mkdir()
        keyslots.create(vault, "bench passphrase, not secret", label="bench")
        started = time.perf_counter()
        key = keyslots.unlock(vault, "bench passphrase, not secret")
        unlock_s = time.perf_counter() - started
        session.set_key(key)
        runtime.configure(vault)
        runtime.migrate()
        from dhakira.apps.demo.load import build_dossier

        result = build_dossier(victims=victims, perpetrators=1804, informants=40, seed=SEED,
                               truth_out=Path(tmp) / "truth.json")
        truth_mb = (Path(tmp) / "truth.json").stat().st_size / 2**20
        db_mb = (vault / "dossier.db").stat().st_size / 2**20
    rows = sum(result.rows.values())
    return {"reports_target": reports, "victims": victims, "documented": result.documented,
            "true_total": result.true_total, "reports": result.reports, "rows_written": rows,
            "rows": result.rows, "seconds": round(result.seconds, 2),
            "reports_per_s": round(result.reports / result.seconds),
            "rows_per_s": round(rows / result.seconds),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "truth_mb": round(truth_mb, 1), "database_mb": round(db_mb, 1),
            "unlock_s": round(unlock_s, 3)}


def baseline(rows: int) -> dict[str, object]:
    """Plain sqlite3 executemany of ``rows`` rows of similar width, unencrypted, 5,000 a batch."""
    with tempfile.TemporaryDirectory(prefix="dhakira-bench-base-") as tmp:
        db = sqlite3.connect(Path(tmp) / "plain.db")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE r (id INTEGER PRIMARY KEY, a INTEGER, b INTEGER, c TEXT, "
                   "d TEXT, e TEXT, f INTEGER, g TEXT)")
        text = "أفيد بأن محمد علي حسين الجبوري من باب الطوب أعدم رمياً بالرصاص"[:48]
        started = time.perf_counter()
        for start in range(0, rows, 5000):
            batch = [(i, i % 97, i % 13, "ar", "in_person_interview", text, 3,
                      "2015-06-16T09:00:00") for i in range(start, min(rows, start + 5000))]
            with db:
                db.executemany("INSERT INTO r VALUES (?, ?, ?, ?, ?, ?, ?, ?)", batch)
        seconds = time.perf_counter() - started
        db.close()
    return {"rows": rows, "seconds": round(seconds, 2), "rows_per_s": round(rows / seconds)}


def run(reports: int) -> dict[str, object]:
    out = subprocess.run([sys.executable, __file__, "--child", str(reports)], check=True,
                         capture_output=True, text=True, cwd=ROOT,
                         env=dict(os.environ, PYTHONPATH=str(ROOT / "src")))
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    base = baseline(int(figures["rows_written"]))  # type: ignore[call-overload]
    figures["baseline_sqlite3"] = base
    figures["slowdown_vs_baseline"] = round(
        float(figures["seconds"]) / max(float(base["seconds"]), 1e-9), 1)  # type: ignore[arg-type]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="10,000 reports only")
    parser.add_argument("--reports", type=int, action="append", help="report target(s)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    sizes = args.reports or ([10_000] if args.quick else [10_000, 1_000_000])
    runs = []
    for size in sizes:
        figures = run(size)
        runs.append(figures)
        base = figures["baseline_sqlite3"]
        print(f"{figures['reports']:>9,} reports: {figures['seconds']:>8} s, "
              f"{figures['reports_per_s']:,} reports/s ({figures['rows_per_s']:,} rows/s), "
              f"peak {figures['peak_rss_mb']:,} MB; baseline sqlite3 {base['rows_per_s']:,} "  # type: ignore[index]
              f"rows/s; {figures['slowdown_vs_baseline']}x slower; unlock {figures['unlock_s']} s")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"benchmark": "demo-data", "seed": SEED, "runs": runs},
                                  indent=2) + "\n", encoding="utf-8")
    print(f"written {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
