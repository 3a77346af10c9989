"""A charge read as a summary per element: counts, the strongest items, the gap.

The proof matrix lists every assessment of every element; a charge over hundreds of acts is
then thousands of lines. This module condenses one matrix row into what a reader needs first,
and pages through the full list. Pure: no Django.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from dhakira.core import vetting
from dhakira.core.law import ActFact, MatrixRow, ProofMatrix, RowEntry, StandardOfProof

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
    strongest: tuple[Strong, ...]
    automatic: int  # supporting assessments proposed automatically, not yet reviewed by hand


Grades = Mapping[str, tuple[str | None, int | None]]


@dataclass(frozen=True)
class Strong:
    """One of an element's strongest items, with the grade it was ranked by.

    An act has no grade of its own: it is ranked by the best of the reports it derives from
    (``borrowed``), so that an act told by a reliable, confirmed source comes first.
    """

    entry: RowEntry
    reliability: str | None
    credibility: int | None
    borrowed: bool


def graded(entry: RowEntry, grades: Grades | None = None) -> Strong:
    """``entry`` with its own grade, or else the best grade among its origins in ``grades``."""
    if entry.source_reliability or entry.credibility is not None or not grades:
        return Strong(entry, entry.source_reliability, entry.credibility, False)
    found = [grades[o] for o in entry.origin_ids if o in grades]
    if not found:
        return Strong(entry, None, None, False)
    best = min(found, key=lambda g: (_reliability_rank(g[0]), _credibility_rank(g[1])))
    return Strong(entry, best[0], best[1], True)


def _reliability_rank(grade: str | None) -> int:
    grade = (grade or "").upper()
    return RELIABILITY.index(grade) if grade in RELIABILITY else len(RELIABILITY)


def _credibility_rank(credibility: int | None) -> int:
    return credibility if credibility is not None else 7


def strength(item: Strong) -> tuple[int, int, int, int, str]:
    """Sort key, strongest first: standard claimed, reliability, credibility, origins."""
    return (-item.entry.standard_claimed.rank, _reliability_rank(item.reliability),
            _credibility_rank(item.credibility), -len(item.entry.origin_ids), item.entry.item_id)


def strongest(entries: Sequence[RowEntry], n: int = STRONGEST,
              grades: Grades | None = None) -> tuple[Strong, ...]:
    """The ``n`` strongest entries, preferring items with origins not already shown.

    Three copies of one video are one origin: after the strongest item, an item from an
    origin not yet shown comes before a stronger one from the same origin.
    """
    ranked = sorted(_one_per_item(graded(e, grades) for e in entries), key=strength)
    chosen: list[Strong] = []
    seen: set[str] = set()
    for item in ranked:
        if len(chosen) < n and not seen.intersection(item.entry.origin_ids):
            chosen.append(item)
            seen.update(item.entry.origin_ids)
    for item in ranked:  # fewer independent origins than n: fill with the next strongest
        if len(chosen) < n and item not in chosen:
            chosen.append(item)
    return tuple(chosen)


def _one_per_item(items: Iterable[Strong]) -> list[Strong]:
    best: dict[str, Strong] = {}
    for item in items:
        uid = item.entry.item_id
        if uid not in best or strength(item) < strength(best[uid]):
            best[uid] = item
    return list(best.values())


def ungraded_origins(matrix: ProofMatrix) -> set[str]:
    """Origins of supporting items that have no grade of their own (acts): what to look up."""
    return {o for row in matrix.rows for e in row.supporting
            if not e.source_reliability and e.credibility is None for o in e.origin_ids}


def summarise(row: MatrixRow, *, automatic_note: str = "",
              grades: Grades | None = None) -> ElementSummary:
    """Condense one matrix row; ``automatic_note`` marks assessments made automatically;
    ``grades`` (report id -> reliability, credibility) grade acts by their best report."""
    best: dict[str, RowEntry] = {}
    for e in row.supporting:  # an item assessed twice counts once, at its best standard
        if e.item_id not in best or e.standard_claimed.rank > best[e.item_id].standard_claimed.rank:
            best[e.item_id] = e
    items = list(best.values())
    kinds = Counter(e.kind for e in items)
    standards = Counter(e.standard_claimed.value for e in items)
    order = [s.value for s in reversed(StandardOfProof)]
    return ElementSummary(
        row=row, items=len(items), acts=kinds["act"], reports=kinds["information"],
        evidence=kinds["evidence"], undermining=len({e.item_id for e in row.undermining}),
        by_standard=tuple((s, standards[s]) for s in order if standards[s]),
        strongest=strongest(row.supporting, grades=grades),
        automatic=sum(1 for e in row.supporting if automatic_note and e.note == automatic_note))


def summarise_matrix(matrix: ProofMatrix, *, automatic_note: str = "",
                     grades: Grades | None = None) -> list[ElementSummary]:
    """One summary per element, in the matrix's order."""
    return [summarise(row, automatic_note=automatic_note, grades=grades) for row in matrix.rows]


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


# --- The brief: one element in a paragraph --------------------------------------------------

@dataclass(frozen=True)
class Span:
    """When and where a set of acts happened, as far as it is known."""

    first_month: str | None  # "YYYY-MM" of the earliest act dated to a month
    last_month: str | None
    dated: int  # acts dated to a month
    places: int  # distinct places
    districts: int  # distinct districts
    top_districts: tuple[tuple[str, int], ...]  # district id -> acts, most first (at most 3)
    acts: int  # distinct acts with facts


def span_of(facts: Iterable[ActFact]) -> Span:
    """The time and place an element's acts cover: first and last month, places, districts.

    An act counts once however many items describe it; an act with no known month or place
    is counted in ``acts`` and left out of the span, never guessed.
    """
    unique = {f.act_id: f for f in facts}
    months = sorted(f.month for f in unique.values() if f.month)
    districts = Counter(f.district_id for f in unique.values() if f.district_id)
    return Span(first_month=months[0] if months else None,
                last_month=months[-1] if months else None, dated=len(months),
                places=len({f.place_id for f in unique.values() if f.place_id}),
                districts=len(districts),
                top_districts=tuple(sorted(districts.items(), key=lambda kv: (-kv[1], kv[0]))[:3]),
                acts=len(unique))


@dataclass(frozen=True)
class ElementBrief:
    """What the brief's paragraph on one element says, as numbers."""

    summary: ElementSummary
    origins: int  # independent origins of the supporting items
    by_status: tuple[tuple[str, int], ...]  # vetting status -> supporting items, ladder order
    vetted: int
    confirmed: int
    disputed: int
    span: Span
    undermining: tuple[Strong, ...]  # the strongest undermining items (at most 3)
    undermining_origins: int


def element_brief(summary: ElementSummary, *, statuses: Mapping[str, str],
                  facts: Mapping[str, Sequence[ActFact]],
                  grades: Grades | None = None) -> ElementBrief:
    """Condense one element for the brief's paragraph.

    Args:
        summary: the element's summary (:func:`summarise`).
        statuses: item id -> vetting status (an item missing here is ``recorded``).
        facts: item id -> the pattern facts of the acts it describes (an act: itself; a
            report: the acts it tells of; evidence: none).
        grades: as for :func:`summarise`, to rank undermining acts by their best report.
    """
    row = summary.row
    supporting = {e.item_id for e in row.supporting}
    status = Counter(statuses.get(uid, "recorded") for uid in supporting)
    return ElementBrief(
        summary=summary, origins=row.independent_origins,
        by_status=tuple((s, status[s]) for s in vetting.STATUSES if status[s]),
        vetted=status["vetted"], confirmed=status["confirmed"], disputed=status["disputed"],
        span=span_of(f for uid in sorted(supporting) for f in facts.get(uid, ())),
        undermining=strongest(row.undermining, grades=grades),
        undermining_origins=row.undermining_origins)
