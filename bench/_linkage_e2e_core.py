"""The end-to-end comparison on the core alone, for many seeds in little time.

``bench_end_to_end.py`` runs the real commands; on the shared 2-core machine each seed
takes about 25 minutes, nearly all of it LCMCR running to its 300 s budget four times. This
runs the same path in memory: the demo generator's reports become victim mentions (as the
identity app extracts them), the default linkage settings resolve them, each resolved person's
capture history is the set of informant networks (lists) whose reports name them, and LCMCR
(60 s budget, no comparison fits) estimates the total from our clusters and from the true
identities. No vault, no review decisions.

Usage: .venv/bin/python bench/_linkage_e2e_core.py [--seeds 10] [--victims 1500]
Writes bench/results/end_to_end_core.json after every seed.

``--duplicate-events 0.3`` moves 30 % of reports (drawn with the seed) to a fresh event record
of their own, as two documenters opening two records for one event would; ``--no-event-groups``
links with every event record under its own id (the settings before event groups).
``--no-estimate`` measures the linkage only. ``--sensitivity`` also estimates from the
clusters at the looser and the stricter threshold (as ``dhakira estimate --vault`` does) and
records the interval allowing for matching as the product makes it (``with_matching``) and the
span of the three intervals (``span``); ``--set-aside`` leaves out the mentions that name no one, as
counting does; ``--short`` runs LCMCR on the
short fixed chains of ``bench_estimate.py --calibrate`` (about 5 s of CPU a fit).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _linkage_scale import _bounds  # noqa: E402

from dhakira.apps.demo import DemoParams, build_world, iter_chunks  # noqa: E402
from dhakira.core.counting.api import across_matchings, estimate  # noqa: E402
from dhakira.core.counting.table import CaptureTable  # noqa: E402
from dhakira.core.linkage import LinkageSettings, Mention, build_features, evaluate, link  # noqa: E402
from dhakira.core.linkage.features import identifies  # noqa: E402
from dhakira.core.linkage.resolve import clusters_at, sensitivity_thresholds  # noqa: E402

SHORT_CHAINS = {"burn_in": 1000, "iterations": 4000, "thin": 5, "chains": 2,
                "until_converged": False}  # bench_estimate.py's CALIBRATION_LCMCR

RESULTS = Path(__file__).resolve().parent / "results"


def generate(seed: int, victims: int, duplicate: float = 0.0
             ) -> tuple[list[Mention], dict[int, int], dict[int, int], int, int]:
    """Mentions, mention → true victim, mention → list (network), true total, list count.

    ``duplicate``: the share of reports moved to a fresh event record of their own.
    """
    moved = random.Random(f"duplicate events {seed}")
    fresh = 10**9
    params = DemoParams(victims=victims, perpetrators=1804, informants=40, seed=seed)
    world = build_world(params)
    out: list[Mention] = []
    truth: dict[int, int] = {}
    lists: dict[int, int] = {}
    total = 0
    for chunk in iter_chunks(world, params):
        total += len(chunk.victims)
        for rep in chunk.reports:
            first = rep.acts[0]
            lo = min((b for b in (_bounds(a.date_text)[0] for a in rep.acts) if b), default=None)
            hi = max((b for b in (_bounds(a.date_text)[1] for a in rep.acts) if b), default=None)
            mid = len(out)
            event = first.event
            if duplicate and event is not None and moved.random() < duplicate:
                fresh += 1
                event = fresh
            out.append(Mention(mid, tuple(t for t, _, k in rep.names if k == "full"),
                               tuple(t for t, _, k in rep.names if k != "full"), rep.sex,
                               rep.age, lo, hi, first.place,
                               world.places[first.place].district, (), first.act_type,
                               first.method, event, rep.source))
            truth[mid], lists[mid] = rep.victim, rep.network
    return out, truth, lists, total, len(world.networks)


def _table(people: dict[int, int], lists: dict[int, int], k: int) -> CaptureTable:
    seen: dict[int, set[str]] = defaultdict(set)
    for mention, person in people.items():
        if mention in lists:
            seen[person].add(str(lists[mention]))
    return CaptureTable.from_histories([frozenset(s) for s in seen.values()],
                                       [str(i) for i in range(k)])


def _estimate(table: CaptureTable, seed: int, total: int, short: bool = False) -> dict[str, Any]:
    e = estimate(table, method="lcmcr", seed=seed, compare=False, budget_seconds=900,
                 **(SHORT_CHAINS if short else {}))
    low, high = e.interval
    return {"estimate_object": e, "observed": table.observed, "estimate": round(e.estimate, 1),
            "interval": [round(low, 1), round(high, 1)], "covers_truth": low <= total <= high,
            "relative_error": (e.estimate - total) / total,
            "warnings": [w.split(":")[0].split("] ")[-1] for w in e.warnings]}


def one(seed: int, victims: int, duplicate: float = 0.0, groups: bool = True,
        estimates: bool = True, sensitivity: bool = False, short: bool = False,
        set_aside: bool = False) -> dict[str, Any]:
    started, cpu = time.perf_counter(), time.process_time()
    mentions, truth, lists, total, k = generate(seed, victims, duplicate)
    settings = LinkageSettings() if groups else replace(LinkageSettings(), event_group_days=None)
    if set_aside:  # as counting does: a mention that names no one is not counted
        lists = {m.id: lists[m.id] for m in mentions if identifies(m.names)}
    features = build_features(mentions)
    result = link(features, settings)
    e = evaluate(result.clusters, truth)
    linked = time.process_time() - cpu
    empty: dict[str, Any] = {"estimate": float("nan")}
    ours = (_estimate(_table(dict(result.clusters), lists, k), seed, total, short)
            if estimates else empty)
    true = _estimate(_table(truth, lists, k), seed, total, short) if estimates else empty
    if estimates and sensitivity:
        levels = sensitivity_thresholds(settings.cluster_threshold)
        others = {level: _estimate(_table(clusters_at(result, features, levels[level]), lists, k),
                                   seed, total, short) for level in ("looser", "stricter")}
        low = min(x["interval"][0] for x in (ours, *others.values()))
        high = max(x["interval"][1] for x in (ours, *others.values()))
        (mlow, mhigh), _ = across_matchings(ours["estimate_object"],
                                            [x["estimate_object"] for x in others.values()])
        # with_matching: as the product makes it (across_matchings); span: the three
        # intervals' lowest and highest ends, for comparison
        ours = {**ours, "sensitivity": others, "span": {
            "interval": [low, high], "covers_truth": low <= total <= high},
            "with_matching": {"interval": [mlow, mhigh], "covers_truth": mlow <= total <= mhigh}}
    for x in (ours, true, *ours.get("sensitivity", {}).values()):
        x.pop("estimate_object", None)
    return {"seed": seed, "duplicate_events": duplicate, "event_groups": groups,
            "true_total": total, "documented": e.true_people,
            "mentions": len(mentions), "people_linked": e.clusters,
            "linkage": {"precision": round(e.precision, 4), "recall": round(e.recall, 4),
                        "f1": round(e.f1, 4),
                        "false_merges_per_1000": round(e.false_merges_per_1000, 2)},
            "ours": ours, "true_linkage": true,
            "ours_vs_true_linkage": ours["estimate"] / true["estimate"] - 1,
            "seconds": round(time.perf_counter() - started, 1),
            "cpu_seconds": round(time.process_time() - cpu, 1),
            "linkage_cpu_seconds": round(linked, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--first", type=int, default=1)
    parser.add_argument("--victims", type=int, default=1500)
    parser.add_argument("--out", default="end_to_end_core.json")
    parser.add_argument("--duplicate-events", type=float, default=0.0)
    parser.add_argument("--no-event-groups", action="store_true")
    parser.add_argument("--no-estimate", action="store_true")
    parser.add_argument("--sensitivity", action="store_true")
    parser.add_argument("--short", action="store_true")
    parser.add_argument("--set-aside", action="store_true",
                        help="leave out mentions that name no one, as counting does")
    args = parser.parse_args()
    runs = []
    for seed in range(args.first, args.first + args.seeds):
        run = one(seed, args.victims, args.duplicate_events, not args.no_event_groups,
                  not args.no_estimate, args.sensitivity, args.short, args.set_aside)
        runs.append(run)
        print(f"seed {seed}: true {run['true_total']:,} people {run['people_linked']:,} of "
              f"{run['documented']:,} (F1 {run['linkage']['f1']}, R {run['linkage']['recall']}, "
              f"false merges/1000 {run['linkage']['false_merges_per_1000']}) ours "
              f"{run['ours'].get('estimate'):,.0f} {run['ours'].get('interval')} true linkage "
              f"{run['true_linkage'].get('estimate'):,.0f} {run['true_linkage'].get('interval')} "
              f"({run['ours_vs_true_linkage']:+.1%}) "
              f"with matching {run['ours'].get('with_matching', {}).get('interval')} "
              f"span {run['ours'].get('span', {}).get('interval')} CPU {run['cpu_seconds']} s "
              f"wall {run['seconds']} s", flush=True)
        summary = _summary(runs) if not args.no_estimate else {
            "seeds": len(runs), "false_merges_per_1000": [
                r["linkage"]["false_merges_per_1000"] for r in runs]}
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / args.out).write_text(json.dumps(
            {"python": platform.python_version(), "victims": args.victims,
             "duplicate_events": args.duplicate_events,
             "event_groups": not args.no_event_groups,
             "method": "lcmcr (short fixed chains)" if args.short else "lcmcr (900 s budget)", "summary": summary, "runs": runs},
            indent=1) + "\n")


def _summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(runs)
    return {
        "seeds": n,
        "within_10pct_of_true_linkage": sum(abs(r["ours_vs_true_linkage"]) <= 0.10
                                            for r in runs),
        "ours_covers_truth": sum(r["ours"]["covers_truth"] for r in runs),
        "true_linkage_covers_truth": sum(r["true_linkage"]["covers_truth"] for r in runs),
        "ours_with_matching_covers_truth": sum(
            r["ours"].get("with_matching", {}).get("covers_truth", False) for r in runs),
        "ours_span_covers_truth": sum(
            r["ours"].get("span", {}).get("covers_truth", False) for r in runs),
        "mean_half_width": half_width(r["ours"] for r in runs),
        "mean_half_width_with_matching": half_width(
            {**r["ours"], **r["ours"].get("with_matching", {})} for r in runs),
        "mean_half_width_span": half_width(
            {**r["ours"], **r["ours"].get("span", {})} for r in runs),
        "mean_ours_vs_true_linkage": sum(r["ours_vs_true_linkage"] for r in runs) / n,
        "max_abs_ours_vs_true_linkage": max(abs(r["ours_vs_true_linkage"]) for r in runs)}


def half_width(estimates: Any) -> float:
    """The intervals' mean half-width, as a share of their estimates."""
    widths = [(e["interval"][1] - e["interval"][0]) / 2 / e["estimate"] for e in estimates]
    return sum(widths) / len(widths)


if __name__ == "__main__":
    main()
