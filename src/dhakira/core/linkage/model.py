"""Train, predict and cluster with Splink: parameters from the data (EM), thresholds as settings.

:func:`link` is the whole job: features in, scored candidate pairs and clusters out. Human
decisions feed back in: ``accepted`` pairs are forced links and ``rejected`` pairs are never
linked directly, whatever the model says.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from splink.internals.exceptions import SplinkException

from dhakira.core.linkage._cluster import constrained_clusters, source_event_groups
from dhakira.core.linkage._events import event_groups
from dhakira.core.linkage._levels import comparisons, level_labels
from dhakira.core.linkage._predict import chunk_count, predict_pairs
from dhakira.core.linkage._training import count_pairs, prior_means, prior_probability, train
from dhakira.core.linkage.errors import LinkageMemoryError, NoRecordsError
from dhakira.core.linkage.settings import LinkageSettings

__all__ = ["LinkageResult", "ScoredPair", "cluster", "link"]

Pair = tuple[int, int]
_NO_LEVEL = -(2**62)


@dataclass(frozen=True, slots=True)
class ScoredPair:
    """One candidate pair: who, how strongly, and each comparison's level.

    Attributes:
        left: the lower unique id.
        right: the higher unique id.
        match_weight: log2 Bayes factor summed over comparisons (with the prior).
        probability: match probability in [0, 1].
        levels: comparison name → (gamma level, label); pairs with the same levels share
            one mapping (read-only).
    """

    left: int
    right: int
    match_weight: float
    probability: float
    levels: Mapping[str, tuple[int, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class LinkageResult:
    """The outcome of one run.

    Attributes:
        pairs: candidate pairs in the review band (:func:`in_review_band`), strongest
            first.
        clusters: unique id → cluster id (the smallest unique id in the cluster).
        scores: every scored pair above the floor as (left, right, probability) arrays,
            for evaluation at other thresholds.
        model: the trained Splink model as JSON-ready data (m/u probabilities, prior).
        settings: the settings used.
    """

    pairs: tuple[ScoredPair, ...]
    clusters: Mapping[int, int]
    scores: pd.DataFrame
    model: dict[str, Any]
    settings: LinkageSettings


def _db_api(db_api: Any, settings: LinkageSettings) -> Any:
    """The given API, or an in-memory DuckDB that is capped and never spills to disk.

    DuckDB's default writes pages it cannot hold to ``./.tmp``: plaintext names and dates
    in whatever directory linkage runs from. With no temp directory it fails instead.
    """
    if db_api is not None:
        return db_api
    import duckdb
    from splink import DuckDBAPI

    config: dict[str, str | bool | int | float | list[str]] = {
        "memory_limit": settings.memory_limit, "temp_directory": "",
        # Row order is never relied on (pairs are sorted here); keeping it costs memory.
        "preserve_insertion_order": False}
    if settings.threads:
        config["threads"] = settings.threads
    return DuckDBAPI(duckdb.connect(":memory:", config=config))


def _splink_settings(settings: LinkageSettings, jw: str, units: bool,
                     events: bool = False, dl: str = "damerau_levenshtein",
                     documents: bool = False) -> dict[str, Any]:
    # Splink 5 keeps the gamma (level) columns only with the matching columns; the review
    # queue needs the levels to explain each pair.
    return {"link_type": "dedupe_only", "unique_id_column_name": "unique_id",
            "comparisons": comparisons(settings, jw, units=units, events=events, dl=dl,
                                       documents=documents),
            "blocking_rules_to_generate_predictions": list(settings.blocking_rules),
            "max_iterations": settings.max_em_iterations, "retain_matching_columns": True,
            "retain_intermediate_calculation_columns": False}


def link(features: pd.DataFrame, settings: LinkageSettings | None = None, *,
         accepted: Iterable[Pair] = (), rejected: Iterable[Pair] = (),
         db_api: Any = None, floor: float = 0.01,
         predict_chunks: int | None = None) -> LinkageResult:
    """Link mentions: estimate the model by EM, score candidate pairs, cluster into people.

    Args:
        features: the table from :func:`dhakira.core.linkage.features.build_features`.
        settings: thresholds, blocking and levels; the defaults when None.
        accepted: pairs a reviewer accepted: always linked.
        rejected: pairs a reviewer rejected: never linked directly.
        db_api: a Splink database API (``splink.SparkAPI(...)`` for large jobs); DuckDB in
            process when None.
        floor: pairs below this probability are dropped at once (they are never reviewed).
        predict_chunks: score the pairs in this many slices of the records, each slice's
            table dropped before the next (less memory, same pairs); None: one slice per
            250,000 records, so smaller dossiers are scored in one table.

    Returns:
        The candidate pairs, the clusters and the trained model.

    Raises:
        NoRecordsError: fewer than two mentions.
        SettingsError: ``predict_chunks`` is below 1.
        LinkageMemoryError: the database needed more than ``settings.memory_limit``.
    """
    import duckdb

    settings = settings or LinkageSettings()
    if len(features) < 2:
        raise NoRecordsError(len(features))
    chunks = chunk_count(len(features), predict_chunks)
    try:
        return _link(features, settings, list(accepted), list(rejected), db_api, floor, chunks)
    except (duckdb.OutOfMemoryException, SplinkException) as exc:
        # Splink wraps the database's error; only running out of memory is ours to name.
        cause = exc if isinstance(exc, duckdb.OutOfMemoryException) else exc.__cause__
        if not isinstance(cause, duckdb.OutOfMemoryException):
            raise
        raise LinkageMemoryError(settings.memory_limit, str(cause).splitlines()[0]) from None


def _linker(features: pd.DataFrame, settings: LinkageSettings,
            api: Any) -> tuple[Any, dict[str, Any]]:
    """A Splink linker on the features, trained, and the trained model (Splink settings).

    Prediction runs from the trained model as data, each probability with its stated prior
    (see :mod:`dhakira.core.linkage._training`).
    """
    from splink import Linker

    units = bool(features["unit"].notna().any())
    events = settings.compare_events and "event" in features and bool(
        features["event"].notna().any())
    documents = "document" in features and bool(features["document"].notna().any())
    dialect = api.sql_dialect
    spl = _splink_settings(settings, dialect.jaro_winkler_function_name, units, events,
                           dialect.damerau_levenshtein_function_name, documents)
    logging.getLogger("splink").setLevel(logging.ERROR)
    spl["blocking_rules_to_generate_predictions"] = _usable(
        spl["blocking_rules_to_generate_predictions"], features)
    table = api.register(features)
    found = count_pairs(api, table.physical_name, settings.prior_rule)
    spl["probability_two_random_records_match"] = prior_probability(
        found, len(features), settings)
    means = prior_means(spl["comparisons"])
    # Splink's settings validation only logs warnings, which the level above hides: it cost
    # a fifth of a small dossier's linking. tests/linkage/test_settings.py runs it instead.
    model = train(Linker(table, spl, log_level=logging.ERROR, validate_settings=False),
                  settings, len(features), means)
    return Linker(table, model, log_level=logging.ERROR, validate_settings=False), model


def _link(features: pd.DataFrame, settings: LinkageSettings, accepted: list[Pair],
          rejected: list[Pair], db_api: Any, floor: float, chunks: int) -> LinkageResult:
    api = _db_api(db_api, settings)
    linker, spl = _linker(_events_grouped(features, settings), settings, api)
    floor = min(floor, settings.review_threshold, settings.cluster_threshold)
    # Only the columns needed leave the database, one slice of records at a time: at a
    # million reports the whole prediction table (every compared value, both sides) would
    # not fit in the database's memory limit, nor as a DataFrame.
    gammas = [f"gamma_{c['output_column_name']}" for c in spl["comparisons"]]
    scores, review = predict_pairs(linker, gammas, floor=floor,
                                   review=settings.review_threshold, chunks=chunks)
    model = linker.misc.save_model_to_json()
    if db_api is None:
        # Our own database is done with: what it holds (the records, its buffers) is freed
        # before clustering, the other large step.
        api.duckdb_con.close()
    del linker, api
    scores = _apply_feedback(scores, accepted, rejected)
    review = _apply_feedback(review, accepted, rejected)
    groups = source_event_groups(features) if settings.cannot_link_source_event else None
    clusters = cluster(scores, features["unique_id"], settings.cluster_threshold,
                       groups=groups, forced=_ordered(accepted) - _ordered(rejected),
                       min_average=settings.cluster_min_average)
    # After clustering: a million reports give millions of review pairs, as Python objects
    # far larger than the frame they come from, so they are not held while clustering.
    pairs = _review_pairs(in_review_band(review, clusters, settings),
                          level_labels(spl["comparisons"]), settings.review_threshold)
    del review
    slim = scores[["unique_id_l", "unique_id_r", "match_probability"]].copy()
    return LinkageResult(pairs, clusters, slim, model, settings)


def _events_grouped(features: pd.DataFrame, settings: LinkageSettings) -> pd.DataFrame:
    """The features with event records of one event under one key, for the comparisons.

    Only the compared column changes: the cannot-link constraint keeps the records' own ids.
    """
    if (not settings.compare_events or settings.event_group_days is None
            or "event" not in features):
        return features
    return features.assign(event=event_groups(features, settings.event_group_days))


def _usable(rules: list[str], features: pd.DataFrame) -> list[str]:
    """The rules whose columns the features have with some value (event, source, unit)."""
    def ok(rule: str) -> bool:
        cols = set(re.findall(r"\b[lr]\.(\w+)", rule))
        return all(c in features and bool(features[c].notna().any()) for c in cols)
    kept = [r for r in rules if ok(r)]
    return kept or rules


def _ordered(pairs: Iterable[Pair]) -> set[Pair]:
    return {(min(a, b), max(a, b)) for a, b in pairs}


def _apply_feedback(frame: pd.DataFrame, accepted: Iterable[Pair],
                    rejected: Iterable[Pair]) -> pd.DataFrame:
    """Order each pair (lower id left), force accepted pairs to probability 1, drop rejected.

    Vectorised: at a million reports the frame holds tens of millions of pairs, and a
    Python tuple per pair would cost gigabytes.
    """
    left = frame["unique_id_l"].to_numpy(dtype=np.int64)
    right = frame["unique_id_r"].to_numpy(dtype=np.int64)
    frame = frame.assign(unique_id_l=np.minimum(left, right), unique_id_r=np.maximum(left, right))
    no = _ordered(rejected)
    yes = _ordered(accepted) - no
    if not no and not yes:
        return frame
    keys = pd.MultiIndex.from_arrays([frame["unique_id_l"], frame["unique_id_r"]])
    if no:
        keep = ~keys.isin(sorted(no))
        frame, keys = frame[keep], keys[keep]
    if yes:
        frame = frame.copy()
        frame.loc[keys.isin(sorted(yes)), "match_probability"] = 1.0
        extra = sorted(yes - set(keys[keys.isin(sorted(yes))]))
        if extra:
            add = pd.DataFrame(extra, columns=["unique_id_l", "unique_id_r"])
            add["match_probability"], add["match_weight"] = 1.0, np.inf
            frame = pd.concat([frame, add], ignore_index=True)
    return frame


def in_review_band(frame: pd.DataFrame, clusters: Mapping[int, int],
                   settings: LinkageSettings) -> pd.DataFrame:
    """The pairs a reviewer's decision can change: the review band, less pairs joined anyway.

    A pair above ``review_ceiling`` is one the model is sure of (unless ``auto_link``, whose
    pairs must be stored to be linked), except when the two names share no part but the
    given name (father, grandfather, nisba and kunya each missing from one of them): then
    the certainty rests on the event and the place, not on the person (two men named Salih
    at one arrest), and a human decides. A pair below the cluster threshold whose two records
    are already in one cluster, through other pairs, needs no decision of its own.

    Args:
        frame: scored pairs (unique_id_l, unique_id_r, match_probability, ...).
        clusters: unique id → cluster id, as clustered at the cluster threshold.
        settings: the review threshold, ceiling and cluster threshold.

    Returns:
        The rows of ``frame`` to queue (those below the review threshold included: the
        caller keeps its own lower bound).
    """
    prob = frame["match_probability"].to_numpy(dtype=np.float64)
    keep = np.ones(len(frame), dtype=bool)
    if not settings.auto_link:
        keep &= (prob <= settings.review_ceiling) | _given_name_only(frame)
    if settings.review_skip_joined and len(frame):
        left = frame["unique_id_l"].map(clusters).to_numpy()
        right = frame["unique_id_r"].map(clusters).to_numpy()
        keep &= ~((prob < settings.cluster_threshold) & (left == right))
    return frame[keep]


# Name parts beside the given name; a pair with none of them on both sides is named thinly.
_FURTHER_PARTS = ("father", "grandfather", "nisba", "kunya")


def _given_name_only(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose two names share no further part: each one's level is null (Splink's -1)."""
    cols = [f"gamma_{p}" for p in _FURTHER_PARTS if f"gamma_{p}" in frame]
    if not cols or "gamma_ism" not in frame:
        return np.zeros(len(frame), dtype=bool)
    levels = frame[cols].to_numpy(dtype=np.float64, na_value=-1.0)
    return np.asarray((levels == -1).all(axis=1) & (frame["gamma_ism"].to_numpy() > 0))


def _review_pairs(frame: pd.DataFrame, labels: dict[str, dict[int, str]],
                  threshold: float) -> tuple[ScoredPair, ...]:
    """The pairs at or above ``threshold``, strongest first, each with its levels.

    Pairs share few distinct level vectors, so each vector's mapping is built once and
    shared (read-only) by its pairs: at a million reports there are millions of pairs.
    """
    keep = frame[frame["match_probability"] >= threshold].sort_values(
        "match_probability", ascending=False, kind="stable")
    gammas = [c for c in keep.columns if c.startswith("gamma_")]
    names = [g[len("gamma_"):] for g in gammas]
    values = keep[gammas].to_numpy(dtype=np.float64, na_value=np.nan)
    # An accepted pair the model never scored has no levels (NaN): a sentinel, not NaN,
    # so that equal vectors are equal keys.
    vectors = np.where(np.isnan(values), _NO_LEVEL, values).astype(np.int64).tolist()
    shared: dict[tuple[int, ...], dict[str, tuple[int, str]]] = {}
    out = []
    for left, right, weight, prob, vector in zip(
            keep["unique_id_l"].to_numpy(dtype=np.int64).tolist(),
            keep["unique_id_r"].to_numpy(dtype=np.int64).tolist(),
            keep["match_weight"].to_numpy(dtype=np.float64).tolist(),
            keep["match_probability"].to_numpy(dtype=np.float64).tolist(), vectors, strict=True):
        key = tuple(vector)
        levels = shared.get(key)
        if levels is None:
            levels = shared[key] = {n: (v, labels[n].get(v, "")) for n, v in zip(
                names, key, strict=True) if v != _NO_LEVEL}
        out.append(ScoredPair(left, right, weight, prob, levels))
    return tuple(out)


def cluster(scores: pd.DataFrame, ids: Iterable[int], threshold: float, *,
            groups: Mapping[int, Iterable[Hashable]] | None = None,
            forced: Iterable[Pair] = (), min_average: float = 0.0) -> dict[int, int]:
    """Clusters of the pairs at or above ``threshold``.

    Without ``groups``, connected components. With them, pairs are joined strongest first and
    a pair whose clusters hold two records sharing a group key (a cannot-link: one source's
    two reports about one event) is skipped, so such records never end up together.

    Args:
        scores: pairs with unique_id_l, unique_id_r and match_probability.
        ids: every unique id (singletons get their own cluster).
        threshold: the match probability at which a pair joins two records.
        groups: unique id → cannot-link keys.
        forced: pairs joined whatever the keys (reviewers' acceptances).
        min_average: when above 0, two clusters are joined only when the mean probability
            of the scored pairs between them reaches it (average linkage), so one strong
            pair cannot chain two people whose other records disagree.

    Returns:
        unique id → cluster id (the smallest unique id in its cluster).

    Examples:
        >>> s = pd.DataFrame({"unique_id_l": [1, 2], "unique_id_r": [2, 9],
        ...                   "match_probability": [0.99, 0.2]})
        >>> cluster(s, [1, 2, 9], 0.9)
        {1: 1, 2: 1, 9: 9}
        >>> s = pd.DataFrame({"unique_id_l": [1, 2], "unique_id_r": [2, 3],
        ...                   "match_probability": [0.99, 0.98]})
        >>> cluster(s, [1, 2, 3], 0.9, groups={1: ["src7-event3"], 3: ["src7-event3"]})
        {1: 1, 2: 1, 3: 3}
    """
    if groups or min_average > 0.0:
        return constrained_clusters(scores, ids, threshold, groups or {}, forced,
                                    min_average=min_average)
    index = np.asarray(sorted(set(int(i) for i in ids)), dtype=np.int64)
    edges = scores[scores["match_probability"] >= threshold]
    left = np.searchsorted(index, edges["unique_id_l"].to_numpy(dtype=np.int64))
    right = np.searchsorted(index, edges["unique_id_r"].to_numpy(dtype=np.int64))
    n = len(index)
    graph = coo_matrix((np.ones(len(left), dtype=np.int8), (left, right)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    first = np.full(labels.max() + 1 if n else 0, -1, dtype=np.int64)
    for pos in range(n - 1, -1, -1):  # ids ascend, so the last write is the smallest id
        first[labels[pos]] = index[pos]
    return dict(zip(index.tolist(), first[labels].tolist(), strict=True))
