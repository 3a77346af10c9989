"""The perpetrator view: acts, roles, chain of command, and candidate modes of liability.

Modes come from :meth:`dhakira.core.law.Catalogue.modes_for_degree` on each involvement's degree;
the items behind a mode are the acts and the reports that describe them. A suggestion for
analysts, never a finding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef

from dhakira.apps.dossier.models import Act, CommandLink, Involvement, Person, Unit
from dhakira.core.ids import ACT, PERSON, REPORT, UNIT
from dhakira.core.law import load_catalogue

# Unit names are read in the request's language (``str(unit)``, dossier.models.in_reader_language):
# the profile is built inside the request, never cached across languages.

MAX_DEPTH = 6  # a chain of command deeper than this is cut, not followed for ever


@dataclass(frozen=True)
class ModeCandidate:
    """A mode of liability suggested by the degrees of involvement recorded."""

    mode_id: str
    article: str
    name_en: str
    name_ar: str
    degrees: tuple[str, ...]
    act_uids: tuple[str, ...]
    item_uids: tuple[str, ...]


@dataclass(frozen=True)
class Link:
    """One step in a chain of command: depth 1 is the direct superior or subordinate."""

    depth: int
    uid: str
    label: str
    via_unit: str = ""


@dataclass(frozen=True)
class InvolvementRow:
    """One involvement as the page shows it: plain values, not model instances (a
    perpetrator may have hundreds of acts, and building models cost most of the page)."""

    act_pk: int
    act_type: str
    method: str
    date_text: str
    degree: str
    certainty: str
    reports: tuple[str, ...]

    @property
    def act_uid(self) -> str:
        return ACT.format(self.act_pk)

    @property
    def certainty_label(self) -> str:
        return str(_CERTAINTY.get(self.certainty, self.certainty))


_CERTAINTY = dict(Involvement._meta.get_field("certainty").choices or ())


@dataclass
class Standing:
    """What the dossier says about one perpetrator, person or unit: their standing in it.

    (Not :class:`dhakira.apps.dossier.models.Profile`, a user's account.)
    """

    uid: str
    involvements: list[InvolvementRow]
    roles: list[tuple[str, str]] = field(default_factory=list)
    above: list[Link] = field(default_factory=list)
    below: list[Link] = field(default_factory=list)
    modes: list[ModeCandidate] = field(default_factory=list)


def _unit_names() -> dict[int, str]:
    """Unit pk -> its name in the request's language (a dossier has tens of units)."""
    return {u.pk: str(u) for u in Unit.objects.only("name_en", "name_ar")}


def _walk_people(person: Person, upward: bool, units: dict[int, str]) -> list[Link]:
    links: list[Link] = []
    seen = {person.pk}
    frontier = [person.pk]
    field_from, field_to = ("subordinate_id", "superior_id") if upward else (
        "superior_id", "subordinate_id")
    for depth in range(1, MAX_DEPTH + 1):
        if not frontier:
            break
        rows = CommandLink.objects.filter(**{f"{field_from}__in": frontier}).order_by(
            "pk").values_list(field_to, "unit_id")
        frontier = []
        for other, unit_id in rows:
            if other in seen:
                continue
            seen.add(other)
            frontier.append(other)
            links.append(Link(depth, PERSON.format(other), PERSON.format(other),
                              units.get(unit_id, "") if unit_id else ""))
    return links


def _walk_units(unit: Unit, upward: bool) -> list[Link]:
    links: list[Link] = []
    if upward:
        node, depth = unit.parent, 1
        while node is not None and depth <= MAX_DEPTH:
            links.append(Link(depth, node.uid, str(node)))
            node, depth = node.parent, depth + 1
        return links
    frontier, depth = [unit], 1
    while frontier and depth <= MAX_DEPTH:
        children = list(Unit.objects.filter(parent__in=frontier).order_by("pk"))
        links += [Link(depth, c.uid, str(c)) for c in children]
        frontier, depth = children, depth + 1
    return links


def _modes(involvements: list[InvolvementRow], reader: Any) -> list[ModeCandidate]:
    from dhakira.apps.dossier import access

    catalogue = load_catalogue()
    by_mode: dict[str, tuple[set[str], set[str], set[str]]] = {}
    cited = {uid for inv in involvements for uid in inv.reports}
    readable = access.readable_uids(reader, cited)  # only reports the reader may read
    for inv in involvements:
        reports = set(inv.reports) & readable
        for mode_id in catalogue.modes_for_degree(inv.degree):
            degrees, acts, items = by_mode.setdefault(mode_id, (set(), set(), set()))
            degrees.add(inv.degree)
            acts.add(inv.act_uid)
            items.update(reports)
    out = []
    for mode_id, (degrees, acts, items) in by_mode.items():
        mode = catalogue.mode(mode_id)
        out.append(ModeCandidate(mode_id, mode.article, mode.name_en, mode.name_ar,
                                 tuple(sorted(degrees)), tuple(sorted(acts)), tuple(sorted(items))))
    return sorted(out, key=lambda m: m.mode_id)


def _involvements(**where: object) -> list[InvolvementRow]:
    rows = list(Involvement.objects.filter(**where).order_by("act_id", "pk").values_list(
        "act_id", "act__act_type", "act__method", "act__date_text", "degree", "certainty"))
    told: dict[int, list[str]] = {}
    through = Act.information.through
    # The acts as a subquery, not a list of ids: a perpetrator with thousands of acts made
    # an IN (...) of thousands of values, each prepared by Django.
    acts = Involvement.objects.filter(**where).values("act_id")
    for act_id, info_id in through.objects.filter(act_id__in=acts).order_by(
            "information_id").values_list("act_id", "information_id"):
        told.setdefault(act_id, []).append(REPORT.format(info_id))
    return [InvolvementRow(act, act_type, method or "", date_text or "", degree, certainty,
                           tuple(told.get(act, ())))
            for act, act_type, method, date_text, degree, certainty in rows]


def person_profile(person: Person, reader: Any = None) -> Standing:
    """Return the acts, roles, chain of command and candidate modes of one person; the modes
    cite only reports ``reader`` may read (``None``: the public)."""
    involvements = _involvements(perpetrator=person)
    units = _unit_names()
    roles = [(f"{UNIT.format(unit_id)} {units.get(unit_id, '')}", role)
             for unit_id, role in person.memberships.order_by("pk").values_list("unit_id", "role")]
    return Standing(uid=person.uid, involvements=involvements, roles=roles,
                   above=_walk_people(person, True, units), below=_walk_people(person, False, units),
                   modes=_modes(involvements, reader))


def unit_profile(unit: Unit, reader: Any = None) -> Standing:
    """Return the acts, members, unit hierarchy and candidate modes of one unit; the modes
    cite only reports ``reader`` may read (``None``: the public)."""
    involvements = _involvements(unit=unit)
    roles = [(PERSON.format(person_id), role) for person_id, role
             in unit.members.order_by("pk").values_list("person_id", "role")]
    return Standing(uid=unit.uid, involvements=involvements, roles=roles,
                   above=_walk_units(unit, True), below=_walk_units(unit, False),
                   modes=_modes(involvements, reader))


def perpetrators(limit: int = 500) -> tuple[list[int], list[Unit]]:
    """The pks of the first ``limit`` persons with at least one recorded involvement, and
    every such unit.

    The persons are read by jumping along the involvement index from one perpetrator to the
    next (one seek each), not by reading it whole: at a million reports a perpetrator has
    hundreds of involvements, and a DISTINCT over them read a quarter of a million rows.
    """
    table = connection.ops.quote_name(Involvement._meta.db_table)
    column = connection.ops.quote_name(Involvement._meta.get_field("perpetrator").column)
    sql = (f"WITH RECURSIVE p(id) AS (SELECT MIN({column}) FROM {table} "
           f"UNION ALL SELECT (SELECT MIN({column}) FROM {table} WHERE {column} > p.id) "
           f"FROM p WHERE p.id IS NOT NULL) SELECT id FROM p WHERE id IS NOT NULL LIMIT %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [limit])
        people = [int(row[0]) for row in cursor.fetchall()]
    # One index seek per unit (a few dozen), not a read of every involvement naming a unit.
    units = Unit.objects.filter(Exists(Involvement.objects.filter(unit_id=OuterRef("pk")))
                                ).order_by("pk")
    return people, list(units)
