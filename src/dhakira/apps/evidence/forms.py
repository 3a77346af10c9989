"""Input validation for the evidence pages: upload and search."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dhakira.apps.dossier.models import Compartment
from dhakira.apps.search.services import Filters


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one ``<input type=file multiple>``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        # An empty file is refused by intake, by name, without failing the rest.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(label=_("Files"), error_messages={
        "required": _("Choose at least one file to upload.")})
    method = forms.CharField(label=_("How it was collected"), max_length=200,
                             error_messages={"required": _("Say how the material was collected "
                                                           "(for example: sent by e-mail).")})
    origin = forms.CharField(label=_("Where it came from"), max_length=1000, required=False)
    compartment = forms.ChoiceField(label=_("Restrict to compartment"), required=False)
    graphic = forms.BooleanField(label=_("Graphic content"), required=False)

    def __init__(self, *args: Any, cleared: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only a compartment the uploader is cleared for: nobody locks material away from
        # themselves by mistake.
        choices = [("", _("Not restricted"))]
        choices += [(value, label) for value, label in Compartment.choices if value in cleared]
        self.fields["compartment"].choices = choices


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Words, in Arabic or Latin script"), max_length=500,
                        required=False)
    date_from = forms.DateField(label=_("From"), required=False)
    date_to = forms.DateField(label=_("To"), required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    type = forms.ChoiceField(label=_("Type"), required=False, choices=[
        ("", _("Any")), ("information", _("Reports")), ("evidence", _("Evidence")),
        ("pdf", _("PDF")), ("rfc822", _("E-mail")), ("text", _("Plain text")),
        ("word", _("Word document"))])
    source = forms.CharField(label=_("Source code name"), max_length=100, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date; swap them."))
        return data

    def filters(self) -> Filters:
        d = self.cleaned_data
        return Filters(date_from=d.get("date_from"), date_to=d.get("date_to"),
                       place=d.get("place", ""), type=d.get("type", ""),
                       source=d.get("source", ""))


class TranslationForm(forms.Form):
    """A translation of an evidence item: its language, and its text or a file."""

    language = forms.ChoiceField(label=_("Language of the translation"))
    text = forms.CharField(label=_("Translation"), required=False,
                           widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}))
    file = forms.FileField(label=_("Or a file holding it"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from dhakira.apps.evidence.translations import language_choices

        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        from dhakira.apps.evidence.translations import MAX_FILE_BYTES

        data = super().clean() or {}
        text, upload = (data.get("text") or "").strip(), data.get("file")
        if bool(text) == bool(upload):
            raise forms.ValidationError(_("Give the translation either as text or as a file, "
                                          "one of the two."))
        if upload is not None and upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than %(mb)s MB.")
                                        % {"mb": MAX_FILE_BYTES // (1024 * 1024)})
        return data
