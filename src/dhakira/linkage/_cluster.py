"""Clustering under constraints: strongest pairs first, never joining a conflict.

Two constraints, both checked when a pair would join two clusters:

* cannot-link keys (one source's reports about one event name different people);
* average linkage: the mean probability over every *scored* pair between the two clusters
  must reach ``min_average``. A single strong pair no longer chains two people together
  when the other records of the two clusters disagree (a low-probability pair between them).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

import numpy as np
import pandas as pd

Pair = tuple[int, int]


class _Forest:
    """Union-find whose roots carry their cluster's cannot-link keys and scored neighbours."""

    def __init__(self, ids: Iterable[int], groups: Mapping[int, Iterable[Hashable]]) -> None:
        self.parent = {i: i for i in ids}
        self.keys: dict[int, set[Hashable]] = {i: set(groups.get(i, ())) for i in self.parent}
        # root → neighbouring root → [sum of probabilities, number of scored pairs]
        self.adj: dict[int, dict[int, list[float]]] = {}

    def add_scores(self, left: list[int], right: list[int], prob: list[float]) -> None:
        """Record scored pairs (between singletons) for the average-linkage check."""
        adj = self.adj
        for a, b, p in zip(left, right, prob, strict=True):
            if a == b:
                continue
            for x, y in ((a, b), (b, a)):
                cell = adj.setdefault(x, {}).setdefault(y, [0.0, 0.0])
                cell[0] += p
                cell[1] += 1

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def average(self, ra: int, rb: int) -> float:
        """Mean probability of the scored pairs between two clusters (1 when none)."""
        cell = self.adj.get(ra, {}).get(rb)
        return cell[0] / cell[1] if cell and cell[1] else 1.0

    def join(self, a: int, b: int, *, force: bool = False, min_average: float = 0.0) -> bool:
        """Join the clusters of a and b unless a constraint forbids it; True when joined."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if not force and not self.keys[ra].isdisjoint(self.keys[rb]):
            return False
        if not force and min_average > 0.0 and self.average(ra, rb) < min_average:
            return False
        if len(self.keys[ra]) + len(self.adj.get(ra, ())) < \
                len(self.keys[rb]) + len(self.adj.get(rb, ())):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.keys[ra] |= self.keys.pop(rb)
        self._merge_adjacency(ra, rb)
        return True

    def _merge_adjacency(self, ra: int, rb: int) -> None:
        """Fold rb's neighbours into ra's: sums and counts add up across the merged cluster."""
        adj = self.adj
        gone = adj.pop(rb, {})
        mine = adj.setdefault(ra, {})
        mine.pop(rb, None)
        for n, (total, count) in gone.items():
            if n == ra:
                continue
            cell = mine.setdefault(n, [0.0, 0.0])
            cell[0] += total
            cell[1] += count
            theirs = adj[n]
            theirs.pop(rb, None)
            theirs[ra] = cell  # the same list object: one cell per pair of clusters


def constrained_clusters(scores: pd.DataFrame, ids: Iterable[int], threshold: float,
                         groups: Mapping[int, Iterable[Hashable]],
                         forced: Iterable[Pair] = (), *, min_average: float = 0.0) -> dict[int, int]:
    """Join pairs at or above ``threshold``, strongest first, unless that joins a conflict.

    Two records sharing a key in ``groups`` are never put in one cluster; nor, therefore, are
    their clusters. With ``min_average`` > 0, two clusters are joined only when the mean
    probability of the scored pairs between them reaches it. ``forced`` pairs (a reviewer's
    acceptance) are joined first, whatever the constraints. Returns unique id → smallest
    unique id of its cluster.
    """
    forest = _Forest((int(i) for i in ids), groups)
    prob = scores["match_probability"].to_numpy(dtype=np.float64)
    left_all = scores["unique_id_l"].to_numpy(dtype=np.int64)
    right_all = scores["unique_id_r"].to_numpy(dtype=np.int64)
    strong = prob >= threshold
    if min_average > 0.0:
        _add_neighbour_scores(forest, left_all, right_all, prob, strong)
    for a, b in forced:
        if a in forest.parent and b in forest.parent:
            forest.join(a, b, force=True)
    order = np.argsort(-prob[strong], kind="stable")
    left = left_all[strong][order].tolist()
    right = right_all[strong][order].tolist()
    for a, b in zip(left, right, strict=True):
        forest.join(a, b, min_average=min_average)
    smallest: dict[int, int] = {}
    for i in sorted(forest.parent):
        smallest.setdefault(forest.find(i), i)
    return {i: smallest[forest.find(i)] for i in forest.parent}


def _add_neighbour_scores(forest: _Forest, left: np.ndarray, right: np.ndarray,
                          prob: np.ndarray, strong: np.ndarray) -> None:
    """Keep the scored pairs that can matter: both records touch a pair above the threshold.

    Only such records can ever be in a cluster of two or more, so the other pairs are left
    out (at a million reports they are most of the scored pairs).
    """
    active = np.union1d(left[strong], right[strong])
    known = np.fromiter(forest.parent, dtype=np.int64, count=len(forest.parent))
    active = np.intersect1d(active, known)
    keep = np.isin(left, active) & np.isin(right, active)
    forest.add_scores(left[keep].tolist(), right[keep].tolist(), prob[keep].tolist())


def source_event_groups(features: pd.DataFrame) -> dict[int, tuple[Hashable, ...]]:
    """unique id → its (source, event) key, for mentions that have both."""
    if "source" not in features or "event" not in features:
        return {}
    rows = features[features["source"].notna() & features["event"].notna()]
    return {int(u): ((int(s), int(e)),) for u, s, e in
            zip(rows["unique_id"], rows["source"], rows["event"], strict=True)}
