"""A charge read as a summary per element: counts, the strongest items, the gap.

The proof matrix lists every assessment of every element; a charge over hundreds of acts is
then thousands of lines. This module condenses one matrix row into what a reader needs first,
and pages through the full list. Pure: no Django.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dhakira.law import MatrixRow, ProofMatrix, RowEntry, StandardOfProof

#: reliability grades best first (Admiralty code); anything else ranks after them.
RELIABILITY = ("A", "B", "C", "D", "E", "F")
STRONGEST = 3


@dataclass(frozen=True)
class ElementSummary:
    """One element of a charge in a few numbers."""

    row: MatrixRow
    items: int  # distinct supporting items
    acts: int
    reports: int
    evidence: int
    undermining: int  # distinct undermining items
    by_standard: tuple[tuple[str, int], ...]  # standard code -> supporting items, highest first
    strongest: tuple[RowEntry, ...]
    automatic: int  # supporting assessments proposed automatically, not yet reviewed by hand


def strength(entry: RowEntry) -> tuple[int, int, int, int, str]:
    """Sort key, strongest first: standard claimed, source reliability, credibility, origins."""
    grade = (entry.source_reliability or "").upper()
    reliability = RELIABILITY.index(grade) if grade in RELIABILITY else len(RELIABILITY)
    credibility = entry.credibility if entry.credibility is not None else 7
    return (-entry.standard_claimed.rank, reliability, credibility, -len(entry.origin_ids),
            entry.item_id)


def strongest(entries: Sequence[RowEntry], n: int = STRONGEST) -> tuple[RowEntry, ...]:
    """The ``n`` strongest entries, preferring items with origins not already shown.

    Three copies of one video are one origin: after the strongest item, an item from an
    origin not yet shown comes before a stronger one from the same origin.
    """
    ranked = sorted(_one_per_item(entries), key=strength)
    chosen: list[RowEntry] = []
    seen: set[str] = set()
    for entry in ranked:
        if len(chosen) < n and not seen.intersection(entry.origin_ids):
            chosen.append(entry)
            seen.update(entry.origin_ids)
    for entry in ranked:  # fewer independent origins than n: fill with the next strongest
        if len(chosen) < n and entry not in chosen:
            chosen.append(entry)
    return tuple(chosen)


def _one_per_item(entries: Iterable[RowEntry]) -> list[RowEntry]:
    best: dict[str, RowEntry] = {}
    for entry in entries:
        if entry.item_id not in best or strength(entry) < strength(best[entry.item_id]):
            best[entry.item_id] = entry
    return list(best.values())


def summarise(row: MatrixRow, *, automatic_note: str = "") -> ElementSummary:
    """Condense one matrix row; ``automatic_note`` marks assessments made automatically."""
    items = _one_per_item(row.supporting)
    kinds = Counter(e.kind for e in items)
    standards = Counter(e.standard_claimed.value for e in items)
    order = [s.value for s in reversed(StandardOfProof)]
    return ElementSummary(
        row=row, items=len(items), acts=kinds["act"], reports=kinds["information"],
        evidence=kinds["evidence"], undermining=len({e.item_id for e in row.undermining}),
        by_standard=tuple((s, standards[s]) for s in order if standards[s]),
        strongest=strongest(row.supporting),
        automatic=sum(1 for e in row.supporting if automatic_note and e.note == automatic_note))


def summarise_matrix(matrix: ProofMatrix, *, automatic_note: str = "") -> list[ElementSummary]:
    """One summary per element, in the matrix's order."""
    return [summarise(row, automatic_note=automatic_note) for row in matrix.rows]


def entries(matrix: ProofMatrix, element_id: str = "",
            stance: str = "") -> list[tuple[MatrixRow, RowEntry]]:
    """Every ``(row, entry)`` of the matrix, or of one element / one stance, in a stable order."""
    out: list[tuple[MatrixRow, RowEntry]] = []
    for row in matrix.rows:
        if element_id and row.element_id != element_id:
            continue
        if stance != "undermines":
            out += [(row, e) for e in row.supporting]
        if stance != "supports":
            out += [(row, e) for e in row.undermining]
    return out
