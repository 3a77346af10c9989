"""Charges, element assessments and policy-document flags.

The law (which elements a crime has, how independence is counted) lives in the pure core
:mod:`dhakira.core.law`; these rows record an analyst's choices and who made them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dhakira.apps.dossier.models import Person, Place, Unit, in_reader_language
from dhakira.core.ids import ASSESSMENT, CHARGE
from dhakira.core.law import StandardOfProof


class ItemKind(models.TextChoices):
    INFORMATION = "information", _("report")
    ACT = "act", _("act")
    EVIDENCE = "evidence", _("evidence item")


class Charge(models.Model):
    """A legal analyst's charge: a crime of the catalogue and its scope."""

    crime_id = models.CharField(_("crime"), max_length=40)
    # A charge is named in both languages by the analyst who defines it (either may be empty);
    # pages show the reader's language and fall back to the other (in_reader_language).
    title = models.CharField(_("title (English)"), max_length=300, blank=True)
    title_ar = models.CharField(_("title (Arabic)"), max_length=300, blank=True)
    places = models.ManyToManyField(Place, blank=True, related_name="+",
                                    help_text=_("Places in scope, with every place inside them."))
    date_from = models.DateField(_("from"), null=True, blank=True)
    date_to = models.DateField(_("to"), null=True, blank=True)
    victim_group = models.CharField(_("victim group (English)"), max_length=300, blank=True)
    victim_group_ar = models.CharField(_("victim group (Arabic)"), max_length=300, blank=True)
    ground_tags = models.JSONField(_("ground tags"), default=list, blank=True)
    perpetrators = models.ManyToManyField(Person, blank=True, related_name="+")
    units = models.ManyToManyField(Unit, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.uid} {self.local_title}"

    @property
    def local_title(self) -> str:
        """The title in the request's language, else the other one."""
        return in_reader_language(self.title, self.title_ar)

    @property
    def local_victim_group(self) -> str:
        return in_reader_language(self.victim_group, self.victim_group_ar)

    def title_in(self, lang: str) -> str:
        """The title in ``lang`` (``ar`` or ``en``), else the other one."""
        first, second = (self.title_ar, self.title) if lang == "ar" else (self.title, self.title_ar)
        return first or second

    def victim_group_in(self, lang: str) -> str:
        first, second = ((self.victim_group_ar, self.victim_group) if lang == "ar"
                         else (self.victim_group, self.victim_group_ar))
        return first or second

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
