"""The perpetrator view: acts, roles, chain of command, and candidate modes of liability.

Modes come from :meth:`dhakira.law.Catalogue.modes_for_degree` on each involvement's degree;
the items behind a mode are the acts and the reports that describe them. A suggestion for
analysts, never a finding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dhakira.dossier.models import Act, CommandLink, Involvement, Person, Unit
from dhakira.ids import PERSON
from dhakira.law import load_catalogue

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


@dataclass
class Standing:
    """What the dossier says about one perpetrator, person or unit: their standing in it.

    (Not :class:`dhakira.dossier.models.Profile`, a user's account.)
    """

    uid: str
    involvements: list[Involvement]
    roles: list[tuple[str, str]] = field(default_factory=list)
    above: list[Link] = field(default_factory=list)
    below: list[Link] = field(default_factory=list)
    modes: list[ModeCandidate] = field(default_factory=list)


def _walk_people(person: Person, upward: bool) -> list[Link]:
    links: list[Link] = []
    seen = {person.pk}
    frontier = [person.pk]
    for depth in range(1, MAX_DEPTH + 1):
        field_from, field_to = ("subordinate_id", "superior_id") if upward else (
            "superior_id", "subordinate_id")
        rows = CommandLink.objects.filter(**{f"{field_from}__in": frontier}).select_related("unit")
        frontier = []
        for row in rows:
            other = getattr(row, field_to)
            if other in seen:
                continue
            seen.add(other)
            frontier.append(other)
            links.append(Link(depth, PERSON.format(other), PERSON.format(other),
                              row.unit.name_en if row.unit else ""))
    return links


def _walk_units(unit: Unit, upward: bool) -> list[Link]:
    links: list[Link] = []
    if upward:
        node, depth = unit.parent, 1
        while node is not None and depth <= MAX_DEPTH:
            links.append(Link(depth, node.uid, node.name_en))
            node, depth = node.parent, depth + 1
        return links
    frontier, depth = [unit], 1
    while frontier and depth <= MAX_DEPTH:
        children = list(Unit.objects.filter(parent__in=frontier).order_by("pk"))
        links += [Link(depth, c.uid, c.name_en) for c in children]
        frontier, depth = children, depth + 1
    return links


def _modes(involvements: list[Involvement], reader: Any) -> list[ModeCandidate]:
    from dhakira.dossier import access

    catalogue = load_catalogue()
    by_mode: dict[str, tuple[set[str], set[str], set[str]]] = {}
    cited = {i.uid for inv in involvements for i in inv.act.information.all()}
    readable = access.readable_uids(reader, cited)  # only reports the reader may read
    for inv in involvements:
        reports = {i.uid for i in inv.act.information.all()} & readable
        for mode_id in catalogue.modes_for_degree(inv.degree):
            degrees, acts, items = by_mode.setdefault(mode_id, (set(), set(), set()))
            degrees.add(inv.degree)
            acts.add(inv.act.uid)
            items.update(reports)
    out = []
    for mode_id, (degrees, acts, items) in by_mode.items():
        mode = catalogue.mode(mode_id)
        out.append(ModeCandidate(mode_id, mode.article, mode.name_en, mode.name_ar,
                                 tuple(sorted(degrees)), tuple(sorted(acts)), tuple(sorted(items))))
    return sorted(out, key=lambda m: m.mode_id)


def _involvements(**where: object) -> list[Involvement]:
    return list(Involvement.objects.filter(**where)
                .select_related("act", "act__event", "act__place", "unit")
                .prefetch_related("act__information").order_by("act_id", "pk"))


def person_profile(person: Person, reader: Any = None) -> Standing:
    """Return the acts, roles, chain of command and candidate modes of one person; the modes
    cite only reports ``reader`` may read (``None``: the public)."""
    involvements = _involvements(perpetrator=person)
    roles = [(m.unit.uid + " " + m.unit.name_en, m.role)
             for m in person.memberships.select_related("unit").order_by("pk")]
    return Standing(uid=person.uid, involvements=involvements, roles=roles,
                   above=_walk_people(person, True), below=_walk_people(person, False),
                   modes=_modes(involvements, reader))


def unit_profile(unit: Unit, reader: Any = None) -> Standing:
    """Return the acts, members, unit hierarchy and candidate modes of one unit; the modes
    cite only reports ``reader`` may read (``None``: the public)."""
    involvements = _involvements(unit=unit)
    roles = [(m.person.uid, m.role) for m in unit.members.select_related("person").order_by("pk")]
    return Standing(uid=unit.uid, involvements=involvements, roles=roles,
                   above=_walk_units(unit, True), below=_walk_units(unit, False),
                   modes=_modes(involvements, reader))


def perpetrators() -> tuple[list[Person], list[Unit]]:
    """Persons and units with at least one recorded involvement."""
    people = Person.objects.filter(involvements__isnull=False).distinct().order_by("pk")
    units = Unit.objects.filter(involvements__isnull=False).distinct().order_by("pk")
    return list(people[:500]), list(units)


def acts_of(profile: Standing) -> list[Act]:
    """The distinct acts of a profile, in order."""
    seen: dict[int, Act] = {}
    for inv in profile.involvements:
        seen.setdefault(inv.act_id, inv.act)
    return list(seen.values())
