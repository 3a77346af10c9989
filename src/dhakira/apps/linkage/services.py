"""Running linkage over the dossier, deciding candidate pairs, merging and splitting.

Every change is planned first (:func:`plan_decision`) and every decision, merge and split is a
custody entry naming the acting user. No Person row is ever deleted: a merge is a
:class:`PersonLink`, a split deactivates it.
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from django.db import transaction

from dhakira.apps.custody import store
from dhakira.apps.dossier.models import Person
from dhakira.apps.linkage import extract
from dhakira.apps.linkage.models import AUTO_LINKED, CandidatePair, LinkRun, PersonLink, Status
from dhakira.core.ids import PERSON
from dhakira.core.linkage import (
    Evaluation,
    LinkageResult,
    LinkageSettings,
    TruthError,
    build_features,
    defaults_for,
    evaluate,
    link,
    truth_mapping,
)
from dhakira.core.linkage.resolve import (
    ClusterTable,
    clusters_at,
    pack_edges,
    sensitivity_thresholds,
)

__all__ = ["DecisionPlan", "RunOutcome", "canonical_of", "decide", "evaluate_run", "feedback", "read_truth",
           "link_same_person", "plan_decision", "run_linkage", "split"]


@dataclass(frozen=True)
class RunOutcome:
    """A stored run and the core's result."""

    run: LinkRun
    result: LinkageResult
    stored: int


@dataclass(frozen=True)
class DecisionPlan:
    """What deciding a pair will do: its new status and the link to create, if any."""

    pair_id: int
    status: str
    link_person: int | None
    link_canonical: int | None


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _pair_key(pair: CandidatePair) -> tuple[int, int]:
    return (pair.left_id, pair.right_id)


def feedback() -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """Pairs reviewers accepted and rejected, across all runs (the latest decision wins)."""
    latest: dict[tuple[int, int], str] = {}
    decided = CandidatePair.objects.exclude(status=Status.PENDING).order_by("decided_at", "pk")
    for left, right, status in decided.values_list("left_id", "right_id", "status"):
        latest[(left, right)] = status
    accepted = {k for k, s in latest.items() if s == Status.ACCEPTED}
    rejected = {k for k, s in latest.items() if s == Status.REJECTED}
    return accepted, rejected


def run_linkage(*, actor: str, role: str = "victim", settings: LinkageSettings | None = None,
                now: datetime | None = None) -> RunOutcome:
    """Link the dossier's mentions of ``role`` and queue candidate pairs for review.

    Pairs already accepted or rejected are fed back (forced or forbidden) and not queued
    again. When ``settings.auto_link`` is on, pairs at or above the auto-link threshold are
    accepted in ``actor``'s name with the reason stated.

    Args:
        actor: the user starting the run (required: the ledger never guesses).
        role: 'victim' or 'perpetrator'.
        settings: linkage settings; :func:`~dhakira.core.linkage.defaults_for` the role when None.
        now: the clock, for tests.

    Returns:
        The stored run, the core's result and the number of pairs queued.

    Raises:
        ValueError: no actor, or an unknown role.
        LinkageError: from the core (too few mentions, bad settings).
    """
    if not actor:
        raise ValueError("a link run needs the acting user")
    settings = settings or defaults_for(role)
    accepted, rejected = feedback()
    features = build_features(extract.mentions(role))
    result = link(features, settings, accepted=accepted, rejected=rejected)
    thresholds = sensitivity_thresholds(settings.cluster_threshold)
    levels = {name: clusters_at(result, features, t, accepted=accepted, rejected=rejected)
              for name, t in thresholds.items()}
    with transaction.atomic():
        run = LinkRun.objects.create(role=role, settings_json=settings.to_dict(),
                                     version=settings.version, model_json=result.model,
                                     started_at=_now(now), started_by=actor,
                                     mentions=len(features), thresholds=thresholds,
                                     clusters=ClusterTable.build(levels).to_bytes(),
                                     edges=pack_edges(result.scores, min(thresholds.values())))
        decided = accepted | rejected
        rows = [CandidatePair(run=run, left_id=p.left, right_id=p.right,
                              match_weight=min(p.match_weight, 1e9), probability=p.probability,
                              levels={k: list(v) for k, v in p.levels.items()})
                for p in result.pairs if (p.left, p.right) not in decided]
        CandidatePair.objects.bulk_create(rows, batch_size=2000)
        run.candidates = len(rows)
        run.save(update_fields=["candidates"])
        store.record(actor=actor, action="other", subject=str(run),
                     detail={"kind": "link_run", "role": role, "version": settings.version,
                             "mentions": len(features), "candidates": len(rows)}, now=now)
    if settings.auto_link:
        _auto_link(run, settings, actor, now)
    return RunOutcome(run, result, len(rows))


def _auto_link(run: LinkRun, settings: LinkageSettings, actor: str, now: datetime | None) -> None:
    reason = f"{AUTO_LINKED}match probability ≥ {settings.auto_link_threshold}"
    for pair in run.pairs.filter(probability__gte=settings.auto_link_threshold):
        decide(pair, actor=actor, status="accepted", reason=reason, now=now)


def read_truth(truth_path: Path, role: str) -> dict[int, Hashable]:
    """Person primary key → true entity, from a truth file, for ``role``; read before any
    work is done, so that a bad file leaves no run behind.

    Raises:
        TruthError: the file is not JSON, not an object, or holds no mapping for ``role``.
    """
    try:
        data = json.loads(truth_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TruthError(f"cannot read the truth file {truth_path}: {exc}",
                         code="truth_unreadable",
                         params={"path": str(truth_path), "error": str(exc)}) from None
    if not isinstance(data, dict):
        raise TruthError(f"{truth_path} is not a JSON object", code="truth_not_object",
                         params={"path": str(truth_path)})
    return truth_mapping(data, role)


def evaluate_run(outcome: RunOutcome, truth: Mapping[int, Hashable]) -> Evaluation:
    """Score the run's clustering against ``truth`` (:func:`read_truth`) and store the
    figures on the run.

    Raises:
        TruthError: the truth shares no record with the run.
    """
    evaluation = evaluate(outcome.result.clusters, dict(truth))
    outcome.run.metrics = evaluation.to_dict() | {
        "cluster_threshold": outcome.result.settings.cluster_threshold}
    outcome.run.save(update_fields=["metrics"])
    return evaluation


def canonical_of(person_id: int) -> int:
    """The person a chain of active links leads to (``person_id`` itself when unlinked)."""
    seen = {person_id}
    current = person_id
    while True:
        nxt = (PersonLink.objects.filter(person_id=current, active=True)
               .values_list("canonical_id", flat=True).first())
        if nxt is None or nxt in seen:
            return current
        seen.add(nxt)
        current = nxt


def plan_decision(pair: CandidatePair, status: str) -> DecisionPlan:
    """What :func:`decide` would do, without doing it.

    Accepting links the higher canonical of the two to the lower; if both already resolve
    to one person, no new link is needed.

    Raises:
        ValueError: ``status`` is not a decision.
    """
    if status not in (Status.ACCEPTED, Status.REJECTED, Status.UNSURE):
        raise ValueError(f"a decision is accepted, rejected or unsure, not {str(status)!r}")
    plan = DecisionPlan(pair.pk, status, None, None)
    if status != Status.ACCEPTED:
        return plan
    a, b = canonical_of(pair.left_id), canonical_of(pair.right_id)
    if a == b:
        return plan
    return replace(plan, link_person=max(a, b), link_canonical=min(a, b))


def decide(pair: CandidatePair, *, actor: str, status: str, reason: str = "",
           now: datetime | None = None) -> DecisionPlan:
    """Record a reviewer's decision on ``pair``; accepting merges the two (reversibly).

    Each decision is a custody entry; a merge is a second one. Rejecting (or marking unsure)
    a pair whose acceptance merged the two undoes that merge, with a split entry: the links
    and the resolution must never disagree (a second tab, or a reviewer changing their mind).

    Raises:
        ValueError: no actor, or ``status`` is not a decision.
    """
    if not actor:
        raise ValueError("a decision needs the acting user")
    plan = plan_decision(pair, status)
    when = _now(now)
    subject = f"{pair.left.uid}~{pair.right.uid}"
    with transaction.atomic():
        pair.status, pair.decided_by, pair.decided_at, pair.reason = status, actor, when, reason
        pair.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        store.record(actor=actor, action="decision", subject=subject, now=when,
                     detail={"pair": pair.pk, "run": pair.run_id, "status": status,
                             "probability": f"{pair.probability:.6f}"})
        if status != Status.ACCEPTED:
            for link in PersonLink.objects.filter(pair=pair, active=True):
                _end(link, actor=actor, reason=reason or f"pair decided {status}", when=when)
        if plan.link_person is not None and plan.link_canonical is not None:
            new = PersonLink.objects.create(person_id=plan.link_person,
                                            canonical_id=plan.link_canonical, pair=pair,
                                            created_by=actor, created_at=when, reason=reason)
            store.record(actor=actor, action="merge", subject=PERSON.format(plan.link_person),
                         now=when, detail={"link": new.pk, "into": PERSON.format(plan.link_canonical),
                                           "pair": pair.pk})
    return plan


def link_same_person(person: Person, canonical: Person, *, actor: str, reason: str,
                     now: datetime | None = None) -> PersonLink:
    """Record that ``person`` is ``canonical`` ("this is the same person"), reversibly.

    A :class:`PersonLink` with no pair, from the person ``person`` resolves to onto the one
    ``canonical`` resolves to, and a custody entry; :func:`split` undoes it.

    Raises:
        ValueError: no actor or reason, or the two already resolve to one person.
    """
    if not actor or not reason:
        raise ValueError("linking two records needs the acting user and a reason")
    a, b = canonical_of(person.pk), canonical_of(canonical.pk)
    if a == b:
        raise ValueError(f"{person.uid} and {canonical.uid} are already one person")
    when = _now(now)
    with transaction.atomic():
        new = PersonLink.objects.create(person_id=a, canonical_id=b, pair=None, created_by=actor,
                                        created_at=when, reason=reason)
        store.record(actor=actor, action="merge", subject=PERSON.format(a), now=when,
                     detail={"link": new.pk, "into": PERSON.format(b), "kind": "same_person"})
    return new


def split(person_link: PersonLink, *, actor: str, reason: str,
          now: datetime | None = None) -> None:
    """Undo a merge: deactivate the link, record who, when and why, and reject its pair.

    The rejected pair feeds back into the next run, which will not link the two again.

    Raises:
        ValueError: no actor, no reason, or the link is already inactive.
    """
    if not actor or not reason:
        raise ValueError("a split needs the acting user and a reason")
    if not person_link.active:
        raise ValueError(f"link {person_link.pk} is already split")
    when = _now(now)
    with transaction.atomic():
        _end(person_link, actor=actor, reason=reason, when=when)
        if person_link.pair is not None:
            pair = person_link.pair
            pair.status, pair.decided_by, pair.decided_at = Status.REJECTED, actor, when
            pair.reason = reason
            pair.save(update_fields=["status", "decided_by", "decided_at", "reason"])


def _end(person_link: PersonLink, *, actor: str, reason: str, when: datetime) -> None:
    """Deactivate a link and record the split (inside the caller's transaction)."""
    person_link.active, person_link.ended_by = False, actor
    person_link.ended_at, person_link.end_reason = when, reason
    person_link.save(update_fields=["active", "ended_by", "ended_at", "end_reason"])
    store.record(actor=actor, action="split", subject=PERSON.format(person_link.person_id),
                 now=when, detail={"link": person_link.pk,
                                   "from": PERSON.format(person_link.canonical_id)})
