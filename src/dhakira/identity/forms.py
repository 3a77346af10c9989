"""Input validation for review decisions and splits."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dhakira.identity.models import Status


class DecisionForm(forms.Form):
    status = forms.ChoiceField(label=_("decision"), choices=[
        (value, label) for value, label in Status.choices if value != "pending"])
    reason = forms.CharField(label=_("reason"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class SplitForm(forms.Form):
    reason = forms.CharField(label=_("why these are different people"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
