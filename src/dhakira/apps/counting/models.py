"""A saved estimate: the settings, the capture tables and the result, as data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dhakira.core.ids import ESTIMATE, JOB


class EstimateRun(models.Model):
    """One estimate of how many victims there were, seen and unseen.

    Only counts are kept: the capture tables per stratum and the estimates, never who
    the victims are.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    method = models.CharField(_("method"), max_length=20)
    seed = models.IntegerField(_("seed"))
    lists = models.JSONField(_("list definition"))
    strata = models.JSONField(_("strata definition"))
    resolution = models.CharField(_("who is the same person"), max_length=200)
    victims = models.PositiveIntegerField(_("victims on at least one list"))
    unresolved = models.PositiveIntegerField(_("mentions linkage did not cover"), default=0)
    link_run = models.ForeignKey("identity.LinkRun", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("linkage run"))
    decisions = models.PositiveIntegerField(_("review decisions applied"), default=0)
    tables = models.JSONField(_("capture tables per stratum"))
    result = models.JSONField(_("result"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("estimate")
        verbose_name_plural = _("estimates")

    def __str__(self) -> str:
        return self.uid

    @property
    def uid(self) -> str:
        return ESTIMATE.format(self.pk)


class EstimateJob(models.Model):
    """An estimate started from the Counting page, running in the background.

    At most one job is running at any time: the database refuses a second ``running`` row
    (a partial unique index), so a double click or a second user is shown the running job.
    ``process`` names the server process that runs it; a ``running`` job of another process
    was cut off (the server was killed or re-executed) and is shown as interrupted. A user
    may ask a running job to stop (``cancel_requested``); the job's thread sees it at its next
    progress report, saves nothing, and records the job as cancelled.
    """

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        INTERRUPTED = "interrupted", _("interrupted")
        CANCELLED = "cancelled", _("cancelled")

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.RUNNING)
    progress = models.FloatField(_("progress"), default=0.0)
    message = models.CharField(_("message"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    # A refusal's code and values (CountingError.code, .params): the page words it again in
    # each reader's language; ``error`` keeps the words of the server's language, as logged.
    refusal_code = models.CharField(_("refusal"), max_length=40, blank=True, default="")
    refusal_params = models.JSONField(_("refusal values"), default=dict, blank=True)
    options = models.JSONField(_("settings"))
    process = models.CharField(_("server process"), max_length=64)
    finished_at = models.DateTimeField(null=True, blank=True)
    run = models.ForeignKey(EstimateRun, null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")
    cancel_requested = models.BooleanField(_("cancel asked for"), default=False)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("cancelled by"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("estimate job")
        verbose_name_plural = _("estimate jobs")
        constraints = [models.UniqueConstraint(
            fields=["status"], condition=models.Q(status="running"),
            name="counting_one_running_estimate_job")]

    def __str__(self) -> str:
        return self.uid

    @property
    def uid(self) -> str:
        return JOB.format(self.pk)

    def error_text(self) -> str:
        """Why the job failed, in the active language when it was a refusal."""
        from dhakira.apps.counting import texts

        if self.refusal_code:
            return texts.refusal(self.refusal_code, self.refusal_params)
        return self.error
