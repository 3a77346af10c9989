"""Input validation for the review queue's filters, decisions, group decisions and splits."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dhakira.apps.linkage.extract import ROLES
from dhakira.apps.linkage.models import Status

DECISIONS = [(value, label) for value, label in Status.choices if value != "pending"]


class QueueFilterForm(forms.Form):
    """Which pairs the queue shows: one run, the latest run of one role, or the latest of each."""

    role = forms.ChoiceField(label=_("role"), required=False, choices=[
        ("", _("victims and perpetrators")), ("victim", _("victims")),
        ("perpetrator", _("perpetrators"))])
    run = forms.IntegerField(label=_("run"), required=False, min_value=1)

    def values(self) -> tuple[str, int | None]:
        """(role, run) when valid, else the defaults: an unknown filter shows the whole queue."""
        if not self.is_valid():
            return "", None
        role = self.cleaned_data["role"] or ""
        return (role if role in ROLES else ""), self.cleaned_data["run"]


class DecisionForm(forms.Form):
    status = forms.ChoiceField(label=_("decision"), choices=DECISIONS)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class GroupDecisionForm(DecisionForm):
    """One decision for every pair the reviewer was shown (and confirmed) as alike."""

    pairs = forms.CharField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(label=_("I have looked at these pairs: every compared field "
                                         "agrees, and the same decision fits them all."))

    def clean_pairs(self) -> list[int]:
        damaged = forms.ValidationError(_("The list of pairs is damaged; open the group again."))
        try:
            ids = sorted({int(x) for x in self.cleaned_data["pairs"].split(",") if x.strip()})
        except ValueError:
            raise damaged from None
        if not ids:
            raise damaged
        return ids


class SplitForm(forms.Form):
    reason = forms.CharField(label=_("why these are different people"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
