"""A link run written by hand (no Splink): its clusters given as lists of person ids."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from dhakira.apps.linkage.models import LinkRun
from dhakira.core.linkage.resolve import LEVELS, ClusterTable, sensitivity_thresholds

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def stored_run(chosen: Sequence[Sequence[int]], role: str = "victim",
               **other: Sequence[Sequence[int]]) -> LinkRun:
    """A run whose clusters are ``chosen`` (and ``looser=`` / ``stricter=`` when given)."""
    groups = {"chosen": chosen, **other}
    levels = {name: {p: min(g) for g in groups.get(name, chosen) for p in g} for name in LEVELS}
    return LinkRun.objects.create(role=role, settings_json={}, version="test", started_at=T0,
                                  started_by="rana", thresholds=sensitivity_thresholds(0.99),
                                  clusters=ClusterTable.build(levels).to_bytes())
