"""Design matrices and term handling for hierarchical log-linear models."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

import numpy as np

from dhakira.estimate.errors import ModelError
from dhakira.estimate.table import CaptureTable

Term = tuple[str, ...]


def pattern_matrix(table: CaptureTable) -> tuple[np.ndarray, np.ndarray]:
    """Return the 0/1 matrix of every observable pattern (cells x lists) and their counts.

    Raises:
        TableError: past the table's limit for building every cell.
    """
    cells = table.all_cells()  # a Poisson fit needs the zero cells too
    x = np.array([[int(ch) for ch in p] for p in cells], dtype=float)
    y = np.array(list(cells.values()), dtype=float)
    return x, y


def normalise_terms(table: CaptureTable, terms: Iterable[Sequence[str]]) -> tuple[Term, ...]:
    """Validate interaction terms and close them under hierarchy.

    Terms are ordered like ``table.lists``. A three-way term brings in its two-way parts.

    Raises:
        ModelError: for unknown lists, repeated lists or the non-identifiable k-way term.
    """
    order = {name: i for i, name in enumerate(table.lists)}
    k = len(table.lists)
    closed: set[Term] = set()
    for raw in terms:
        names = tuple(raw)
        unknown = [n for n in names if n not in order]
        if unknown:
            raise ModelError(f"unknown lists {unknown}; the table has {list(table.lists)}")
        if len(set(names)) != len(names):
            raise ModelError(f"term {names} repeats a list")
        if len(names) >= k:
            raise ModelError(
                f"the {k}-way interaction {':'.join(names)} is not identifiable: it would "
                "need the unobserved cell; drop it"
            )
        sorted_term = tuple(sorted(names, key=order.__getitem__))
        for size in range(2, len(sorted_term) + 1):
            closed.update(itertools.combinations(sorted_term, size))
    return tuple(sorted(closed, key=lambda t: (len(t), [order[n] for n in t])))


def design(table: CaptureTable, terms: Sequence[Term], x: np.ndarray) -> np.ndarray:
    """Return the model matrix: intercept, main effects, then one column per term."""
    order = {name: i for i, name in enumerate(table.lists)}
    columns = [np.ones(len(x)), *(x[:, j] for j in range(x.shape[1]))]
    for term in terms:
        columns.append(np.prod(x[:, [order[n] for n in term]], axis=1))
    return np.column_stack(columns)


def term_margin(table: CaptureTable, term: Term) -> int:
    """Return how many people are on every list of ``term`` (zero makes its MLE infinite)."""
    idx = [table.lists.index(n) for n in term]
    return sum(c for p, c in table.counts.items() if all(p[i] == "1" for i in idx))


def model_name(terms: Sequence[Term]) -> str:
    """Return the model as ``"c1:c2+c3:c4"``, or ``"independence"`` with no interactions."""
    return "+".join(":".join(t) for t in terms) if terms else "independence"


def parse_model(text: str) -> list[Term]:
    """Parse ``"c1:c2+c3:c4"`` (or ``"independence"``) into a list of terms."""
    text = text.strip()
    if text in ("", "independence"):
        return []
    return [tuple(part.strip().split(":")) for part in text.split("+")]
