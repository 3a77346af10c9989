"""External reviewers: an outside legal team's time-limited, scoped, revocable accounts.

A reviewer is an account with the ``reviewer`` role (closed out of every staff page, see
:mod:`dhakira.apps.dossier.access`) and one :class:`~dhakira.apps.vetting.models.ReviewerGrant`:
a charge or a selection of reports, and an expiry. What they may see is the reports of that
scope that belong to no compartment (never a protected field, never protection casework); what
they may do is record vetting steps (:data:`dhakira.apps.vetting.status.REVIEWER_STEPS`) and
comments on those reports, their acts and the charge's assessments. They always log in with a
second factor (:func:`dhakira.apps.twofactor.services.required_for`): their first login leads
to its enrolment and to nothing else. Every page they open is a custody entry; every refusal
(outside the scope, after expiry or revocation) is one too. Revoking deactivates the account,
which ends its sessions at their next request.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from dhakira.apps.custody import store
from dhakira.apps.dossier import access, accounts
from dhakira.apps.dossier.models import Act, Information
from dhakira.apps.vetting.models import ReviewerGrant
from dhakira.core.ids import ACT, ASSESSMENT, REPORT
from dhakira.core.vetting import VettingError

__all__ = ["Scope", "check_access", "check_reports", "check_uids", "create_reviewer", "grant_of", "is_reviewer",
           "listing", "log_page", "reviewer_named", "revoke", "scope_of"]

MAX_DAYS = 90  # a reviewer's access is for a piece of work, not a standing account


def is_reviewer(user: Any) -> bool:
    """Whether ``user`` is logged in with the external reviewer role."""
    return access.has_role(user, [access.REVIEWER])


def grant_of(user: AbstractBaseUser) -> ReviewerGrant | None:
    """The reviewer's grant, or None for anyone else."""
    return ReviewerGrant.objects.filter(user_id=user.pk).select_related("charge").first()


def create_reviewer(actor: AbstractBaseUser, username: str, password: str, *,
                    charge: Any = None, selection: Sequence[str] = (), days: int = 14,
                    now: datetime | None = None) -> ReviewerGrant:
    """Make an external reviewer's account, scoped to ``charge`` or ``selection``, for ``days``.

    Raises:
        AccountRefused: ``actor`` is not an administrator, or the password is weak.
        VettingError: no scope or both, a selection naming something other than a report
            without a compartment, or a duration outside 1 to :data:`MAX_DAYS` days.
    """
    accounts.require_administrator(actor)
    at = now or datetime.now(UTC)
    if (charge is None) == (not selection):
        raise VettingError(_("scope a reviewer to one charge or to a selection of reports, "
                             "not both and not neither"))
    if not 1 <= days <= MAX_DAYS:
        raise VettingError(_("a reviewer's access lasts 1 to %(most)s days, not %(days)s")
                           % {"most": MAX_DAYS, "days": days})
    chosen = sorted({u.strip().upper() for u in selection if u.strip()})
    for uid in chosen:
        pk = REPORT.pk_or_none(uid)
        if pk is None or not Information.objects.filter(pk=pk, compartment="").exists():
            raise VettingError(_("%(report)s is not a report a reviewer may be shown (a report "
                                 "id like I-0000001, of no compartment)") % {"report": uid})
    with transaction.atomic():
        user = accounts.create_user(username, password, role=access.REVIEWER, actor=actor, now=at)
        grant = ReviewerGrant.objects.create(
            user=user, charge=charge, selection=chosen, expires_at=at + timedelta(days=days),
            created_by=actor, created_at=at)
        store.record(actor=actor.get_username(), action="decision", subject=accounts.subject_of(user),
                     now=at, detail={"vetting": "reviewer granted", "actor_id": actor.pk,
                                     "charge": charge.uid if charge is not None else "",
                                     "reports": len(chosen), "expires": grant.expires_at.isoformat()})
    return grant


def revoke(actor: AbstractBaseUser, user: AbstractBaseUser, *, now: datetime | None = None) -> bool:
    """End a reviewer's access now: the account is deactivated (its sessions end at their next
    request) and the grant marked revoked. Whether anything changed.

    Raises:
        AccountRefused: ``actor`` is not an administrator.
        VettingError: ``user`` is not an external reviewer.
    """
    accounts.require_administrator(actor)
    at = now or datetime.now(UTC)
    grant = grant_of(user)
    if grant is None:
        raise VettingError(_("%(user)s is not an external reviewer")
                           % {"user": user.get_username()})
    if grant.revoked_at is not None:
        return False
    with transaction.atomic():
        ReviewerGrant.objects.filter(pk=grant.pk).update(revoked_at=at)
        accounts.change(user, actor=actor, active=False, now=at)
        store.record(actor=actor.get_username(), action="decision",
                     subject=accounts.subject_of(user), now=at,
                     detail={"vetting": "reviewer revoked", "actor_id": actor.pk})
    return True


def listing() -> list[tuple[str, str, str, str]]:
    """Every reviewer as (user name, scope, expiry, state) for the CLI."""
    rows = []
    for g in ReviewerGrant.objects.select_related("user", "charge").order_by("pk"):
        scope = g.charge.uid if g.charge_id else " ".join(g.selection)
        state = "revoked" if g.revoked_at else ("expired" if g.expires_at <= datetime.now(UTC)
                                                else "active")
        rows.append((g.user.get_username(), scope, f"{g.expires_at:%Y-%m-%d %H:%M}", state))
    return rows


def reviewer_named(username: str) -> AbstractBaseUser:
    """The external reviewer called ``username``.

    Raises:
        VettingError: no such account, or not a reviewer.
    """
    user = get_user_model().objects.filter(username=username).first()
    if user is None or grant_of(user) is None:
        raise VettingError(_("no external reviewer '%(user)s'") % {"user": username})
    return user


def check_access(user: AbstractBaseUser, *, now: datetime | None = None,
                 subject: str = "") -> ReviewerGrant:
    """The reviewer's grant if it is in force now.

    Raises:
        Refused: no grant, revoked, or expired (custody holds the refusal).
    """
    from dhakira.apps.vetting.status import refuse

    at = now or datetime.now(UTC)
    grant = grant_of(user)
    target = subject or accounts.subject_of(user)
    if grant is None:
        raise refuse(user, target, "no grant", "you have no reviewing access", now=at)
    if grant.revoked_at is not None:
        raise refuse(user, target, "revoked", "your reviewing access was revoked", now=at)
    if at >= grant.expires_at:
        raise refuse(user, target, "expired",
                     f"your reviewing access ended on {grant.expires_at:%Y-%m-%d %H:%M} UTC; "
                     "ask the organisation to extend it", now=at)
    return grant


@dataclass(frozen=True)
class Scope:
    """What a grant lets its reviewer see: report, act and assessment primary keys."""

    reports: frozenset[int]
    acts: frozenset[int]
    assessments: frozenset[int]

    def has(self, uid: str) -> bool:
        """Whether the item ``uid`` (``I-…``, ``A-…``, ``AS-…``) is in the scope."""
        u = uid.strip().upper()
        for kind, pks in ((ASSESSMENT, self.assessments), (REPORT, self.reports), (ACT, self.acts)):
            pk = kind.pk_or_none(u)
            if pk is not None:
                return pk in pks
        return False


def scope_of(grant: ReviewerGrant) -> Scope:
    """The reports (of no compartment) a grant covers, the acts they tell, and for a charge its
    assessments of items in scope."""
    assessments: set[int] = set()
    if grant.charge_id is not None:
        from dhakira.apps.law import services as law

        charge = law.get_charge(grant.charge_id)
        # reader None: the public's view of the charge, items of no compartment only.
        matrix = law.matrix_for(charge, None, hashes=False)
        cited = {e.item_id for row in matrix.rows for e in (*row.supporting, *row.undermining)}
        origins = {o for row in matrix.rows for e in (*row.supporting, *row.undermining)
                   for o in e.origin_ids}
        report_pks = {pk for u in cited | origins if (pk := REPORT.pk_or_none(u)) is not None}
        act_pks = {pk for u in cited if (pk := ACT.pk_or_none(u)) is not None}
        report_pks |= set(Information.acts.through.objects.filter(act_id__in=act_pks)
                          .values_list("information_id", flat=True))
        assessments = set(law.assessment_pks(charge, cited))
    else:
        report_pks = {pk for u in grant.selection if (pk := REPORT.pk_or_none(u)) is not None}
    reports = set(Information.objects.filter(pk__in=report_pks, compartment="")
                  .values_list("pk", flat=True))
    acts = set(Act.objects.filter(information__in=reports).values_list("pk", flat=True))
    return Scope(frozenset(reports), frozenset(acts), frozenset(assessments))


def check_reports(actor: AbstractBaseUser, report_ids: Iterable[int], *,
                  now: datetime | None = None, asked: str = "") -> None:
    """Refuse (in custody) a reviewer acting on reports outside their scope, or after their
    access ended; staff pass (their role is checked elsewhere)."""
    if not is_reviewer(actor):
        return
    check_uids(actor, [REPORT.format(pk) for pk in report_ids], now=now, asked=asked)


def check_uids(actor: AbstractBaseUser, uids: Sequence[str], *, now: datetime | None = None,
               asked: str = "") -> Scope:
    """The reviewer's scope, once every item of ``uids`` is in it (else refused, in custody)."""
    from dhakira.apps.vetting.status import refuse

    at = now or datetime.now(UTC)
    grant = check_access(actor, now=at, subject=uids[0] if len(uids) == 1 else "")
    scope = scope_of(grant)
    outside = [u for u in uids if not scope.has(u)]
    if outside:
        raise refuse(actor, outside[0], "outside scope",
                     f"{', '.join(outside)} is outside what you were asked to review", now=at,
                     asked=asked, items=" ".join(outside))
    return scope


def log_page(user: AbstractBaseUser, page: str, subject: str = "") -> None:
    """Record that an external reviewer opened ``page`` (about ``subject``)."""
    store.record(actor=user.get_username(), action="other",
                 subject=subject or accounts.subject_of(user),
                 detail={"vetting": "reviewer page", "page": page, "actor_id": user.pk})
