"""Protection cases and the work done on them.

Operational details that would endanger people if seized (routes, meeting points,
smugglers, phone numbers, who asked and through whom) are never columns here: they are
rows of :class:`PerishableDetail`, so that purging them is one delete of one table.
StatusChange, Disbursement and the custody ledger are append-only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dhakira.apps.protection import workflow
from dhakira.apps.protection.errors import ProtectionError


class Status(models.TextChoices):
    REQUEST_RECEIVED = "request_received", _("request received")
    VERIFIED = "verified", _("verified")
    PLANNING = "planning", _("planning")
    IN_TRANSIT = "in_transit", _("in transit")
    RECEIVED = "received", pgettext_lazy("protection case status", "received")
    RELOCATED = "relocated", _("relocated")
    FOLLOW_UP = "follow_up", _("follow-up")
    CLOSED = "closed", _("closed")
    LOST_CONTACT = "lost_contact", _("lost contact")
    DETAINED = "detained", _("detained")
    DECEASED = "deceased", _("deceased")


assert tuple(Status.values) == workflow.STATUSES, "Status and the workflow table disagree"


class RiskLevel(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")
    CRITICAL = "critical", _("critical (life at immediate risk)")


class AppendOnly(models.Model):
    """Rows that are written once: corrections are new rows, never edits or deletes."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and type(self).objects.filter(pk=self.pk).exists():
            raise ProtectionError(f"{type(self).__name__} is append-only; add a new entry instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ProtectionError(f"{type(self).__name__} is append-only and is never deleted")


class ProtectionCase(models.Model):
    """One person at risk, linked to a Person or known only by the case code."""

    code = models.CharField(_("case code"), max_length=12, unique=True)
    # No reverse accessor: a person's page must not be able to reach their protection case.
    person = models.ForeignKey("dossier.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    requested_by = models.CharField(_("who asked (relation, not a name)"), max_length=200,
                                    blank=True)
    channel = models.CharField(_("how the request came (not a name or number)"), max_length=200,
                               blank=True)
    threat = models.TextField(_("threat"))
    risk_level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices,
                                  default=RiskLevel.HIGH)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.REQUEST_RECEIVED)
    opened_at = models.DateTimeField(_("opened"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    sealed = models.BooleanField(_("sealed (opening needs two cleared users)"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["opened_at", "pk"]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED


class StatusChange(AppendOnly):
    case = models.ForeignKey(ProtectionCase, on_delete=models.PROTECT, related_name="changes")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField()

    class Meta:
        ordering = ["at", "pk"]


class Task(models.Model):
    case = models.ForeignKey(ProtectionCase, on_delete=models.PROTECT, related_name="tasks")
    title = models.CharField(_("task"), max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]

    @property
    def done(self) -> bool:
        return self.done_at is not None


class Referral(models.Model):
    case = models.ForeignKey(ProtectionCase, on_delete=models.PROTECT, related_name="referrals")
    organisation = models.CharField(_("partner organisation"), max_length=200)
    referred_at = models.DateTimeField(_("referred"))
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        ordering = ["referred_at", "pk"]


class Disbursement(AppendOnly):
    """Money paid out; a correction is a reversing entry that points at the one it cancels."""

    case = models.ForeignKey(ProtectionCase, on_delete=models.PROTECT, related_name="disbursements")
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    purpose = models.CharField(_("purpose"), max_length=300)
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    at = models.DateTimeField()
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="reversed_by")

    class Meta:
        ordering = ["at", "pk"]


class Note(models.Model):
    case = models.ForeignKey(ProtectionCase, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    text = models.TextField(_("note"))

    class Meta:
        ordering = ["at", "pk"]


class PerishableKind(models.TextChoices):
    ROUTE = "route", _("route")
    MEETING_POINT = "meeting_point", _("meeting point")
    SMUGGLER = "smuggler", _("smuggler")
    PHONE = "phone", _("phone number")
    REQUESTER = "requester", _("who asked (name)")
    INTERMEDIARY = "intermediary", _("through whom (name)")
    OTHER = "other", _("other operational detail")


class PerishableDetail(models.Model):
    """An operational detail purged N days after the case closes, or on demand."""

    case = models.ForeignKey(ProtectionCase, on_delete=models.PROTECT, related_name="perishables")
    kind = models.CharField(_("kind"), max_length=20, choices=PerishableKind.choices)
    value = models.TextField(_("value"))
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")

    class Meta:
        ordering = ["added_at", "pk"]


class OpenRequest(models.Model):
    """A request to open a sealed case, and the second user's approval."""

    case = models.ForeignKey(ProtectionCase, on_delete=models.PROTECT, related_name="open_requests")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    requested_at = models.DateTimeField()
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
