"""The form renderer: Django's own widget templates, with two rewritten for speed.

Django renders each ``<option>`` of a select, and each radio button or check box, through two
or three template includes; the report form has about a thousand of them, which made it the
slowest page a documenter uses. ``form_templates/`` holds ``select.html`` and
``multiple_input.html`` that write each option in place (the same HTML); every other widget
template is Django's.
"""

from __future__ import annotations

from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates
from django.template.backends.django import DjangoTemplates as Engine
from django.utils.functional import cached_property

OURS = Path(__file__).parent / "form_templates"
DJANGOS = Path(django.forms.__file__).parent / "templates"


class FormRenderer(DjangoTemplates):
    """Django's default renderer, looking in ``form_templates/`` first."""

    @cached_property
    def engine(self) -> Engine:
        return self.backend({"APP_DIRS": True, "DIRS": [OURS, DJANGOS], "NAME": "djangoforms",
                             "OPTIONS": {}})
