"""The review queue's queries: which runs it shows, their pairs in order, counts and groups.

Each link run re-scores everything, so the queue is the latest run of each role unless a
run is asked for. Pairs come in :mod:`dhakira.apps.linkage.ordering`'s order; every page and
"next pair" computes it afresh, so a decision that merges two people reorders what follows.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum

from dhakira.apps.linkage import levels, ordering
from dhakira.apps.linkage.extract import ROLES
from dhakira.apps.linkage.models import AUTO_LINKED, CandidatePair, LinkRun, PersonLink, Status

__all__ = ["WORKING_SECONDS", "Scope", "Track", "age_gap", "alike", "alike_count", "counts", "forget",
           "in_order", "track_record",
           "next_after", "ordered", "runs", "scope", "with_records"]

DEFAULT_CLUSTER_THRESHOLD = 0.99


@dataclass(frozen=True)
class Scope:
    """The runs the queue shows, and the filters that chose them (kept in every link)."""

    runs: tuple[LinkRun, ...]
    role: str = ""
    run: int | None = None

    @property
    def run_ids(self) -> list[int]:
        return [r.pk for r in self.runs]

    def query(self) -> str:
        """The filters as a query string ('' when none)."""
        parts = ([f"role={self.role}"] if self.role else []) + (
            [f"run={self.run}"] if self.run else [])
        return "&".join(parts)


def runs() -> QuerySet[LinkRun]:
    """Link runs, newest first, without their trained models (large, and not shown here)."""
    return LinkRun.objects.defer("model_json", "metrics")


def with_records(pairs: QuerySet[CandidatePair]) -> QuerySet[CandidatePair]:
    """``pairs`` with both records and their run (not its trained model) in one query."""
    return pairs.select_related("left", "right", "run").defer("run__model_json", "run__metrics")


def scope(role: str = "", run: int | None = None) -> Scope:
    """One run when ``run`` names one, else the latest run of ``role`` (or of each role)."""
    if run is not None:
        found = runs().filter(pk=run).first()
        return Scope((found,) if found else (), role, run)
    roles = [role] if role else list(ROLES)
    latest = [found for r in roles if (found := runs().filter(role=r).first())]
    return Scope(tuple(latest), role, None)


def _threshold(run: LinkRun) -> float:
    value = (run.settings_json or {}).get("cluster_threshold", DEFAULT_CLUSTER_THRESHOLD)
    return float(value)


def age_gap(run: LinkRun) -> int:
    """The run's smallest age gap: ages within it agree."""
    gaps = (run.settings_json or {}).get("age_gaps") or [2]
    return int(min(gaps))


def _links(run: LinkRun, threshold: float) -> list[tuple[int, int]]:
    """Cluster edges besides the pending pairs: decided pairs at or above the threshold that
    nobody rejected, and every active merge."""
    decided = (CandidatePair.objects.filter(run=run, probability__gte=threshold)
               .exclude(status__in=[Status.PENDING, Status.REJECTED])
               .values_list("left_id", "right_id"))
    merges = PersonLink.objects.filter(active=True).values_list("person_id", "canonical_id")
    return [*decided, *merges]


def _compute(where: Scope, include: int | None = None) -> list[int]:
    keys: dict[int, tuple[bool, float]] = {}
    wanted = Q(status=Status.PENDING) | (Q(pk=include) if include else Q(pk__in=[]))
    for run in where.runs:
        threshold = _threshold(run)
        rows = (CandidatePair.objects.filter(wanted, run=run)
                .values_list("pk", "left_id", "right_id", "probability"))
        pairs = [ordering.QueuedPair(*row) for row in rows]
        keys.update(ordering.priorities(pairs, _links(run, threshold), threshold))
    return sorted(keys, key=lambda pk: (*keys[pk], pk))


# The order of a queue state, kept while nothing changes (pks only, never names): paging
# through the queue costs two aggregates instead of a graph walk.
_ORDERS: OrderedDict[tuple[Any, ...], list[int]] = OrderedDict()
_ORDERS_KEPT = 8
# The order a reviewer works through, per scope: "next pair" follows it for a while after
# decisions have changed the queue, rather than walking the graph again at every decision.
_WORKING: dict[tuple[int, ...], tuple[float, list[int]]] = {}
WORKING_SECONDS = 300.0
_LOCK = threading.Lock()


def forget(**_: object) -> None:
    """Drop every kept order (a new link run was stored)."""
    with _LOCK:
        _ORDERS.clear()
        _WORKING.clear()


def _state(where: Scope) -> tuple[Any, ...]:
    """What the order depends on: the scope's pairs and their decisions, and every merge."""
    pairs = CandidatePair.objects.filter(run_id__in=where.run_ids).aggregate(
        n=Count("pk"), pending=Count("pk", filter=Q(status=Status.PENDING)),
        p=Sum("probability"), decided=Max("decided_at"))
    links = PersonLink.objects.aggregate(n=Count("pk", filter=Q(active=True)), top=Max("pk"),
                                         ended=Max("ended_at"))
    return (tuple(where.run_ids), *pairs.values(), *links.values())


def ordered(where: Scope) -> list[int]:
    """Pks of the scope's pending pairs, first to last (see :mod:`~dhakira.apps.linkage.ordering`)."""
    state = _state(where)
    with _LOCK:
        pks = _ORDERS.get(state)
        if pks is not None:
            _ORDERS.move_to_end(state)
    if pks is None:
        pks = _compute(where)
        with _LOCK:
            _ORDERS[state] = pks
            while len(_ORDERS) > _ORDERS_KEPT:
                _ORDERS.popitem(last=False)
    with _LOCK:
        _WORKING[tuple(where.run_ids)] = (time.monotonic(), pks)
    return pks


def _working(where: Scope) -> list[int]:
    with _LOCK:
        found = _WORKING.get(tuple(where.run_ids))
    if found and time.monotonic() - found[0] < WORKING_SECONDS:
        return found[1]
    return ordered(where)


def _without(pairs: QuerySet[CandidatePair], hide: frozenset[int]) -> QuerySet[CandidatePair]:
    """``pairs`` less those with a record among ``hide`` (see :func:`access.veiled_persons`)."""
    if not hide:
        return pairs
    people = sorted(hide)
    return pairs.exclude(left_id__in=people).exclude(right_id__in=people)


def with_any_of(hide: frozenset[int], where: Scope) -> set[int]:
    """Pks of the scope's pairs with a record among ``hide`` (few: the reader's veiled
    people), to leave out of :func:`ordered`'s list."""
    if not hide:
        return set()
    people = sorted(hide)
    return set(CandidatePair.objects.filter(run_id__in=where.run_ids)
               .filter(Q(left_id__in=people) | Q(right_id__in=people))
               .values_list("pk", flat=True))


def counts(where: Scope, hide: frozenset[int] = frozenset()) -> dict[str, int]:
    """Pairs of the scope awaiting review, decided (the same person or not, by anyone: what
    counting applies) and left unsure, less those with a record among ``hide``."""
    base = _without(CandidatePair.objects.filter(run_id__in=where.run_ids), hide)
    found = dict(base.values_list("status").annotate(n=Count("pk")).order_by())
    return {"pending": found.get(Status.PENDING, 0), "unsure": found.get(Status.UNSURE, 0),
            "decided": found.get(Status.ACCEPTED, 0) + found.get(Status.REJECTED, 0)}


def next_after(pk: int, where: Scope, hide: frozenset[int] = frozenset()) -> int | None:
    """The pending pair after ``pk`` (wrapping to the first), if any.

    It follows the order the reviewer has been working through (recomputed when the queue
    page is opened, and at least every :data:`WORKING_SECONDS`); pairs decided since, by
    anyone, and pairs with a record among ``hide``, are passed over.
    """
    pks = _working(where)
    if pk not in pks:
        pks = _compute(where, include=pk)
    at = pks.index(pk) if pk in pks else -1
    rest = [p for p in pks[at + 1:] + pks[:max(at, 0)] if p != pk]
    for start in range(0, len(rest), 200):
        chunk = rest[start:start + 200]
        pending = set(_without(CandidatePair.objects.filter(pk__in=chunk, status=Status.PENDING),
                               hide).values_list("pk", flat=True))
        found = next((p for p in chunk if p in pending), None)
        if found is not None:
            return found
    return None


def _alike(pair: CandidatePair) -> QuerySet[CandidatePair]:
    if levels.alike_key(pair.levels, age_gap=age_gap(pair.run)) is None:
        return CandidatePair.objects.none()
    # Within one run each level number has one label, so alike pairs store equal levels:
    # the database compares them (SQLite's JSON(), PostgreSQL's jsonb), no row is decoded.
    return CandidatePair.objects.filter(run_id=pair.run_id, status=Status.PENDING,
                                        levels=pair.levels)


def alike(pair: CandidatePair, hide: frozenset[int] = frozenset()) -> list[CandidatePair]:
    """The pending pairs of ``pair``'s run whose every compared field agrees exactly as in
    ``pair`` (``pair`` first when pending), less those with a record among ``hide``; empty
    when ``pair`` has no such key."""
    ids = list(_without(_alike(pair), hide).order_by("pk").values_list("pk", flat=True))
    return sorted(in_order(ids), key=lambda p: p.pk != pair.pk)


def alike_count(pair: CandidatePair, hide: frozenset[int] = frozenset()) -> int:
    """How many pairs :func:`alike` would list."""
    return _without(_alike(pair), hide).count()


def in_order(ids: Iterable[int]) -> list[CandidatePair]:
    """The pairs ``ids``, with both records and their run, in the order given."""
    wanted = list(ids)
    rows = with_records(CandidatePair.objects.filter(pk__in=wanted))
    found = {p.pk: p for p in rows}
    return [found[pk] for pk in wanted if pk in found]


# Score bands in which the reviewers' decisions are counted against the model's score: its
# score is not the chance two records are one person (it treats names, place and event as
# independent, and overstates its certainty; see docs/linkage.md, "What the score means").
BANDS = (0.0, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999, 1.0)
#: Fewer decisions in a band than this say nothing yet of how often the score is right there.
TRACK_MIN = 10


@dataclass(frozen=True)
class Track:
    """How reviewers decided the pairs the model scored like one pair: the band of scores
    (``low`` inclusive, ``high`` exclusive, but 1.0 inclusive), how many of its pairs were
    decided, and how many of those were the same person."""

    low: float
    high: float
    decided: int
    same: int


def track_record(pair: CandidatePair) -> Track:
    """The reviewers' decisions on the pairs of the same role whose score falls in ``pair``'s
    band (every run's; "unsure" is no decision)."""
    low = max(b for b in BANDS[:-1] if b <= pair.probability)
    high = BANDS[BANDS.index(low) + 1]
    rows = CandidatePair.objects.filter(run__role=pair.run.role, probability__gte=low,
                                        status__in=[Status.ACCEPTED, Status.REJECTED]).exclude(
        reason__startswith=AUTO_LINKED)  # the model's own joins say nothing of the model
    rows = rows.filter(probability__lt=high) if high < 1.0 else rows
    found = dict(rows.values_list("status").annotate(n=Count("pk")).order_by())
    accepted = found.get(Status.ACCEPTED, 0)
    return Track(low, high, accepted + found.get(Status.REJECTED, 0), accepted)
