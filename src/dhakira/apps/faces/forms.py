"""The form of a face marked by hand: a box in the picture's pixels."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class BoxForm(forms.Form):
    """Left, top, width and height in pixels of the upright, full-size picture."""

    x = forms.IntegerField(label=_("From the left (pixels)"), min_value=0)
    y = forms.IntegerField(label=_("From the top (pixels)"), min_value=0)
    w = forms.IntegerField(label=_("Width (pixels)"), min_value=1)
    h = forms.IntegerField(label=_("Height (pixels)"), min_value=1)
