"""Issue 18 item 4: the law core's modules import one another in one direction only.

Two cycles (catalogue <-> _loader, matrix <-> _rows) were hidden by imports inside
functions; the loaders now live in ``_loader`` and ``build_matrix`` beside ``build_rows``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import dhakira.core.law

pytestmark = pytest.mark.backend_independent

LAW = Path(dhakira.core.law.__file__).parent


def _graph() -> dict[str, set[str]]:
    """module -> the law modules it imports (anywhere in the file, functions too)."""
    graph: dict[str, set[str]] = {}
    for path in LAW.glob("*.py"):
        name = path.stem
        deps = graph.setdefault(name, set())
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                parts = node.module.split(".")
                if parts[-2:-1] == ["law"] and name != "__init__":
                    deps.add(parts[-1])
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str]:
        if node in path:
            return [*path[path.index(node):], node]
        if node in done:
            return []
        for dep in sorted(graph.get(node, ())):
            found = visit(dep, [*path, node])
            if found:
                return found
        done.add(node)
        return []

    for start in sorted(graph):
        found = visit(start, [])
        if found:
            return found
    return []


def test_issue18_4_the_law_core_has_no_import_cycle() -> None:
    assert _cycle(_graph()) == []


def test_the_cycle_finder_finds_one() -> None:
    assert _cycle({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]
