"""Input of the hand-over pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class AcknowledgementForm(forms.Form):
    """Who at the recipient acknowledged the package, when, and how."""

    by = forms.CharField(label=_("Acknowledged by (name and post at the recipient)"),
                         max_length=200)
    at = forms.DateTimeField(label=_("When"))
    method = forms.CharField(label=_("How (signed receipt, e-mail, in person)"), max_length=200)
