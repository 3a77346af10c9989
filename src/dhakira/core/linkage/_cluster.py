"""Clustering under constraints: strongest pairs first, never joining a conflict.

Two constraints, both checked when a pair would join two clusters:

* cannot-link keys (one source's reports about one event name different people);
* average linkage: the mean probability over every *scored* pair between the two clusters
  must reach ``min_average``. A single strong pair no longer chains two people together
  when the other records of the two clusters disagree (a low-probability pair between them).

Pairs scored below the model's floor are not in the scores, so they look like pairs never
compared. A record's name parts (:class:`NamePart` keys in ``groups``) fill that gap: an
unscored pair whose two records flatly disagree on a part both give (father Faisal against
father Abd al-Sattar) counts as a pair scored 0 in the average. Without it a sparse report
("Rana al-Khatouni") bridges two Ranas whose fathers differ.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from jellyfish import damerau_levenshtein_distance, jaro_winkler_similarity

Pair = tuple[int, int]
# Parts compared for a flat conflict, and the bounds of the levels' "differs" (the lower
# Jaro-Winkler threshold, one edit, fuzzy matching only for keys of two letters or more).
CONFLICT_PARTS = ("ism", "father", "grandfather", "nisba")
_SIMILAR_JW, _SIMILAR_EDITS, _FUZZY_MIN_LENGTH = 0.8, 1, 2


@dataclass(frozen=True)
class NamePart:
    """A record's key for one name part, carried in ``groups`` beside cannot-link keys."""

    part: str
    key: str


def keys_conflict(a: str, b: str) -> bool:
    """True when two name keys differ beyond every fuzzy level (a flat disagreement).

    Examples:
        >>> keys_conflict("fsl", "bdstr"), keys_conflict("hsn", "hsyn"), keys_conflict("t", "bt")
        (True, False, True)
    """
    if a == b:
        return False
    if min(len(a), len(b)) < _FUZZY_MIN_LENGTH:
        return True
    return (jaro_winkler_similarity(a, b) < _SIMILAR_JW
            and damerau_levenshtein_distance(a, b) > _SIMILAR_EDITS)


class _Forest:
    """Union-find whose roots carry their cluster's cannot-link keys and scored neighbours."""

    def __init__(self, ids: Iterable[int], groups: Mapping[int, Iterable[Hashable]]) -> None:
        self.parent = {i: i for i in ids}
        self.keys: dict[int, set[Hashable]] = {}
        self.names: dict[int, dict[str, str]] = {}
        for i in self.parent:
            given = groups.get(i, ())
            self.keys[i] = {k for k in given if not isinstance(k, NamePart)}
            parts = {k.part: k.key for k in given if isinstance(k, NamePart)}
            if parts:
                self.names[i] = parts
        # root → neighbouring root → [sum of probabilities, number of scored pairs]
        self.adj: dict[int, dict[int, list[float]]] = {}
        self.members: dict[int, list[int]] = {}  # root → records, for clusters of 2 or more
        self.scored: dict[int, set[int]] = {}  # record → records it has a scored pair with

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
                self.scored.setdefault(x, set()).add(y)

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def average(self, ra: int, rb: int) -> float:
        """Mean probability between two clusters: scored pairs, and unscored pairs whose
        records flatly disagree on a name part counted as 0 (1 when there are none)."""
        cell = self.adj.get(ra, {}).get(rb)
        total, count = (cell[0], cell[1]) if cell else (0.0, 0.0)
        count += self._conflicts(ra, rb)
        return total / count if count else 1.0

    def _conflicts(self, ra: int, rb: int) -> int:
        """Unscored record pairs across two clusters that disagree on a name part."""
        names, scored = self.names, self.scored
        found = 0
        for x in self.members.get(ra, (ra,)):
            nx = names.get(x)
            if not nx:
                continue
            seen = scored.get(x, ())
            for y in self.members.get(rb, (rb,)):
                ny = names.get(y)
                if ny and y not in seen and any(
                        p in ny and keys_conflict(k, ny[p]) for p, k in nx.items()):
                    found += 1
        return found

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
        self.members[ra] = self.members.pop(ra, [ra]) + self.members.pop(rb, [rb])
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
    """unique id → its (source, event) cannot-link key and its name-part keys.

    The (source, event) key is given for mentions that have both; a :class:`NamePart` for
    each of :data:`CONFLICT_PARTS` the mention gives (used only by average linkage, to count
    an unscored pair that flatly disagrees on a name as a pair scored 0).
    """
    out: dict[int, list[Hashable]] = {}
    if "source" in features and "event" in features:
        rows = features[features["source"].notna() & features["event"].notna()]
        for u, s, e in zip(rows["unique_id"], rows["source"], rows["event"], strict=True):
            out[int(u)] = [(int(s), int(e))]
    for part in CONFLICT_PARTS:
        if part not in features:
            continue
        rows = features[features[part].notna()]
        for u, key in zip(rows["unique_id"], rows[part], strict=True):
            out.setdefault(int(u), []).append(NamePart(part, str(key)))
    return {u: tuple(keys) for u, keys in out.items()}
