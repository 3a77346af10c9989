"""Input of the hand-over pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dhakira.apps.dossier.forms import vocab_field
from dhakira.apps.dossier.models import Recipient
from dhakira.apps.handover.models import Policy


class AcknowledgementForm(forms.Form):
    """Who at the recipient acknowledged the package, when, and how."""

    by = forms.CharField(label=_("Acknowledged by (name and post at the recipient)"),
                         max_length=200)
    at = forms.DateTimeField(label=_("When"))
    method = forms.CharField(label=_("How (signed receipt, e-mail, in person)"), max_length=200)


class PackageForm(forms.Form):
    """What a package would hold, for whom (from the managed list), for what use, how redacted."""

    select = forms.CharField(
        label=_("What to send"), max_length=1000,
        widget=forms.TextInput(attrs={"dir": "ltr", "spellcheck": "false"}),
        help_text=_("A selection, e.g. event:E-000012 or place:Mosul from:2014-06-01 "
                    "(see the hand-over guide)."),
        error_messages={"required": _("Say what to send, e.g. event:E-000012.")})
    recipient = forms.ModelChoiceField(
        label=_("Recipient"), queryset=Recipient.objects.all(),
        empty_label=_("— choose from the list —"),
        error_messages={"required": _("Choose the recipient from the list.")})
    purpose = vocab_field("consent_scopes", _("For which use"), required=True,
                          fix=_("Choose the use the package is for."))
    policy = forms.ChoiceField(label=_("Redaction"), choices=Policy.choices,
                               initial=Policy.PSEUDONYMISED)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].label_from_instance = (  # type: ignore[attr-defined]
            lambda r: f"{r.name} ({r.code})")


class ExportForm(PackageForm):
    """An export in another format (``dhakira export``): the package's choices, the format,
    and the selection as a query or as a charge's items."""

    FORMATS = (("esf", _("HURIDOCS Events Standard Formats (one JSON file)")),
               ("uwazi", _("Uwazi (CSV files, one per template, in a zip file)")))

    fmt = forms.ChoiceField(label=_("Format"), choices=FORMATS, initial="esf")
    charge = forms.CharField(
        label=_("Or every item assessed for a charge"), max_length=40, required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "spellcheck": "false"}),
        help_text=_("A charge id, e.g. CH-0001, instead of a selection."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["select"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("select", "").strip()) == bool(data.get("charge", "").strip()):
            raise forms.ValidationError(_("Give a selection or a charge (one of the two)."),
                                        code="one_of")
        return data
