"""One resolution of who is the same person: a run's clusters with reviewers' decisions on top.

Pure: plain ids in, plain mappings out. The identity app stores each run's clusters at three
thresholds (:func:`sensitivity_thresholds`) and calls :func:`apply_decisions` for every reader
(counting, the consent gate, the disclosure log, packages, the person page).

The rule, whatever the model said:

* an accepted pair joins the two people;
* a rejected pair (or a split) is a cannot-link: the two never end in one person. A cluster
  that holds both ends of a rejected pair is rebuilt from its own model pairs at or above the
  threshold, strongest first, skipping every join that would put a rejected pair together;
* when decisions contradict each other (a with b and b with c accepted, a with c rejected),
  the rejection wins: the accept that would close the chain is skipped.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

    from dhakira.core.linkage.model import LinkageResult

__all__ = ["LEVELS", "SENSITIVITY_STEP", "ClusterTable", "apply_decisions", "clusters_at",
           "sensitivity_thresholds"]

Pair = tuple[int, int]
LEVELS = ("chosen", "looser", "stricter")
# The looser and stricter clusterings move the threshold's log-odds by ln 10: the odds that a
# pair is one person must be ten times lower (looser) or higher (stricter). Around the default
# 0.99 that is about 0.908 and 0.999.
SENSITIVITY_STEP = math.log(10.0)
_EDGE = 1e-12


def _logit(p: float) -> float:
    p = min(max(p, _EDGE), 1.0 - _EDGE)
    return math.log(p / (1.0 - p))


def _expit(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def sensitivity_thresholds(threshold: float, step: float = SENSITIVITY_STEP) -> dict[str, float]:
    """The chosen threshold and the looser and stricter ones around it (log-odds ± ``step``).

    Examples:
        >>> {k: round(v, 4) for k, v in sensitivity_thresholds(0.99).items()}
        {'chosen': 0.99, 'looser': 0.9083, 'stricter': 0.999}
    """
    x = _logit(threshold)
    return {"chosen": threshold, "looser": _expit(x - step),
            "stricter": min(1.0, _expit(x + step))}


def clusters_at(result: LinkageResult, features: pd.DataFrame, threshold: float, *,
                accepted: Iterable[Pair] = (), rejected: Iterable[Pair] = ()) -> dict[int, int]:
    """The run's clustering redone at another threshold, with the run's own constraints.

    ``result.scores`` already holds the run's feedback (accepted pairs at 1, rejected pairs
    dropped); accepted pairs are forced again as the run did.
    """
    from dhakira.core.linkage._cluster import source_event_groups
    from dhakira.core.linkage.model import cluster

    settings = result.settings
    if threshold == settings.cluster_threshold:
        return dict(result.clusters)
    no = {(min(a, b), max(a, b)) for a, b in rejected}
    forced = {(min(a, b), max(a, b)) for a, b in accepted} - no
    groups = source_event_groups(features) if settings.cannot_link_source_event else None
    return cluster(result.scores, features["unique_id"], threshold, groups=groups,
                   forced=forced, min_average=settings.cluster_min_average)


_MAGIC = b"DKC1"


@dataclass(frozen=True)
class ClusterTable:
    """Every mention of a run and its cluster at each level, as sorted arrays.

    Stored as ``DKC1`` then zlib of little-endian int64 rows: each person id's step from the
    one before, then for each level of :data:`LEVELS` the distance from the person id back
    to its cluster id. A few MB for a million mentions, in one value
    (``bench/bench_resolution.py``).
    """

    persons: np.ndarray = field(compare=False)
    levels: Mapping[str, np.ndarray] = field(compare=False)

    @classmethod
    def build(cls, levels: Mapping[str, Mapping[int, int]]) -> ClusterTable:
        """From level → (person id → cluster id); every level must name the same persons."""
        persons = np.array(sorted(levels["chosen"]), dtype=np.int64)
        return cls(persons, {name: np.array([levels[name].get(p, p) for p in persons.tolist()],
                                            dtype=np.int64) for name in LEVELS})

    def to_bytes(self) -> bytes:
        # Small numbers compress fast and well: person ids as steps from the one before,
        # clusters as the distance back to their smallest member.
        steps = np.diff(self.persons, prepend=0)
        rows = np.stack([steps, *(self.persons - self.levels[name] for name in LEVELS)])
        return _MAGIC + zlib.compress(rows.astype("<i8").tobytes(), 1)

    @classmethod
    def from_bytes(cls, data: bytes) -> ClusterTable:
        """Raises ValueError for anything but :meth:`to_bytes` output."""
        if not data.startswith(_MAGIC):
            raise ValueError("not a stored cluster table")
        flat = np.frombuffer(zlib.decompress(data[len(_MAGIC):]), dtype="<i8")
        rows = flat.reshape(1 + len(LEVELS), -1).astype(np.int64)
        persons = np.cumsum(rows[0])
        return cls(persons, {name: persons - row for name, row in zip(LEVELS, rows[1:],
                                                                       strict=True)})

    def mapping(self, level: str) -> dict[int, int]:
        """person id → cluster id at ``level``, for every mention of the run."""
        return dict(zip(self.persons.tolist(), self.levels[level].tolist(), strict=True))

    def around(self, persons: Iterable[int], level: str) -> dict[int, int]:
        """person id → cluster id for every mention in the clusters of ``persons``."""
        wanted = np.array(sorted(set(persons)), dtype=np.int64)
        inside = wanted[np.isin(wanted, self.persons)]
        clusters = self.levels[level][np.searchsorted(self.persons, inside)]
        keep = np.isin(self.levels[level], clusters)
        return dict(zip(self.persons[keep].tolist(), self.levels[level][keep].tolist(),
                        strict=True))

    def covers(self, persons: Iterable[int]) -> bool:
        """Whether every one of ``persons`` is a mention of the run."""
        ids = np.fromiter(persons, dtype=np.int64)
        return bool(np.isin(ids, self.persons).all())


class _Groups:
    """Union-find whose roots carry their members, to check cannot-links when joining."""

    def __init__(self, rejected: Mapping[int, set[int]]) -> None:
        self.parent: dict[int, int] = {}
        self.members: dict[int, set[int]] = {}
        self.rejected = rejected

    def add(self, x: int) -> None:
        if x not in self.parent:
            self.parent[x] = x
            self.members[x] = {x}

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(self, a: int, b: int) -> bool:
        """Join unless a rejected pair would end in one group; True when joined (or one)."""
        self.add(a)
        self.add(b)
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        small, big = sorted((ra, rb), key=lambda r: len(self.members[r]))
        other = self.members[big]
        if any(not self.rejected.get(x, set()).isdisjoint(other) for x in self.members[small]):
            return False
        self.parent[small] = big
        self.members[big] |= self.members.pop(small)
        return True


def apply_decisions(base: Mapping[int, int], edges: Iterable[tuple[int, int, float]],
                    accepted: Iterable[Pair], rejected: Iterable[Pair]) -> dict[int, int]:
    """Reviewers' decisions applied on top of a clustering.

    Args:
        base: person id → cluster id (the run's clustering at one threshold).
        edges: the model's pairs (left, right, probability) at or above that threshold; only
            those inside a cluster that a rejection breaks are used, to rebuild it.
        accepted: pairs reviewers accepted (or linked), in the order decided.
        rejected: pairs reviewers rejected (or split).

    Returns:
        person id → resolved id (the smallest person id of its person), for every person in
        ``base`` and in the decisions. Clusters no decision touches keep their id, which
        must be their smallest person id (as :func:`~dhakira.core.linkage.cluster` names them).

    Examples:
        >>> base = {1: 1, 2: 1, 3: 1, 4: 4, 5: 5}
        >>> apply_decisions(base, [(1, 2, 0.999), (2, 3, 0.995)], [(3, 4)], [(1, 3)])
        {1: 1, 2: 1, 3: 3, 4: 3, 5: 5}
    """
    accepted, rejected = list(accepted), list(rejected)
    ends = {p for pair in (*accepted, *rejected) for p in pair}
    out = dict(base)
    if not ends:
        return out
    # Only the clusters a decision touches need work: at a million mentions, the rest is
    # copied as it is.
    touched = {base[p] for p in ends if p in base}
    part = {p: c for p, c in base.items() if c in touched}
    part.update((p, p) for p in ends if p not in base)
    out.update(_decide_part(part, edges, accepted, rejected))
    return out


def _decide_part(base: Mapping[int, int], edges: Iterable[tuple[int, int, float]],
                 accepted: list[Pair], rejected: list[Pair]) -> dict[int, int]:
    """:func:`apply_decisions` on the clusters decisions touch."""
    no: dict[int, set[int]] = {}
    for a, b in rejected:
        if a != b:
            no.setdefault(a, set()).add(b)
            no.setdefault(b, set()).add(a)
    groups = _Groups(no)
    clusters: dict[int, list[int]] = {}
    for person, c in base.items():
        clusters.setdefault(c, []).append(person)
        groups.add(person)
    broken: dict[int, int] = {}  # person → its cluster, for clusters a rejection breaks
    for c, people in clusters.items():
        inside = set(people)
        if any(not no.get(p, set()).isdisjoint(inside) for p in people):
            broken.update((p, c) for p in people)
            continue
        groups.members[people[0]] = inside  # no rejection inside: keep the cluster whole
        for p in people[1:]:
            groups.parent[p] = people[0]
            del groups.members[p]
    for a, b in accepted:
        groups.join(a, b)
    if broken:
        inner = [(a, b, p) for a, b, p in edges
                 if a in broken and broken.get(b) == broken[a]]
        for a, b, _p in sorted(inner, key=lambda e: -e[2]):
            groups.join(a, b)
    smallest = {root: min(people) for root, people in groups.members.items()}
    return {x: smallest[groups.find(x)] for x in groups.parent}


_EDGES = b"DKE1"


def pack_edges(scores: pd.DataFrame, floor: float) -> bytes:
    """The run's scored pairs at or above ``floor``, compressed, for :func:`edges_between`.

    The review queue holds only the pairs a decision can change, so a cluster a rejection
    breaks is rebuilt from these instead: every pair the run's clusterings could have used.
    Stored as ``DKE1``, the pair count (int64), then zlib of the left ids, the right ids
    (int64) and the probabilities (float64).
    """
    keep = scores[scores["match_probability"] >= floor]
    left = keep["unique_id_l"].to_numpy(dtype=np.int64)
    right = keep["unique_id_r"].to_numpy(dtype=np.int64)
    prob = keep["match_probability"].to_numpy(dtype=np.float64)
    body = np.int64(len(left)).tobytes() + left.tobytes() + right.tobytes() + prob.tobytes()
    return _EDGES + zlib.compress(body, 6)


def edges_between(data: bytes, people: set[int],
                  threshold: float) -> list[tuple[int, int, float]]:
    """The packed pairs at or above ``threshold`` whose two ends are both in ``people``."""
    if not data.startswith(_EDGES) or not people:
        return []
    body = zlib.decompress(data[len(_EDGES):])
    n = int(np.frombuffer(body[:8], dtype=np.int64)[0])
    left = np.frombuffer(body, dtype=np.int64, count=n, offset=8)
    right = np.frombuffer(body, dtype=np.int64, count=n, offset=8 + 8 * n)
    prob = np.frombuffer(body, dtype=np.float64, count=n, offset=8 + 16 * n)
    wanted = np.fromiter(people, dtype=np.int64)
    keep = (prob >= threshold) & np.isin(left, wanted) & np.isin(right, wanted)
    return [(int(a), int(b), float(p)) for a, b, p in zip(left[keep], right[keep], prob[keep],
                                                          strict=True)]
