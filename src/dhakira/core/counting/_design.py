"""Cells, terms and the set of hierarchical models for log-linear capture models."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Sequence

import numpy as np

from dhakira.core.counting.errors import ModelError
from dhakira.core.counting.table import CaptureTable, all_patterns

Term = tuple[str, ...]
Index = tuple[int, ...]  # a term as list positions, e.g. (0, 2) for c1:c3

MAX_LOGLINEAR_LISTS = 12  # 4,095 cells; beyond this the full table is too big to fit


def pattern_matrix(table: CaptureTable) -> tuple[np.ndarray, np.ndarray]:
    """Return the 0/1 matrix of every observable pattern (cells x lists) and their counts.

    Raises:
        TableError: past the table's limit for building every cell.
    """
    cells = table.all_cells()  # a Poisson fit needs the zero cells too
    x = np.array([[int(ch) for ch in p] for p in cells], dtype=float)
    y = np.array(list(cells.values()), dtype=float)
    return x, y


def cell_matrix(table: CaptureTable) -> tuple[np.ndarray, np.ndarray]:
    """Return every observable cell (2^k - 1 rows x k lists, 0/1) and its count, zeros included.

    Rows are in :func:`all_patterns` order. The table may store only its non-zero cells.

    Raises:
        ModelError: for more than ``MAX_LOGLINEAR_LISTS`` lists.
    """
    k = len(table.lists)
    if k > MAX_LOGLINEAR_LISTS:
        raise ModelError(
            f"log-linear models need all 2^{k} - 1 cells of a {k}-list table, too many to fit; "
            f"they work up to {MAX_LOGLINEAR_LISTS} lists. Use latent classes instead "
            "(method lcmcr)",
            code="too_many_lists",
            params={"method": "loglinear", "lists": k, "limit": MAX_LOGLINEAR_LISTS},
        )
    codes = np.arange(1, 2**k)
    x = (codes[:, None] >> np.arange(k - 1, -1, -1)) & 1
    y = np.array([table.counts.get(p, 0) for p in all_patterns(k)], dtype=float)
    return x.astype(float), y


def normalise_terms(table: CaptureTable, terms: Iterable[Sequence[str]]) -> tuple[Term, ...]:
    """Validate interaction terms and close them under hierarchy.

    Terms are ordered like ``table.lists``. A three-way term brings in its two-way parts.

    Raises:
        ModelError: for unknown lists, repeated lists or the non-identifiable k-way term.
    """
    order = {name: i for i, name in enumerate(table.lists)}
    k = len(table.lists)
    closed: set[Index] = set()
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
        closed.update(close_term(tuple(sorted(order[n] for n in names))))
    return tuple(tuple(table.lists[i] for i in t) for t in sort_terms(closed))


def close_term(term: Index) -> set[Index]:
    """Return the term with every sub-term of two or more lists (hierarchy)."""
    return {s for size in range(2, len(term) + 1) for s in itertools.combinations(term, size)}


def sort_terms(terms: Iterable[Index]) -> tuple[Index, ...]:
    """Order terms by size, then by list position."""
    return tuple(sorted(set(terms), key=lambda t: (len(t), t)))


def to_index(table: CaptureTable, terms: Iterable[Term]) -> tuple[Index, ...]:
    """Return named terms as list positions."""
    order = {name: i for i, name in enumerate(table.lists)}
    return tuple(tuple(order[n] for n in t) for t in terms)


def to_names(table: CaptureTable, terms: Iterable[Index]) -> tuple[Term, ...]:
    """Return position terms as list names."""
    return tuple(tuple(table.lists[i] for i in t) for t in terms)


def is_hierarchical(terms: Iterable[Index]) -> bool:
    """True when every sub-term (of two or more lists) of every term is in the model too."""
    have = set(terms)
    return all(close_term(t) <= have for t in have)


@functools.cache
def hierarchical_models(k: int, max_order: int | None = None) -> tuple[tuple[Index, ...], ...]:
    """Every hierarchical model on ``k`` lists with all main effects (Rcapture's set).

    As ``Rcapture::getAllModels(k)``: interactions up to ``max_order`` (default k - 1; the
    k-way term needs the unseen cell), a term only with all its sub-terms. 8, 113 and 6,893
    models for 3, 4 and 5 lists.

    Returns:
        Each model as its full (closed) set of interaction terms, independence first.
    """
    top = k - 1 if max_order is None else min(max_order, k - 1)
    models: list[tuple[Index, ...]] = [()]
    for size in range(2, top + 1):
        grown: list[tuple[Index, ...]] = []
        for model in models:
            have = set(model)
            allowed = [t for t in itertools.combinations(range(k), size)
                       if all(s in have for s in itertools.combinations(t, size - 1))
                       or size == 2]
            for r in range(len(allowed) + 1):
                grown.extend(model + extra for extra in itertools.combinations(allowed, r))
        models = grown
    return tuple(sort_terms(m) for m in models)


def term_margin(table: CaptureTable, term: Term) -> int:
    """Return how many people are on every list of ``term`` (zero makes its MLE infinite)."""
    idx = [table.lists.index(n) for n in term]
    return sum(c for p, c in table.counts.items() if all(p[i] == "1" for i in idx))


def model_name(terms: Sequence[Term]) -> str:
    """Return the model as ``"c1:c2+c3:c4"``, or ``"independence"`` with no interactions."""
    return "+".join(":".join(t) for t in terms) if terms else "independence"


def rcapture_name(terms: Iterable[Index], k: int) -> str:
    """Return the model in Rcapture's notation: the top terms, e.g. ``"[124,3]"``.

    Lists are numbered from 1; a list in no interaction appears on its own.
    """
    have = set(terms)
    top = [t for t in have if not any(set(t) < set(u) for u in have)]
    covered = {i for t in top for i in t}
    top += [(i,) for i in range(k) if i not in covered]
    return "[" + ",".join("".join(str(i + 1) for i in t)
                          for t in sorted(top, key=lambda t: (-len(t), t))) + "]"


def parse_rcapture(text: str, table: CaptureTable) -> list[Term]:
    """Parse a model in Rcapture's notation (``"[124,3]"``, lists numbered from 1) to terms."""
    return [tuple(table.lists[int(c) - 1] for c in top)
            for top in text.strip().strip("[]").split(",") if len(top) > 1]


def parse_model(text: str) -> list[Term]:
    """Parse ``"c1:c2+c3:c4"`` (or ``"independence"``) into a list of terms."""
    text = text.strip()
    if text in ("", "independence"):
        return []
    return [tuple(part.strip().split(":")) for part in text.split("+")]
