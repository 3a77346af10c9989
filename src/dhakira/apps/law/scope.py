"""Which acts fall within a charge's scope, and their facts for the pattern summary.

Scope is inclusive where the record is imprecise: an act whose dates are unknown, or whose
bounds overlap the charge's range, stays in scope; nothing is dropped by inventing precision.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from dhakira.apps.dossier.models import Act, Event, Place, Unit
from dhakira.apps.law.models import Charge
from dhakira.core.ids import ACT, PLACE, UNIT
from dhakira.core.law import ActFact
from dhakira.core.vocabularies import GROUND_TAGS, load


def descendants(model: type[Place] | type[Unit], roots: Iterable[int]) -> set[int]:
    """Return the primary keys of ``roots`` and everything below them (via ``parent``)."""
    found = set(roots)
    frontier = set(found)
    while frontier:
        frontier = set(model.objects.filter(parent_id__in=frontier)
                       .values_list("pk", flat=True)) - found
        found |= frontier
    return found


def ground_tags_of(codes: Iterable[str]) -> frozenset[str]:
    """Return the ground tags of grounds codes.

    A code of the grounds vocabulary gives its tags; a bare ground tag (``sexual_orientation``)
    stands for itself, so records written by batch imports that store tags still count.
    """
    vocabulary = load("grounds")
    tags: set[str] = set()
    for code in codes:
        if code in vocabulary:
            tags.update(vocabulary.get(code).ground_tags)
        elif code in GROUND_TAGS:
            tags.add(code)
    return frozenset(tags)


def _bounds(act: Act) -> tuple[date | None, date | None]:
    return (act.date_earliest or act.event.date_earliest, act.date_latest or act.event.date_latest)


def _in_dates(act: Act, start: date | None, end: date | None) -> bool:
    earliest, latest = _bounds(act)
    if start and latest and latest < start:
        return False
    return not (end and earliest and earliest > end)


def _scoped(charge: Charge) -> QuerySet[Act]:
    """The charge's acts filtered in SQL by place and perpetrators (dates and grounds: Python)."""
    acts = Act.objects.order_by("pk")
    place_pks = [p.pk for p in charge.places.all()]
    if place_pks:
        inside = descendants(Place, place_pks)
        acts = acts.filter(Q(place_id__in=inside) | Q(place__isnull=True, event__place_id__in=inside))
    persons = [p.pk for p in charge.perpetrators.all()]
    units = [u.pk for u in charge.units.all()]
    if persons or units:
        acts = acts.filter(Q(involvements__perpetrator_id__in=persons)
                           | Q(involvements__unit_id__in=descendants(Unit, units))).distinct()
    return acts


_CHUNK = 500  # act ids per IN (...): well below every backend's limit on bound parameters


def _own_dates(acts: QuerySet[Any, Any], start: date | None, end: date | None) -> QuerySet[Any, Any]:
    """``acts`` in the dates ``start``..``end``, read through indexes: an act's own date, or,
    for an act without one, its event's (a superset only where a date is half known).

    Each side is an index range on the act's own date or, for the few acts without one, on
    their events' dates: without this, every act of a charge's places was read (and its
    event joined) to find those of its days.
    """
    if start:
        events = Event.objects.filter(Q(date_latest__isnull=True) | Q(date_latest__gte=start))
        acts = acts.filter(Q(date_latest__gte=start)
                           | Q(date_latest__isnull=True, event__in=events.values("pk")))
    if end:
        events = Event.objects.filter(Q(date_earliest__isnull=True) | Q(date_earliest__lte=end))
        acts = acts.filter(Q(date_earliest__lte=end)
                           | Q(date_earliest__isnull=True, event__in=events.values("pk")))
    return acts


def acts_in_scope(charge: Charge) -> list[Act]:
    """Return the charge's acts: place (with places inside), dates, perpetrators, grounds.

    Args:
        charge: the charge; an empty part of its scope does not restrict.

    Returns:
        Acts ordered by primary key, with event, place and involvements loaded.
    """
    pks = list(_own_dates(_scoped(charge), charge.date_from, charge.date_to)
               .values_list("pk", flat=True))
    wanted = frozenset(charge.ground_tags or [])
    kept = []
    # Loaded by chunks: a prefetch names every act in one IN (...), which a scope of a
    # whole governorate at a million reports took past SQLite's limit on bound values.
    for start in range(0, len(pks), _CHUNK):
        acts = (Act.objects.filter(pk__in=pks[start:start + _CHUNK]).order_by("pk")
                .select_related("event", "place")
                .prefetch_related("involvements", "involvements__perpetrator__memberships"))
        kept += [act for act in acts
                 if _in_dates(act, charge.date_from, charge.date_to)
                 and (not wanted or ground_tags_of(act.grounds or []) & wanted)]
    return kept


def _month(act: Act) -> str | None:
    earliest, latest = _bounds(act)
    if earliest and latest and (earliest.year, earliest.month) == (latest.year, latest.month):
        return f"{earliest.year:04d}-{earliest.month:02d}"
    return None  # a date known only to a season or a year has no month: never guess one


def _districts() -> dict[int, int | None]:
    rows = {pk: (parent, kind) for pk, parent, kind in
            Place.objects.values_list("pk", "parent_id", "kind")}
    out: dict[int, int | None] = {}
    for pk in rows:
        node: int | None = pk
        while node is not None and rows[node][1] != "district":
            node = rows[node][0]
        out[pk] = node
    return out


def _unit_uid(act: Act) -> str | None:
    involvements = sorted(act.involvements.all(), key=lambda i: i.pk)
    for inv in involvements:
        if inv.unit_id:
            return UNIT.format(inv.unit_id)
    for inv in involvements:
        if inv.perpetrator_id:
            memberships = sorted(inv.perpetrator.memberships.all(), key=lambda m: m.pk)
            if memberships:
                return UNIT.format(memberships[0].unit_id)
    return None


def act_facts(acts: Iterable[Act]) -> list[ActFact]:
    """Return the pattern facts of acts; unknown values stay ``None``."""
    districts = _districts()
    facts = []
    for act in acts:
        place_pk = act.place_id or act.event.place_id
        district = districts.get(place_pk) if place_pk else None
        facts.append(ActFact(
            act_id=act.uid, act_type=act.act_type, month=_month(act),
            place_id=PLACE.format(place_pk) if place_pk else None,
            district_id=PLACE.format(district) if district else None,
            method=act.method or None, ground=(act.grounds or [None])[0],
            unit_id=_unit_uid(act), public_setting=act.public_setting, announced=act.announced))
    return facts


_FACT_FIELDS = ("pk", "act_type", "method", "grounds", "public_setting", "announced",
                "earliest", "latest", "where")


def scope_facts(charge: Charge) -> list[ActFact]:
    """The pattern facts of the charge's acts, as ``act_facts(acts_in_scope(charge))`` gives.

    The same scope and the same facts, read as plain rows (three queries whatever the size)
    instead of model instances with their involvements prefetched: the pattern page's cost.
    """
    start, end = charge.date_from, charge.date_to
    wanted = frozenset(charge.ground_tags or [])
    scoped = _scoped(charge)
    rows = (scoped
            .annotate(earliest=Coalesce("date_earliest", "event__date_earliest"),
                      latest=Coalesce("date_latest", "event__date_latest"),
                      where=Coalesce("place_id", "event__place_id"))
            .values_list(*_FACT_FIELDS))
    # Narrowed in SQL first (a superset: nulls kept, grounds matched as text), exactly below.
    rows = _own_dates(rows, start, end)
    if start:
        rows = rows.filter(Q(latest__isnull=True) | Q(latest__gte=start))
    if end:
        rows = rows.filter(Q(earliest__isnull=True) | Q(earliest__lte=end))
    if wanted:
        rows = rows.filter(_grounds_prefilter(wanted))
    tags: dict[tuple[str, ...], frozenset[str]] = {}
    kept = []
    for row in rows:
        earliest, latest, grounds = row[6], row[7], tuple(row[3] or ())
        if (start and latest and latest < start) or (end and earliest and earliest > end):
            continue
        if wanted:
            if grounds not in tags:
                tags[grounds] = ground_tags_of(grounds)
            if not tags[grounds] & wanted:
                continue
        kept.append(row)
    units = _units_by_act({row[0] for row in kept})
    districts = _districts()
    facts = []
    for pk, act_type, method, grounds, public, announced, earliest, latest, where in kept:
        month = (f"{earliest.year:04d}-{earliest.month:02d}" if earliest and latest
                 and (earliest.year, earliest.month) == (latest.year, latest.month) else None)
        district = districts.get(where) if where else None
        unit = units.get(pk)
        facts.append(ActFact(
            act_id=ACT.format(pk), act_type=act_type, month=month,
            place_id=PLACE.format(where) if where else None,
            district_id=PLACE.format(district) if district else None,
            method=method or None, ground=(grounds or [None])[0],
            unit_id=UNIT.format(unit) if unit else None, public_setting=public, announced=announced))
    return facts


def _grounds_prefilter(wanted: frozenset[str]) -> Q:
    """Acts whose stored grounds mention a code carrying one of ``wanted`` (or a bare tag)."""
    vocabulary = load("grounds")
    codes = {term.code for term in vocabulary.terms if set(term.ground_tags) & wanted} | wanted
    query = Q(pk__in=[])
    for code in sorted(codes):
        query |= Q(grounds__icontains=f'"{code}"')
    return query


def _units_by_act(act_pks: set[int]) -> dict[int, int]:
    """Act pk -> the unit of :func:`_unit_uid`: its first involvement naming a unit, else the
    first unit of its first involved perpetrator who has one (first by primary key)."""
    from dhakira.apps.dossier.models import Involvement, UnitMembership

    direct: dict[int, int] = {}
    people: dict[int, list[int]] = {}
    rows: list[tuple[int, int | None, int | None, int]] = []
    # The kept acts' own involvements, by chunks of ids: the scope before the dates and
    # grounds were checked can hold every act of a governorate.
    ordered = sorted(act_pks)
    for start in range(0, len(ordered), _CHUNK):
        rows += (Involvement.objects.filter(act_id__in=ordered[start:start + _CHUNK])
                 .values_list("act_id", "unit_id", "perpetrator_id", "pk"))
    for act_id, unit_id, person_id, _pk in sorted(rows, key=lambda row: row[3]):
        if unit_id:
            direct.setdefault(act_id, unit_id)
        elif person_id:
            people.setdefault(act_id, []).append(person_id)
    first_unit: dict[int, int] = {}
    wanted = {p for persons in people.values() for p in persons}
    for person_id, unit_id in (UnitMembership.objects.filter(person_id__in=wanted).order_by("pk")
                               .values_list("person_id", "unit_id")):
        first_unit.setdefault(person_id, unit_id)
    for act_id, persons in people.items():
        if act_id not in direct:
            unit = next((first_unit[p] for p in persons if p in first_unit), None)
            if unit:
                direct[act_id] = unit
    return direct
