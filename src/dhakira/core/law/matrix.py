"""Charges and the proof matrix: per element, what supports it, what undermines it, what is missing.

Pure: the caller selects the items and assessments in the charge's scope; this module does
not filter by place or date. Undermining (possibly exculpatory) items are always listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dhakira.core.law.errors import InvalidAssessmentError, InvalidChargeError, InvalidItemError
from dhakira.core.law.standards import StandardOfProof, parse_standard

ITEM_KINDS = ("information", "evidence", "act", "document")
STANCES = ("supports", "undermines")
RELIABILITY_GRADES = ("A", "B", "C", "D", "E", "F")
GAP_NONE = "none"
GAP_SINGLE_ORIGIN = "single_origin"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Item:
    """Something an assessment can cite: an information record, evidence, an act or a document.

    ``derived_from`` names the items this one stems from (a repost from a video, a report from
    the interviews it cites); it drives the independent-origin count.
    """

    id: str
    kind: str
    derived_from: tuple[str, ...] = ()
    source_reliability: str | None = None
    credibility: int | None = None
    sha256: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "derived_from", tuple(self.derived_from))
        # The dossier stores Admiralty codes in lower case ("b") and credibility as "2";
        # the matrix shows the conventional "B" and 2.
        if isinstance(self.source_reliability, str):
            object.__setattr__(self, "source_reliability", self.source_reliability.upper())
        if isinstance(self.credibility, str) and self.credibility.isdigit():
            object.__setattr__(self, "credibility", int(self.credibility))
        if not self.id:
            raise InvalidItemError("an item needs a non-empty id")
        if self.kind not in ITEM_KINDS:
            raise InvalidItemError(f"item {self.id}: kind {self.kind!r} is not one of {ITEM_KINDS}")
        if (
            self.source_reliability is not None
            and self.source_reliability not in RELIABILITY_GRADES
        ):
            raise InvalidItemError(f"item {self.id}: source reliability must be A-F or None")
        if self.credibility is not None and self.credibility not in range(1, 7):
            raise InvalidItemError(f"item {self.id}: credibility must be 1-6 or None")
        if self.sha256 is not None and not _SHA256.match(self.sha256):
            raise InvalidItemError(f"item {self.id}: sha256 must be 64 lower-case hex digits")


@dataclass(frozen=True)
class Assessment:
    """An analyst's reviewed statement that an item supports or undermines an element."""

    item_id: str
    element_id: str
    stance: str
    standard_claimed: StandardOfProof
    reviewer: str
    reviewed_at: date
    note: str = ""

    def __post_init__(self) -> None:
        # Strings are accepted and checked here, so "beyond reasonable doubt" is refused at
        # the moment anyone tries to record it.
        object.__setattr__(self, "standard_claimed", parse_standard(self.standard_claimed))
        if self.stance not in STANCES:
            raise InvalidAssessmentError(f"stance {self.stance!r} is not one of {STANCES}")
        if not (self.reviewer or "").strip():
            raise InvalidAssessmentError(
                f"assessment of {self.item_id} against {self.element_id} needs a reviewer"
            )
        if not isinstance(self.reviewed_at, date):
            raise InvalidAssessmentError("reviewed_at must be a date (or datetime)")


@dataclass(frozen=True)
class Charge:
    """A legal analyst's charge: a crime, a scope, a victim group and perpetrators."""

    id: str
    crime_id: str
    title: str
    place_ids: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    victim_group: str = ""
    perpetrator_ids: tuple[str, ...] = ()
    ground_tags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("place_ids", "perpetrator_ids", "ground_tags"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if not self.id or not self.crime_id:
            raise InvalidChargeError("a charge needs an id and a crime_id")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InvalidChargeError(f"charge {self.id}: date_from is after date_to")

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "id": self.id,
            "crime_id": self.crime_id,
            "title": self.title,
            "place_ids": list(self.place_ids),
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "victim_group": self.victim_group,
            "perpetrator_ids": list(self.perpetrator_ids),
            "ground_tags": list(self.ground_tags),
        }


@dataclass(frozen=True)
class RowEntry:
    """One assessment in a matrix row, with the item's grading and origins."""

    item_id: str
    kind: str
    stance: str
    standard_claimed: StandardOfProof
    reviewer: str
    reviewed_at: date
    note: str
    source_reliability: str | None
    credibility: int | None
    sha256: str | None
    origin_ids: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "item_id": self.item_id,
            "kind": self.kind,
            "stance": self.stance,
            "standard_claimed": self.standard_claimed.value,
            "reviewer": self.reviewer,
            "reviewed_at": self.reviewed_at.isoformat(),
            "note": self.note,
            "source_reliability": self.source_reliability,
            "credibility": self.credibility,
            "sha256": self.sha256,
            "origin_ids": list(self.origin_ids),
        }


@dataclass(frozen=True)
class MatrixRow:
    """The proof status of one element of the charged crime."""

    element_id: str
    element_type: str
    article: str
    text_en: str
    text_ar: str
    contextual: bool
    verify_against_official: bool
    supporting: tuple[RowEntry, ...]
    undermining: tuple[RowEntry, ...]
    independent_origins: int
    origin_ids: tuple[str, ...]
    undermining_origins: int
    best_standard: StandardOfProof | None
    reliability_summary: tuple[tuple[str, int], ...]
    credibility_summary: tuple[tuple[str, int], ...]
    gap: str | None
    gap_informational: bool
    corroboration_required: bool
    note: str | None
    requires: tuple[str, ...] = ()
    requires_with_gaps: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "element_id": self.element_id,
            "element_type": self.element_type,
            "article": self.article,
            "text_en": self.text_en,
            "text_ar": self.text_ar,
            "contextual": self.contextual,
            "verify_against_official": self.verify_against_official,
            "supporting": [e.to_dict() for e in self.supporting],
            "undermining": [e.to_dict() for e in self.undermining],
            "independent_origins": self.independent_origins,
            "origin_ids": list(self.origin_ids),
            "undermining_origins": self.undermining_origins,
            "best_standard": self.best_standard.value if self.best_standard else None,
            "reliability_summary": dict(self.reliability_summary),
            "credibility_summary": dict(self.credibility_summary),
            "gap": self.gap,
            "gap_informational": self.gap_informational,
            "corroboration_required": self.corroboration_required,
            "note": self.note,
            "requires": list(self.requires),
            "requires_with_gaps": list(self.requires_with_gaps),
        }


@dataclass(frozen=True)
class ProofMatrix:
    """One row per element of the charged crime (own elements first, then contextual)."""

    charge: Charge
    crime_id: str
    crime_name_en: str
    crime_name_ar: str
    catalogue_version: str
    rows: tuple[MatrixRow, ...]

    def gaps(self) -> tuple[MatrixRow, ...]:
        """Return the rows with no supporting item or with a single independent origin."""
        return tuple(row for row in self.rows if row.gap is not None)

    def row(self, element_id: str) -> MatrixRow:
        """Return the row of one element.

        Raises:
            KeyError: if the element is not part of the charged crime.
        """
        for row in self.rows:
            if row.element_id == element_id:
                return row
        raise KeyError(element_id)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "charge": self.charge.to_dict(),
            "crime_id": self.crime_id,
            "crime_name_en": self.crime_name_en,
            "crime_name_ar": self.crime_name_ar,
            "catalogue_version": self.catalogue_version,
            "rows": [row.to_dict() for row in self.rows],
            "gaps": [row.element_id for row in self.gaps()],
        }
