"""Charges, element assessments and policy-document flags.

The law (which elements a crime has, how independence is counted) lives in the pure core
:mod:`dhakira.law`; these rows record an analyst's choices and who made them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dhakira.dossier.models import Person, Place, Unit
from dhakira.ids import ASSESSMENT, CHARGE
from dhakira.law import StandardOfProof


class ItemKind(models.TextChoices):
    INFORMATION = "information", _("report")
    ACT = "act", _("act")
    EVIDENCE = "evidence", _("evidence item")


class Charge(models.Model):
    """A legal analyst's charge: a crime of the catalogue and its scope."""

    crime_id = models.CharField(_("crime"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    places = models.ManyToManyField(Place, blank=True, related_name="+",
                                    help_text=_("Places in scope, with every place inside them."))
    date_from = models.DateField(_("from"), null=True, blank=True)
    date_to = models.DateField(_("to"), null=True, blank=True)
    victim_group = models.CharField(_("victim group"), max_length=300, blank=True)
    ground_tags = models.JSONField(_("ground tags"), default=list, blank=True)
    perpetrators = models.ManyToManyField(Person, blank=True, related_name="+")
    units = models.ManyToManyField(Unit, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.uid} {self.title}"

    @property
    def uid(self) -> str:
        return CHARGE.format(self.pk)


class ElementAssessment(models.Model):
    """A reviewed statement that an item supports or undermines one element of a charge."""

    class Stance(models.TextChoices):
        SUPPORTS = "supports", _("supports")
        UNDERMINES = "undermines", _("undermines")

    charge = models.ForeignKey(Charge, on_delete=models.PROTECT, related_name="assessments")
    item_kind = models.CharField(_("kind of item"), max_length=20, choices=ItemKind.choices)
    item_uid = models.CharField(_("item"), max_length=20, db_index=True)
    element_id = models.CharField(_("element"), max_length=40)
    stance = models.CharField(_("stance"), max_length=12, choices=Stance.choices)
    standard_claimed = models.CharField(
        _("standard claimed"), max_length=30,
        choices=[(s.value, s.value.replace("_", " ")) for s in StandardOfProof])
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    reviewed_at = models.DateField(_("reviewed on"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    @property
    def uid(self) -> str:
        return ASSESSMENT.format(self.pk)


class DocumentFlag(models.Model):
    """Marks an item as a document that shows a policy (a decree, a sentence form, a list)."""

    item_kind = models.CharField(_("kind of item"), max_length=20, choices=ItemKind.choices)
    item_uid = models.CharField(_("item"), max_length=20)
    note = models.TextField(_("what it shows"), blank=True)
    flagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    flagged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["item_kind", "item_uid"],
                                               name="one_policy_flag_per_item")]
