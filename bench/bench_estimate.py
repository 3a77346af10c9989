"""Benchmark and simulation study for dhakira.core.counting.

Usage:
    .venv/bin/python bench/bench_estimate.py [--quick]          # timings -> bench/results/estimate.json
    .venv/bin/python bench/bench_estimate.py --simulate [--dga | --loglinear] [--seeds N] [--quick]
                                                  # -> bench/results/estimate_simulation.json
    .venv/bin/python bench/bench_estimate.py --reference
                            # log-linear vs Rcapture / SparseMSE -> estimate_reference.json
    .venv/bin/python bench/bench_estimate.py --reference --lcmcr [--seeds N] [--quick]
                            # LCMCR vs the R reference, N seeds -> estimate_reference.json
    .venv/bin/python bench/bench_estimate.py --export-csv DIR
                            # every table as CSV, for bench/rcapture_reference.R
    .venv/bin/python bench/bench_estimate.py --truth [--seeds N] [--quick] [--dossier]
                            # synthetic dossier, true total known -> estimate_truth.json
    .venv/bin/python bench/bench_estimate.py --calibrate [--first 11] [--seeds 20]
                            # is each interval calibrated? true histories of the 1,500-victim
                            # demo, many seeds -> estimate_calibration.json

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

from dhakira.core.counting import (
    CaptureTable,
    estimate,
    estimate_stratified,
    fit_lcmcr,
    fit_loglinear,
)
from dhakira.core.counting._gibbs import Chain, Priors
from dhakira.core.counting.lcmcr import observed_patterns

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "mse"
RESULTS = ROOT / "bench" / "results"


def _time_sweeps(table: CaptureTable, sweeps: int, moves: int = 5) -> float:
    x, y = observed_patterns(table)
    chain = Chain(x, y, 10, Priors(), np.random.default_rng(0), moves)
    start = time.perf_counter()
    for _ in range(sweeps):
        chain.step()
    return time.perf_counter() - start


def _time_rng_baseline(table: CaptureTable, sweeps: int) -> float:
    """The RNG calls of one sweep, with the same shapes, and nothing else."""
    cells = len(table.counts)  # observed patterns only
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
        plain = _time_sweeps(table, sweeps, moves=0)
        rng_floor = _time_rng_baseline(table, sweeps)
        start = time.perf_counter()
        fit_loglinear(table, (), interval=False)
        glm = time.perf_counter() - start
        out[label] = {"table": name, "sampler_s": sampler, "plain_gibbs_s": plain,
                      "rng_baseline_s": rng_floor,
                      "sampler_over_rng": sampler / rng_floor, "independence_glm_fit_s": glm,
                      "us_per_sweep": 1e6 * sampler / sweeps}
        print(f"{label}: {sweeps} sweeps {sampler:.2f} s, plain Gibbs {plain:.2f} s "
              f"(RNG-only floor {rng_floor:.2f} s, "
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


def _one_seed(args: tuple[str, dict, int, dict, tuple[str, ...]]) -> dict[str, object]:
    name, design, seed, lcmcr_opts, methods = args
    table = _draw_table(design, seed)
    row: dict[str, object] = {"design": name, "seed": seed, "observed": table.observed}
    runs = {
        "independence": lambda: estimate(table, method="independence", compare=False),
        "loglinear_bic": lambda: estimate(table, method="loglinear", compare=False),
        "lcmcr": lambda: estimate(table, method="lcmcr", seed=seed, compare=False, **lcmcr_opts),
        "dga": lambda: estimate(table, method="dga", compare=False),
    }
    for method in methods:
        run = runs[method]
        result = run()
        row[method] = {"estimate": result.estimate, "interval": list(result.interval),
                       "model": result.model}
    return row


def _summarise(rows: list[dict], designs: dict, methods: tuple[str, ...]) -> dict[str, dict]:
    summary: dict[str, dict] = {}
    for name, design in designs.items():
        truth = design["N"]
        mine = [r for r in rows if r["design"] == name]
        summary[name] = {"N": truth, "seeds": len(mine)}
        for method in methods:
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


def run_simulation(seeds: int, lcmcr_opts: dict, workers: int,
                   methods: tuple[str, ...]) -> dict[str, object]:
    designs = json.loads((DATA / "simulation_designs.json").read_text())["designs"]
    jobs = [(n, d, s, lcmcr_opts, methods) for n, d in designs.items() for s in range(seeds)]
    start = time.perf_counter()
    rows = []
    with ProcessPoolExecutor(workers) as pool:
        for row in pool.map(_one_seed, jobs, chunksize=4):
            rows.append(row)
            if len(rows) % 50 == 0:  # a long run: show it is moving
                print(f"{len(rows)}/{len(jobs)} fits, {time.perf_counter() - start:.0f} s",
                      flush=True)
    summary = _summarise(rows, designs, methods)
    for name, s in summary.items():
        print(name, {m: (round(v["mean_relative_error"], 3), v["coverage_95"])
                     for m, v in s.items() if isinstance(v, dict)})
    return {"seeds_per_design": seeds, "lcmcr_options": lcmcr_opts,
            "wall_seconds": time.perf_counter() - start, "summary": summary, "runs": rows}


REFERENCE_TABLES = ("uk_modern_slavery_2013", "hiv_rome_1994", "allegheny_2003",
                    "us_western_trafficking")


def _reference_one(args: tuple[str, int, dict]) -> dict[str, object]:
    name, seed, opts = args
    table = CaptureTable.load(DATA / f"{name}.json")
    start = time.perf_counter()
    fit = fit_lcmcr(table, seed=seed, **opts)
    return {"table": name, "seed": seed, "median": fit.median, "interval": list(fit.interval),
            "rhat": fit.rhat, "ess": fit.ess, "seconds": time.perf_counter() - start}


def run_reference(seeds: int, opts: dict, workers: int) -> dict[str, object]:
    """LCMCR on every reference table over ``seeds`` seeds; the spread of the medians."""
    jobs = [(n, s, opts) for n in REFERENCE_TABLES for s in range(seeds)]
    with ProcessPoolExecutor(workers) as pool:
        rows = list(pool.map(_reference_one, jobs))
    summary: dict[str, dict] = {}
    for name in REFERENCE_TABLES:
        mine = [r for r in rows if r["table"] == name]
        med = np.array([r["median"] for r in mine])
        ref = _lcmcr_reference(name)
        entry = {"medians_min": float(med.min()), "medians_max": float(med.max()),
                 "median_of_medians": float(np.median(med)),
                 "medians_sd": float(med.std(ddof=1)) if len(med) > 1 else 0.0,
                 "rhat_max": float(max(r["rhat"] for r in mine)), "reference": ref}
        if ref:
            low, high = ref["interval_95"]
            entry["medians_inside_reference_interval"] = int(((med >= low) & (med <= high)).sum())
            entry["medians_within_5pct_of_reference_median"] = int(
                (np.abs(med / ref["median"] - 1) <= 0.05).sum())
        summary[name] = entry
        print(name, {k: (round(v) if isinstance(v, float) else v) for k, v in entry.items()
                     if k != "reference"})
    return {"seeds": seeds, "lcmcr_options": opts, "summary": summary, "runs": rows}


def _lcmcr_reference(name: str) -> dict | None:
    data = json.loads((DATA / f"{name}.json").read_text())
    return next((r for r in data.get("reference_outputs", []) if "LCMCR" in r["method"]), None)


# Figures in the tables' own reference_outputs (from the papers and packages), as model terms.
_PUBLISHED = (
    ("hiv_rome_1994", "Rcapture closedpCI.t, main effects + c1:c2", [("c1", "c2")], 12318.5),
    ("hiv_rome_1994", "independence log-linear (Mt)", [], 11125),
    ("allegheny_2003", "Rcapture closedp Mt (independence)", [], 3738.5),
    ("allegheny_2003", "log-linear with all two-way interactions",
     [(a, b) for i, a in enumerate("ABCD") for b in "ABCD"[i + 1:]], 7126),
    ("uk_modern_slavery_2013", "independence log-linear", [], 12214),
    ("uk_modern_slavery_2013", "SparseMSE estimatepopulation, pthresh=0.02",
     [("PF", "NCA"), ("LA", "NG"), ("NG", "GP"), ("LA", "PF"), ("PF", "GP"), ("GO", "GP"),
      ("NG", "GO")], 11418),
)


def _pct(ours: float, ref: float) -> float:
    return 100.0 * (ours - ref) / ref


def run_loglinear_reference() -> dict[str, object]:
    """Our log-linear answers beside Rcapture's and SparseMSE's, table by table."""
    from dhakira.core.counting._design import parse_rcapture
    from dhakira.core.counting.loglinear import independence, search_models, stepwise_sparsemse

    reference = json.loads((DATA / "rcapture_reference.json").read_text())
    rows: list[dict[str, object]] = []
    searches: dict[str, object] = {}
    timings: dict[str, dict[str, float]] = {}
    for row in reference["rows"]:
        name, kind = row["table"], row["reference"]
        table = CaptureTable.load(DATA / f"{name}.json")
        if "without warnings" in kind:  # our fit of R's model (our pick is in the row above)
            fit = fit_loglinear(table, parse_rcapture(row["model"], table))
        elif "closedpMS" in kind:
            if name not in searches:
                start, cpu = time.perf_counter(), time.process_time()
                searches[name] = search_models(table)
                timings[name] = {"lists": len(table.lists), "seconds": time.perf_counter() - start,
                                 "cpu_seconds": time.process_time() - cpu,
                                 "models": searches[name].searched,  # type: ignore[attr-defined]
                                 "refused": searches[name].refused}  # type: ignore[attr-defined]
            search = searches[name]
            fit = search.best_aic if kind.endswith("AIC") else search.best_bic  # type: ignore[attr-defined]
        elif "independence" in kind:
            fit = independence(table)
        else:
            fit = stepwise_sparsemse(table)
        _, low, high = row["profile"]
        ours_low, ours_high = fit.interval
        flagged = row.get("info_fit", 0) != 0
        rows.append({
            "table": name, "reference": kind, "model_reference": row["model"],
            "model_ours": fit.rcapture if "closedpMS" in kind else fit.model,
            "note": (f"R's pick has no finite MLE (its infoFit {row['info_fit']}); we refuse "
                     "it and give the lowest usable model" if flagged else
                     "our fit of R's model" if "without warnings" in kind else ""),
            "ours": fit.estimate, "reference_estimate": row["estimate"],
            "difference_pct": _pct(fit.estimate, row["estimate"]),
            "interval_ours": [ours_low, ours_high], "interval_reference": [low, high],
            "interval_difference_pct": [
                _pct(ours_low, low),
                _pct(ours_high, high) if not isinstance(high, str) else None],
        })
    for name, kind, terms, value in _PUBLISHED:
        fit = fit_loglinear(CaptureTable.load(DATA / f"{name}.json"), terms)
        rows.append({"table": name, "reference": f"published: {kind}", "model_reference": kind,
                     "model_ours": fit.model, "note": "", "ours": fit.estimate,
                     "reference_estimate": value,
                     "difference_pct": _pct(fit.estimate, value),
                     "interval_ours": list(fit.interval or ()), "interval_reference": None,
                     "interval_difference_pct": None})
    worst = max(abs(float(r["difference_pct"])) for r in rows  # type: ignore[arg-type]
                if not str(r["note"]).startswith("R's pick"))
    print("| table | reference | model (ours) | ours | reference | difference | 95 % interval (ours) "
          "| R's interval |")
    for r in rows:
        ref_int = r["interval_reference"]
        ours_int = r["interval_ours"]
        print(f"| {r['table']} | {r['reference']} | {r['model_ours']} | {r['ours']:,.1f} | "
              f"{r['reference_estimate']:,.1f} | "
              f"{'see below' if flagged_row(r) else format(r['difference_pct'], '+.4f') + ' %'} | "
              f"{_span(ours_int)} | {_span(ref_int) if ref_int else '—'} |")
    for name, t in timings.items():
        print(f"{name}: {t['models']} models ({t['refused']} refused) in {t['seconds']:.2f} s "
              f"({t['cpu_seconds']:.2f} s CPU)")
    return {"made_with": reference["made_with"], "rows": rows, "search_seconds": timings,
            "max_abs_difference_pct_vs_r": worst}


def flagged_row(row: dict[str, object]) -> bool:
    return str(row["note"]).startswith("R's pick")


def _span(pair: object) -> str:
    low, high = pair  # type: ignore[misc]
    if isinstance(high, str):
        return f"{low:,.0f}–{high}"
    return f"{low:,.0f}–{high:,.0f}" if high != float("inf") else f"{low:,.0f}–∞"


def export_csv(directory: Path) -> None:
    """Write every reference table as ``c1,...,ck,freq`` CSV, every cell, for R."""
    from dhakira.core.counting.table import all_patterns

    directory.mkdir(parents=True, exist_ok=True)
    for path in sorted(DATA.glob("*.json")):
        data = json.loads(path.read_text())
        if "cells" not in data and "r_array_order_counts" not in data:
            continue
        table = CaptureTable.from_json(data)
        k = len(table.lists)
        lines = [",".join(f"c{i + 1}" for i in range(k)) + ",freq"]
        lines += [",".join(p) + f",{table.counts.get(p, 0)}" for p in all_patterns(k)]
        (directory / f"{path.stem}.csv").write_text("\n".join(lines) + "\n")


def _merge(path: Path, key: str, value: object) -> dict[str, object]:
    """Keep the other parts of a results file (log-linear and LCMCR share one)."""
    try:
        old = json.loads(path.read_text())
    except (OSError, ValueError):
        old = {}
    if "summary" in old and "lcmcr" not in old:  # the file before it had two parts
        old = {"lcmcr": old}
    return {**old, key: value}


def _true_table(seed: int, victims: int, informants: int, perpetrators: int = 200
                ) -> tuple[CaptureTable, int, dict]:
    """The TRUE capture histories of the demo generator (pure: no vault needed)."""
    from dhakira.apps.demo.generate import DemoParams, build_world, iter_chunks

    params = DemoParams(victims=victims, perpetrators=perpetrators, informants=informants,
                        seed=seed)
    world = build_world(params)
    names = [n.name for n in world.networks]
    histories, total, by_year = [], 0, {}
    for chunk in iter_chunks(world, params):
        for v in chunk.victims:
            total += 1
            by_year.setdefault(v.year, [0, []])
            by_year[v.year][0] += 1
            if v.networks:
                history = frozenset(n for i, n in enumerate(names) if v.networks >> i & 1)
                histories.append(history)
                by_year[v.year][1].append(history)
    strata = {str(y): (CaptureTable.from_histories(h, names), t) for y, (t, h) in by_year.items()}
    return CaptureTable.from_histories(histories, names), total, strata


def _truth_one(args: tuple[int, int, int, dict]) -> dict[str, object]:
    seed, victims, informants, opts = args
    table, total, strata = _true_table(seed, victims, informants)
    row: dict[str, object] = {"seed": seed, "true_total": total, "observed": table.observed,
                              "lists": list(table.lists)}
    for method in ("independence", "loglinear", "lcmcr"):
        extra = opts if method == "lcmcr" else {}
        est = estimate(table, method=method, seed=seed, compare=False, **extra)
        row[method] = _scored(est, total)
    tables = {y: t for y, (t, _) in strata.items()}
    by_year = estimate_stratified(tables, method="lcmcr", seed=seed, compare=False, **opts)
    row["lcmcr_by_year"] = _scored(by_year.total, total)
    return row


def _scored(est: object, truth: int) -> dict[str, object]:
    low, high = est.interval  # type: ignore[attr-defined]
    point = est.estimate  # type: ignore[attr-defined]
    miss = 0.0 if low <= truth <= high else (low - truth if truth < low else truth - high)
    return {"estimate": point, "interval": [low, high], "model": est.model,  # type: ignore[attr-defined]
            "covers": bool(low <= truth <= high), "relative_error": (point - truth) / truth,
            "miss": miss, "miss_relative": miss / truth}


def run_truth(seeds: int, victims: int, informants: int, opts: dict,
              workers: int) -> dict[str, object]:
    """Estimate the synthetic dossier's total from its true capture histories, per seed."""
    jobs = [(s, victims, informants, opts) for s in range(1, seeds + 1)]
    with ProcessPoolExecutor(workers) as pool:
        rows = list(pool.map(_truth_one, jobs))
    summary = {}
    for method in ("independence", "loglinear", "lcmcr", "lcmcr_by_year"):
        scored = [r[method] for r in rows]
        summary[method] = {
            "coverage": float(np.mean([s["covers"] for s in scored])),
            "mean_relative_error": float(np.mean([s["relative_error"] for s in scored])),
            "max_miss_relative": float(max(s["miss_relative"] for s in scored))}
        print(method, {k: round(v, 3) for k, v in summary[method].items()})
    return {"victims": victims, "informants": informants, "seeds": seeds,
            "lcmcr_options": opts, "summary": summary, "runs": rows}


CALIBRATION_METHODS = ("independence", "loglinear", "dga", "lcmcr")
# Short fixed chains: the question is whether the posterior's interval is calibrated, and 20+
# seeds of the converging default (up to minutes of CPU each on a shared machine) would not
# finish; the converging default is run on as many seeds as time allows (``--defaults``).
CALIBRATION_LCMCR = {"burn_in": 1000, "iterations": 4000, "thin": 5, "chains": 2,
                     "until_converged": False}


def _calibrate_one(args: tuple[int, bool]) -> dict[str, object]:
    seed, defaults = args
    table, total, _ = _true_table(seed, 1500, 40, perpetrators=1804)
    row: dict[str, object] = {"seed": seed, "true_total": total, "observed": table.observed}
    for method in CALIBRATION_METHODS:
        opts = {} if method != "lcmcr" else {"budget_seconds": None} if defaults else {
            "budget_seconds": None, **CALIBRATION_LCMCR}
        cpu = time.process_time()
        est = estimate(table, method=method, seed=seed, compare=False, **opts)
        row[method] = {**_scored(est, total), "cpu_seconds": round(time.process_time() - cpu, 1),
                       "warnings": [w.split(":")[0] for w in est.warnings]}
    print(json.dumps({k: (v["covers"] if isinstance(v, dict) else v) for k, v in row.items()}),
          flush=True)
    return row


def run_calibration(first: int, seeds: int, workers: int, defaults: bool) -> dict[str, object]:
    """Coverage of each method's 95 % interval on the demo generator's true histories.

    The 1,500-victim demo of ``bench_end_to_end.py`` (1,804 perpetrators, 40 informants),
    no vault and no linkage: the estimator alone.
    """
    jobs = [(s, defaults) for s in range(first, first + seeds)]
    with ProcessPoolExecutor(workers) as pool:
        rows = list(pool.map(_calibrate_one, jobs))
    summary = {}
    for method in CALIBRATION_METHODS:
        scored = [r[method] for r in rows]
        errors = np.array([s["relative_error"] for s in scored])
        half = [(s["interval"][1] - s["interval"][0]) / 2 / s["estimate"] for s in scored]
        summary[method] = {"covers": int(sum(s["covers"] for s in scored)), "seeds": len(rows),
                           "mean_relative_error": float(errors.mean()),
                           "sd_relative_error": float(errors.std()),
                           "mean_relative_half_width": float(np.mean(half))}
        print(method, summary[method])
    return {"victims": 1500, "perpetrators": 1804, "informants": 40,
            "seeds": [first, first + seeds - 1],
            "lcmcr_options": "defaults (until converged)" if defaults else CALIBRATION_LCMCR,
            "summary": summary, "runs": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--simulate", action="store_true")
    parser.add_argument("--reference", action="store_true")
    parser.add_argument("--truth", action="store_true")
    parser.add_argument("--lcmcr", action="store_true",
                        help="with --reference: LCMCR against R over seeds (slow)")
    parser.add_argument("--loglinear", action="store_true",
                        help="with --simulate: log-linear only -> estimate_simulation_loglinear")
    parser.add_argument("--export-csv", type=Path, metavar="DIR",
                        help="write the reference tables as CSV for bench/rcapture_reference.R")
    parser.add_argument("--dga", action="store_true",
                        help="with --simulate: model averaging only -> estimate_simulation_dga")
    parser.add_argument("--calibrate", action="store_true")
    parser.add_argument("--defaults", action="store_true",
                        help="with --calibrate: LCMCR at its defaults, until converged")
    parser.add_argument("--first", type=int, default=11, help="with --calibrate: first seed")
    parser.add_argument("--seeds", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.export_csv:
        export_csv(args.export_csv)
        return
    if args.reference:
        path = RESULTS / "estimate_reference.json"
        if args.lcmcr:
            opts = {"burn_in": 2000, "iterations": 10_000, "thin": 10, "chains": 2}
            part = run_reference(3 if args.quick else max(args.seeds, 10) if args.seeds != 100
                                 else 10, opts, args.workers)
        else:
            part = run_loglinear_reference()
        result = _merge(path, "lcmcr" if args.lcmcr else "loglinear", part)
    elif args.calibrate:
        seeds = 3 if args.quick else (args.seeds if args.seeds != 100 else 20)
        result = run_calibration(args.first, seeds, args.workers, args.defaults)
        path = RESULTS / ("estimate_calibration_defaults.json" if args.defaults
                          else "estimate_calibration.json")
    elif args.truth:
        opts = {"burn_in": 2000, "iterations": 5000, "thin": 5, "chains": 2}
        seeds = 2 if args.quick else (args.seeds if args.seeds != 100 else 10)
        result = run_truth(seeds, 4383, 40, opts, args.workers)
        path = RESULTS / "estimate_truth.json"
    elif args.simulate:
        opts = {"burn_in": 1000, "iterations": 2000, "thin": 5, "chains": 2, "moves": 5}
        seeds = 5 if args.quick else args.seeds
        methods = (("dga",) if args.dga else ("loglinear_bic",) if args.loglinear
                   else ("independence", "loglinear_bic", "lcmcr"))
        result = run_simulation(seeds, opts, args.workers, methods)
        path = RESULTS / ("estimate_simulation_dga.json" if args.dga
                          else "estimate_simulation_loglinear.json" if args.loglinear
                          else "estimate_simulation.json")
    else:
        result = run_timings(args.quick)
        path = RESULTS / "estimate.json"
    path.write_text(json.dumps(result, indent=2, allow_nan=True) + "\n")
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
