"""Clustering under cannot-link constraints: strongest pairs first, never joining a conflict."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

import numpy as np
import pandas as pd

Pair = tuple[int, int]


class _Forest:
    """Union-find whose roots carry the cannot-link keys of their whole cluster."""

    def __init__(self, ids: Iterable[int], groups: Mapping[int, Iterable[Hashable]]) -> None:
        self.parent = {i: i for i in ids}
        self.keys: dict[int, set[Hashable]] = {i: set(groups.get(i, ())) for i in self.parent}

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(self, a: int, b: int, *, force: bool = False) -> bool:
        """Join the clusters of a and b unless they share a key; True when joined."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if not force and not self.keys[ra].isdisjoint(self.keys[rb]):
            return False
        if len(self.keys[ra]) < len(self.keys[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.keys[ra] |= self.keys.pop(rb)
        return True


def constrained_clusters(scores: pd.DataFrame, ids: Iterable[int], threshold: float,
                         groups: Mapping[int, Iterable[Hashable]],
                         forced: Iterable[Pair] = ()) -> dict[int, int]:
    """Join pairs at or above ``threshold``, strongest first, unless that joins a conflict.

    Two records sharing a key in ``groups`` are never put in one cluster; nor, therefore, are
    their clusters. ``forced`` pairs (a reviewer's acceptance) are joined first, whatever the
    keys. Returns unique id → smallest unique id of its cluster.
    """
    forest = _Forest((int(i) for i in ids), groups)
    for a, b in forced:
        if a in forest.parent and b in forest.parent:
            forest.join(a, b, force=True)
    edges = scores[scores["match_probability"] >= threshold]
    order = np.argsort(-edges["match_probability"].to_numpy(), kind="stable")
    left = edges["unique_id_l"].to_numpy(dtype=np.int64)[order].tolist()
    right = edges["unique_id_r"].to_numpy(dtype=np.int64)[order].tolist()
    for a, b in zip(left, right, strict=True):
        forest.join(a, b)
    smallest: dict[int, int] = {}
    for i in sorted(forest.parent):
        smallest.setdefault(forest.find(i), i)
    return {i: smallest[forest.find(i)] for i in forest.parent}


def source_event_groups(features: pd.DataFrame) -> dict[int, tuple[Hashable, ...]]:
    """unique id → its (source, event) key, for mentions that have both."""
    if "source" not in features or "event" not in features:
        return {}
    rows = features[features["source"].notna() & features["event"].notna()]
    return {int(u): ((int(s), int(e)),) for u, s, e in
            zip(rows["unique_id"], rows["source"], rows["event"], strict=True)}
