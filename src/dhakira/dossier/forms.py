"""Input validation for dossier pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to see this?"), max_length=500, strip=True,
        error_messages={"required": _("Give a reason: it is recorded in the chain of custody.")})
