"""Storing a link run's clusters and resolving who is the same person, at scale.

Builds N synthetic mentions (Person rows with no names) in a fresh throwaway SQLCipher vault,
clusters them as the demo does (about 1.8 mentions a person), then times:

  * storing the clusters as ``dhakira link`` does (one compressed value on the run,
    ``ClusterTable``), against the same-run baseline of one table row per mention
    (run, person, cluster at each level: the first design, with its two indexes);
  * ``resolve()`` of every mention (what counting does) and ``resolve(persons=[one])`` (what
    the consent gate and the person page do), with 100 review decisions on top.

Usage: .venv/bin/python bench/bench_resolution.py [--mentions N] [--quick]
Writes bench/results/resolution.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "resolution.json"


def _open(vault: Path) -> None:
    from dhakira.apps.vault import runtime
    from dhakira.core.vault import session

    vault.mkdir(parents=True, exist_ok=True)
    session.set_key(os.urandom(32))  # a throwaway synthetic vault
    runtime.configure(vault)
    runtime.migrate()


def _clusters(ids: list[int], rng: random.Random) -> dict[str, dict[int, int]]:
    """Clusters of 1 to 3 consecutive mentions (mean about 1.8); the looser level joins 3 %
    of clusters to the one before, the stricter one takes 3 % of mentions out of theirs."""
    chosen: dict[int, int] = {}
    looser: dict[int, int] = {}
    i, previous = 0, None
    while i < len(ids):
        group = ids[i:i + rng.choice((1, 1, 2, 2, 2, 3))]
        chosen.update((p, group[0]) for p in group)
        head = previous if previous is not None and rng.random() < 0.03 else group[0]
        looser.update((p, head) for p in group)
        previous, i = head, i + len(group)
    stricter = {p: p if c != p and rng.random() < 0.03 else c for p, c in chosen.items()}
    return {"chosen": chosen, "looser": looser, "stricter": stricter}


def _timed(fn, repeat: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(statistics.median(samples), 1), "max_ms": round(max(samples), 1),
            "runs": repeat}


def run(mentions: int) -> dict[str, object]:
    from datetime import UTC, datetime

    from django.db import connection, transaction

    from dhakira.apps.linkage.models import CandidatePair, LinkRun, Status
    from dhakira.apps.linkage.resolution import resolve
    from dhakira.core.linkage.resolve import ClusterTable, sensitivity_thresholds

    rng = random.Random(7)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:  # raw: this is set-up, not measured
        cur.executemany("INSERT INTO dossier_person (counting_unit, sex, notes, created_at) "
                        "VALUES (%s, %s, %s, %s)",
                        [("individual", "", "", datetime.now(UTC).isoformat())] * mentions)
    people_s = time.perf_counter() - started
    with connection.cursor() as cur:
        cur.execute("SELECT id FROM dossier_person ORDER BY id")
        ids = [r[0] for r in cur.fetchall()]
    levels = _clusters(ids, rng)
    started = time.perf_counter()
    with transaction.atomic():
        run_row = LinkRun.objects.create(role="victim", settings_json={}, version="bench",
                                         started_at=datetime.now(UTC), started_by="bench",
                                         thresholds=sensitivity_thresholds(0.99),
                                         clusters=ClusterTable.build(levels).to_bytes())
    stored_s = time.perf_counter() - started
    size = len(bytes(run_row.clusters))
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("CREATE TABLE bench_member (id integer primary key, run_id integer, "
                    "person_id integer, chosen integer, looser integer, stricter integer)")
        cur.execute("CREATE UNIQUE INDEX bench_member_person ON bench_member (run_id, person_id)")
        cur.execute("CREATE INDEX bench_member_chosen ON bench_member (run_id, chosen)")
        cur.executemany("INSERT INTO bench_member (run_id, person_id, chosen, looser, stricter) "
                        "VALUES (%s, %s, %s, %s, %s)",
                        [(run_row.pk, p, c, levels["looser"][p], levels["stricter"][p])
                         for p, c in levels["chosen"].items()])
    rows_s = time.perf_counter() - started
    # 100 decisions: 50 accepted across clusters, 50 rejected inside clusters of two or more.
    chosen = levels["chosen"]
    multi = [p for p in ids if chosen[p] != p]
    pairs = [(rng.choice(ids), rng.choice(ids), Status.ACCEPTED) for _ in range(50)]
    pairs += [(chosen[p], p, Status.REJECTED) for p in rng.sample(multi, 50)]
    now = datetime.now(UTC)
    CandidatePair.objects.bulk_create([
        CandidatePair(run=run_row, left_id=min(a, b), right_id=max(a, b), match_weight=0.0,
                      probability=0.9, status=s, decided_by="bench", decided_at=now)
        for a, b, s in pairs if a != b], ignore_conflicts=True)
    full = _timed(lambda: resolve(), 3)
    one = _timed(lambda: resolve(persons=[rng.choice(ids)]), 30)
    res = resolve()
    return {"mentions": mentions, "people": len(set(res.mapping.values())),
            "decisions": res.decisions, "setup_people_s": round(people_s, 1),
            "store_compressed_s": round(stored_s, 2), "compressed_bytes": size,
            "baseline_store_rows_raw_sql_s": round(rows_s, 2),
            "resolve_all": full, "resolve_one": one}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, action="append")
    parser.add_argument("--quick", action="store_true", help="10,000 mentions only")
    args = parser.parse_args()
    sizes = args.mentions or ([10_000] if args.quick else [10_000, 1_000_000])
    out = []
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="dhakira-bench-resolution-") as tmp:
            done = subprocess.run([sys.executable, __file__, "--child", str(n), tmp],
                                  capture_output=True, text=True, check=True, cwd=ROOT)
            out.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(json.dumps(out[-1]))
    # Sizes not run this time keep their last figures.
    old = json.loads(RESULTS.read_text())["runs"] if RESULTS.exists() else []
    runs = sorted([r for r in old if r["mentions"] not in sizes] + out,
                  key=lambda r: r["mentions"])
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"benchmark": "resolution", "runs": runs}, indent=2) + "\n")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":  # one size, in its own process
        _open(Path(sys.argv[3]) / "vault")
        print(json.dumps(run(int(sys.argv[2]))))
    else:
        main()
