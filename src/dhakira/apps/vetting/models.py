"""Vetting steps, comments, external reviewers' grants and confirmation tasks.

A report's status is never a column: it is the latest :class:`Step` (recorded when there is
none), and a step is never changed once written. What is checked, by whom and against which
items is on the step and in its custody entry.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dhakira.apps.dossier.models import Consent, Information, Person
from dhakira.core.ids import TASK

STATUS_LABELS = {
    "recorded": _("recorded"),
    "under_review": _("under review"),
    "corroborated": _("corroborated"),
    "confirmed": _("confirmed with a victim or witness"),
    "vetted": _("vetted"),
    "disputed": _("disputed"),
    "withdrawn": _("withdrawn"),
}


class Step(models.Model):
    """One change of one report's vetting status. Append-only."""

    information = models.ForeignKey(Information, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=list(STATUS_LABELS.items()))
    previous = models.CharField(max_length=20, choices=list(STATUS_LABELS.items()))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    against = models.JSONField(_("checked against"), default=list, blank=True)
    reason = models.TextField(_("why"))

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["information", "id"], name="vetting_step_report")]

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise RuntimeError("vetting steps are never edited; record a new step")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Comment(models.Model):
    """A reviewer's comment on a report, an act or an element assessment, or their agreement
    or disagreement with an earlier comment (kept beside it, never replacing it)."""

    class Stance(models.TextChoices):
        COMMENT = "comment", _("comment")
        AGREES = "agrees", _("agrees")
        DISAGREES = "disagrees", _("disagrees")

    target = models.CharField(_("item"), max_length=20, db_index=True)  # I-…, A-…, AS-…
    stance = models.CharField(_("stance"), max_length=10, choices=Stance.choices,
                              default=Stance.COMMENT)
    replies_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="replies")
    text = models.TextField(_("comment"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise RuntimeError("comments are never edited; add another")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class ReviewerGrant(models.Model):
    """What an external reviewer may see and until when: one charge or a selection of reports."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+")
    charge = models.ForeignKey("legal.Charge", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    selection = models.JSONField(default=list, blank=True)  # report ids (I-…)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]


class ConfirmationTask(models.Model):
    """"Confirm with the victim / a witness / a relative": assigned to a researcher, done once."""

    class With(models.TextChoices):
        VICTIM = "victim", _("the victim")
        WITNESS = "witness", _("a witness")
        RELATIVE = "relative", _("a relative")

    class Method(models.TextChoices):
        CALL = "call", _("phone call")
        MEETING = "meeting", _("meeting")

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        PARTLY = "partly", _("partly confirmed")
        CONTRADICTED = "contradicted", _("contradicted")
        UNREACHABLE = "unreachable", _("unreachable")

    information = models.ForeignKey(Information, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    with_whom = models.CharField(_("confirm with"), max_length=10, choices=With.choices)
    question = models.TextField(_("what to confirm"), blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    assigned_at = models.DateTimeField()
    method = models.CharField(_("how"), max_length=10, choices=Method.choices, blank=True)
    consent = models.ForeignKey(Consent, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices, blank=True)
    result = models.ForeignKey(Information, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    @property
    def uid(self) -> str:
        return TASK.format(self.pk)
