"""The report form's widgets render the same HTML through the faster form renderer.

``dhakira.apps.web.renderers.FormRenderer`` writes the select, radio and check-box widgets
and the plain inputs in Python instead of through Django's templates (two or three includes
per option); the page must not change by a byte. The speed is measured in
``bench/bench_pages.py`` ("new report (form)").
"""

from __future__ import annotations

import re
from pathlib import Path

import django.forms
import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test import override_settings
from django.utils import translation
from django.utils.safestring import mark_safe
from tests.cast import client_for, make_cast
from tests.dossier.intake_data import post_data

from dhakira.apps.web.renderers import INPUTS, FormRenderer

pytestmark = pytest.mark.django_db
MASKED = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'
                    # the form's "now" (a date-time's max): the two renders may straddle a minute
                    r'|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}')
DJANGOS = "django.forms.renderers.DjangoTemplates"


def _page(lang: str, data: dict[str, str] | None) -> str:
    client = client_for("rana")
    client.cookies["django_language"] = lang
    answer = client.post("/reports/new/", data) if data is not None else client.get("/reports/new/")
    assert answer.status_code in (200, 400), answer.status_code
    return MASKED.sub("", answer.content.decode())


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("bound", [False, True], ids=["empty", "refused with choices made"])
def test_the_report_form_is_the_same_html_as_djangos_own_widgets_give(lang: str, bound: bool) -> None:
    make_cast()
    # A refused form keeps what was chosen: selected options and ticked boxes must survive.
    data = post_data(**{"r-event_title": "", "a-0-grounds": "attributed_sexual_orientation"}) \
        if bound else None
    ours = _page(lang, data)
    with override_settings(FORM_RENDERER=DJANGOS):
        theirs = _page(lang, data)
    assert ours.count("<option") > 100 and 'type="checkbox"' in ours
    if bound:
        assert " selected" in ours and " checked" in ours
    assert ours == theirs


def _widgets() -> list[tuple[str, forms.Widget, object]]:
    """Widgets of every kind the renderer writes itself, with awkward values and labels."""
    grouped = [("", [("plain", "Plain")]),
               ('<b>"group"</b>', [(1, "one & two"), ("x'y", mark_safe("<i>safe</i>"))]),
               ("أخرى", [("", "—"), (1000, 1000)])]
    attrs = {"id": "w", "class": "c", "required": True, "disabled": False, "data-x": '"<&>"'}
    return [
        ("select", forms.Select(attrs=attrs, choices=grouped), "x'y"),
        ("select, multiple", forms.SelectMultiple(attrs=attrs, choices=grouped), [1, "plain"]),
        ("null boolean", forms.NullBooleanSelect(), True),
        ("radio", forms.RadioSelect(attrs=attrs, choices=grouped), 1),
        ("radio without id", forms.RadioSelect(choices=grouped), ""),
        ("check boxes", forms.CheckboxSelectMultiple(attrs={"class": "c"}, choices=grouped),
         ["plain", 1000]),
        ("text", forms.TextInput(attrs=attrs), 'a "quoted" <value>'),
        ("text, empty", forms.TextInput(), None),
        ("number", forms.NumberInput(), 12345),
        ("hidden", forms.HiddenInput(), mark_safe("<safe>")),
        ("date and time", forms.DateTimeInput(attrs={"type": "datetime-local"}), "2015-03-04T10:00"),
        ("check box", forms.CheckboxInput(), True),
        ("email", forms.EmailInput(attrs={"autocomplete": "off"}), "a@b.example"),
    ]


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("case", range(len(_widgets())), ids=[w[0] for w in _widgets()])
def test_each_widget_written_in_python_is_the_html_djangos_templates_give(case: int, lang: str) -> None:
    """Groups, safe and unsafe labels, numbers (localised as the template would), boolean and
    escaped attributes: the Python writers against Django's own templates, widget by widget."""
    _name, widget, value = _widgets()[case]
    with translation.override(lang):
        ours = widget.render("field", value, renderer=FormRenderer())
        theirs = widget.render("field", value, renderer=DjangoTemplates())
    assert ours == theirs


def test_the_python_writers_are_used_and_a_widget_with_its_own_option_template_is_not() -> None:
    """Each kind the renderer claims is written without the engine; a select whose options
    name another template goes through the engine (Django's templates) as before."""
    renderer = FormRenderer()
    for name, widget, value in _widgets():
        context = widget.get_context("field", value, None)
        assert renderer._writer(widget.template_name, context) is not None, name
    odd = forms.Select(choices=[("a", "A")])
    odd.option_template_name = "django/forms/widgets/radio_option.html"
    assert renderer._writer(odd.template_name, odd.get_context("f", "a", None)) is None
    assert renderer._writer("django/forms/widgets/clearable_file_input.html",
                            {"widget": {}}) is None


def test_the_input_templates_taken_over_only_include_djangos_input_html() -> None:
    """The templates written by ``_input`` are Django's one-line includes of ``input.html``:
    a Django release that gives one of them more fails here, not on a page."""
    root = Path(django.forms.__file__).parent / "templates"
    for name in INPUTS:
        assert (root / name).read_text() == '{% include "django/forms/widgets/input.html" %}\n', name
