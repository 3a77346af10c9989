"""Which pending pair a reviewer sees first: the one whose decision changes most (pure).

The rule, in one sentence (the queue page says it too): pairs whose two records are not yet
one person through other links come first, and among those, the pairs nearest the cluster
threshold (in match weight, the log-odds the model works in); pairs already joined through
others follow, in the same order.

"Linked" means joined by a cluster edge: a pair of the current runs at or above the cluster
threshold that no reviewer rejected, or an active merge a reviewer made. Clustering proper
also checks constraints (cannot-link keys, average linkage), so a few pairs marked "already
joined" here may sit in two clusters of the run; the order is a priority, never a decision.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["QueuedPair", "joined_through_others", "order", "priorities", "weight"]

_CLAMP = 1e-12


@dataclass(frozen=True)
class QueuedPair:
    """A pending pair as the ordering needs it."""

    pk: int
    left: int
    right: int
    probability: float


def weight(probability: float) -> float:
    """The match weight (log2 odds) of a probability, finite at 0 and 1.

    Examples:
        >>> weight(0.5), round(weight(0.99), 2)
        (0.0, 6.63)
    """
    p = min(max(probability, _CLAMP), 1 - _CLAMP)
    return math.log2(p / (1 - p))


def _bridges(edges: Sequence[tuple[int, int]]) -> set[int]:
    """Indexes of the edges whose removal disconnects their two ends (iterative Tarjan).

    Parallel edges are told apart by index, so two links between the same two records are
    never bridges.
    """
    adj: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for i, (a, b) in enumerate(edges):
        if a != b:
            adj[a].append((b, i))
            adj[b].append((a, i))
    seen: dict[int, int] = {}
    low: dict[int, int] = {}
    out: set[int] = set()
    counter = 0
    for root in adj:
        if root in seen:
            continue
        seen[root] = low[root] = counter
        counter += 1
        stack: list[tuple[int, int, int]] = [(root, -1, 0)]  # node, edge in, next neighbour
        while stack:
            node, via, nxt = stack[-1]
            if nxt < len(adj[node]):
                stack[-1] = (node, via, nxt + 1)
                other, edge = adj[node][nxt]
                if edge == via:
                    continue
                if other in seen:
                    low[node] = min(low[node], seen[other])
                else:
                    seen[other] = low[other] = counter
                    counter += 1
                    stack.append((other, edge, 0))
                continue
            stack.pop()
            if stack:
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[node])
                if low[node] > seen[parent]:
                    out.add(via)
    return out


def _components(edges: Iterable[tuple[int, int]]) -> dict[int, int]:
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in list(parent)}


def joined_through_others(pairs: Sequence[QueuedPair], links: Sequence[tuple[int, int]],
                          threshold: float) -> set[int]:
    """The pks of ``pairs`` whose two records are already one person without that pair.

    Args:
        pairs: pending pairs.
        links: other cluster edges (decided or not queued), as (record, record).
        threshold: the cluster threshold: pending pairs at or above it are edges too.
    """
    edges = list(links)
    own: dict[int, int] = {}
    for p in pairs:
        if p.probability >= threshold:
            own[p.pk] = len(edges)
            edges.append((p.left, p.right))
    root = _components(edges)
    # In a component with no more edges than records less one (a tree) every edge is a
    # bridge: only components with a cycle need the walk.
    nodes: dict[int, int] = defaultdict(int)
    degree: dict[int, int] = defaultdict(int)
    for r in root.values():
        nodes[r] += 1
    for a, _ in edges:
        degree[root[a]] += 1
    cyclic = {r for r in nodes if degree[r] >= nodes[r]}
    looped = [i for i, (a, _) in enumerate(edges) if root[a] in cyclic]
    bridges = {i for i in range(len(edges)) if root[edges[i][0]] not in cyclic}
    bridges |= {looped[j] for j in _bridges([edges[i] for i in looped])}
    out = set()
    for p in pairs:
        if p.pk in own:
            if own[p.pk] not in bridges:
                out.add(p.pk)
        elif p.left in root and root[p.left] == root.get(p.right):
            out.add(p.pk)
    return out


def priorities(pairs: Sequence[QueuedPair], links: Sequence[tuple[int, int]],
               threshold: float) -> dict[int, tuple[bool, float]]:
    """pk → sort key (already joined through others, distance to the threshold in bits).

    Pairs of several runs (several thresholds) are keyed run by run, then sorted together.
    """
    joined = joined_through_others(pairs, links, threshold)
    target = weight(threshold)
    return {p.pk: (p.pk in joined, abs(weight(p.probability) - target)) for p in pairs}


def order(pairs: Sequence[QueuedPair], links: Sequence[tuple[int, int]],
          threshold: float) -> list[int]:
    """The pks of ``pairs``, the decision that changes most first (see the module's rule).

    Ties keep the lower pk first, so the order is stable from one page to the next.

    Examples:
        >>> pairs = [QueuedPair(1, 10, 11, 0.6), QueuedPair(2, 10, 12, 0.98),
        ...          QueuedPair(3, 11, 12, 0.995)]
        >>> order(pairs, links=[(10, 11)], threshold=0.99)
        [3, 2, 1]
    """
    keys = priorities(pairs, links, threshold)
    return sorted(keys, key=lambda pk: (*keys[pk], pk))
