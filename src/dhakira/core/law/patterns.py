"""Pattern indicators for "widespread or systematic" (CAH-CTX-3): counts, spread, modus operandi.

Counts are of acts as documented, not of acts that happened: documentation is uneven, so a
month or place with few acts may simply be under-documented (see ``dhakira.core.counting``).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from dhakira.core.law.errors import InvalidActFactError

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
DIMENSIONS = ("month", "place", "district", "act_type", "method", "ground", "unit")
Counts = tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class ActFact:
    """The facts of one act that pattern analysis needs. ``None`` means not known."""

    act_id: str
    act_type: str
    month: str | None = None
    place_id: str | None = None
    district_id: str | None = None
    method: str | None = None
    ground: str | None = None
    unit_id: str | None = None
    public_setting: bool | None = None
    announced: bool | None = None

    def __post_init__(self) -> None:
        if not self.act_id or not self.act_type:
            raise InvalidActFactError("an act fact needs an act_id and an act_type")
        if self.month is not None and not _MONTH.match(self.month):
            raise InvalidActFactError(
                f"act {self.act_id}: month must be 'YYYY-MM', got {self.month!r}"
            )

    def value(self, dimension: str) -> str | None:
        """Return the act's value on one of :data:`DIMENSIONS`."""
        attribute = {"place": "place_id", "district": "district_id", "unit": "unit_id"}
        return getattr(self, attribute.get(dimension, dimension))


@dataclass(frozen=True)
class ModusOperandi:
    """A repeated way of acting: same method, same stated ground, same unit."""

    method: str
    ground: str
    unit_id: str
    count: int
    act_ids: tuple[str, ...]
    public_count: int
    announced_count: int
    months: tuple[str, ...]
    place_ids: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "method": self.method,
            "ground": self.ground,
            "unit_id": self.unit_id,
            "count": self.count,
            "act_ids": list(self.act_ids),
            "public_count": self.public_count,
            "announced_count": self.announced_count,
            "months": list(self.months),
            "place_ids": list(self.place_ids),
        }


@dataclass(frozen=True)
class PatternSummary:
    """Counts and spread of a set of acts. Count tuples are sorted by count, then key;
    ``by_month`` is sorted chronologically."""

    total: int
    by_month: Counts
    by_place: Counts
    by_district: Counts
    by_act_type: Counts
    by_method: Counts
    by_ground: Counts
    by_unit: Counts
    unknown: Counts
    distinct_places: int
    distinct_districts: int
    months_with_acts: int
    first_month: str | None
    last_month: str | None
    months_in_span: int
    public_count: int
    announced_count: int
    public_share: float | None
    announced_share: float | None
    modus_operandi: tuple[ModusOperandi, ...]
    min_cluster: int

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (count tuples become lists of [key, count])."""
        out: dict[str, Any] = {}
        for name, value in self.__dict__.items():
            if name == "modus_operandi":
                out[name] = [m.to_dict() for m in value]
            elif isinstance(value, tuple):
                out[name] = [list(pair) for pair in value]
            else:
                out[name] = value
        return out


def pattern_summary(acts: Iterable[ActFact], *, min_cluster: int = 3) -> PatternSummary:
    """Summarise a set of acts for the widespread/systematic analysis.

    Args:
        acts: the acts in scope (e.g. of one charge).
        min_cluster: the smallest number of acts that makes a repeated modus operandi.

    Returns:
        A :class:`PatternSummary`. Unknown values are counted under ``unknown`` per dimension,
        never guessed.

    Raises:
        InvalidActFactError: if two acts share an id or ``min_cluster`` is below 2.
    """
    if min_cluster < 2:
        raise InvalidActFactError("min_cluster must be at least 2: one act is not a pattern")
    facts = _unique(acts)
    counters = {d: Counter(v for f in facts if (v := f.value(d)) is not None) for d in DIMENSIONS}
    unknown = Counter({d: sum(1 for f in facts if f.value(d) is None) for d in DIMENSIONS})
    months = sorted(counters["month"])
    total = len(facts)
    public = sum(1 for f in facts if f.public_setting)
    announced = sum(1 for f in facts if f.announced)
    return PatternSummary(
        total=total,
        by_month=tuple((m, counters["month"][m]) for m in months),
        by_place=_ranked(counters["place"]),
        by_district=_ranked(counters["district"]),
        by_act_type=_ranked(counters["act_type"]),
        by_method=_ranked(counters["method"]),
        by_ground=_ranked(counters["ground"]),
        by_unit=_ranked(counters["unit"]),
        unknown=tuple((d, unknown[d]) for d in DIMENSIONS if unknown[d]),
        distinct_places=len(counters["place"]),
        distinct_districts=len(counters["district"]),
        months_with_acts=len(months),
        first_month=months[0] if months else None,
        last_month=months[-1] if months else None,
        months_in_span=_span(months[0], months[-1]) if months else 0,
        public_count=public,
        announced_count=announced,
        public_share=public / total if total else None,
        announced_share=announced / total if total else None,
        modus_operandi=_clusters(facts, min_cluster),
        min_cluster=min_cluster,
    )


def _unique(acts: Iterable[ActFact]) -> list[ActFact]:
    seen: set[str] = set()
    out = []
    for act in acts:
        if act.act_id in seen:
            raise InvalidActFactError(f"act {act.act_id} appears twice; pass each act once")
        seen.add(act.act_id)
        out.append(act)
    return out


def _ranked(counter: Counter[str]) -> Counts:
    return tuple(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def _span(first: str, last: str) -> int:
    """Number of calendar months from ``first`` to ``last`` inclusive."""
    y1, m1 = map(int, first.split("-"))
    y2, m2 = map(int, last.split("-"))
    return (y2 - y1) * 12 + (m2 - m1) + 1


def _clusters(facts: list[ActFact], min_cluster: int) -> tuple[ModusOperandi, ...]:
    groups: dict[tuple[str, str, str], list[ActFact]] = defaultdict(list)
    for fact in facts:
        if fact.method and fact.ground and fact.unit_id:
            groups[(fact.method, fact.ground, fact.unit_id)].append(fact)
    clusters = [
        ModusOperandi(
            method=method,
            ground=ground,
            unit_id=unit,
            count=len(members),
            act_ids=tuple(sorted(f.act_id for f in members)),
            public_count=sum(1 for f in members if f.public_setting),
            announced_count=sum(1 for f in members if f.announced),
            months=tuple(sorted({f.month for f in members if f.month})),
            place_ids=tuple(sorted({f.place_id for f in members if f.place_id})),
        )
        for (method, ground, unit), members in groups.items()
        if len(members) >= min_cluster
    ]
    return tuple(sorted(clusters, key=lambda c: (-c.count, c.method, c.ground, c.unit_id)))
