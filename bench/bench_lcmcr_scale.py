"""LCMCR on many lists: time and peak memory of a simulated 20-list and a 34-list table.

Usage:
    .venv/bin/python bench/bench_lcmcr_scale.py [--quick] [--baseline-src DIR [--baseline-fits]]
                                                  # -> bench/results/lcmcr_scale.json

Each fit runs in its own child process (so its peak resident memory, from
``resource.getrusage``, is its own) under a 4 GB address-space cap and a time limit. The
goal: the 20-list, about-1,000-person table at the default settings (chains extended until
split R-hat <= 1.01 and bulk ESS >= 400) in at most 60 s and 1 GB.

Same-run baseline: with ``--baseline-src`` pointing at the ``src`` of an older checkout
(``git archive <commit> src | tar -x -C DIR``), both codes' samplers are timed per sweep
(wall and CPU: on a shared machine the CPU time is the fair comparison) from the table each
builds for it (code older than the sparse tables builds all 2^J - 1 cells); with
``--baseline-fits`` the old code also fits the tables at its own defaults (stopped after
BASELINE_TIMEOUT).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
CAP_BYTES = 4 * 2**30
TIMEOUT = 900
BASELINE_TIMEOUT = 300
SWEEPS = 2000

# Two latent classes of visibility: most people are hard to see, some easy.
CASES = {"8 lists": (8, 1250), "12 lists": (12, 1350), "20 lists": (20, 1420),
         "34 lists": (34, 1300)}


def simulate(lists: int, people: int, seed: int) -> dict[str, object]:
    """A capture table in the cells JSON format: two classes, list-specific probabilities."""
    import numpy as np

    rng = np.random.default_rng(seed)
    hard = rng.uniform(0.02, 0.08, lists) * 20 / lists
    easy = rng.uniform(0.10, 0.30, lists) * 20 / lists
    rows = np.vstack([rng.random((int(people * 0.7), lists)) < hard,
                      rng.random((people - int(people * 0.7), lists)) < easy])
    counts: dict[str, int] = {}
    for row in rows[rows.any(axis=1)]:
        pattern = "".join("1" if hit else "0" for hit in row)
        counts[pattern] = counts.get(pattern, 0) + 1
    return {"lists": [f"L{j + 1}" for j in range(lists)],
            "cells": [{"pattern": p, "count": c} for p, c in sorted(counts.items())],
            "true_total": people}


def _sampler_input(table: object) -> tuple[object, object]:
    """The (patterns, counts) each version of the code feeds its sampler."""
    try:
        from dhakira.core.counting.lcmcr import observed_patterns  # this code
        return observed_patterns(table)  # type: ignore[arg-type]
    except ImportError:
        from dhakira.core.counting._design import pattern_matrix  # the old code: every cell
        return pattern_matrix(table)  # type: ignore[arg-type]


def child_sweeps(path: str) -> None:
    """Time building the sampler's input and SWEEPS sweeps of one chain; one JSON line."""
    import resource

    import numpy as np

    resource.setrlimit(resource.RLIMIT_AS, (CAP_BYTES, CAP_BYTES))
    from dhakira.core.counting import CaptureTable
    from dhakira.core.counting._gibbs import Chain, Priors

    data = json.loads(Path(path).read_text())
    out: dict[str, object] = {}
    try:
        start = time.perf_counter()
        table = CaptureTable.from_json({"lists": data["lists"], "cells": data["cells"]})
        x, y = _sampler_input(table)
        out["build_seconds"] = time.perf_counter() - start
        out["sampler_rows"] = len(y)  # type: ignore[arg-type]
        chain = Chain(x, y, 10, Priors(), np.random.default_rng(0), 5)  # type: ignore[arg-type]
        start, cpu = time.perf_counter(), time.process_time()
        for _ in range(SWEEPS):
            chain.step()
        out["us_per_sweep"] = 1e6 * (time.perf_counter() - start) / SWEEPS
        out["cpu_us_per_sweep"] = 1e6 * (time.process_time() - cpu) / SWEEPS
    except MemoryError:
        out["error"] = f"MemoryError at the {CAP_BYTES // 2**30} GB cap"
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def child(path: str) -> None:
    """Fit one table with the library's defaults and print one JSON line."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (CAP_BYTES, CAP_BYTES))
    from dhakira.core.counting import CaptureTable, estimate

    data = json.loads(Path(path).read_text())
    start = time.perf_counter()
    out: dict[str, object] = {}
    try:
        table = CaptureTable.from_json({"lists": data["lists"], "cells": data["cells"]})
        result = estimate(table, method="lcmcr", seed=1)
        d = result.to_dict()
        out = {"estimate": d["estimate"], "interval": d["interval"],
               "warnings": [w.split(":")[0] for w in d["warnings"]],
               "rhat": d["diagnostics"].get("rhat"), "ess": d["diagnostics"].get("ess"),
               "sweeps_per_chain": d["diagnostics"].get("sweeps_per_chain"),
               "rounds": d["diagnostics"].get("rounds"),
               "comparison_skipped": sorted(d["diagnostics"].get("comparison_skipped", {}))}
    except MemoryError:
        out = {"error": f"MemoryError at the {CAP_BYTES // 2**30} GB cap"}
    except Exception as exc:  # the baseline may fail in any way; record how
        out = {"error": f"{type(exc).__name__}: {str(exc)[:200]}"}
    out["seconds"] = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out["cpu_seconds"] = usage.ru_utime + usage.ru_stime  # the share the shared machine gave
    out["peak_rss_mb"] = usage.ru_maxrss / 1024
    print(json.dumps(out))


def run(src: Path, table: Path, *, mode: str = "--child",
        timeout: int = TIMEOUT) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    try:
        done = subprocess.run([sys.executable, __file__, mode, str(table)], env=env,
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"still running after {timeout} s; stopped"}
    lines = done.stdout.strip().splitlines()
    if done.returncode or not lines:
        return {"error": f"exit {done.returncode}: {done.stderr.strip()[-300:]}"}
    return json.loads(lines[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="only the 20-list table")
    parser.add_argument("--lists", type=int, action="append",
                        help="only these cases (8, 12, 20, 34); merged into earlier results")
    parser.add_argument("--baseline-src", type=Path, help="src of the code to compare with")
    parser.add_argument("--baseline-fits", action="store_true",
                        help="with --baseline-src, fit the tables with the old code too, not only "
                             "time its sampler")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-sweeps", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    if args.child_sweeps:
        child_sweeps(args.child_sweeps)
        return 0
    work = Path(tempfile.mkdtemp(prefix="lcmcr-scale-"))
    out: dict[str, object] = {
        "python": platform.python_version(), "machine": platform.machine(),
        "cpus": os.cpu_count(), "load_average_at_start": os.getloadavg(),
        "goal": "20 lists, about 1,000 people: <= 60 s and <= 1 GB peak at default settings",
        "r_lcmcr_note": "R's LCMCR takes about 510 s on a 20-list table of this size on this "
                        "kind of machine, per issue 14; not run here",
        "cases": {},
    }
    cases = {"20 lists": CASES["20 lists"]} if args.quick else CASES
    if args.lists:
        cases = {k: v for k, v in CASES.items() if v[0] in args.lists}
        done = RESULTS / "lcmcr_scale.json"
        if done.exists():
            out["cases"] = json.loads(done.read_text()).get("cases", {})
    for label, (lists, people) in cases.items():
        data = simulate(lists, people, seed=lists)
        path = work / f"table_{lists}.json"
        path.write_text(json.dumps(data))
        observed = sum(c["count"] for c in data["cells"])
        row: dict[str, object] = {"lists": lists, "true_total": people, "observed": observed,
                                  "observed_patterns": len(data["cells"])}
        row["this_code"] = run(ROOT / "src", path)
        row["this_code_sampler"] = run(ROOT / "src", path, mode="--child-sweeps")
        if args.baseline_src:
            if args.baseline_fits:
                row["baseline_code"] = run(args.baseline_src, path, timeout=BASELINE_TIMEOUT)
            row["baseline_code_sampler"] = run(args.baseline_src, path, mode="--child-sweeps")
        row["load_average_at_end"] = os.getloadavg()
        out["cases"][label] = row  # type: ignore[index]
        print(label, json.dumps(row), flush=True)
    (RESULTS / "lcmcr_scale.json").write_text(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
