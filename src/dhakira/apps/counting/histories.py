"""Capture histories from the dossier: which lists recorded each resolved victim.

A *victim* is a Person who is the victim of an Act reported by an Information whose source
is on a list. Linkage decides which Person rows (one per report's mention) are the same
human being; its clustering comes in as ``resolution`` (mention -> resolved id), so this
module does not depend on how or when linkage ran.

A mention that does not name the victim (a kunya or an alias alone, «مجهول») is set aside
and counted apart (``set_aside``), whatever the resolution joined it to: it cannot be told
apart from another victim of the same event, and counted as a person of its own it would add
a victim one list saw. Setting aside every such mention thins each list's captures by chance
alone, which the estimate allows; keeping only those that linkage happened to join would not
(docs/estimation.md, "Mentions without a name").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Set
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dhakira.apps.counting import texts
from dhakira.apps.counting.definitions import ListDefinition, StrataDefinition
from dhakira.apps.counting.errors import DefinitionError, ResolutionError
from dhakira.apps.dossier.models import Information, Place
from dhakira.apps.linkage.extract import named as named_persons
from dhakira.core.counting import CaptureTable
from dhakira.core.ids import PERSON

__all__ = ["UNKNOWN", "CaptureHistories", "capture_histories", "person_pk"]

UNKNOWN = "unknown"
_LIST_FIELD = {
    "network": "information__source__network",
    "organisation": "information__source__code_name",
    "material_type": "information__material_type",
    "channel": "information__channel",
}
_FIELDS = ("act__victim_id", "act__act_type", "act__date_earliest", "act__event__date_earliest",
           "act__place_id", "act__event__place_id", "act__victim__sex")


@dataclass(frozen=True)
class CaptureHistories:
    """Capture tables per stratum, and how they were made.

    Attributes:
        lists: the list names, in table order.
        tables: stratum name -> capture table (every stratum uses ``lists``).
        histories: resolved victim -> the lists that recorded them.
        stratum_of: resolved victim -> stratum name.
        mentions: victim Person rows (mentions) found on at least one list.
        unresolved: of those, mentions the resolution did not cover (each counted alone).
        set_aside: mentions on a list that do not name the victim, left out of the tables
            (not in ``mentions``).
        reports: stratum name -> the reports (primary keys) that put its victims on a list:
            what the stratum's count is made of (a report telling victims of two strata is
            in both).
    """

    lists: tuple[str, ...]
    tables: Mapping[str, CaptureTable] = field(hash=False)
    histories: Mapping[str, frozenset[str]] = field(hash=False)
    stratum_of: Mapping[str, str] = field(hash=False)
    mentions: int
    unresolved: int
    set_aside: int = 0
    reports: Mapping[str, frozenset[int]] = field(hash=False, default_factory=dict)

    @property
    def victims(self) -> int:
        """Resolved victims on at least one list."""
        return len(self.histories)


def person_pk(key: int | str) -> int:
    """Return the primary key of a Person given as ``123``, ``"123"`` or ``"P-000123"``.

    Raises:
        ResolutionError: for anything else.
    """
    try:
        return PERSON.parse_loose(str(key))
    except ValueError:
        raise ResolutionError(f"{key!r} is not a person id (use 123 or P-000123)") from None


def capture_histories(resolution: Mapping[Any, Any], lists: ListDefinition | None = None,
                      strata: StrataDefinition | None = None,
                      named: Set[int] | None = None) -> CaptureHistories:
    """Build the capture tables of the dossier's victims.

    Args:
        resolution: person id (pk, or ``"P-000123"``) -> resolved id, from linkage's
            clustering. Mentions it does not name are counted as people of their own.
        lists: what a list is (by network unless told).
        strata: how victims are split (one stratum, ``"all"``, unless told).
        named: the victims whose names name them (``extract.named()``), when already read;
            the others are set aside.

    Returns:
        The tables per stratum and the histories behind them.

    Raises:
        DefinitionError: if fewer than two lists recorded anyone.
        ResolutionError: if a person id in ``resolution`` is malformed.
    """
    lists, strata = lists or ListDefinition(), strata or StrataDefinition()
    resolved = {person_pk(k): f"c:{v}" for k, v in resolution.items()}
    seen: dict[str, set[str]] = defaultdict(set)
    values: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    mentions: set[int] = set()
    unnamed: set[int] = set()
    told_by: dict[str, set[int]] = defaultdict(set)
    districts = _district_of() if "district" in strata.by else {}
    named = named_persons() if named is None else named
    for list_value, report, person, *rest in _rows(lists):
        name = lists.list_of(list_value or "")
        if name is None:
            continue
        if person not in named:
            unnamed.add(person)
            continue
        mentions.add(person)
        victim = resolved.get(person, f"m:{person}")
        seen[victim].add(name)
        told_by[victim].add(report)
        for dim, value in _dimensions(strata, districts, *rest):
            values[victim][dim][value] += 1
    names = lists.order({n for s in seen.values() for n in s})
    if len(names) < 2:
        params = {"n": len(names), "names": list(names), "by": lists.by,
                  "others": [d for d in _LIST_FIELD if d != lists.by],
                  "set_aside": len(unnamed)}
        raise DefinitionError(texts.refusal("lists_recorded", params),
                              code="lists_recorded", params=params)
    stratum_of = {v: _stratum(strata, values[v]) for v in seen}
    histories = {v: frozenset(s) & frozenset(names) for v, s in seen.items()}
    tables = _tables(histories, stratum_of, names)
    unresolved = sum(1 for p in mentions if p not in resolved)
    reports: dict[str, set[int]] = defaultdict(set)
    for victim, history in histories.items():
        if history:  # as the tables count them
            reports[stratum_of[victim]] |= told_by[victim]
    return CaptureHistories(lists=names, tables=tables, histories=histories,
                            stratum_of=stratum_of, mentions=len(mentions), unresolved=unresolved,
                            set_aside=len(unnamed),
                            reports={s: frozenset(r) for s, r in sorted(reports.items())})


def _rows(lists: ListDefinition) -> Iterator[tuple[Any, ...]]:
    through = Information.acts.through
    query = through.objects.values_list(_LIST_FIELD[lists.by], "information_id", *_FIELDS).order_by()
    return query.iterator(chunk_size=5000)


def _dimensions(strata: StrataDefinition, districts: Mapping[int, str], act_type: str,
                act_date: date | None, event_date: date | None, act_place: int | None,
                event_place: int | None, sex: str) -> Iterable[tuple[str, str]]:
    when = act_date or event_date
    for dim in strata.by:
        if dim == "year":
            value = str(when.year) if when else UNKNOWN
        elif dim == "half_year":
            value = f"{when.year}-H{1 if when.month <= 6 else 2}" if when else UNKNOWN
        elif dim == "district":
            place = act_place or event_place
            value = districts.get(place, UNKNOWN) if place else UNKNOWN
        elif dim == "act_type":
            value = act_type or UNKNOWN
        else:
            value = sex or UNKNOWN
        yield dim, value


def _stratum(strata: StrataDefinition, values: Mapping[str, Counter[str]]) -> str:
    # A victim's reports may disagree (another year, a wrong sex) or cover several acts:
    # the value most of their reports give wins, ties to the first in sort order, so every
    # victim is in exactly one stratum and the strata add up.
    if not strata.by:
        return "all"
    parts = []
    for dim in strata.by:
        counts = values.get(dim) or Counter({UNKNOWN: 1})
        top = max(counts.values())
        parts.append(min(v for v, c in counts.items() if c == top))
    return " / ".join(parts)


def _district_of() -> dict[int, str]:
    places = {pk: (parent, kind, name) for pk, parent, kind, name in
              Place.objects.values_list("pk", "parent_id", "kind", "name_en")}
    out: dict[int, str] = {}
    for pk in places:
        node: int | None = pk
        for _ in range(len(places)):  # bounded walk: a parent cycle cannot hang us
            if node is None or node not in places:
                break
            parent, kind, name = places[node]
            if kind == "district":
                out[pk] = name
                break
            node = parent
    return out


def _tables(histories: Mapping[str, frozenset[str]], stratum_of: Mapping[str, str],
            names: tuple[str, ...]) -> dict[str, CaptureTable]:
    grouped: dict[str, list[frozenset[str]]] = defaultdict(list)
    for victim, history in histories.items():
        if history:
            grouped[stratum_of[victim]].append(history)
    return {s: CaptureTable.from_histories(grouped[s], names) for s in sorted(grouped)}
