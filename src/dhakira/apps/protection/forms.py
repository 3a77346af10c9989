"""Input validation for protection pages; messages say how to fix the input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dhakira.apps.dossier import accounts
from dhakira.apps.dossier.models import Person
from dhakira.apps.protection.models import PerishableKind, RiskLevel, Status


def _cleared_users() -> Any:
    # Owners and approvers are chosen among users cleared for the compartment only.
    return accounts.people().filter(profile__clearances__icontains="protection").order_by(
        "username")


class CaseForm(forms.Form):
    threat = forms.CharField(label=_("Threat"), widget=forms.Textarea(attrs={"rows": 3}))
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)
    person = forms.IntegerField(label=_("Person number (optional)"), required=False, min_value=1)
    requested_by = forms.CharField(label=_("Who asked (relation only, e.g. mother)"),
                                   max_length=200, required=False)
    channel = forms.CharField(label=_("How the request came (no names or numbers)"),
                              max_length=200, required=False)
    sealed = forms.BooleanField(label=_("Seal: opening needs two cleared users"), required=False)

    def clean_person(self) -> Person | None:
        pk = self.cleaned_data.get("person")
        if pk is None:
            return None
        person = Person.objects.filter(pk=pk).first()
        if person is None:
            raise forms.ValidationError(_("No person has this number; leave it empty if unknown."))
        return person


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    reason = forms.CharField(label=_("Why"), max_length=2000,
                             error_messages={"required": _("Say why the status changes.")})


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=_cleared_users())
    due_at = forms.DateTimeField(label=_("Due (YYYY-MM-DD HH:MM)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _cleared_users()  # type: ignore[attr-defined]


class ReferralForm(forms.Form):
    organisation = forms.CharField(label=_("Partner organisation"), max_length=200)
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DisbursementForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2, min_value=0.01)
    currency = forms.RegexField(label=_("Currency (ISO code, e.g. USD, IQD)"), regex=r"^[A-Za-z]{3}$",
                                error_messages={"invalid": _("Use a three-letter code such as USD.")})
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    approver = forms.ModelChoiceField(label=_("Approved by"), queryset=_cleared_users())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["approver"].queryset = _cleared_users()  # type: ignore[attr-defined]


class ReversalForm(forms.Form):
    reason = forms.CharField(label=_("Why is this payment reversed?"), max_length=250)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class PerishableForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PerishableKind.choices)
    value = forms.CharField(label=_("Detail (purged after the case closes)"), max_length=2000)


class UnlockForm(forms.Form):
    passphrase = forms.CharField(label=_("Vault passphrase"), strip=False,
                                 widget=forms.PasswordInput)
