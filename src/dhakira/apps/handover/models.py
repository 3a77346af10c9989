"""The disclosure log: what went to whom, when, for what purpose, under which consent.

A :class:`Disclosure` row is written once, when a package has been built and has passed its
leak checks; only the recipient's acknowledgement is added later. :class:`DisclosedPerson`
rows index which persons' material each package holds, so that when someone withdraws
consent the recipients to notify are one indexed query away.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from dhakira.apps.dossier.models import Consent, Person, Recipient
from dhakira.apps.dossier.validators import VocabularyValidator

_WRITE_ONCE = ("package_id", "recipient", "sent_to_id", "purpose", "policy", "created_by_id", "created_at",
               "manifest_sha256", "items", "consent_checks", "override_by_id")


class Policy(models.TextChoices):
    FULL = "full", _("full (court under protective measures)")
    PSEUDONYMISED = "pseudonymised", _("pseudonymised (stable per-package codes)")
    ANONYMISED = "anonymised", _("anonymised (advocacy)")


class Disclosure(models.Model):
    """One package that left the vault."""

    package_id = models.CharField(_("package"), max_length=128, unique=True)
    recipient = models.CharField(_("recipient"), max_length=200, db_index=True)  # name as sent
    sent_to = models.ForeignKey(Recipient, null=True, on_delete=models.PROTECT,
                                related_name="disclosures", verbose_name=_("recipient"))
    purpose = models.CharField(_("purpose"), max_length=40,
                               validators=[VocabularyValidator("consent_scopes")])
    policy = models.CharField(_("redaction policy"), max_length=20, choices=Policy.choices)
    policy_version = models.PositiveIntegerField(default=1)
    selection = models.CharField(_("selection"), max_length=1000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created"))
    manifest_sha256 = models.CharField(max_length=64)
    key_fingerprint = models.CharField(max_length=100)
    items = models.JSONField(_("items"), default=list)
    blocked = models.JSONField(_("blocked items and why"), default=list, blank=True)
    consent_checks = models.JSONField(_("consent checks"), default=list)
    override_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    override_reason = models.TextField(_("why the consent gate was overridden"), blank=True)
    sealed_to = models.CharField(_("sealed to (age public key)"), max_length=200, blank=True)
    acknowledged_by = models.CharField(_("acknowledged by"), max_length=200, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledgement_method = models.CharField(_("how"), max_length=200, blank=True)
    acknowledgement_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.package_id} → {self.recipient}"

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    @property
    def recipient_name(self) -> str:
        """The recipient's name in the reader's language, from the managed list; the name as
        sent (``recipient``, kept as the record of what left) only when the row names none."""
        return self.sent_to.name if self.sent_to is not None else self.recipient

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save; what was sent is never rewritten, only the acknowledgement is added."""
        if not self._state.adding:
            stored = Disclosure.objects.filter(pk=self.pk).values(*_WRITE_ONCE).first()
            if stored and any(stored[f] != getattr(self, f) for f in _WRITE_ONCE):
                raise ValidationError(_("A disclosure record is never edited; only the "
                                        "acknowledgement may be added."))
        super().save(*args, **kwargs)


class DisclosedPerson(models.Model):
    """A person whose material a disclosure holds, and the consent version it relied on."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="persons")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="disclosures")
    consent = models.ForeignKey(Consent, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    overridden = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["disclosure", "person"],
                                               name="one_row_per_disclosed_person")]
        indexes = [models.Index(fields=["person", "disclosure"])]
