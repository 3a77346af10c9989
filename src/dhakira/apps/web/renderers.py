"""The form renderer: Django's own widget templates, with the commonest written in Python.

Django renders each ``<option>`` of a select, and each radio button or check box, through two
or three template includes, and each text box through two; the report form has about five
hundred options and check boxes in about seventy widgets, and its widgets took three
quarters of the page's time even once each option was written in place by one template. Here
the select, the radio buttons and check boxes, and the plain ``<input>`` widgets are written
by Python functions that follow Django's templates (``select.html``, ``select_option.html``,
``multiple_input.html``, ``input_option.html``, ``input.html``, ``attrs.html``) step by step:
the same HTML to the byte, each value through the template engine's own
``render_value_in_context`` (localised, escaped). ``tests/web/test_form_renderer.py`` pins the
pages against Django's own renderer. Every other template (the file input, forms, formsets,
and a widget with another option template) is Django's, through the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.safestring import SafeData, mark_safe

WIDGETS = "django/forms/widgets/"
# Django's templates that only include ``input.html`` (checked against Django's own files in
# tests/web/test_form_renderer.py).
INPUTS = frozenset(WIDGETS + name for name in (
    "text.html", "number.html", "email.html", "url.html", "password.html", "hidden.html",
    "date.html", "datetime.html", "time.html", "search.html", "tel.html", "color.html",
    "checkbox.html"))
CHOICES = frozenset({WIDGETS + "checkbox_select.html", WIDGETS + "radio.html"})
OPTION_INPUTS = frozenset({WIDGETS + "checkbox_option.html", WIDGETS + "radio_option.html"})


def _v(value: Any, context: Context) -> str:
    """``{{ value }}``: localised, then escaped unless already safe."""
    return str(render_value_in_context(value, context))


def _s(value: Any, context: Context) -> str:
    """``{{ value|stringformat:'s' }}``: the filter keeps a safe value safe (``is_safe``)."""
    text = str(value)  # what "%s" % value gives (the filter turns a tuple into str first)
    return _v(mark_safe(text) if isinstance(value, SafeData) else text, context)


def _attrs(attrs: Mapping[str, Any], context: Context) -> str:
    """``attrs.html``: `` name="value"``, a bare name for True, nothing for False."""
    out = []
    for name, value in attrs.items():
        if value is not False:
            out.append(f" {_v(name, context)}" if value is True
                       else f' {_v(name, context)}="{_s(value, context)}"')
    return "".join(out)


def _input(widget: Mapping[str, Any], context: Context) -> str:
    """``input.html``."""
    value = widget.get("value")
    shown = f' value="{_s(value, context)}"' if value != None else ""  # noqa: E711 (the template's !=)
    return (f'<input type="{_v(widget.get("type", ""), context)}" '
            f'name="{_v(widget.get("name", ""), context)}"{shown}'
            f'{_attrs(widget.get("attrs", {}), context)}>')


def _select(widget: Mapping[str, Any], context: Context) -> str:
    """``select.html`` with ``select_option.html`` for each option."""
    out = [f'<select name="{_v(widget.get("name", ""), context)}"'
           f'{_attrs(widget.get("attrs", {}), context)}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_v(group_name, context)}">')
        for option in options:
            out.append(f'\n  <option value="{_s(option["value"], context)}"'
                       f'{_attrs(option.get("attrs", {}), context)}>'
                       f'{_v(option.get("label", ""), context)}</option>\n')  # the include's new line
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def _choices(widget: Mapping[str, Any], context: Context) -> str:
    """``multiple_input.html`` with ``input_option.html`` for each radio button or check box."""
    attrs = widget.get("attrs", {})
    ident, cls = attrs.get("id"), attrs.get("class")
    out = ["<div", f' id="{_v(ident, context)}"' if ident else "",
           f' class="{_v(cls, context)}"' if cls else "", ">"]
    for group, options, _index in widget["optgroups"]:
        if group:
            out.append(f"\n  <div><label>{_v(group, context)}</label>")
        for option in options:
            wrap, option_id = option.get("wrap_label"), option.get("attrs", {}).get("id")
            label_for = f' for="{_v(option_id, context)}"' if option_id else ""
            label_open = f"<label{label_for}>" if wrap else ""
            label_close = f" {_v(option.get('label', ''), context)}</label>" if wrap else ""
            # input_option.html and checkbox_option.html each end in a new line.
            out.append(f"<div>\n    {label_open}{_input(option, context)}\n{label_close}\n\n</div>")
        if group:
            out.append("\n  </div>")
    out.append("\n</div>")
    return "".join(out)


def _options_are(widget: Mapping[str, Any], names: frozenset[str]) -> bool:
    """Every option renders through one of ``names`` (a widget may name its own template)."""
    return all(option.get("template_name") in names
               for _group, options, _index in widget["optgroups"] for option in options)


class FormRenderer(DjangoTemplates):
    """Django's default renderer, with the select, radio, check-box and input widgets written
    in Python (the same HTML)."""

    def render(self, template_name: str, context: dict[str, Any],
               request: Any = None) -> str:
        write = self._writer(template_name, context)
        if write is None:
            return super().render(template_name, context, request)
        return write(context["widget"], Context(autoescape=True))

    def _writer(self, template_name: str, context: Mapping[str, Any]
                ) -> Callable[[Mapping[str, Any], Context], str] | None:
        """The Python writer for ``template_name``, or None: render it through the engine."""
        widget = context.get("widget")
        if not isinstance(widget, Mapping):
            return None
        if template_name in INPUTS:
            return _input
        if template_name == WIDGETS + "select.html" and _options_are(
                widget, frozenset({WIDGETS + "select_option.html"})):
            return _select
        if template_name in CHOICES and _options_are(widget, OPTION_INPUTS):
            return _choices
        return None
