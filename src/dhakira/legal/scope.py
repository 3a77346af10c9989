"""Which acts fall within a charge's scope, and their facts for the pattern summary.

Scope is inclusive where the record is imprecise: an act whose dates are unknown, or whose
bounds overlap the charge's range, stays in scope; nothing is dropped by inventing precision.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Q

from dhakira.dossier.models import Act, Place, Unit
from dhakira.law import ActFact
from dhakira.legal.models import Charge
from dhakira.vocabularies import GROUND_TAGS, load


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


def acts_in_scope(charge: Charge) -> list[Act]:
    """Return the charge's acts: place (with places inside), dates, perpetrators, grounds.

    Args:
        charge: the charge; an empty part of its scope does not restrict.

    Returns:
        Acts ordered by primary key, with event, place and involvements loaded.
    """
    acts = (Act.objects.select_related("event", "place")
            .prefetch_related("involvements", "involvements__perpetrator__memberships")
            .order_by("pk"))
    place_pks = [p.pk for p in charge.places.all()]
    if place_pks:
        inside = descendants(Place, place_pks)
        acts = acts.filter(Q(place_id__in=inside) | Q(place__isnull=True, event__place_id__in=inside))
    persons = [p.pk for p in charge.perpetrators.all()]
    units = [u.pk for u in charge.units.all()]
    if persons or units:
        acts = acts.filter(Q(involvements__perpetrator_id__in=persons)
                           | Q(involvements__unit_id__in=descendants(Unit, units))).distinct()
    wanted = frozenset(charge.ground_tags or [])
    return [act for act in acts
            if _in_dates(act, charge.date_from, charge.date_to)
            and (not wanted or ground_tags_of(act.grounds or []) & wanted)]


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
            return f"U-{inv.unit_id:05d}"
    for inv in involvements:
        if inv.perpetrator_id:
            memberships = sorted(inv.perpetrator.memberships.all(), key=lambda m: m.pk)
            if memberships:
                return f"U-{memberships[0].unit_id:05d}"
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
            place_id=f"PL-{place_pk:05d}" if place_pk else None,
            district_id=f"PL-{district:05d}" if district else None,
            method=act.method or None, ground=(act.grounds or [None])[0],
            unit_id=_unit_uid(act), public_setting=act.public_setting, announced=act.announced))
    return facts
