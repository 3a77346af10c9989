"""Storing a link run's clusters and resolving who is the same person, at scale.

Builds N synthetic mentions (Person rows with no names) in a fresh throwaway SQLCipher vault,
clusters them as the demo does (about 1.7 mentions a person), then times:

  * storing the clusters as rows (``ClusterMember``: one row per mention, three levels), the
    way ``dhakira link`` does, against the same-run baseline of writing them as one
    zlib-compressed JSON value;
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
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "resolution.json"


def _open(vault: Path) -> None:
    from dhakira import runtime
    from dhakira.vault import session

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

    from dhakira.dossier.models import Person
    from dhakira.identity.models import CandidatePair, LinkRun, Status
    from dhakira.identity.resolution import resolve
    from dhakira.identity.services import _store_clusters
    from dhakira.linkage.resolve import sensitivity_thresholds

    rng = random.Random(7)
    started = time.perf_counter()
    with transaction.atomic():
        for start in range(0, mentions, 50_000):
            Person.objects.bulk_create([Person(sex="") for _ in range(min(50_000, mentions - start))],
                                       batch_size=5000)
    people_s = time.perf_counter() - started
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    levels = _clusters(ids, rng)
    run_row = LinkRun.objects.create(role="victim", settings_json={}, version="bench",
                                     started_at=datetime.now(UTC), started_by="bench",
                                     thresholds=sensitivity_thresholds(0.99))
    started = time.perf_counter()
    with transaction.atomic():
        _store_clusters(run_row, levels)
    rows_s = time.perf_counter() - started
    started = time.perf_counter()
    blob = zlib.compress(json.dumps({k: [[p, c] for p, c in v.items()]
                                     for k, v in levels.items()}).encode(), 6)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS bench_blob (id integer primary key, data blob)")
        cur.execute("INSERT INTO bench_blob (data) VALUES (%s)", [blob])
    blob_s = time.perf_counter() - started
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
            "decisions": res.decisions, "people_rows_s": round(people_s, 1),
            "store_rows_s": round(rows_s, 2), "baseline_store_compressed_json_s": round(blob_s, 2),
            "compressed_json_bytes": len(blob), "resolve_all": full, "resolve_one": one}


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
