"""What was looked for and found in a picture, and what an analyst decided about each face.

Boxes are in the upright, full-size picture's pixels (see :mod:`dhakira.core.faces`). Rows
are never deleted: a rejected face stays, rejected, so the record shows what the detector
proposed and who decided otherwise.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dhakira.core.faces import Box


class Scan(models.Model):
    """One look for faces in an item's picture (the latest replaces none: one per item)."""

    class State(models.TextChoices):
        DONE = "done", _("faces looked for")
        FAILED = "failed", _("faces could not be looked for")

    item = models.OneToOneField("evidence.EvidenceItem", on_delete=models.PROTECT,
                                related_name="face_scan")
    state = models.CharField(max_length=10, choices=State.choices)
    reason = models.CharField(max_length=300, blank=True)
    width = models.PositiveIntegerField(null=True)
    height = models.PositiveIntegerField(null=True)
    detector = models.CharField(max_length=200, blank=True)
    scanned_by = models.CharField(max_length=150)
    scanned_at = models.DateTimeField()


class Face(models.Model):
    """A face in an item's picture: proposed by the detector or drawn by an analyst."""

    class Origin(models.TextChoices):
        DETECTOR = "detector", _("found by the detector")
        ANALYST = "analyst", _("marked by hand")

    class Decision(models.TextChoices):
        AWAITING = "", _("awaiting a decision")
        CONFIRMED = "confirmed", _("confirmed: blurred in hand-over copies")
        REJECTED = "rejected", _("rejected: not a face to blur")

    item = models.ForeignKey("evidence.EvidenceItem", on_delete=models.PROTECT,
                             related_name="faces")
    x = models.PositiveIntegerField()
    y = models.PositiveIntegerField()
    w = models.PositiveIntegerField()
    h = models.PositiveIntegerField()
    origin = models.CharField(max_length=10, choices=Origin.choices)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True, default="")
    found_by = models.CharField(max_length=150)
    found_at = models.DateTimeField()
    decided_by = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ("pk",)

    @property
    def box(self) -> Box:
        return Box(self.x, self.y, self.w, self.h)
