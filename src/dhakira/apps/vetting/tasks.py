"""Confirmation tasks: "confirm with the victim / a witness / a relative".

Staff who may set a vetting status assign a task on a report to a researcher (any member who
may record material), naming the person to contact among the people the report mentions.
Assigning puts a recorded report under review. The task page shows what is already known (the
report's words, its acts, what earlier tasks and derived reports added) so that nothing is
asked again (the Murad Code: no re-traumatising repetition).

Completing a task needs the person's recorded consent to be contacted again (consent scope
``recontact``, granted, current): without it the completion is refused and the refusal is in
custody. The outcome (confirmed, partly, contradicted, unreachable) and what was learnt are
saved as a new report that derives from the original, telling the same events, acts and people:
it shares the original's origin, so the count of independent origins does not grow. A confirmed
outcome moves the original to *confirmed with a victim or witness*, a contradicted one to
*disputed*, when the order of vetting allows it from where the report stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from dhakira.apps.custody import store
from dhakira.apps.dossier import access, consents, intake
from dhakira.apps.dossier.models import Consent, Information, Person
from dhakira.apps.vetting import status as vetting_status
from dhakira.apps.vetting.models import ConfirmationTask
from dhakira.apps.vetting.status import SETTERS, refuse
from dhakira.core import vetting
from dhakira.core.ids import PERSON, REPORT
from dhakira.core.vetting import VettingError

__all__ = ["CONSENT_SCOPE", "Known", "assign", "complete", "consent_for", "known", "open_for"]

CONSENT_SCOPE = "recontact"
_CHANNEL = {"call": "phone_call", "meeting": "in_person_interview"}
_CONNECTION = {"victim": "involved_victim", "witness": "involved_witness",
               "relative": "related_to_participants"}
_MATERIAL = {"victim": "victim_testimony", "witness": "witness_testimony", "relative": "interview"}
# The step an outcome moves the original report to, when the order allows it.
_MOVES = {"confirmed": vetting.CONFIRMED, "contradicted": vetting.DISPUTED}


def assign(actor: AbstractBaseUser, report: Information, person: Person, *, with_whom: str,
           assignee: AbstractBaseUser, question: str = "",
           now: datetime | None = None) -> ConfirmationTask:
    """Assign a confirmation task on ``report`` about ``person`` to ``assignee``.

    Raises:
        Refused: ``actor``'s role may not assign tasks, or may not see the report (custody).
        VettingError: the person is not in the report, the assignee may not record material or
            may not see the report, or ``with_whom`` is unknown (nothing written).
    """
    at = now or datetime.now(UTC)
    if not access.has_role(actor, SETTERS):
        raise refuse(actor, report.uid, "role", "your role may not assign confirmation tasks",
                     now=at, asked="task")
    if not access.may_read(actor, report):
        raise refuse(actor, report.uid, "not visible", f"no report {report.uid} that you may see",
                     now=at, asked="task")
    if with_whom not in ConfirmationTask.With.values:
        raise VettingError(f"{with_whom!r} is not whom to confirm with; use victim, witness or relative")
    if not report.persons.filter(pk=person.pk).exists():
        raise VettingError(f"{person.uid} is not among the people report {report.uid} mentions")
    if not access.can_write(assignee) or not access.may_read(assignee, report):
        raise VettingError(f"{assignee.get_username()} may not take this task (a researcher who "
                           "may record material and read the report)")
    with transaction.atomic():
        task = ConfirmationTask.objects.create(
            information=report, person=person, with_whom=with_whom, question=question.strip(),
            assignee=assignee, assigned_by=actor, assigned_at=at)
        store.record(actor=actor.get_username(), action="decision", subject=report.uid, now=at,
                     detail={"vetting": "task assigned", "task": task.uid, "person": person.uid,
                             "with": with_whom, "assignee_id": assignee.pk, "actor_id": actor.pk})
        current = vetting_status.current_status([report.pk])
        if current[report.pk] == vetting.RECORDED:
            vetting_status.write_steps(actor, [report.pk], vetting.UNDER_REVIEW, current=current,
                                       reason=f"confirmation task {task.uid} assigned", now=at,
                                       task=task.uid)
    return task


def open_for(user: AbstractBaseUser) -> list[ConfirmationTask]:
    """The tasks assigned to ``user`` not yet done, oldest first."""
    return list(ConfirmationTask.objects.filter(assignee_id=user.pk, done_at__isnull=True)
                .select_related("information", "person"))


def consent_for(task: ConfirmationTask) -> Consent | None:
    """The person's current, granted consent to be contacted again, or None."""
    for c in consents.current(task.person):
        if c.scope == CONSENT_SCOPE and c.recipient_id is None:
            return c if c.decision == Consent.Decision.GRANTED else None
    return None


@dataclass(frozen=True)
class Known:
    """What the dossier already holds about the task's report (shown before the call)."""

    report: Information
    acts: list[object]
    derived: list[Information]
    earlier: list[ConfirmationTask]
    status: str


def known(task: ConfirmationTask, reader: AbstractBaseUser) -> Known:
    """What is already known, as ``reader`` may see it: the report, its acts, the reports
    derived from it and the earlier tasks on it with their outcomes."""
    report = task.information
    derived = list(access.visible(reader, report.derivatives.all()).order_by("pk"))
    earlier = list(ConfirmationTask.objects.filter(information=report, done_at__isnull=False)
                   .exclude(pk=task.pk).select_related("result"))
    acts = list(report.acts.select_related("event", "place").order_by("pk"))
    return Known(report, acts, derived, earlier,
                 vetting_status.current_status([report.pk])[report.pk])


def complete(actor: AbstractBaseUser, task: ConfirmationTask, *, method: str, outcome: str,
             text: str = "", language: str = "", now: datetime | None = None) -> ConfirmationTask:
    """Record the call or meeting: its outcome and, but for *unreachable*, what was learnt as a
    report derived from the original.

    Raises:
        Refused: ``actor`` is not the task's researcher, or the person's consent to be
            contacted is not recorded (custody holds the refusal).
        VettingError: the task is done already, an unknown method or outcome, or no text for
            an outcome other than unreachable (nothing written).
    """
    at = now or datetime.now(UTC)
    if task.done_at is not None:
        raise VettingError(f"task {task.uid} was completed on {task.done_at:%Y-%m-%d}; "
                           "assign a new task to ask again")
    if method not in ConfirmationTask.Method.values:
        raise VettingError(f"{method!r} is not how the person was reached; use call or meeting")
    if outcome not in ConfirmationTask.Outcome.values:
        raise VettingError(f"{outcome!r} is not an outcome; use "
                           f"{', '.join(ConfirmationTask.Outcome.values)}")
    text = text.strip()
    if outcome != ConfirmationTask.Outcome.UNREACHABLE and not text:
        raise VettingError("write what the person said (the new information)")
    if task.assignee_id != actor.pk:
        raise refuse(actor, task.information.uid, "not assignee",
                     f"task {task.uid} is assigned to someone else", now=at, task=task.uid)
    consent = consent_for(task)
    if consent is None:
        raise refuse(actor, task.person.uid, "no consent",
                     f"{task.person.uid} has no recorded consent to be contacted again; record "
                     "it on the person's page (use: recontact by this organisation) before the "
                     "call or meeting", now=at, task=task.uid)
    original = task.information
    with transaction.atomic():
        result = None
        planned = []
        if outcome != ConfirmationTask.Outcome.UNREACHABLE:
            result = intake.new_information(
                created_by=actor, source=original.source, received_at=at,
                channel=_CHANNEL[method], language=language or intake.text_language(text),
                connection=_CONNECTION[task.with_whom], material_type=_MATERIAL[task.with_whom],
                # What the person said is guarded as the report it confirms is.
                compartment=original.compartment, text=text)
            result.derived_from.add(original)
            result.events.set(original.events.all())
            result.acts.set(original.acts.all())
            result.persons.set(original.persons.all())
            planned.append(intake.report_entry(result, actor=actor.get_username(), now=at, detail={
                "derived_from": original.uid, "task": task.uid, "outcome": outcome}))
        ConfirmationTask.objects.filter(pk=task.pk).update(
            method=method, consent=consent, outcome=outcome, result=result, done_at=at)
        planned.append(store.Planned(
            actor=actor.get_username(), action="decision", subject=original.uid, now=at,
            detail={"vetting": "task done", "task": task.uid, "outcome": outcome,
                    "person": PERSON.format(task.person_id), "consent": consent.pk,
                    "result": REPORT.format(result.pk) if result else "", "actor_id": actor.pk}))
        store.record_many(planned)
        move = _MOVES.get(outcome)
        current = vetting_status.current_status([original.pk])
        if move and move in vetting.ALLOWED[current[original.pk]]:
            vetting_status.write_steps(
                actor, [original.pk], move, current=current, now=at, task=task.uid,
                reason=f"confirmation task {task.uid}: {outcome}",
                against=[REPORT.format(result.pk)] if result else [])
    task.refresh_from_db()
    return task
