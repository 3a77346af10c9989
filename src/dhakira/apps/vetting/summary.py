"""The vetting summary of a charge: how many supporting items are vetted, confirmed,
corroborated, unconfirmed, disputed or withdrawn, per element and in all.

A report's status is its own; an act's or an evidence item's is that of the reports it comes
from (:func:`dhakira.core.vetting.combined` of its origin reports: the furthest along of those
not withdrawn).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from dhakira.apps.vetting.status import current_status
from dhakira.core import vetting
from dhakira.core.ids import REPORT
from dhakira.core.law import ProofMatrix, RowEntry

__all__ = ["ElementVetting", "as_table", "bucket_labels", "charge_summary", "item_statuses",
           "report_buckets"]


@dataclass(frozen=True)
class ElementVetting:
    """One element's supporting items by vetting bucket."""

    element_id: str
    counts: dict[str, int]


def _reports_of(entry: RowEntry) -> list[int]:
    if (pk := REPORT.pk_or_none(entry.item_id)) is not None:
        return [pk]
    return [pk for o in entry.origin_ids if (pk := REPORT.pk_or_none(o)) is not None]


def item_statuses(matrix: ProofMatrix) -> dict[str, str]:
    """Item uid -> vetting status, for every item the matrix cites."""
    # Each item once: an item cited under several elements has the same reports each time.
    reports = {e.item_id: _reports_of(e) for row in matrix.rows
               for e in (*row.supporting, *row.undermining)}
    status = current_status(pk for pks in reports.values() for pk in pks)
    return {uid: vetting.combined(status[pk] for pk in pks) for uid, pks in reports.items()}


def report_buckets(groups: Mapping[str, Iterable[int]]) -> dict[str, dict[str, int]]:
    """For each named group of reports (primary keys), how many fall in each of
    :data:`dhakira.core.vetting.BUCKETS` now; one status look-up for all the groups."""
    sets = {name: set(ids) for name, ids in groups.items()}
    status = current_status(pk for ids in sets.values() for pk in ids)
    return {name: vetting.summary(status[pk] for pk in ids) for name, ids in sets.items()}


def charge_summary(matrix: ProofMatrix) -> dict[str, Any]:
    """``{"elements": [ElementVetting…], "total": counts}``: each supporting item once per
    element, and once in the total however many elements it supports."""
    statuses = item_statuses(matrix)
    elements = [ElementVetting(row.element_id,
                               vetting.summary(statuses[i] for i in {e.item_id for e in row.supporting}))
                for row in matrix.rows]
    every = {e.item_id for row in matrix.rows for e in row.supporting}
    return {"elements": elements, "total": vetting.summary(statuses[i] for i in every),
            "statuses": statuses}


def as_table(result: dict[str, Any]) -> dict[str, Any]:
    """:func:`charge_summary` as rows of cells in the order of :data:`vetting.BUCKETS` (for
    the pages' table)."""
    return {"rows": [{"element_id": e.element_id, "cells": [e.counts[b] for b in vetting.BUCKETS]}
                     for e in result["elements"]],
            "total_cells": [result["total"][b] for b in vetting.BUCKETS], "total": result["total"]}


def bucket_labels() -> list[tuple[str, str]]:
    """The buckets with their labels in the reader's language, in the order of the cells."""
    from django.utils.translation import gettext

    from dhakira.apps.vetting.status import label

    return [(b, gettext("unconfirmed") if b == "unconfirmed" else label(b)) for b in vetting.BUCKETS]
