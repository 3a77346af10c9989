"""The analyst's choices for an estimate: lists, strata, method and seed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dhakira.apps.counting.definitions import LIST_DIMENSIONS, STRATA_DIMENSIONS
from dhakira.apps.counting.texts import LISTS_BY as _LIST_LABELS
from dhakira.apps.counting.texts import STRATA_WORDS as _STRATA_LABELS


class EstimateForm(forms.Form):
    """Settings for a new estimate (run with the vault's linkage clustering)."""

    lists = forms.ChoiceField(label=_("Lists by"), initial="network",
                              choices=[(d, _LIST_LABELS[d]) for d in LIST_DIMENSIONS])
    strata = forms.MultipleChoiceField(
        label=_("Strata by"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(d, _STRATA_LABELS[d]) for d in STRATA_DIMENSIONS])
    method = forms.ChoiceField(label=_("Method"), initial="lcmcr", choices=[
        ("lcmcr", _("latent classes (LCMCR)")), ("loglinear", _("log-linear")),
        ("independence", _("independent lists"))])
    seed = forms.IntegerField(label=_("Seed"), initial=1, min_value=0)

    def clean_strata(self) -> list[str]:
        chosen = list(self.cleaned_data.get("strata") or [])
        if {"year", "half_year"} <= set(chosen):
            raise forms.ValidationError(_("Choose year or half-year, not both."))
        return chosen
