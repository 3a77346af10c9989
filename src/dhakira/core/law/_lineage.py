"""Independent origins on the ``derived_from`` lineage graph (private).

An item's origins are the items with no ``derived_from`` reachable from it. Ten reports that
all derive from one video share that one origin. A set of items that derive from one another
in a loop, with no way out, is treated as a single origin named by its smallest id, so
circular reporting can never inflate the count and never hangs the computation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def root_origins(parents: Mapping[str, Iterable[str]]) -> dict[str, frozenset[str]]:
    """Map every node (including parents not in ``parents``) to its root origins.

    Args:
        parents: item id -> ids it was derived from. An id that appears only as a parent is
            an origin in its own right (an item the caller did not supply).

    Returns:
        item id -> frozenset of origin ids.
    """
    graph: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in parents.items()}
    for deps in list(graph.values()):
        for dep in deps:
            graph.setdefault(dep, ())
    components = _strongly_connected(graph)
    component_of = {node: i for i, comp in enumerate(components) for node in comp}
    origins: list[frozenset[str]] = []
    # Tarjan emits a component only after every component it reaches, so each successor's
    # origins are known by the time we need them.
    for i, comp in enumerate(components):
        successors = {component_of[d] for n in comp for d in graph[n]} - {i}
        if successors:
            origins.append(frozenset().union(*(origins[s] for s in successors)))
        else:
            origins.append(frozenset({min(comp)}))
    return {node: origins[component_of[node]] for node in graph}


def _strongly_connected(graph: Mapping[str, tuple[str, ...]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative so that deep lineages cannot overflow the stack."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        _visit(root, graph, index, low, stack, on_stack, components)
    return components


def _visit(
    root: str,
    graph: Mapping[str, tuple[str, ...]],
    index: dict[str, int],
    low: dict[str, int],
    stack: list[str],
    on_stack: set[str],
    components: list[list[str]],
) -> None:
    def enter(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        work.append((node, iter(graph[node])))

    work: list[tuple[str, Iterable[str]]] = []
    enter(root)
    while work:
        node, successors = work[-1]
        nxt = next(iter(successors), None)
        if nxt is not None:
            if nxt not in index:
                enter(nxt)
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
            continue
        work.pop()
        if work:
            parent = work[-1][0]
            low[parent] = min(low[parent], low[node])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            components.append(component)
