"""Input validation for charges, assessments and policy-document flags."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dhakira.apps.dossier.models import Person, Place, Unit, lang
from dhakira.apps.law import items
from dhakira.apps.law.errors import UnknownItem
from dhakira.core import law
from dhakira.core.ids import key_or_none
from dhakira.core.law.errors import LawError

STANDARDS = {
    "unverified_allegation": _("unverified allegation"),
    "credible_allegation": _("credible allegation"),
    "reasonable_grounds": _("reasonable grounds to believe"),
    "balance_of_probabilities": _("balance of probabilities"),
    "clear_and_convincing": _("clear and convincing evidence"),
}
GROUND_TAG_LABELS = {
    "gender": _("gender"), "sexual_orientation": _("sexual orientation"),
    "gender_identity": _("gender identity"), "religious": _("religious"),
    "ethnic": _("ethnic"), "national": _("national"), "racial": _("racial"),
    "cultural": _("cultural"), "political": _("political"), "other": _("other grounds"),
}


def _crime_choices() -> list[tuple[str, str]]:
    arabic = lang() == "ar"
    return [(c.id, f"{c.name_ar if arabic else c.name_en} ({c.id})")
            for c in law.load_catalogue().crimes.values()]


def _ground_tag_choices() -> list[tuple[str, str]]:
    return [(t, str(GROUND_TAG_LABELS.get(t, t))) for t in law.load_catalogue().ground_tags]


class FuzzyDateField(forms.CharField):
    """A date as people say it (``summer 2015``, ``5 رمضان 1436``, ``2014-06-01``), read by the
    project's fuzzy-date parser; cleans to its Gregorian bounds ``(earliest, latest)``."""

    default_error_messages = {
        "unreadable": _("This date could not be read. Write it as on the report form, e.g. "
                        "2014-06-01, June 2014, summer 2015 or 5 Ramadan 1436."),
    }

    def clean(self, value: Any) -> tuple[date | None, date | None] | None:
        from dhakira.core.dates import parse_fuzzy_date

        text = (super().clean(value) or "").strip()
        if not text:
            return None
        fuzzy = parse_fuzzy_date(text)
        if fuzzy.earliest is None and fuzzy.latest is None:
            raise forms.ValidationError(self.error_messages["unreadable"], code="unreadable")
        return fuzzy.earliest, fuzzy.latest


class PlaceChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} ({vocab_label('place_kinds', obj.kind)})"


def vocab_label(name: str, code: str) -> str:
    """One vocabulary term in the reader's language."""
    from dhakira.core.vocabularies import load

    return dict(load(name).choices(lang())).get(code, code)


class ChargeForm(forms.Form):
    """A charge's crime and scope. Lists are ticked, not Ctrl-clicked; perpetrators are found by
    name (the people search) and sent as ticked boxes; dates are read like the report form's."""

    crime_id = forms.ChoiceField(label=_("crime"), choices=_crime_choices)
    # Named in both languages (either may stay empty): pages show the reader's language.
    title = forms.CharField(label=_("title (English)"), max_length=300, required=False,
                            widget=forms.TextInput(attrs={"dir": "ltr"}))
    title_ar = forms.CharField(label=_("title (Arabic)"), max_length=300, required=False,
                               widget=forms.TextInput(attrs={"dir": "rtl"}))
    places = PlaceChoice(label=_("places (with every place inside them)"),
                         queryset=Place.objects.none(), required=False,
                         widget=forms.CheckboxSelectMultiple,
                         error_messages={"invalid_choice": _("One of the places ticked no longer "
                                                             "exists; tick them again.")})
    date_from = FuzzyDateField(label=_("from"), required=False, max_length=200,
                               help_text=_("The earliest day the dates allow is used."))
    date_to = FuzzyDateField(label=_("to"), required=False, max_length=200,
                             help_text=_("The latest day the dates allow is used."))
    victim_group = forms.CharField(label=_("victim group (English)"), max_length=300,
                                   required=False, widget=forms.TextInput(attrs={"dir": "ltr"}))
    victim_group_ar = forms.CharField(label=_("victim group (Arabic)"), max_length=300,
                                      required=False, widget=forms.TextInput(attrs={"dir": "rtl"}))
    ground_tags = forms.MultipleChoiceField(
        label=_("grounds attributed by the perpetrators"), required=False,
        choices=_ground_tag_choices, widget=forms.CheckboxSelectMultiple)
    perpetrators = forms.ModelMultipleChoiceField(
        label=_("perpetrators"), queryset=Person.objects.all(), required=False,
        widget=forms.MultipleHiddenInput,
        error_messages={"invalid_choice": _("One of the perpetrators chosen is not in the "
                                            "dossier; search for them by name again."),
                        "invalid_pk_value": _("One of the perpetrators chosen is not in the "
                                              "dossier; search for them by name again.")})
    units = forms.ModelMultipleChoiceField(
        label=_("units (with every unit under them)"), queryset=Unit.objects.none(),
        required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("One of the units ticked no longer exists; tick "
                                            "them again.")})

    def __init__(self, *args: Any, reader: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reader = reader  # whose clearances decide which names the form shows again
        arabic = lang() == "ar"
        name = "name_ar" if arabic else "name_en"
        self.fields["places"].queryset = Place.objects.order_by(name, "pk")  # type: ignore[attr-defined]
        self.fields["units"].queryset = Unit.objects.order_by(name, "pk")  # type: ignore[attr-defined]

    def chosen_perpetrators(self) -> list[tuple[Person, list[str]]]:
        """The people ticked so far (to show them again after an error), with their names."""
        from dhakira.apps.dossier import access
        from dhakira.apps.dossier.models import NameVariant

        raw = self.data.getlist("perpetrators") if hasattr(self.data, "getlist") else []
        pks = [k for k in map(key_or_none, raw) if k is not None]
        names: dict[int, list[str]] = {}
        # Only names the reader may read: the ids come from the request, so anyone who may
        # write a charge could otherwise ask for any person's names.
        for person_id, text in (access.visible_names(self.reader, NameVariant.objects.filter(
                person_id__in=pks)).order_by("pk").values_list("person_id", "text")):
            names.setdefault(person_id, []).append(text)
        return [(p, names.get(p.pk, [])) for p in Person.objects.filter(pk__in=pks).order_by("pk")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start = (data.get("date_from") or (None, None))[0]
        end = (data.get("date_to") or (None, None))[1]
        data["date_from"], data["date_to"] = start, end
        if not (data.get("title", "").strip() or data.get("title_ar", "").strip()):
            self.add_error("title", _("Give the charge a title in English, in Arabic or both."))
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
        widget=forms.Select(choices=[(s.value, STANDARDS[s.value]) for s in law.StandardOfProof]))
    reviewed_at = forms.DateField(label=_("reviewed on"), required=False)
    note = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, crime_id: str, reader: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reader = reader
        elements = law.load_catalogue().elements_for(crime_id)
        arabic = lang() == "ar"
        self.fields["element_id"].choices = [  # type: ignore[attr-defined]
            (e.id, f"{e.id} · {(e.text_ar if arabic else e.text_en)[:80]}") for e in elements]

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
