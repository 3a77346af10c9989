"""Decomposable (chordal) graphs on a few lists, with their cliques and separators."""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

__all__ = ["DecomposableGraph", "decomposable_graphs"]


@dataclass(frozen=True)
class DecomposableGraph:
    """One decomposable graphical model over lists 0..p-1.

    Attributes:
        cliques: the maximal complete vertex sets.
        separators: the non-empty separators of a junction tree (a multiset).
    """

    cliques: tuple[frozenset[int], ...]
    separators: tuple[frozenset[int], ...]


@functools.cache
def decomposable_graphs(p: int) -> tuple[DecomposableGraph, ...]:
    """Every decomposable graph on ``p`` labelled vertices (8, 61 and 822 for p = 3, 4, 5).

    Args:
        p: the number of vertices (lists).

    Returns:
        The graphs, the empty graph (independence) first.
    """
    pairs = list(itertools.combinations(range(p), 2))
    graphs = []
    for mask in range(2 ** len(pairs)):
        edges = {pair for i, pair in enumerate(pairs) if mask >> i & 1}
        if _is_chordal(p, edges):
            cliques = _maximal_cliques(p, edges)
            graphs.append(DecomposableGraph(cliques, _separators(cliques)))
    return tuple(graphs)


def _adjacent(edges: set[tuple[int, int]], a: int, b: int) -> bool:
    return (min(a, b), max(a, b)) in edges


def _is_chordal(p: int, edges: set[tuple[int, int]]) -> bool:
    # A graph is chordal iff simplicial vertices (neighbours all adjacent) can be removed
    # one at a time until none is left.
    left = set(range(p))
    while left:
        for v in sorted(left):
            near = [u for u in left if u != v and _adjacent(edges, u, v)]
            if all(_adjacent(edges, a, b) for a, b in itertools.combinations(near, 2)):
                left.remove(v)
                break
        else:
            return False
    return True


def _maximal_cliques(p: int, edges: set[tuple[int, int]]) -> tuple[frozenset[int], ...]:
    complete = [
        frozenset(s) for size in range(1, p + 1) for s in itertools.combinations(range(p), size)
        if all(_adjacent(edges, a, b) for a, b in itertools.combinations(s, 2))
    ]
    return tuple(c for c in complete if not any(c < other for other in complete))


def _separators(cliques: tuple[frozenset[int], ...]) -> tuple[frozenset[int], ...]:
    # A maximum-weight spanning tree of the clique graph (weight = shared vertices) is a
    # junction tree; its edges' intersections are the separators. Prim's algorithm.
    inside, found = {0}, []
    while len(inside) < len(cliques):
        best = max(
            ((i, j) for i in inside for j in range(len(cliques)) if j not in inside),
            key=lambda ij: len(cliques[ij[0]] & cliques[ij[1]]),
        )
        inside.add(best[1])
        shared = cliques[best[0]] & cliques[best[1]]
        if shared:  # an empty separator adds nothing to the marginal likelihood
            found.append(shared)
    return tuple(found)
