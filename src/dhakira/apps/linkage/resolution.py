"""Who is the same person: the one answer every reader uses.

:func:`resolve` starts from the latest link run's clusters of a role (stored per run at three
thresholds, see :func:`dhakira.core.linkage.resolve.sensitivity_thresholds`) and applies every
reviewer's decision on top, including those made after the run, by
:func:`dhakira.core.linkage.resolve.apply_decisions`: an accepted pair or an active link joins,
a rejected pair or a split separates, whatever the model said. ``CandidatePair`` decisions
and ``PersonLink`` rows stay the reviewers' record; counting, the consent gate, the
disclosure log, packages and the person page all read people through this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from dhakira.apps.dossier.models import Act, Involvement, UnitMembership
from dhakira.apps.linkage.models import AUTO_LINKED, CandidatePair, LinkRun, PersonLink, Status
from dhakira.core.linkage.resolve import LEVELS, ClusterTable, apply_decisions, edges_between

__all__ = ["LEVELS", "Resolution", "also_recorded_as", "latest_run", "resolve", "told_apart"]

Pair = tuple[int, int]
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Resolution:
    """Person id → resolved id, and where that answer came from.

    Attributes:
        role: ``victim`` or ``perpetrator``.
        level: ``chosen``, ``looser`` or ``stricter``.
        run: the link run's uid (``R-00001``), or '' when no run exists (decisions only).
        run_id: its primary key (None without a run).
        threshold: the match probability its clusters were cut at (None without a run).
        decisions: review decisions applied (accepted and rejected pairs, links and splits).
        stale: whether the dossier holds mentions of the role newer than the run; None
            when not checked (a resolution restricted to a few persons).
        mapping: person id → resolved id (the smallest person id of the person) for every
            mention the run or a decision covers; others are people of their own.
    """

    role: str
    level: str
    run: str
    run_id: int | None
    threshold: float | None
    decisions: int
    stale: bool | None
    mapping: Mapping[int, int] = field(hash=False, repr=False)

    def of(self, person_id: int) -> int:
        """The resolved id of a mention (itself when nothing joins it)."""
        return self.mapping.get(person_id, person_id)

    def members(self, person_id: int) -> frozenset[int]:
        """Every mention resolved to the same person as ``person_id`` (itself included)."""
        return frozenset({person_id} | self._groups.get(self.of(person_id), frozenset()))

    @cached_property
    def _groups(self) -> dict[int, frozenset[int]]:
        """Resolved id -> its mentions, made once: a scan of the whole mapping per call made
        the consent gate of a wide selection (3,443 persons) take seconds."""
        groups: dict[int, set[int]] = {}
        for person, resolved in self.mapping.items():
            groups.setdefault(resolved, set()).add(person)
        return {resolved: frozenset(people) for resolved, people in groups.items()}

    @property
    def label(self) -> str:
        """Where the answer came from, in a few words (stored with an estimate, in English:
        the Counting page says it again in the reader's language from :meth:`linkage`)."""
        if not self.run:
            return f"review decisions only ({self.decisions:,})"
        decisions = "decision" if self.decisions == 1 else "decisions"
        return (f"linkage {self.run} at p ≥ {self.threshold:.4g}, {self.decisions:,} review "
                f"{decisions}" + (", older than the newest mention" if self.stale else ""))

    def linkage(self) -> dict[str, Any]:
        """The run, its threshold, the decisions applied and staleness, as JSON-ready data."""
        return {"run": self.run, "threshold": self.threshold, "decisions": self.decisions,
                "stale": self.stale}


def latest_run(role: str = "victim") -> LinkRun | None:
    """The newest link run of ``role`` that stored its clusters, or None."""
    return LinkRun.objects.filter(role=role).exclude(clusters=b"").first()


def _decisions(role: str, reviewed_only: bool = False) -> dict[Pair, tuple[datetime, bool]]:
    """Unordered pair → (when, accepted?) of the latest decision on it: the review queue's
    decisions on the role's runs, and links made or split outside it (latest wins); with
    ``reviewed_only``, not the joins a link run made itself (``auto_link``)."""
    events: list[tuple[datetime, int, Pair, bool]] = []
    decided = (CandidatePair.objects.filter(run__role=role)
               .filter(status__in=[Status.ACCEPTED, Status.REJECTED]))
    if reviewed_only:
        decided = decided.exclude(reason__startswith=AUTO_LINKED)
    decided = decided.values_list("decided_at", "pk", "left_id", "right_id", "status")
    for when, pk, a, b, status in decided.order_by():
        events.append((when or _EPOCH, pk, (min(a, b), max(a, b)), status == Status.ACCEPTED))
    # Links from the queue are recorded by their pair; links made elsewhere (the person
    # page, intake) join while active, and separate once split.
    links = (PersonLink.objects.filter(pair__isnull=True)
             .values_list("created_at", "ended_at", "active", "pk", "person_id", "canonical_id"))
    for made, ended, active, pk, a, b in links.order_by():
        key = (min(a, b), max(a, b))
        events.append((made, -pk, key, True))
        if not active and ended is not None:
            events.append((ended, -pk, key, False))
    latest: dict[Pair, tuple[datetime, bool]] = {}
    for when, _pk, key, ok in sorted(events, key=lambda e: (e[0], e[1])):
        latest[key] = (when, ok)
    return latest


def _mentions_query(role: str) -> Any:
    if role == "victim":
        return Act.objects.values_list("victim_id", flat=True)
    return Involvement.objects.filter(perpetrator__isnull=False).values_list(
        "perpetrator_id", flat=True)


def _stale(table: ClusterTable, role: str) -> bool:
    """Whether a mention of ``role`` exists that the run did not cluster."""
    if role == "victim":
        ids = Act.objects.values_list("victim_id", flat=True).distinct().order_by()
        return not table.covers(ids.iterator(chunk_size=20000))
    perps = (Involvement.objects.filter(perpetrator__isnull=False)
             .values_list("perpetrator_id", flat=True).distinct().order_by())
    members = UnitMembership.objects.values_list("person_id", flat=True).distinct().order_by()
    return not (table.covers(perps.iterator(chunk_size=20000))
                and table.covers(members.iterator(chunk_size=20000)))


def _closure(table: ClusterTable | None, persons: set[int], level: str,
             decided: Mapping[Pair, tuple[datetime, bool]]) -> dict[int, int]:
    """The base clusters of every mention ``persons`` can be joined to, by clusters or by
    accepted decisions (resolving only them gives the answer a full resolution gives)."""
    accepted: dict[int, set[int]] = {}
    for (a, b), (_when, ok) in decided.items():
        if ok:
            accepted.setdefault(a, set()).add(b)
            accepted.setdefault(b, set()).add(a)
    base: dict[int, int] = {}
    todo = set(persons)
    while todo:
        found = table.around(todo, level) if table is not None else {}
        for p in todo:
            found.setdefault(p, p)  # a mention the run never saw is a person of its own
        base.update(found)
        todo = {q for p in found for q in accepted.get(p, ()) if q not in base}
    return base


def _broken(base: Mapping[int, int], rejected: Iterable[Pair]) -> set[int]:
    """The mentions of every cluster that holds both ends of a rejected pair."""
    clusters = {base[a] for a, b in rejected if a in base and base.get(b) == base[a]}
    return {p for p, c in base.items() if c in clusters}


def _edges(run: LinkRun | None, threshold: float | None,
           people: set[int]) -> list[tuple[int, int, float]]:
    """The run's model pairs at or above ``threshold`` between ``people`` (pending or
    unsure: decided pairs come in as decisions)."""
    if run is None or threshold is None or not people:
        return []
    if run.edges:  # every scored pair the run kept, not only the ones queued for review
        return edges_between(bytes(run.edges), people, threshold)
    rows = CandidatePair.objects.filter(run=run, probability__gte=threshold,
                                        status__in=[Status.PENDING, Status.UNSURE])
    if len(people) < 5000:
        rows = rows.filter(left_id__in=people, right_id__in=people)
    found = rows.values_list("left_id", "right_id", "probability").order_by()
    return [(a, b, p) for a, b, p in found if a in people and b in people]


def resolve(role: str = "victim", level: str = "chosen", *,
            persons: Iterable[int] | None = None, reviewed_only: bool = False) -> Resolution:
    """Who is the same person, for ``role``: the latest run's clusters plus every decision.

    Args:
        role: ``victim`` or ``perpetrator``.
        level: ``chosen`` (the run's cluster threshold), ``looser`` or ``stricter``.
        persons: restrict the answer to these mentions and everyone resolved with them
            (the consent gate, the person page); None resolves every mention.
        reviewed_only: the reviewers' decisions alone, without the model's clusters: what
            a person's own word may be read from (the consent gate lets a grant pass only
            across a join a person made; the model's joins may block, never grant).

    Returns:
        The resolution. Without a link run it holds the reviewers' decisions only
        (``run`` is ''): counting refuses it, the consent gate still uses it.

    Raises:
        ValueError: an unknown role or level.
    """
    if role not in ("victim", "perpetrator"):
        raise ValueError(f"role must be victim or perpetrator, not {role!r}")
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    run = None if reviewed_only else latest_run(role)
    table = ClusterTable.from_bytes(bytes(run.clusters)) if run is not None else None
    decided = _decisions(role, reviewed_only)
    if persons is None:
        base = table.mapping(level) if table is not None else {}
    else:
        base = _closure(table, set(persons), level, decided)
    threshold = run.thresholds[level] if run is not None else None
    ordered = sorted(decided.items(), key=lambda kv: kv[1][0])
    if persons is not None:
        ordered = [(k, v) for k, v in ordered if k[0] in base or k[1] in base]
    accepted = [k for k, (_w, ok) in ordered if ok]
    rejected = [k for k, (_w, ok) in ordered if not ok]
    edges = _edges(run, threshold, _broken(base, rejected))
    mapping = apply_decisions(base, edges, accepted, rejected)
    return Resolution(role=role, level=level, run=str(run) if run else "",
                      run_id=run.pk if run else None, threshold=threshold,
                      decisions=len(ordered),
                      stale=None if persons is not None else (
                          table is not None and _stale(table, role)),
                      mapping=mapping)


def told_apart(person_id: int, roles: tuple[str, ...] = ("victim", "perpetrator")) -> set[int]:
    """The mentions a reviewer decided are not ``person_id``'s person: the other end of a
    rejected pair or of a split link, unless a later decision joined them again (the latest
    decision on each pair, as :func:`resolve` reads them)."""
    apart: set[int] = set()
    for role in roles:
        for (a, b), (_when, joined) in _decisions(role).items():
            if person_id in (a, b) and not joined:
                apart.add(b if a == person_id else a)
    return apart


def also_recorded_as(person_id: int,
                     roles: tuple[str, ...] = ("victim", "perpetrator")) -> list[int]:
    """The other mentions resolved to the same person as ``person_id`` (as a victim or as a
    perpetrator), in id order."""
    found: set[int] = set()
    for role in roles:
        found |= resolve(role, persons=[person_id]).members(person_id)
    return sorted(found - {person_id})
