"""Input validation for charges, assessments and policy-document flags."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dhakira import law
from dhakira.dossier.models import Person, Place, Unit
from dhakira.law.errors import LawError
from dhakira.legal import items
from dhakira.legal.errors import UnknownItem

GROUND_TAG_LABELS = {
    "gender": _("gender"), "sexual_orientation": _("sexual orientation"),
    "gender_identity": _("gender identity"), "religious": _("religious"),
    "ethnic": _("ethnic"), "national": _("national"), "racial": _("racial"),
    "cultural": _("cultural"), "political": _("political"), "other": _("other grounds"),
}


def _crime_choices() -> list[tuple[str, str]]:
    arabic = (get_language() or "").startswith("ar")
    return [(c.id, f"{c.name_ar if arabic else c.name_en} ({c.id})")
            for c in law.load_catalogue().crimes.values()]


def _ground_tag_choices() -> list[tuple[str, str]]:
    return [(t, str(GROUND_TAG_LABELS.get(t, t))) for t in law.load_catalogue().ground_tags]


class ChargeForm(forms.Form):
    crime_id = forms.ChoiceField(label=_("crime"), choices=_crime_choices)
    title = forms.CharField(label=_("title"), max_length=300)
    places = forms.ModelMultipleChoiceField(label=_("places (with every place inside them)"),
                                            queryset=Place.objects.order_by("pk"), required=False)
    date_from = forms.DateField(label=_("from"), required=False)
    date_to = forms.DateField(label=_("to"), required=False)
    victim_group = forms.CharField(label=_("victim group"), max_length=300, required=False)
    ground_tags = forms.MultipleChoiceField(
        label=_("ground tags"), required=False,
        choices=_ground_tag_choices)
    perpetrators = forms.CharField(label=_("perpetrators (P-… ids, comma-separated)"),
                                   required=False)
    units = forms.ModelMultipleChoiceField(label=_("units"), queryset=Unit.objects.order_by("pk"),
                                           required=False)

    def clean_perpetrators(self) -> list[Person]:
        uids = [u.strip().upper() for u in self.cleaned_data["perpetrators"].split(",") if u.strip()]
        pks = [int(u.removeprefix("P-")) for u in uids if u.removeprefix("P-").isdigit()]
        people = list(Person.objects.filter(pk__in=pks))
        if len(people) != len(uids):
            raise forms.ValidationError(_("Give perpetrators as person ids such as P-000012."))
        return people

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


class AssessmentForm(forms.Form):
    item_uid = forms.CharField(label=_("item (I-…, A-…, EV-…)"), max_length=20)
    element_id = forms.ChoiceField(label=_("element"))
    stance = forms.ChoiceField(label=_("stance"), choices=[("supports", _("supports")),
                                                           ("undermines", _("undermines"))])
    # A free value checked by the core, so "beyond reasonable doubt" meets the core's refusal.
    standard_claimed = forms.CharField(
        label=_("standard claimed"),
        widget=forms.Select(choices=[(s.value, s.value.replace("_", " "))
                                     for s in law.StandardOfProof]))
    reviewed_at = forms.DateField(label=_("reviewed on"), required=False)
    note = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, crime_id: str, reader: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reader = reader
        elements = law.load_catalogue().elements_for(crime_id)
        self.fields["element_id"].choices = [(e.id, f"{e.id} · {e.text_en[:80]}") for e in elements]

    def clean_item_uid(self) -> str:
        try:
            return items.item_exists(self.cleaned_data["item_uid"], reader=self.reader)
        except UnknownItem as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_standard_claimed(self) -> str:
        try:
            return law.parse_standard(self.cleaned_data["standard_claimed"]).value
        except LawError as exc:
            raise forms.ValidationError(str(exc)) from None


class FlagForm(forms.Form):
    item_uid = forms.CharField(label=_("item (I-…, A-…, EV-…)"), max_length=20)
    note = forms.CharField(label=_("what it shows"), required=False, max_length=1000)

    def __init__(self, *args: Any, reader: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reader = reader

    def clean_item_uid(self) -> str:
        try:
            return items.item_exists(self.cleaned_data["item_uid"], reader=self.reader)
        except UnknownItem as exc:
            raise forms.ValidationError(str(exc)) from None
