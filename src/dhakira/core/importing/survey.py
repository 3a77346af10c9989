"""What a table's columns hold, for someone about to map them: a few sample values each, and
each column's distinct values while there are few (a column of vocabulary terms has few).

>>> from dhakira.core.importing.tables import Row, Table
>>> t = Table("t.csv", ("Name", "Act"), iter([Row(2, ("Ahmad", "قتل")), Row(3, ("Omar", "قتل"))]))
>>> [(c.header, c.samples, c.values) for c in survey(t)]
[('Name', ('Ahmad', 'Omar'), ('Ahmad', 'Omar')), ('Act', ('قتل',), ('قتل',))]
"""

from __future__ import annotations

from dataclasses import dataclass

from dhakira.core.importing.records import _text
from dhakira.core.importing.tables import Table, Unreadable

__all__ = ["Column", "survey"]

SAMPLES = 3
DISTINCT = 40  # past this many distinct values a column is not one of vocabulary terms
SAMPLE_CHARS = 80  # a sample is cut here: the page shows what a column is, not its contents


@dataclass(frozen=True)
class Column:
    """One column: its header, its first distinct values (cut), its distinct values in order
    of first appearance (empty when there are more than ``DISTINCT``), and how many rows
    fill it."""

    index: int
    header: str
    samples: tuple[str, ...]
    values: tuple[str, ...]
    many: bool
    filled: int


def survey(table: Table, *, samples: int = SAMPLES, distinct: int = DISTINCT) -> list[Column]:
    """Read every row of ``table`` once (streaming; memory bounded by ``distinct`` per
    column) and describe each headed column. Unreadable cells are left out."""
    width = len(table.headers)
    keep = max(distinct + 1, samples)  # one past the limit tells that there are more
    seen: list[dict[str, None]] = [{} for _ in range(width)]
    filled = [0] * width
    for row in table.rows():
        for i, cell in enumerate(row.cells[:width]):
            if isinstance(cell, Unreadable):
                continue
            text = _text(cell)
            if not text:
                continue
            filled[i] += 1
            if len(seen[i]) < keep:
                seen[i][text] = None
    columns = []
    for i, header in enumerate(table.headers):
        if not header:
            continue
        values = tuple(seen[i])
        many = len(values) > distinct
        columns.append(Column(
            index=i, header=header,
            samples=tuple(_cut(v) for v in values[:samples]),
            values=() if many else values, many=many, filled=filled[i]))
    return columns


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SAMPLE_CHARS else text[:SAMPLE_CHARS - 1] + "…"
