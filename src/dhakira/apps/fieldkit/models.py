"""Rows of field-kit sync: on a kit its office and what it shipped; at the office its devices,
the bundles received, the origin of every merged record, and each device's custody chain."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class KitState(models.Model):
    """On a field kit (one row): the office it reports to and how far the office has acknowledged."""

    office_key_id = models.CharField(max_length=16)
    office_public_key = models.CharField(max_length=64)  # hex of the office's Ed25519 key
    office_recipient = models.CharField(max_length=100)  # the office's age public key
    next_seq = models.PositiveIntegerField(default=1)  # the next bundle's number
    acked_seq = models.PositiveIntegerField(default=0)  # the last bundle the office acknowledged
    acked_custody_seq = models.PositiveBigIntegerField(default=0)
    reference_seq = models.PositiveIntegerField(default=0)  # the last reference bundle taken
    made_at = models.DateTimeField(auto_now_add=True)


class Shipped(models.Model):
    """On a kit: a record as it was packed into bundle ``bundle_seq`` (its content hash)."""

    kind = models.CharField(max_length=20)
    local_pk = models.PositiveBigIntegerField()
    gid = models.CharField(max_length=40, db_index=True)
    content_hash = models.CharField(max_length=64)
    bundle_seq = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["kind", "local_pk"], name="fieldkit_shipped_row")]


class Device(models.Model):
    """At the office: an enrolled field kit, known by its signing key."""

    label = models.CharField(_("name"), max_length=100, unique=True)
    key_id = models.CharField(max_length=16, unique=True)
    public_key = models.CharField(max_length=64)  # hex of the kit's Ed25519 key
    recipient = models.CharField(max_length=100)  # the kit's age public key, for acknowledgements
    enrolled_at = models.DateTimeField()
    enrolled_by = models.CharField(max_length=150)
    revoked_at = models.DateTimeField(_("revoked from"), null=True, blank=True)
    last_seq = models.PositiveIntegerField(default=0)  # the last bundle merged
    ack_seq = models.PositiveIntegerField(default=0)  # the last acknowledgement written
    reference_seq = models.PositiveIntegerField(default=0)  # the last reference bundle made

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class Received(models.Model):
    """At the office: every bundle offered, merged or not (refusals too)."""

    class Outcome(models.TextChoices):
        MERGED = "merged", _("merged")
        REFUSED = "refused", _("refused")
        QUARANTINED = "quarantined", _("quarantined")

    sealed_sha256 = models.CharField(max_length=64, db_index=True)
    device = models.ForeignKey(Device, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="bundles")
    seq = models.PositiveIntegerField(null=True, blank=True)
    made_at = models.CharField(max_length=40, blank=True)
    received_at = models.DateTimeField()
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    reason = models.CharField(max_length=20, blank=True)
    records = models.PositiveIntegerField(default=0)
    ack = models.JSONField(null=True, blank=True)  # what the acknowledgement names

    class Meta:
        ordering = ["pk"]


class Origin(models.Model):
    """At the office: one version of a record that came from a device, and the row holding it.

    An edit made on a kit arrives as a new version with its own row; nothing is overwritten.
    ``conflict`` marks a version whose kit had not seen the version before it (two kits edited
    the same record): both are kept and flagged for review.
    """

    gid = models.CharField(max_length=40)
    version = models.PositiveIntegerField()
    kind = models.CharField(max_length=20)
    local_pk = models.PositiveBigIntegerField()
    content_hash = models.CharField(max_length=64)
    base_hash = models.CharField(max_length=64, blank=True)
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="records")
    bundle = models.ForeignKey(Received, on_delete=models.PROTECT, related_name="records_merged")
    conflict = models.BooleanField(default=False)
    reviewed = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["gid", "version"], name="one_origin_version")]
        indexes = [models.Index(fields=["kind", "local_pk"], name="fieldkit_origin_row")]


class DeviceEntry(models.Model):
    """At the office: one custody entry signed by a device, exactly as the kit signed it."""

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="entries")
    seq = models.PositiveBigIntegerField()
    data = models.JSONField()

    class Meta:
        ordering = ["device", "seq"]
        constraints = [models.UniqueConstraint(fields=["device", "seq"], name="one_device_entry")]


class Decision(models.Model):
    """At the office: what someone decided about two versions of a record that two kits (or a
    stale kit and the office) made apart. Both rows stay as they are; this row, and its custody
    entry, say which one stands from now on (``older``, ``newer``) or that both do."""

    class Choice(models.TextChoices):
        NEWER = "newer", _("keep the newer version")
        OLDER = "older", _("keep the older version")
        BOTH = "both", _("both versions stand")

    newer = models.OneToOneField(Origin, on_delete=models.PROTECT, related_name="decision")
    older = models.ForeignKey(Origin, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=8, choices=Choice.choices)
    decided_by = models.CharField(max_length=150)
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]


class QuarantineReview(models.Model):
    """At the office: what someone decided about a bundle kept in quarantine (a revoked kit's
    bundle made after its revocation time). The sealed file stays where it was either way;
    an accepted bundle was merged as a normal receive merges (``merged`` is that receipt),
    a rejected one never is. One decision per bundle; a custody entry says who and why."""

    class Choice(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    bundle = models.OneToOneField(Received, on_delete=models.PROTECT, related_name="review")
    choice = models.CharField(max_length=8, choices=Choice.choices)
    reason = models.TextField()
    decided_by = models.CharField(max_length=150)
    decided_at = models.DateTimeField()
    merged = models.OneToOneField(Received, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="accepted_from")

    class Meta:
        ordering = ["pk"]
