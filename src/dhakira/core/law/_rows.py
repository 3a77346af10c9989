"""Building proof-matrix rows (private to :mod:`dhakira.core.law.matrix`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from dhakira.core.law._lineage import root_origins
from dhakira.core.law.catalogue import Catalogue, Crime, Element
from dhakira.core.law.errors import InvalidAssessmentError, InvalidItemError
from dhakira.core.law.matrix import (
    GAP_NONE,
    GAP_SINGLE_ORIGIN,
    Assessment,
    Charge,
    Item,
    MatrixRow,
    ProofMatrix,
    RowEntry,
)

RULE_63_4_NOTE = (
    "Informational only: ICC Rule 63(4) bars any legal requirement of corroboration, in "
    "particular for sexual violence; a single origin does not block this element."
)
SINGLE_ORIGIN_NOTE = (
    "One independent origin: fact-finding practice seeks corroboration from an origin that "
    "does not derive from it."
)
NONE_NOTE = "No supporting item has been assessed against this element."


def build_rows(
    crime: Crime, catalogue: Catalogue, items: list[Item], assessments: list[Assessment]
) -> tuple[MatrixRow, ...]:
    """Return one row per element of ``crime``, own elements first, then contextual."""
    by_id = _index_items(items)
    for assessment in assessments:
        catalogue.element(assessment.element_id)  # raises UnknownElementError
        if assessment.item_id not in by_id:
            raise InvalidAssessmentError(
                f"assessment cites item {assessment.item_id!r}, which was not supplied; "
                "pass every cited item in `items`"
            )
    origins = root_origins({item.id: item.derived_from for item in items})
    rows: list[MatrixRow] = []
    for element in catalogue.elements_for(crime.id):
        mine = [a for a in assessments if a.element_id == element.id]
        rows.append(_row(element, element.id in crime.contextual, mine, by_id, origins))
    return _with_requirement_gaps(rows)


def _index_items(items: list[Item]) -> dict[str, Item]:
    by_id: dict[str, Item] = {}
    for item in items:
        if item.id in by_id:
            raise InvalidItemError(f"two items share the id {item.id!r}")
        by_id[item.id] = item
    return by_id


def _row(
    element: Element,
    contextual: bool,
    assessments: list[Assessment],
    items: dict[str, Item],
    origins: dict[str, frozenset[str]],
) -> MatrixRow:
    entries = sorted(
        (_entry(a, items[a.item_id], origins[a.item_id]) for a in assessments),
        key=lambda e: (e.item_id, e.reviewed_at.isoformat(), e.reviewer),
    )
    supporting = tuple(e for e in entries if e.stance == "supports")
    undermining = tuple(e for e in entries if e.stance == "undermines")
    support_origins = _union(e.origin_ids for e in supporting)
    gap = GAP_NONE if not supporting else GAP_SINGLE_ORIGIN if len(support_origins) == 1 else None
    supporting_items = [items[i] for i in sorted({e.item_id for e in supporting})]
    return MatrixRow(
        element_id=element.id,
        element_type=element.element_type,
        article=element.article,
        text_en=element.text_en,
        text_ar=element.text_ar,
        contextual=contextual,
        verify_against_official=element.verify_against_official,
        supporting=supporting,
        undermining=undermining,
        independent_origins=len(support_origins),
        origin_ids=tuple(sorted(support_origins)),
        undermining_origins=len(_union(e.origin_ids for e in undermining)),
        best_standard=max(
            (e.standard_claimed for e in supporting), key=lambda s: s.rank, default=None
        ),
        reliability_summary=_summary(i.source_reliability for i in supporting_items),
        credibility_summary=_summary(i.credibility for i in supporting_items),
        gap=gap,
        gap_informational=gap == GAP_SINGLE_ORIGIN and not element.corroboration_required,
        corroboration_required=element.corroboration_required,
        note=_note(gap, element.corroboration_required),
        requires=element.requires,
    )


def _entry(assessment: Assessment, item: Item, origins: frozenset[str]) -> RowEntry:
    return RowEntry(
        item_id=item.id,
        kind=item.kind,
        stance=assessment.stance,
        standard_claimed=assessment.standard_claimed,
        reviewer=assessment.reviewer,
        reviewed_at=assessment.reviewed_at,
        note=assessment.note,
        source_reliability=item.source_reliability,
        credibility=item.credibility,
        sha256=item.sha256,
        origin_ids=tuple(sorted(origins)),
    )


def _union(groups: Iterable[tuple[str, ...]]) -> set[str]:
    out: set[str] = set()
    for group in groups:
        out.update(group)
    return out


def _summary(values: Iterable[object]) -> tuple[tuple[str, int], ...]:
    counts = Counter("unknown" if v is None else str(v) for v in values)
    return tuple(sorted(counts.items()))


def _note(gap: str | None, corroboration_required: bool) -> str | None:
    if gap == GAP_NONE:
        return NONE_NOTE
    if gap == GAP_SINGLE_ORIGIN:
        return SINGLE_ORIGIN_NOTE if corroboration_required else RULE_63_4_NOTE
    return None if corroboration_required else RULE_63_4_NOTE


def _with_requirement_gaps(rows: list[MatrixRow]) -> tuple[MatrixRow, ...]:
    """Mark rows whose required elements (within this crime) have no support at all."""
    unsupported = {row.element_id for row in rows if row.gap == GAP_NONE}
    out = []
    for row in rows:
        missing = tuple(dep for dep in row.requires if dep in unsupported)
        out.append(replace(row, requires_with_gaps=missing) if missing else row)
    return tuple(out)


def build_matrix(
    charge: Charge,
    catalogue: Catalogue,
    items: Iterable[Item],
    assessments: Iterable[Assessment],
) -> ProofMatrix:
    """Build the proof matrix of a charge.

    Args:
        charge: the charge; its crime decides the rows.
        catalogue: the element catalogue (usually :func:`load_catalogue`).
        items: every item the assessments cite, plus any they derive from that you hold.
        assessments: assessments in the charge's scope; those on other crimes' elements
            are ignored.

    Returns:
        A :class:`ProofMatrix` with one row per element.

    Raises:
        UnknownCrimeError: if the charge's crime is not in the catalogue.
        UnknownElementError: if an assessment names an element not in the catalogue.
        UnknownGroundTagError: if the charge names an unknown ground tag.
        InvalidItemError: if two items share an id.
        InvalidAssessmentError: if an assessment cites an item that was not supplied.
    """
    crime = catalogue.crime(charge.crime_id)
    catalogue.check_ground_tags(charge.ground_tags)
    return ProofMatrix(
        charge=charge,
        crime_id=crime.id,
        crime_name_en=crime.name_en,
        crime_name_ar=crime.name_ar,
        catalogue_version=catalogue.version,
        rows=build_rows(crime, catalogue, list(items), list(assessments)),
    )
