"""Read mention records out of the dossier for the linkage core (victims and perpetrators)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from dhakira.apps.dossier import models as m
from dhakira.core.linkage import Mention
from dhakira.core.linkage.features import identifies

__all__ = ["ROLES", "districts", "mentions", "named"]

ROLES = ("victim", "perpetrator")
_KUNYA_KINDS = {m.NameVariant.Kind.KUNYA, m.NameVariant.Kind.ALIAS}


def districts() -> dict[int, int]:
    """place id → id of its district ancestor (or its root when it has no district)."""
    rows = {pk: (parent, kind) for pk, parent, kind in
            m.Place.objects.values_list("pk", "parent_id", "kind").iterator(chunk_size=5000)}
    out: dict[int, int] = {}
    for pk in rows:
        node = pk
        while rows[node][1] != "district" and rows[node][0] is not None:
            node = rows[node][0]
        out[pk] = node
    return out


def _names(ids: set[int]) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    full: dict[int, list[str]] = defaultdict(list)
    kunya: dict[int, list[str]] = defaultdict(list)
    query = m.NameVariant.objects.order_by("pk").values_list("person_id", "text", "kind")
    for person, text, kind in query.iterator(chunk_size=20000):
        if person in ids:
            (kunya if kind in _KUNYA_KINDS else full)[person].append(text)
    return full, kunya


def named() -> set[int]:
    """Every victim whose full names name them (:func:`identifies`): not a kunya or an alias
    alone, not «مجهول». Read as a stream: only the answer is held."""
    found: set[int] = set()
    query = (m.NameVariant.objects.exclude(kind__in=_KUNYA_KINDS)
             .filter(person__in=m.Act.objects.values("victim_id")).order_by()
             .values_list("person_id", "text"))
    for person, text in query.iterator(chunk_size=20000):
        if person not in found and identifies([text]):
            found.add(person)
    return found


class _Span:
    """Date bounds, first place and units collected over a person's acts."""

    __slots__ = ("act_type", "event", "hi", "lo", "method", "place", "units")

    def __init__(self) -> None:
        self.lo: date | None = None
        self.hi: date | None = None
        self.place: int | None = None
        self.units: list[int] = []
        self.act_type = ""
        self.method = ""
        self.event: int | None = None

    def add(self, lo: date | None, hi: date | None, place: int | None, act_type: str = "",
            method: str = "", event: int | None = None) -> None:
        if lo is not None and (self.lo is None or lo < self.lo):
            self.lo = lo
        if hi is not None and (self.hi is None or hi > self.hi):
            self.hi = hi
        if self.place is None:
            self.place = place
        if not self.act_type:
            self.act_type, self.method = act_type, method
        if self.event is None:
            self.event = event


def _victim_spans() -> dict[int, _Span]:
    spans: dict[int, _Span] = defaultdict(_Span)
    query = m.Act.objects.order_by("pk").values_list("victim_id", "date_earliest",
                                                     "date_latest", "place_id", "act_type",
                                                     "method", "event_id")
    for person, lo, hi, place, act_type, method, event in query.iterator(chunk_size=20000):
        spans[person].add(lo, hi, place, act_type, method, event)
    return spans


def _sources(ids: set[int]) -> dict[int, int]:
    """person id → the source of the first report naming them."""
    out: dict[int, int] = {}
    query = (m.Information.persons.through.objects.order_by("pk")
             .values_list("person_id", "information__source_id"))
    for person, source in query.iterator(chunk_size=20000):
        if person in ids:
            out.setdefault(person, source)
    return out


def _perpetrator_spans() -> dict[int, _Span]:
    spans: dict[int, _Span] = defaultdict(_Span)
    for person, unit in m.UnitMembership.objects.values_list("person_id", "unit_id"):
        spans[person].units.append(unit)
    act_unit = dict(m.Involvement.objects.filter(unit__isnull=False)
                    .values_list("act_id", "unit_id"))
    query = (m.Involvement.objects.filter(perpetrator__isnull=False).order_by("pk")
             .values_list("perpetrator_id", "act_id", "act__date_earliest", "act__date_latest",
                          "act__place_id"))
    for person, act, lo, hi, place in query.iterator(chunk_size=20000):
        span = spans[person]
        span.add(lo, hi, place)
        if not span.units and act in act_unit:
            span.units.append(act_unit[act])
    return spans


def mentions(role: str) -> list[Mention]:
    """Every mention of ``role`` ('victim' or 'perpetrator') as plain records.

    A victim mention is a Person who suffered an act; its dates, place and district come from
    its acts. A perpetrator mention is a Person named in an involvement or a unit; its unit
    is its membership, or else the unit named in the same act.

    Raises:
        ValueError: ``role`` is not one of :data:`ROLES`.
    """
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    spans = _victim_spans() if role == "victim" else _perpetrator_spans()
    ids = set(spans)
    full, kunya = _names(ids)
    sources = _sources(ids)
    district = districts()
    out = []
    people = m.Person.objects.filter(pk__in=ids) if len(ids) < 5000 else m.Person.objects.all()
    for pk, sex, age in people.order_by("pk").values_list("pk", "sex", "age").iterator(
            chunk_size=20000):
        if pk not in ids:
            continue
        s = spans[pk]
        out.append(Mention(pk, tuple(full.get(pk, ())), tuple(kunya.get(pk, ())), sex or "",
                           age, s.lo, s.hi, s.place,
                           None if s.place is None else district.get(s.place), tuple(s.units),
                           s.act_type, s.method, s.event, sources.get(pk)))
    return out
