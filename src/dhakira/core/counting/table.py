"""Capture tables: how many people each combination of lists recorded.

A *pattern* is a 0/1 string in the order of ``lists``: ``"101"`` means "on the first and third
list, not on the second". The all-zero pattern is the people no list recorded; it is what we
estimate, so a table never holds it.

A table holds the observed patterns only. With J lists there are 2^J - 1 possible patterns
(over a million at 20 lists, 17 billion at 34) but never more observed ones than people, so
nothing here grows with 2^J. The few methods that need every cell (log-linear fits, model
averaging) build them with :meth:`CaptureTable.all_cells`, which refuses past a stated limit.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from dhakira.core.counting.errors import TableError

__all__ = ["DENSE_MAX_LISTS", "MAX_COUNT", "MAX_LISTS", "CaptureTable", "all_patterns"]

MAX_LISTS = 64  # patterns are strings and counts hold observed patterns only: J costs O(J)
DENSE_MAX_LISTS = 15  # 32,767 cells: the most any method that needs every cell may build
MAX_COUNT = 10**9  # more people than any dossier documents; beyond it floats lose counts


@dataclass(frozen=True)
class CaptureTable:
    """A capture table over named lists, holding its observed patterns only.

    Attributes:
        lists: the list names, in pattern order.
        counts: every observed pattern (count above zero) mapped to its count, in pattern
            order; every pattern not in it counts zero.
        observed: the number of distinct people on at least one list.
    """

    lists: tuple[str, ...]
    counts: Mapping[str, int] = field(hash=False)
    observed: int

    def __post_init__(self) -> None:
        _check_lists(self.lists)
        seen = _observed_counts(self.lists, self.counts)
        object.__setattr__(self, "counts", MappingProxyType(seen))
        if not seen:
            raise TableError("every cell of the table is zero: no one was recorded, so there "
                             "is nothing to estimate from")
        if sum(seen.values()) != self.observed:
            raise TableError(
                f"the cells add up to {sum(seen.values())} but 'observed' says "
                f"{self.observed}; fix the table or its total"
            )

    @property
    def cells(self) -> int:
        """The number of observable patterns, 2^J - 1 (most of them zero at many lists)."""
        return 2 ** len(self.lists) - 1

    @property
    def zero_cells(self) -> int:
        """How many observable patterns nobody has, counted without listing them."""
        return self.cells - len(self.counts)

    def margins(self) -> dict[str, int]:
        """Return how many people each list recorded."""
        totals = [0] * len(self.lists)
        for pattern, count in self.counts.items():
            for j, bit in enumerate(pattern):
                if bit == "1":
                    totals[j] += count
        return dict(zip(self.lists, totals, strict=True))

    def all_cells(self, *, max_lists: int = DENSE_MAX_LISTS) -> dict[str, int]:
        """Return every observable pattern with its count, zeros included, in pattern order.

        Only for methods that truly need all 2^J - 1 cells.

        Args:
            max_lists: refuse tables with more lists than this.

        Raises:
            TableError: if the table has more than ``max_lists`` lists.
        """
        k = len(self.lists)
        if k > max_lists:
            raise TableError(
                f"this method needs all 2^{k} - 1 = {self.cells:,} list combinations and works "
                f"with at most {max_lists} lists; use the lcmcr method for {k} lists")
        return {p: self.counts.get(p, 0) for p in _every_pattern(k)}

    @classmethod
    def from_counts(cls, lists: Iterable[str], counts: Mapping[str, int]) -> CaptureTable:
        """Build a table from pattern counts, computing ``observed``.

        Args:
            lists: the list names, in pattern order.
            counts: pattern string to count; missing patterns count zero.

        Returns:
            The table.

        Raises:
            TableError: on a bad pattern or count.
        """
        names = tuple(lists)
        _check_lists(names)
        seen = _observed_counts(names, counts)
        return cls(lists=names, counts=seen, observed=sum(seen.values()))

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CaptureTable:
        """Read a table in the reference JSON format (pattern cells or R array order).

        Args:
            data: a decoded JSON object with ``lists`` and ``cells`` (each ``pattern`` and
                ``count``), or ``r_array_order_counts`` (first list varying fastest, cell 0
                the unobserved one) with ``dim`` and optional ``lists``.

        Returns:
            The table; ``observed`` is checked against the cells when given.

        Raises:
            TableError: if neither format is present, the contents are inconsistent, or a
                list caught nobody or everybody seen (no method can use such a list).
        """
        if "cells" in data:
            lists = _names(data.get("lists", []))
            counts = _cells_to_counts(data["cells"])
        elif "r_array_order_counts" in data:
            lists, counts = _r_array_to_counts(data)
        else:
            raise TableError("a table needs 'cells' or 'r_array_order_counts'")
        table = cls.from_counts(lists, counts)
        if "observed" in data and _whole("'observed'", data["observed"]) != table.observed:
            raise TableError(
                f"the cells add up to {table.observed} but 'observed' says "
                f"{data['observed']}; fix the table or its total"
            )
        _check_every_list_informs(table)
        return table

    @classmethod
    def load(cls, path: str | Path) -> CaptureTable:
        """Read a table from a JSON file (see :meth:`from_json`).

        Raises:
            TableError: if the file is not valid JSON or not a valid table.
        """
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
            raise TableError(f"cannot read table {path}: {exc}") from None
        if not isinstance(data, dict):
            raise TableError(f"{path} must hold a JSON object")
        return cls.from_json(data)

    @classmethod
    def from_histories(
        cls, histories: Iterable[frozenset[str]], lists: Iterable[str]
    ) -> CaptureTable:
        """Count capture histories: one set of list names per resolved person.

        Args:
            histories: for each person, the lists that recorded them.
            lists: the list names, in pattern order.

        Returns:
            The table.

        Raises:
            TableError: if a history is empty or names an unknown list.
        """
        names = tuple(lists)
        _check_lists(names)
        index = {name: i for i, name in enumerate(names)}
        counts: dict[str, int] = {}
        for history in histories:
            unknown = set(history) - index.keys()
            if unknown:
                raise TableError(f"history names unknown lists {sorted(unknown)}")
            if not history:
                raise TableError("a person on no list cannot be counted; drop empty histories")
            pattern = "".join("1" if name in history else "0" for name in names)
            counts[pattern] = counts.get(pattern, 0) + 1
        return cls.from_counts(names, counts)

    def to_json(self) -> dict[str, Any]:
        """Return the table in the pattern-cell JSON format, observed patterns only.

        It round-trips via :meth:`from_json`.
        """
        return {
            "lists": list(self.lists),
            "cells": [{"pattern": p, "count": c} for p, c in self.counts.items()],
            "observed": self.observed,
        }


def _check_lists(lists: tuple[str, ...]) -> None:
    if len(lists) < 2:
        raise TableError("a capture table needs at least two lists")
    if len(lists) > MAX_LISTS:
        raise TableError(f"a capture table has at most {MAX_LISTS} lists, got {len(lists)}")
    if len(set(lists)) != len(lists):
        raise TableError(f"list names must be distinct, got {list(lists)}")


def _whole(name: str, value: object) -> int:
    """``value`` as a count: a whole number from 0 to MAX_COUNT (JSON may write 3 as 3.0)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value \
            or not 0 <= value <= MAX_COUNT or int(value) != value:
        raise TableError(f"{name} must be a whole number from 0 to {MAX_COUNT:,}, "
                         f"got {value!r:.40}")
    return int(value)


def _names(value: object) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(n, str) for n in value):
        raise TableError("'lists' must be an array of list names (strings)")
    return tuple(value)


def all_patterns(k: int) -> tuple[str, ...]:
    """Every observable pattern for ``k`` lists (2^k - 1 of them), lexicographic; for the
    methods that need every cell, which bound ``k`` themselves."""
    return tuple(_every_pattern(k))


def _every_pattern(k: int) -> Iterable[str]:
    """Every observable pattern for k lists, lexicographic (callers bound k)."""
    return ("".join(bits) for bits in itertools.product("01", repeat=k) if "1" in bits)


def _observed_counts(lists: tuple[str, ...], counts: Mapping[str, Any]) -> dict[str, int]:
    """Check every pattern and count; keep the patterns someone is on, in pattern order."""
    checked: dict[str, int] = {}
    for pattern, count in counts.items():
        _check_pattern(pattern, len(lists))
        value = _whole(f"the count for pattern {pattern!r}", count)
        if value:
            checked[pattern] = value
    return dict(sorted(checked.items()))  # lexicographic is the old complete-table order


def _check_pattern(pattern: object, k: int) -> None:
    if not isinstance(pattern, str):
        raise TableError(f"a pattern must be a string of 0s and 1s, got {pattern!r:.40}")
    if len(pattern) != k:
        raise TableError(f"pattern {pattern!r:.40} has {len(pattern)} digits but the table "
                         f"has {k} lists; give one 0 or 1 per list")
    if pattern.strip("01"):
        raise TableError(f"pattern {pattern!r:.40} must be made of 0 and 1 only")
    if "1" not in pattern:
        raise TableError(f"pattern {pattern!r} is the people no list recorded: that is what "
                         "is estimated, so it cannot be given; drop it")


def _check_every_list_informs(table: CaptureTable) -> None:
    """A list that caught nobody, or every person seen, says nothing about who was missed."""
    for name, caught in table.margins().items():
        if caught == 0:
            raise TableError(f"list {name!r:.40} caught nobody; drop it from 'lists' and "
                             "from every pattern")
        if caught == table.observed:
            raise TableError(
                f"list {name!r:.40} caught everybody seen ({caught:,}), so no one is "
                "missed by it and nothing can be estimated; drop it or check the table")


def _cells_to_counts(cells: object) -> dict[str, int]:
    if not isinstance(cells, list):
        raise TableError("'cells' must be an array of {\"pattern\": ..., \"count\": ...} objects")
    counts: dict[str, int] = {}
    for cell in cells:
        if not isinstance(cell, dict) or not isinstance(cell.get("pattern"), str) \
                or "count" not in cell:
            raise TableError(f"a cell must be an object with a 'pattern' string and a 'count', "
                             f"got {cell!r:.80}")
        pattern = cell["pattern"]
        if pattern in counts:
            raise TableError(f"pattern {pattern!r} appears twice")
        counts[pattern] = cell["count"]
    return counts


def _r_array_to_counts(data: Mapping[str, Any]) -> tuple[tuple[str, ...], dict[str, int]]:
    values, dim = data["r_array_order_counts"], data.get("dim", [])
    if not isinstance(values, list) or not isinstance(dim, list):
        raise TableError("'r_array_order_counts' and 'dim' must be arrays")
    k = len(dim) or (len(values).bit_length() - 1)
    if not 2 <= k <= DENSE_MAX_LISTS or len(values) != 2**k:
        raise TableError(f"R array order needs 2^k counts for 2 to {DENSE_MAX_LISTS} lists, "
                         f"got {len(values)} for {k}; use 'cells' for more lists")
    lists = _names(data.get("lists", [f"L{i + 1}" for i in range(k)]))
    # R's first array index varies fastest, so list j is bit j of the cell's position.
    counts = {
        "".join("1" if (i >> j) & 1 else "0" for j in range(k)): values[i]
        for i in range(1, 2**k)
    }
    return lists, counts
