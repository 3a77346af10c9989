"""The import wizard's forms: the upload, and the mapping of every column (one format: the
YAML :func:`dhakira.core.importing.load_mapping` reads, which the command takes too)."""

from __future__ import annotations

from datetime import date
from typing import Any

import yaml
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dhakira.apps.dossier.models import Compartment, lang
from dhakira.core.importing import FORMATS, MappingError, load_mapping
from dhakira.core.importing.mapping import VOCABULARY_OF, _fold
from dhakira.core.importing.records import recognised_term
from dhakira.core.importing.survey import Column
from dhakira.core.vocabularies import load

__all__ = ["IGNORE", "TARGET_LABELS", "LoadMappingForm", "MapForm", "UploadForm"]

IGNORE = "ignore"
# What a column may fill, as the wizard names it. The media target is the command's only: its
# files come from a folder (--media), which a web page has no way to give.
TARGET_LABELS: dict[str, Any] = {
    "victim_name": _("Victim's name"),
    "victim_name_other": _("Victim's name in another script"),
    "victim_age": _("Victim's age"),
    "victim_sex": _("Victim's sex"),
    "act_type": _("Type of act"),
    "method": _("Method of the act"),
    "result": _("Result for the victim"),
    "perpetrator_name": _("Perpetrator's name"),
    "perpetrator_degree": _("Perpetrator's involvement"),
    "event_title": _("Event title"),
    "date": _("Date, as written"),
    "place": _("Place, as written"),
    "text": _("Report text"),
    "source": _("Source code name"),
    "received_at": _("Received on"),
    "channel": _("How it was received"),
    "compartment": _("Protected: the report's compartment"),
}
# The defaults every report needs: a column or a default must give them.
NEEDED = ("source", "channel", "received_at")
ENCODINGS = [("utf-8", "UTF-8"), ("windows-1256", "Windows-1256"), ("iso-8859-6", "ISO-8859-6")]


def _compartments() -> list[tuple[str, Any]]:
    return [(v, label) for v, label in Compartment.choices if v]


class UploadForm(forms.Form):
    """The sheet, where it is kept, and how to read it."""

    sheet = forms.FileField(label=_("Spreadsheet (CSV, XLSX or ODS)"))
    compartment = forms.ChoiceField(
        label=_("Keep the sheet itself in the compartment"), initial="sources",
        help_text=_("The sheet is kept as evidence; it may hold columns the mapping ignores, "
                    "such as an informant's phone."))
    sheet_name = forms.CharField(label=_("Sheet (XLSX, ODS; empty: the first)"),
                                 max_length=200, required=False)
    header_row = forms.IntegerField(label=_("Row of the headers"), min_value=1,
                                    max_value=1000, initial=1)
    encoding = forms.ChoiceField(label=_("Encoding (CSV only)"), choices=ENCODINGS,
                                 initial="utf-8")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["compartment"].choices = _compartments()

    def clean_sheet(self) -> Any:
        upload = self.cleaned_data["sheet"]
        name = upload.name.lower()
        if name.endswith(".xls"):
            raise forms.ValidationError(_("The old Excel format (.xls) is not read; save it as "
                                          ".xlsx."))
        if not name.endswith(FORMATS):
            raise forms.ValidationError(_("Give a CSV, XLSX or ODS file."))
        return upload

    def draft(self) -> str:
        """The first mapping (YAML): how to read the sheet, no columns yet."""
        d = self.cleaned_data
        data: dict[str, Any] = {"header_row": d["header_row"], "encoding": d["encoding"]}
        if d["sheet_name"].strip():
            data["sheet"] = d["sheet_name"].strip()
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


class LoadMappingForm(forms.Form):
    """A mapping file (YAML, as the command takes) to start from."""

    mapping = forms.FileField(label=_("Load a mapping (YAML)"))

    def clean_mapping(self) -> str:
        upload = self.cleaned_data["mapping"]
        if upload.size > 1024 * 1024:
            raise forms.ValidationError(_("A mapping is a small text file; this one is over "
                                          "1 MiB."))
        try:
            text = upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The mapping is not UTF-8 text.")) from None
        try:
            load_mapping(text, upload.name)
        except MappingError as exc:
            raise forms.ValidationError(_("The mapping was not loaded: %(why)s") % {"why": exc}) from None
        return text


def _plain_date(text: str) -> bool:
    """Whether ``text`` is a bare ISO date (what a date picker can show)."""
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


class MapForm(forms.Form):
    """Every column mapped to a target or ignored; the values of vocabulary columns mapped to
    terms; the calendar, the defaults, the sheet's compartment.

    ``columns`` come from :func:`dhakira.core.importing.survey.survey`; ``draft`` is the
    mapping so far (a dictionary read from its YAML).
    """

    compartment = forms.ChoiceField(label=_("Keep the sheet itself in the compartment"))
    calendar = forms.ChoiceField(
        label=_("Calendar of dates written as bare numbers"),
        choices=[("gregorian", _("Gregorian")), ("hijri", _("Hijri"))])
    default_source = forms.CharField(
        label=_("Source code name for every row"), max_length=100, required=False,
        help_text=_("A code name, never a real name: it is shown to every reader."))
    default_channel = forms.ChoiceField(label=_("How the rows were received"), required=False)
    default_received_at = forms.DateField(label=_("Received on (for every row)"), required=False,
                                          widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, columns: list[Column], draft: dict[str, Any],
                 compartment: str, **kwargs: Any) -> None:
        self.columns = columns
        self.draft = draft
        mapped = {str(k): str(v) for k, v in (draft.get("columns") or {}).items()}
        ignored = {str(h) for h in draft.get("ignore") or []}
        defaults = {str(k).strip(): str(v).strip()
                    for k, v in (draft.get("defaults") or {}).items()}
        kwargs.setdefault("initial", {}).update({
            "compartment": compartment, "calendar": draft.get("calendar", "gregorian"),
            **{f"default_{t}": defaults.get(t, "") for t in TARGET_LABELS}})
        super().__init__(*args, **kwargs)
        self.value_fields: dict[int, list[tuple[str, str]]] = {}
        self.targets: dict[int, str] = {}
        self.fields["compartment"].choices = _compartments()
        here = lang()
        self._default_fields(defaults, here)
        # A default the page has no field for (the command's ``media``) is kept as loaded,
        # and listed on the page: nothing in a loaded mapping is dropped unseen.
        self.kept_defaults = {t: v for t, v in defaults.items()
                              if f"default_{t}" not in self.fields}
        choices = [("", gettext("Choose…")), (IGNORE, gettext("Ignore this column")),
                   *((t, str(label)) for t, label in TARGET_LABELS.items())]
        values = draft.get("values") or {}
        for column in columns:
            name = f"col_{column.index}"
            initial = mapped.get(column.header) or (IGNORE if column.header in ignored else "")
            self.fields[name] = forms.ChoiceField(
                label=column.header, choices=choices, initial=initial,
                error_messages={"required": gettext("Map this column or ignore it.")})
            target = self.data.get(name, initial) if self.is_bound else initial
            self.targets[column.index] = str(target)
            self.value_fields[column.index] = self._value_fields(column, str(target), values,
                                                                 here)
        self.kept_values = self._kept_values(values)
        # Headers the loaded mapping names that this sheet lacks: the page cannot map them (and
        # the core refuses a mapping naming an absent column), so it says they are left out.
        headers = {c.header for c in columns}
        self.absent = [h for h in (*mapped, *sorted(ignored)) if h not in headers]

    def _default_fields(self, defaults: dict[str, str], here: str) -> None:
        """A field for the default of every target the page names (the core takes a default
        for any target): a term choice for a vocabulary, text for the rest."""
        for target, label in TARGET_LABELS.items():
            name = f"default_{target}"
            if name in self.fields:  # source, channel, received_at: declared above
                field = self.fields[name]
            elif target in VOCABULARY_OF:
                field = self.fields[name] = forms.ChoiceField(label=label, required=False)
            else:
                field = self.fields[name] = forms.CharField(label=label, max_length=300,
                                                            required=False)
            if target in VOCABULARY_OF:
                choices = [("", "—"), *load(VOCABULARY_OF[target]).choices(here)]
                loaded = defaults.get(target, "")
                # A loaded label or spelling (the core reads it at import) stays as written.
                if loaded and loaded not in dict(choices):
                    choices.append((loaded, loaded))
                field.choices = choices  # type: ignore[attr-defined]
        loaded = defaults.get("received_at", "")
        if loaded and not _plain_date(loaded):
            # A date and time (the core takes both) would be blanked by a date picker: text.
            self.fields["default_received_at"] = forms.CharField(
                label=self.fields["default_received_at"].label, max_length=40, required=False)

    def _kept_values(self, values: dict[str, Any]) -> list[tuple[str, str, str]]:
        """The loaded ``values:`` no value field on the page shows (a column past the distinct
        limit, a column no longer mapped to that target): (target, spelling, code), kept."""
        shown: dict[str, set[str]] = {}
        for column in self.columns:
            for _name, value in self.value_fields[column.index]:
                shown.setdefault(self.targets[column.index], set()).add(_fold(value))
        return [(str(target), str(spelling), str(code))
                for target, table in values.items() if isinstance(table, dict)
                for spelling, code in table.items()
                if _fold(str(spelling)) not in shown.get(str(target), set())]

    def kept_default_rows(self) -> list[dict[str, str]]:
        """The loaded defaults kept without a field here, for the template."""
        return [{"target": str(TARGET_LABELS.get(t, t)), "value": v}
                for t, v in self.kept_defaults.items()]

    def kept_value_rows(self) -> list[dict[str, str]]:
        """The loaded values kept without a field here, each with its term's label."""
        here = lang()
        return [{"target": str(TARGET_LABELS.get(t, t)), "spelling": s,
                 "term": dict(load(VOCABULARY_OF[t]).choices(here)).get(c, c)
                 if t in VOCABULARY_OF else c}
                for t, s, c in self.kept_values]

    def _value_fields(self, column: Column, target: str, values: dict[str, Any],
                      here: str) -> list[tuple[str, str]]:
        """A term choice for each distinct value of a vocabulary column (none for others)."""
        if target not in VOCABULARY_OF or column.many:
            return []
        own = {_fold(str(k)): str(v) for k, v in (values.get(target) or {}).items()}
        terms = load(VOCABULARY_OF[target]).choices(here)
        made = []
        for j, value in enumerate(column.values):
            known = recognised_term(target, value)
            first = (("", gettext("As written (%(term)s)") % {
                "term": dict(terms)[known]}) if known else ("", gettext("Choose a term…")))
            name = f"val_{column.index}_{j}"
            self.fields[name] = forms.ChoiceField(label=value, choices=[first, *terms],
                                                  required=False, initial=own.get(_fold(value), ""))
            made.append((name, value))
        return made

    def rows(self) -> list[dict[str, Any]]:
        """Each column with its bound fields, for the template."""
        return [{"column": c, "field": self[f"col_{c.index}"],
                 "values": [self[name] for name, _v in self.value_fields[c.index]],
                 "many": c.many and self.targets[c.index] in VOCABULARY_OF}
                for c in self.columns]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        columns: dict[str, str] = {}
        ignore: list[str] = []
        by_target: dict[str, str] = {}
        for column in self.columns:
            target = data.get(f"col_{column.index}")
            if not target:
                continue
            if target == IGNORE:
                ignore.append(column.header)
                continue
            if target in by_target:
                self.add_error(f"col_{column.index}", gettext(
                    "“%(target)s” is already filled from column “%(other)s”: map one of "
                    "them, ignore the other.") % {"target": TARGET_LABELS[target],
                                                  "other": by_target[target]})
                continue
            by_target[target] = column.header
            columns[column.header] = target
        defaults: dict[str, str] = {}
        for target in TARGET_LABELS:
            value = data.get(f"default_{target}")
            if isinstance(value, date):
                value = value.isoformat()
            if value and str(value).strip():
                defaults[target] = str(value).strip()
            elif target in NEEDED and target not in by_target:
                self.add_error(f"default_{target}", gettext(
                    "Map a column to it or give it here: every report needs it."))
        defaults.update(self.kept_defaults)
        # The loaded values no field shows are kept as they were; a shown value is set as
        # chosen (a blank choice: read as written).
        values: dict[str, dict[str, str]] = {}
        for target, spelling, code in self.kept_values:
            values.setdefault(target, {})[spelling] = code
        for column in self.columns:
            target = columns.get(column.header)
            for name, value in self.value_fields[column.index]:
                if target and data.get(name):
                    values.setdefault(target, {})[value] = data[name]
        if self.errors:
            return data
        mapping: dict[str, Any] = {"columns": columns}
        if ignore:
            mapping["ignore"] = ignore
        mapping["defaults"] = defaults
        if values:
            mapping["values"] = values
        mapping["calendar"] = data["calendar"]
        for key in ("sheet", "header_row", "encoding"):
            if key in self.draft:
                mapping[key] = self.draft[key]
        if not columns:
            raise forms.ValidationError(gettext("Map at least one column."))
        text = yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False)
        try:
            load_mapping(text, "mapping.yaml")
        except MappingError as exc:  # the form prevents most; the core has the last word
            raise forms.ValidationError(gettext("The mapping is refused: %(why)s")
                                        % {"why": exc}) from None
        data["yaml"] = text
        return data

    def new_vocabulary_columns(self) -> list[Column]:
        """Columns mapped to a vocabulary whose values the page has not shown yet."""
        shown = set(self.data.getlist("shown")) if self.is_bound else set()
        return [c for c in self.columns
                if self.value_fields[c.index] and str(c.index) not in shown]
