"""Scale: N synthetic reports drawn by the demo generator in memory (no database), resolved.

The mentions are made from the generator's reports directly, as the identity app would
extract them, so the run measures the linkage core alone: features, EM, blocking, scoring
and clustering (above 250,000 records the pairs are scored one slice of records at a time,
see ``dhakira.core.linkage._predict``). At this size the default blocking rules are too wide for
uniform synthetic name pools (72 given names), so each rule also requires the same district
or place. Each mention carries its report's event record and source, as the identity app
extracts them: the event blocks its reports together, and one source's reports about one
event are never clustered together (the cannot-link).
"""

from __future__ import annotations

import resource
import time
from functools import lru_cache
from typing import Any

from dhakira.core.dates import parse_fuzzy_date
from dhakira.core.linkage import LinkageSettings, Mention, build_features, evaluate, link
from dhakira.core.linkage._predict import chunk_count

SCALE_BLOCKING = (
    "l.ism = r.ism and l.father = r.father and l.district = r.district",
    "l.ism = r.ism and l.place = r.place and l.date_month = r.date_month",
    "l.father = r.father and l.grandfather = r.grandfather and l.district = r.district",
    "l.ism_block = r.ism_block and l.nisba = r.nisba and l.place = r.place",
    "l.kunya = r.kunya and l.place = r.place",
    "l.event = r.event",
)


@lru_cache(maxsize=1 << 16)
def _bounds(text: str) -> tuple[Any, Any]:
    if not text.strip():
        return None, None
    fuzzy = parse_fuzzy_date(text)
    return fuzzy.earliest, fuzzy.latest


def synthetic_mentions(reports: int, seed: int) -> tuple[list[Mention], dict[int, int]]:
    """About ``reports`` victim mentions from the demo generator, and their truth."""
    from dhakira.apps.demo import DemoParams, build_world, iter_chunks

    params = DemoParams(victims=max(2, int(reports / 1.76)), perpetrators=1804, informants=40,
                        seed=seed)
    world = build_world(params)
    out: list[Mention] = []
    truth: dict[int, int] = {}
    for chunk in iter_chunks(world, params):
        for rep in chunk.reports:
            first = rep.acts[0]
            lo = min((b for b in (_bounds(a.date_text)[0] for a in rep.acts) if b), default=None)
            hi = max((b for b in (_bounds(a.date_text)[1] for a in rep.acts) if b), default=None)
            full = tuple(t for t, _, k in rep.names if k == "full")
            kunya = tuple(t for t, _, k in rep.names if k != "full")
            mid = len(out)
            out.append(Mention(mid, full, kunya, rep.sex, rep.age, lo, hi, first.place,
                               world.places[first.place].district, (), first.act_type,
                               first.method, first.event, rep.source))
            truth[mid] = rep.victim
    return out, truth


def run_scale(reports: int, seed: int) -> dict[str, Any]:
    started = time.perf_counter()
    records, truth = synthetic_mentions(reports, seed)
    generated = time.perf_counter()
    features = build_features(records)
    del records
    featured = time.perf_counter()
    settings = LinkageSettings(blocking_rules=SCALE_BLOCKING, em_max_pairs=1e6)
    result = link(features, settings)
    linked = time.perf_counter()
    e = evaluate(result.clusters, truth)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"reports": len(features), "generate_seconds": generated - started,
            "features_seconds": featured - generated, "link_seconds": linked - featured,
            "resolve_seconds": linked - generated, "peak_rss_mb": round(peak_mb),
            "scored_pairs": len(result.scores), "review_pairs": len(result.pairs),
            "predict_chunks": chunk_count(len(features)),
            "memory_limit": settings.memory_limit} | e.to_dict()
