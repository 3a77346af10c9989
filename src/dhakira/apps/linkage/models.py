"""Link runs, candidate pairs awaiting review, and reversible links between persons."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dhakira.apps.dossier.models import Person
from dhakira.core.ids import LINK_RUN


class LinkRun(models.Model):
    """One run of the linkage model: its settings, who started it and how it scored."""

    role = models.CharField(_("role"), max_length=20)
    settings_json = models.JSONField(_("settings"))
    version = models.CharField(_("settings version"), max_length=40)
    model_json = models.JSONField(_("trained model"), default=dict, blank=True)
    started_at = models.DateTimeField(_("started"))
    started_by = models.CharField(_("started by"), max_length=150)
    mentions = models.PositiveIntegerField(default=0)
    candidates = models.PositiveIntegerField(default=0)
    metrics = models.JSONField(_("metrics"), default=dict, blank=True)
    # level ("chosen", "looser", "stricter") → match probability its clusters were cut at;
    # empty for runs made before clusters were stored.
    thresholds = models.JSONField(_("cluster thresholds"), default=dict, blank=True)
    # Every mention's cluster at the three levels, compressed (see
    # dhakira.apps.linkage.clusters): one value, whatever the number of mentions.
    clusters = models.BinaryField(_("clusters"), default=b"", blank=True)
    # The scored pairs at or above the looser threshold, compressed
    # (dhakira.core.linkage.resolve.pack_edges): what rebuilds a cluster a rejection breaks, as
    # the review queue holds only the pairs a decision can change.
    edges = models.BinaryField(_("scored pairs"), default=b"", blank=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return LINK_RUN.format(self.pk)


class Status(models.TextChoices):
    PENDING = "pending", _("pending")
    ACCEPTED = "accepted", _("same person")
    REJECTED = "rejected", _("different people")
    UNSURE = "unsure", _("unsure")


# How a decision the link run took itself (``auto_link``) begins its reason: it is the
# model's join, not a reviewer's (the consent gate and the pair pages tell them apart).
AUTO_LINKED = "auto-linked: "


class CandidatePair(models.Model):
    """Two mentions the model thinks may be one person, and the reviewer's decision."""

    run = models.ForeignKey(LinkRun, on_delete=models.PROTECT, related_name="pairs")
    left = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    right = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    match_weight = models.FloatField(_("match weight"))
    probability = models.FloatField(_("match probability"))
    levels = models.JSONField(_("comparison levels"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PENDING, db_index=True)
    decided_by = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-probability", "pk"]
        constraints = [models.UniqueConstraint(fields=["run", "left", "right"],
                                               name="one_pair_per_run")]

    def __str__(self) -> str:
        return f"{self.left.uid} ~ {self.right.uid}"


class PersonLink(models.Model):
    """A reversible merge: ``person`` is the same individual as ``canonical``.

    A split sets ``active`` to False and records who, when and why; the row stays.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="identity_links")
    canonical = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="linked_from")
    pair = models.ForeignKey(CandidatePair, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="links")
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField()
    reason = models.TextField(blank=True)
    active = models.BooleanField(default=True, db_index=True)
    ended_by = models.CharField(max_length=150, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.person.uid} → {self.canonical.uid}"
