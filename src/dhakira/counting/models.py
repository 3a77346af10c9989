"""A saved estimate: the settings, the capture tables and the result, as data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
        return f"E-{self.pk:04d}"
