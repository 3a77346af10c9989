"""Benchmark and simulation study for dhakira.estimate.

Usage:
    .venv/bin/python bench/bench_estimate.py [--quick]          # timings -> bench/results/estimate.json
    .venv/bin/python bench/bench_estimate.py --simulate [--seeds N] [--quick]
                                                  # -> bench/results/estimate_simulation.json

Timings compare 10,000 LCMCR sweeps with two baselines run in the same process: the same
number of numpy RNG calls of the same sizes (a floor for any numpy sampler), and one
independence-model GLM fit.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from dhakira.estimate import CaptureTable, estimate, fit_loglinear
from dhakira.estimate._design import pattern_matrix
from dhakira.estimate._gibbs import Chain, Priors

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "mse"
RESULTS = ROOT / "bench" / "results"


def _time_sweeps(table: CaptureTable, sweeps: int) -> float:
    x, y = pattern_matrix(table)
    chain = Chain(x, y, 10, Priors(), np.random.default_rng(0))
    start = time.perf_counter()
    for _ in range(sweeps):
        chain.step()
    return time.perf_counter() - start


def _time_rng_baseline(table: CaptureTable, sweeps: int) -> float:
    """The RNG calls of one sweep, with the same shapes, and nothing else."""
    cells = int(sum(1 for c in table.counts.values() if c > 0))
    k, lists = 10, len(table.lists)
    rng = np.random.default_rng(0)
    counts = np.full(cells, 5)
    probs = np.full((cells, k), 1 / k)
    start = time.perf_counter()
    for _ in range(sweeps):
        rng.multinomial(counts, probs)
        rng.negative_binomial(100, 0.5)
        rng.multinomial(50, probs[0])
        rng.beta(np.ones((lists, k)), np.ones((lists, k)))
        rng.beta(np.ones(k - 1), np.ones(k - 1))
        rng.gamma(1.0, 1.0)
    return time.perf_counter() - start


def run_timings(quick: bool) -> dict[str, object]:
    sweeps = 1000 if quick else 10_000
    out: dict[str, object] = {"sweeps": sweeps, "python": platform.python_version(),
                              "machine": platform.machine()}
    for label, name in (("4-list", "hiv_rome_1994"), ("6-list", "uk_modern_slavery_2013")):
        table = CaptureTable.load(DATA / f"{name}.json")
        sampler = _time_sweeps(table, sweeps)
        rng_floor = _time_rng_baseline(table, sweeps)
        start = time.perf_counter()
        fit_loglinear(table, (), interval=False)
        glm = time.perf_counter() - start
        out[label] = {"table": name, "sampler_s": sampler, "rng_baseline_s": rng_floor,
                      "sampler_over_rng": sampler / rng_floor, "independence_glm_fit_s": glm,
                      "us_per_sweep": 1e6 * sampler / sweeps}
        print(f"{label}: {sweeps} sweeps {sampler:.2f} s (RNG-only floor {rng_floor:.2f} s, "
              f"x{sampler / rng_floor:.1f}); one GLM fit {glm * 1000:.1f} ms")
    return out


def _draw_table(design: dict, seed: int) -> CaptureTable:
    rng = np.random.default_rng(seed)
    rows = np.vstack([rng.random((s["size"], len(s["p"]))) < np.array(s["p"])
                      for s in design["strata"]])
    rows = rows[rows.any(axis=1)]
    names = [f"L{j + 1}" for j in range(rows.shape[1])]
    return CaptureTable.from_histories(
        (frozenset(n for n, hit in zip(names, r, strict=True) if hit) for r in rows), names)


def _one_seed(args: tuple[str, dict, int, dict]) -> dict[str, object]:
    name, design, seed, lcmcr_opts = args
    table = _draw_table(design, seed)
    row: dict[str, object] = {"design": name, "seed": seed, "observed": table.observed}
    runs = {
        "independence": lambda: estimate(table, method="independence", compare=False),
        "loglinear_bic": lambda: estimate(table, method="loglinear", compare=False),
        "lcmcr": lambda: estimate(table, method="lcmcr", seed=seed, compare=False, **lcmcr_opts),
    }
    for method, run in runs.items():
        result = run()
        row[method] = {"estimate": result.estimate, "interval": list(result.interval),
                       "model": result.model}
    return row


def _summarise(rows: list[dict], designs: dict) -> dict[str, dict]:
    summary: dict[str, dict] = {}
    for name, design in designs.items():
        truth = design["N"]
        mine = [r for r in rows if r["design"] == name]
        summary[name] = {"N": truth, "seeds": len(mine)}
        for method in ("independence", "loglinear_bic", "lcmcr"):
            est = np.array([r[method]["estimate"] for r in mine], dtype=float)
            low = np.array([r[method]["interval"][0] for r in mine], dtype=float)
            high = np.array([r[method]["interval"][1] for r in mine], dtype=float)
            rel = (est - truth) / truth
            summary[name][method] = {
                "mean_relative_error": float(np.nanmean(rel)),
                "median_abs_relative_error": float(np.nanmedian(np.abs(rel))),
                "coverage_95": float(np.mean((low <= truth) & (truth <= high))),
                "median_estimate": float(np.nanmedian(est)),
            }
    return summary


def run_simulation(seeds: int, lcmcr_opts: dict, workers: int) -> dict[str, object]:
    designs = json.loads((DATA / "simulation_designs.json").read_text())["designs"]
    jobs = [(n, d, s, lcmcr_opts) for n, d in designs.items() for s in range(seeds)]
    start = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        rows = list(pool.map(_one_seed, jobs, chunksize=4))
    summary = _summarise(rows, designs)
    for name, s in summary.items():
        print(name, {m: (round(v["mean_relative_error"], 3), v["coverage_95"])
                     for m, v in s.items() if isinstance(v, dict)})
    return {"seeds_per_design": seeds, "lcmcr_options": lcmcr_opts,
            "wall_seconds": time.perf_counter() - start, "summary": summary, "runs": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--simulate", action="store_true")
    parser.add_argument("--seeds", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.simulate:
        opts = {"burn_in": 1000, "iterations": 2000, "thin": 5, "chains": 2}
        seeds = 5 if args.quick else args.seeds
        result = run_simulation(seeds, opts, args.workers)
        path = RESULTS / "estimate_simulation.json"
    else:
        result = run_timings(args.quick)
        path = RESULTS / "estimate.json"
    path.write_text(json.dumps(result, indent=2, allow_nan=True) + "\n")
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
