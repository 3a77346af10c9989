"""Each report's vetting status: read it, and change it one step at a time.

The status of a report is its latest :class:`~dhakira.apps.vetting.models.Step` (``recorded``
when there is none); :func:`current_status` is the one function other code calls to know it.
:func:`set_status` appends a step per report and a signed custody entry per step (who, when,
from which status to which, against which items, and a keyed mark of the reason
(:mod:`dhakira.apps.vetting.texts`), whose text is on the step). A refused change (a role that may not, a report outside an external reviewer's
scope or after their access expired, an out-of-order step) writes no step and one custody
entry of the refusal, then raises :class:`~dhakira.apps.vetting.errors.Refused` (or
:class:`~dhakira.core.vetting.OutOfOrder`) with a message saying what is wrong.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery

from dhakira.apps.custody import store
from dhakira.apps.dossier import access
from dhakira.apps.dossier.models import Information
from dhakira.apps.vetting import texts
from dhakira.apps.vetting.errors import Refused
from dhakira.apps.vetting.models import STATUS_LABELS, Step
from dhakira.core import vetting
from dhakira.core.ids import REPORT
from dhakira.core.vetting import OutOfOrder, VettingError

__all__ = ["REVIEWER_STEPS", "SETTERS", "TOLD_KINDS", "current_status", "history", "label",
           "list_filter", "may_set", "refuse", "set_status", "status_counts", "told_status",
           "with_status", "with_told_status", "write_steps"]

#: Staff roles that may take any step.
SETTERS = frozenset({"legal", "analyst", "administrator"})
#: The steps an external reviewer may take, on reports in their scope.
REVIEWER_STEPS = frozenset({"under_review", "corroborated", "vetted", "disputed"})

_CHUNK = 5000  # ids per query: far below every backend's limit on bound parameters


def label(status: str) -> str:
    """The status in the reader's language (never the code)."""
    return str(STATUS_LABELS.get(status, status))


def current_status(report_ids: Iterable[int]) -> dict[int, str]:
    """Report primary key -> its current vetting status, for every id given.

    A report with no step is ``recorded``. Ids of reports that do not exist are answered
    ``recorded`` too: the caller asked about its own ids and checks their existence itself.
    """
    ids = sorted(set(report_ids))
    found = dict.fromkeys(ids, vetting.RECORDED)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        latest = (Step.objects.filter(information_id__in=chunk).values("information_id")
                  .annotate(last=Max("id")).values_list("last", flat=True))
        for pk, status in Step.objects.filter(id__in=list(latest)).values_list("information_id", "status"):
            found[pk] = status
    return found


def with_status(reports: QuerySet[Information], status: str | Collection[str]) -> QuerySet[Information]:
    """The reports of ``reports`` whose current status is ``status`` (or one of several), in one
    query: the latest step of each report is a subquery on the (report, step) index."""
    wanted = {status} if isinstance(status, str) else set(status)
    latest = Step.objects.filter(information=OuterRef("pk")).order_by("-id").values("status")[:1]
    annotated = reports.annotate(vetting_now=Subquery(latest))
    stepped = sorted(wanted - {vetting.RECORDED})
    match = Q(vetting_now__in=stepped) if stepped else Q(pk__in=[])
    if vetting.RECORDED in wanted:
        match |= Q(vetting_now__isnull=True)
    return annotated.filter(match)


def list_filter(value: str | None) -> str:
    """The status a list's ``?vetting=`` asks for, or ``""`` (no filter) for anything else:
    the one reading of the parameter every list shares."""
    value = (value or "").strip()
    return value if value in vetting.STATUSES else ""


def _told_by(kind: str) -> list[tuple[QuerySet[Any], str]]:
    """How the reports telling an item are found: (link table, the item's column in it).

    An event is told by the reports naming it or one of its acts; a person by the reports
    naming them or telling an act they suffered (as the event page and the person page list
    them).
    """
    named = {"event": Information.events.through.objects, "person": Information.persons.through.objects}
    act_field = {"event": "act__event_id", "person": "act__victim_id"}
    return [(named[kind], f"{kind}_id"), (Information.acts.through.objects, act_field[kind])]


#: The kinds of item whose status is that of the reports telling them.
TOLD_KINDS = ("event", "person")


def told_status(kind: str, item_ids: Iterable[int], reports: QuerySet[Information]) -> dict[int, str]:
    """Item primary key -> the combined status (:func:`dhakira.core.vetting.combined`) of the
    reports of ``reports`` (those the reader may see) that tell it, for an ``event`` or a
    ``person``: a constant number of queries however many items (a page of a list)."""
    ids = sorted(set(item_ids))
    told: dict[int, set[int]] = {pk: set() for pk in ids}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        for links, column in _told_by(kind):
            for item, report in links.filter(**{f"{column}__in": chunk}).values_list(
                    column, "information_id"):
                told[item].add(report)
    # The few reports found, then which of them the reader may see: a join of the links with
    # ``reports`` made SQLite read every report for a page of fifty events.
    found = sorted({r for rs in told.values() for r in rs})
    seen: set[int] = set()
    for start in range(0, len(found), _CHUNK):
        seen.update(reports.filter(pk__in=found[start:start + _CHUNK]).values_list("pk", flat=True))
    told = {pk: rs & seen for pk, rs in told.items()}
    status = current_status(seen)
    return {pk: vetting.combined(status[r] for r in rs) for pk, rs in told.items()}


def with_told_status(kind: str, items: QuerySet[Any], reports: QuerySet[Information],
                     status: str) -> QuerySet[Any]:
    """The events or people of ``items`` whose combined status (:func:`told_status`) is
    ``status``, filtered in the database: told by a report of ``reports`` at ``status`` and by
    none that outranks it (:func:`dhakira.core.vetting.outranking`); an item told by no report
    is recorded."""

    def told_by_one_at(statuses: Collection[str]) -> Q:
        at = with_status(reports, statuses).values("pk")
        match = Q(pk__in=[])
        for links, column in _told_by(kind):
            match |= Q(pk__in=links.filter(information__in=at).values(column))
        return match

    beaten = vetting.outranking(status)
    found = items.exclude(told_by_one_at(beaten)) if beaten else items
    if status == vetting.RECORDED:
        return found.filter(told_by_one_at({status}) | ~told_by_one_at(vetting.STATUSES))
    return found.filter(told_by_one_at({status}))


def status_counts(reports: QuerySet[Information]) -> dict[str, int]:
    """How many of ``reports`` stand at each status (every status present, in order)."""
    latest = (Step.objects.filter(information__in=reports.values("pk")).values("information_id")
              .annotate(last=Max("id")).values("last"))
    found = dict(Step.objects.filter(id__in=Subquery(latest)).values("status")
                 .annotate(n=Count("id")).values_list("status", "n"))
    counts = {s: int(found.get(s, 0)) for s in vetting.STATUSES}
    counts[vetting.RECORDED] = reports.count() - sum(counts.values())
    return counts


def history(report_id: int) -> list[Step]:
    """The report's steps, oldest first, with their actors."""
    return list(Step.objects.filter(information_id=report_id).select_related("actor"))


def may_set(user: AbstractBaseUser, status: str) -> bool:
    """Whether ``user``'s role may take a step to ``status`` at all (scope checked apart)."""
    profile = access.profile_of(user)
    if profile is None:
        return False
    if profile.role == access.REVIEWER:
        return status in REVIEWER_STEPS
    return profile.role in SETTERS


def refuse(actor: AbstractBaseUser, subject: str, why: str, message: str, *,
           now: datetime | None = None, **detail: Any) -> Refused:
    """Record a refused vetting action in custody; return the error to raise.

    The entry is written in its own transaction, so it stays when the caller's is rolled back.
    """
    store.record(actor=actor.get_username(), action="other", subject=subject, now=now,
                 detail={"vetting": "refused", "why": why, "actor_id": actor.pk, **detail})
    return Refused(message, why)


def set_status(actor: AbstractBaseUser, report_ids: Sequence[int], status: str, *, reason: str,
               against: Sequence[str] = (), now: datetime | None = None) -> list[Step]:
    """Take every report of ``report_ids`` one step to ``status``; all or nothing.

    Args:
        against: the items (``I-…``, ``A-…``, ``EV-…``) the reports were checked against;
            each must exist and be readable by ``actor``.
        reason: why, in the actor's words (required).

    Raises:
        VettingError: no reason, no report, an unknown status or an item ``against`` that does
            not exist (bad input: nothing written, nothing in custody).
        Refused: the actor may not (role, scope, expiry) or may not see a report; custody
            holds the refusal.
        OutOfOrder: a report's current status does not allow ``status``; custody holds it.
    """
    from dhakira.apps.vetting import reviewers

    at = now or datetime.now(UTC)
    if status not in vetting.STATUSES or status == vetting.RECORDED:
        raise VettingError(f"{status!r} is not a status a report can be given; use one of "
                           f"{', '.join(s for s in vetting.STATUSES if s != vetting.RECORDED)}")
    if not reason.strip():
        raise VettingError("say why the status changes (the reason is required)")
    ids = list(dict.fromkeys(report_ids))
    if not ids:
        raise VettingError("name at least one report")
    uids = [REPORT.format(pk) for pk in ids]
    subject = uids[0] if len(uids) == 1 else f"reports:{len(uids)}"
    wanted = {u.strip().upper() for u in against if u.strip()}
    readable = access.readable_uids(actor, wanted)
    if reviewers.is_reviewer(actor):
        # A reviewer checks against what they were asked to review: any other id is answered
        # as a missing one, so it says nothing of what else the vault holds.
        scope = reviewers.scope_of(reviewers.check_access(actor, now=at, subject=subject))
        readable = {u for u in readable if scope.has(u)}
    unknown = wanted - readable
    if unknown:
        raise VettingError(f"no item {', '.join(sorted(unknown))} that you may see; name the "
                           "items the reports were checked against by their ids (I-…, A-…, EV-…)")
    if not may_set(actor, status):
        raise refuse(actor, subject, "role", f"your role may not set a report's status to "
                     f"{status.replace('_', ' ')}", now=at, asked=status)
    reviewers.check_reports(actor, ids, now=at, asked=status)  # raises, in custody, when outside
    seen = set(access.visible(actor, Information.objects.filter(pk__in=ids)).values_list("pk", flat=True))
    missing = [REPORT.format(pk) for pk in ids if pk not in seen]
    if missing:
        raise refuse(actor, subject, "not visible", f"no report {', '.join(missing)} that you may "
                     "see", now=at, asked=status, reports=" ".join(missing))
    current = current_status(ids)
    for pk in ids:
        try:
            vetting.check_step(current[pk], status)
        except OutOfOrder as exc:
            refuse(actor, REPORT.format(pk), "out of order", str(exc), now=at, asked=status,
                   current=current[pk])
            raise OutOfOrder(f"{REPORT.format(pk)}: {exc}") from None
    return write_steps(actor, ids, status, current=current, reason=reason, against=sorted(wanted),
                       now=at)


def write_steps(actor: AbstractBaseUser, ids: Sequence[int], status: str, *,
                current: dict[int, str], reason: str, against: Sequence[str] = (),
                now: datetime, **extra: Any) -> list[Step]:
    """Append the steps and their custody entries, the checks done (by :func:`set_status`, or
    a completed confirmation task whose outcome moves its report)."""
    digest = texts.mark(reason)
    with transaction.atomic():
        steps = [Step(information_id=pk, status=status, previous=current[pk], actor=actor, at=now,
                      against=list(against), reason=reason.strip()) for pk in ids]
        for step in steps:
            step.save()
        store.record_many([store.Planned(
            actor=actor.get_username(), action="decision", subject=REPORT.format(s.information_id),
            now=now, detail={"vetting": status, "from": s.previous, "step": s.pk,
                             "against": " ".join(s.against), "reason_hmac": digest,
                             "hmac_scheme": texts.SCHEME,
                             "actor_id": actor.pk, **extra}) for s in steps])
    return steps
