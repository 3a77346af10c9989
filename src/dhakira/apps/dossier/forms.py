"""Input validation for dossier pages: the report intake, list filters and reveals.

Every message names the field and says how to fix it, in the user's language.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dhakira.apps.dossier.intake import ActIn, FileIn, PerpetratorIn, ReportIn, VictimIn
from dhakira.apps.dossier.models import (
    Consent,
    Involvement,
    Person,
    Place,
    Recipient,
    Source,
    Unit,
    lang,
)
from dhakira.core import vocabularies
from dhakira.core.dates import parse_fuzzy_date
from dhakira.core.ids import key_or_none
from dhakira.core.names import EmptyNameError, parse_name

MAX_VICTIMS = 20


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to see this?"), max_length=500, strip=True,
        error_messages={"required": _("Give a reason: it is recorded in the chain of custody.")})


def vocab_choices(name: str, *, blank: bool) -> Callable[[], list[tuple[str, str]]]:
    """Choices of a vocabulary, labelled in the language of the request."""
    def choices() -> list[tuple[str, str]]:
        head = [("", "—")] if blank else []
        return head + vocabularies.load(name).choices(lang())
    return choices


def vocab_field(name: str, label: Any, *, required: bool = False, fix: Any = None,
                blank: bool | None = None, help_text: Any = "") -> forms.ChoiceField:
    """A choice from a vocabulary; ``blank`` offers "—" first (default: when optional).

    A grade must be chosen, never assumed: a required field with ``blank=True`` starts at "—"
    and the form refuses it until the user picks one.
    """
    messages = {"invalid_choice": _("Choose one of the listed terms.")}
    if fix is not None:
        messages["required"] = fix
    return forms.ChoiceField(label=label, required=required, error_messages=messages,
                             help_text=help_text,
                             choices=vocab_choices(name, blank=not required if blank is None
                                                   else blank))


def vocab_multiple(name: str, label: Any, *, help_text: Any = "") -> forms.MultipleChoiceField:
    """Several terms of a vocabulary, as ticks, labelled in the language of the request."""
    return forms.MultipleChoiceField(
        label=label, required=False, help_text=help_text,
        choices=vocab_choices(name, blank=False), widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose one of the listed terms.")})


def _yes_no_unknown(label: Any) -> forms.NullBooleanField:
    return forms.NullBooleanField(label=label, required=False,
                                  widget=forms.NullBooleanSelect(attrs={"class": "yes-no"}))


def _source_kinds() -> list[tuple[str, str]]:
    return [(str(k), str(v)) for k, v in Source._meta.get_field("kind").choices or []]


def _certainties() -> list[tuple[str, str]]:
    return [(str(k), str(v)) for k, v in Involvement._meta.get_field("certainty").choices or []]


class ReportForm(forms.Form):
    """The report itself: source, reception, event, place, words and consent."""

    source_code = forms.CharField(
        label=_("Source (code name)"), max_length=100,
        widget=forms.TextInput(attrs={"list": "source-codes", "autocomplete": "off"}),
        help_text=_("Pick the source's code name from the list; capitals do not matter."),
        error_messages={"required": _("Enter the source's code name.")})
    new_source = forms.BooleanField(
        label=_("This is a new source: create it with this code name"), required=False)
    source_kind = forms.ChoiceField(label=_("Kind of source"), choices=_source_kinds,
                                    initial="informant", required=False)
    source_reliability = vocab_field(
        "reliability", _("Reliability of the source"), blank=True,
        help_text=_("How far the source has proved reliable before; F if it cannot be judged."))
    received_at = forms.DateTimeField(
        label=_("Received"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        error_messages={"required": _("Enter when the report was received."),
                        "invalid": _("Write the time received as year-month-day hour:minute.")})
    channel = vocab_field("channels", _("How it was received"), required=True,
                          fix=_("Choose how the report was received."))
    language = forms.ChoiceField(label=_("Language of the report"),
                                 choices=[("ar", _("Arabic")), ("en", _("English")),
                                          ("ku", _("Kurdish")), ("other", _("other"))])
    credibility = vocab_field(
        "credibility", _("Credibility of the information"), required=True, blank=True,
        fix=_("Grade the information's credibility (1 to 6); choose 6 if it cannot be judged."),
        help_text=_("How far other sources confirm it; 6 if it cannot be judged."))
    connection = vocab_field("source_connection", _("The source's connection to the events"),
                             help_text=_("E.g. eyewitness, relative of a victim, relayed it."))
    material_type = vocab_field("source_material_types", _("Type of material"))
    event_title = forms.CharField(
        label=_("What happened, in a few words"), max_length=300,
        error_messages={"required": _("Give the event a short title, e.g. “Arrest at the market”.")})
    date_text = forms.CharField(label=_("When (as the source said it)"), max_length=200,
                                required=False)
    place_text = forms.CharField(label=_("Where"), max_length=200, required=False,
                                 help_text=_("Pick from the gazetteer or type the place as given."))
    text = forms.CharField(label=_("In the source's own words"), required=False,
                           widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}))
    consent_decision = forms.ChoiceField(
        label=_("Consent"), required=False,
        choices=lambda: [("", _("not asked yet"))] + list(Consent.Decision.choices))
    consent_scopes = vocab_multiple("consent_scopes", _("Consent for which uses"))
    consent_recipient = forms.ModelChoiceField(
        label=_("Consent to which recipient"), required=False, queryset=Recipient.objects.all(),
        empty_label=_("any recipient of these uses"))
    consent_given_by = forms.ChoiceField(label=_("Consent given by"), required=False,
                                         choices=Consent.GivenBy.choices,
                                         initial=Consent.GivenBy.SELF)
    consent_relationship = forms.CharField(
        label=_("Relationship of the relative or guardian"), required=False, max_length=100,
        help_text=_("E.g. mother, brother, legal guardian."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Most reports are recorded as they come in: received now, unless changed.
        self.fields["received_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")

    def clean_credibility(self) -> int:
        return int(self.cleaned_data["credibility"])

    def existing_source(self) -> Source | None:
        """The source the typed code name names, capitals aside, or None (asked once per code:
        both ``clean`` and the report ask)."""
        code = (self.cleaned_data.get("source_code") or "").strip()
        if not code:
            return None
        if getattr(self, "_source_for", (None, None))[0] != code:
            found = Source.objects.filter(code_name__iexact=code).order_by("pk").first()
            self._source_for = (code, found)
        return self._source_for[1]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("source_code") and self.existing_source() is None:
            # A mistyped code name must not silently become a phantom source.
            if not data.get("new_source"):
                self.add_error("source_code", _(
                    "No source has this code name. Check it against the list, or tick “This is "
                    "a new source” to create one."))
            elif not data.get("source_reliability"):
                self.add_error("source_reliability", _(
                    "Grade the new source's reliability (A to F); choose F if it cannot be "
                    "judged."))
        if data.get("consent_decision") and not data.get("consent_scopes"):
            self.add_error("consent_scopes", _("Choose at least one use the consent covers."))
        if (data.get("consent_decision") and data.get("consent_given_by") == "relative"
                and not data.get("consent_relationship", "").strip()):
            self.add_error("consent_relationship", _("Say how the relative is related."))
        received = data.get("received_at")
        if received and received > timezone.now():
            self.add_error("received_at", _("The time received is in the future; correct it."))
        return data

    def place(self) -> tuple[Place | None, str]:
        """The gazetteer entry the typed place names, or None and the text as typed."""
        text = self.cleaned_data.get("place_text", "").strip()
        if not text:
            return None, ""
        match = Place.objects.filter(Q(name_en__iexact=text) | Q(name_ar=text)).order_by("pk").first()
        return match, "" if match else text


NO_NAME = _("This holds no letter of a name (only marks, strokes or spaces): write the name, "
            "or “unknown” if it was not given.")


def refuse_no_name(form: forms.Form, data: dict[str, Any], *fields: str) -> None:
    """A name field whose text holds no name word (only harakat, tatweel, invisible marks,
    punctuation) is refused: such a person could never be found or matched."""
    for field in fields:
        text = data.get(field)
        if text:
            try:
                parse_name(text)
            except EmptyNameError:
                form.add_error(field, NO_NAME)


class VictimForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300, required=False,
                           widget=forms.TextInput(attrs={"dir": "auto", "data-suggest": "1",
                                                         "autocomplete": "off"}))
    other_name = forms.CharField(label=_("Name in the other script"), max_length=300, required=False,
                                 widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "off"}))
    age = forms.IntegerField(label=_("Age"), required=False, min_value=0, max_value=120,
                             error_messages={"invalid": _("Write the age as a whole number."),
                                             "min_value": _("The age cannot be negative."),
                                             "max_value": _("Ages above 120 are not accepted; "
                                                            "leave it empty if unknown.")})
    sex = vocab_field("sex", _("Sex"))
    # Set by "this is the same person" on a suggestion: the person this victim is.
    same_as = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("name") and (data.get("other_name") or data.get("age") is not None):
            self.add_error("name", _("Give the victim's name, or “unknown” if it was not given."))
        refuse_no_name(self, data, "name", "other_name")
        same = data.get("same_as")
        if same is not None and not Person.objects.filter(pk=same).exists():
            self.add_error("name", _("The person chosen as the same person is not in the dossier; "
                                     "choose again."))
        return data


class ActForm(forms.Form):
    victim = forms.ChoiceField(label=_("Victim"), required=False,
                               choices=[("", _("every victim"))] + [
                                   (str(i), str(i + 1)) for i in range(MAX_VICTIMS)])
    act_type = vocab_field("act_types", _("Type of act"))
    method = vocab_field("methods", _("Method"))
    result = vocab_field("results", _("Result"))
    stated_reason = forms.CharField(label=_("Reason the perpetrators gave"), max_length=500,
                                    required=False, widget=forms.TextInput(attrs={"dir": "auto"}))
    grounds = vocab_multiple(
        "grounds", _("Grounds the perpetrators attributed"),
        help_text=_("What the perpetrators accused the victim of or targeted them for. Never the "
                    "victim's own identity: that is a protected field."))
    public_setting = _yes_no_unknown(_("Done in public"))
    announced = _yes_no_unknown(_("Announced or claimed by the perpetrators"))
    rights_deprived = vocab_multiple("rights_deprived", _("Rights deprived"))


class PerpetratorForm(forms.Form):
    name = forms.CharField(label=_("Perpetrator's name"), max_length=300, required=False,
                           widget=forms.TextInput(attrs={"dir": "auto", "data-suggest": "1",
                                                         "autocomplete": "off"}))
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.order_by("name_en"),
                                  required=False)
    degree = vocab_field("involvement_degrees", _("Role"))
    perpetrator_type = vocab_field("perpetrator_types", _("Kind of perpetrator"))
    certainty = forms.ChoiceField(label=_("Certainty"), choices=_certainties, initial="probable")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Units listed and sorted in the reader's language (their names come in both).
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Unit.objects.order_by("name_ar" if lang() == "ar" else "name_en", "pk")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        refuse_no_name(self, data, "name")
        named = data.get("name") or data.get("unit")
        if named and not data.get("degree"):
            self.add_error("degree", _("Choose the perpetrator's role in the act."))
        if data.get("degree") and not named:
            self.add_error("name", _("Name the perpetrator or choose their unit."))
        return data


def _formset(form: type[forms.Form], *, extra: int, max_num: int) -> type[forms.BaseFormSet]:
    """A formset of at most ``max_num`` rows. A few rows more (the page's button adds rows
    freely) come back with Django's own "at most" message; past ``absolute_max`` the
    management form was tampered with, and :meth:`Intake.too_many` refuses it before a
    form is built (Django's default, max_num + 1000, rendered a megabyte of empty rows)."""
    return forms.formset_factory(form, extra=extra, max_num=max_num, validate_max=True,
                                 absolute_max=2 * max_num)


VictimFormSet = _formset(VictimForm, extra=2, max_num=MAX_VICTIMS)
ActFormSet = _formset(ActForm, extra=1, max_num=MAX_VICTIMS)
PerpetratorFormSet = _formset(PerpetratorForm, extra=1, max_num=10)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return super().clean(data, initial)


class FilesForm(forms.Form):
    files = MultipleFileField(label=_("Files"), required=False)
    graphic = forms.BooleanField(label=_("The files show graphic material"), required=False)


class Intake:
    """The intake page's forms together; :meth:`report` gives the validated report."""

    def __init__(self, data: Any = None, files: Any = None, *, kept: list[Any] | None = None,
                 kept_files: list[FileIn] | None = None) -> None:
        self.report_form = ReportForm(data, prefix="r")
        self.victims = VictimFormSet(data, prefix="v")
        self.acts = ActFormSet(data, prefix="a")
        self.perpetrators = PerpetratorFormSet(data, prefix="p")
        self.files = FilesForm(data, files, prefix="f")
        self.uploads = files.getlist("f-files") if files is not None else []
        # Files held from an earlier try of this form (dhakira.apps.dossier.pending), still ticked.
        self.kept = kept or []
        self._kept_files = kept_files or []

    def parts(self) -> list[Any]:
        return [self.report_form, self.victims, self.acts, self.perpetrators, self.files]

    def too_many(self) -> str:
        """Why the post is refused outright ("" if it is not): a formset's management form
        asks for more rows than its ``absolute_max``, which no page of ours sends."""
        for formset in (self.victims, self.acts, self.perpetrators):
            if not formset.is_bound:
                continue
            total = key_or_none(formset.data.get(f"{formset.prefix}-TOTAL_FORMS", "0"))
            if total is None or total > formset.absolute_max:
                return _("The form asked for more rows than it holds (at most %(max)s). Nothing "
                         "was saved: open the report form again.") % {"max": formset.max_num}
        return ""

    def is_valid(self) -> bool:
        valid = all([p.is_valid() for p in self.parts()])
        return self._check_rows() and valid

    def _victim_rows(self) -> list[dict[str, Any]]:
        return [f.cleaned_data for f in self.victims.forms
                if getattr(f, "cleaned_data", None) and f.cleaned_data.get("name")]

    def _victim_numbers(self) -> dict[int, int]:
        """An act's victim number (the row on the form, counted from 0) -> that victim among
        the named ones: a row left blank above it takes no number of theirs."""
        named = [i for i, f in enumerate(self.victims.forms)
                 if getattr(f, "cleaned_data", None) and f.cleaned_data.get("name")]
        return {row: n for n, row in enumerate(named)}

    def _act_rows(self) -> list[dict[str, Any]]:
        return [f.cleaned_data for f in self.acts.forms
                if getattr(f, "cleaned_data", None) and f.cleaned_data.get("act_type")]

    def _check_rows(self) -> bool:
        if not self.victims.is_valid() or not self.acts.is_valid():
            return False
        ok = True
        victims = self._victim_rows()
        if not victims:
            self.victims.forms[0].add_error("name", _("Record at least one victim's name."))
            ok = False
        if not self._act_rows():
            self.acts.forms[0].add_error("act_type", _("Choose what was done to the victims."))
            ok = False
        numbers = self._victim_numbers()
        for form in self.acts.forms:
            index = (getattr(form, "cleaned_data", None) or {}).get("victim")
            if index and int(index) not in numbers:
                form.add_error("victim", _("There is no victim with this number; "
                                           "choose one listed above."))
                ok = False
        return ok

    def errors(self) -> list[tuple[str, str, str]]:
        """(field id, field label, message) for the summary at the top of the page."""
        out = [("", "", str(message)) for formset in (self.victims, self.acts, self.perpetrators)
               for message in formset.non_form_errors()]  # "at most 20", a broken count
        # A row's field is named with its row ("Victim 2: Name"): «الاسم» alone did not say
        # which victim's name.
        rows = [(form, "") for form in (self.report_form, self.files)]
        for words, formset in ((gettext("Victim %(n)s: %(field)s"), self.victims),
                               (gettext("Act %(n)s: %(field)s"), self.acts),
                               (gettext("Perpetrator %(n)s: %(field)s"), self.perpetrators)):
            rows += [(form, words.replace("%(n)s", str(i))) for i, form in
                     enumerate(formset.forms, start=1)]
        for form, row in rows:
            for name, messages in form.errors.items():
                bound = form[name] if name in form.fields else None
                label = str(bound.label) if bound else ""
                if row and label:
                    label = row.replace("%(field)s", label)
                for message in messages:
                    out.append((bound.auto_id if bound else "", label, str(message)))
        return out

    def report(self) -> ReportIn:
        data = self.report_form.cleaned_data
        place, place_text = self.report_form.place()
        existing = self.report_form.existing_source()
        numbers = self._victim_numbers()
        return ReportIn(
            source_code=existing.code_name if existing else data["source_code"].strip(),
            source=existing,
            received_at=data["received_at"],
            channel=data["channel"], event_title=data["event_title"],
            source_kind=data["source_kind"] or "informant",
            source_reliability=data["source_reliability"] or "f",
            language=data["language"], credibility=data["credibility"],
            connection=data["connection"], material_type=data["material_type"],
            date_text=data["date_text"], place=place, place_text=place_text, text=data["text"],
            consent_decision=data["consent_decision"], consent_scopes=tuple(data["consent_scopes"]),
            consent_recipient=data["consent_recipient"],
            consent_given_by=data["consent_given_by"] or "self",
            consent_relationship=data["consent_relationship"],
            victims=tuple(VictimIn(tuple(n for n in (v["name"], v["other_name"]) if n),
                                   v.get("age"), v.get("sex") or "", v.get("same_as"))
                          for v in self._victim_rows()),
            acts=tuple(ActIn(a["act_type"], numbers[int(a["victim"])] if a["victim"] else None,
                             a["method"],
                             a["result"], a["stated_reason"], tuple(a["grounds"]),
                             a["public_setting"], a["announced"], tuple(a["rights_deprived"]))
                       for a in self._act_rows()),
            perpetrators=tuple(
                PerpetratorIn(p["degree"], p["name"], p["unit"], p["perpetrator_type"], p["certainty"])
                for p in (f.cleaned_data for f in self.perpetrators.forms)
                if p and (p.get("name") or p.get("unit"))),
            files=(*self._kept_files,
                   *(FileIn(u.name, u, self.files.cleaned_data.get("graphic", False))
                     for u in self.uploads)),
        )


def preview_date(text: str, lang: str) -> dict[str, str | None]:
    """What the fuzzy-date parser understood, for the live preview beside the date field."""
    from dhakira.core.dates import format_bounds

    if not text.strip():
        return {"bounds": "", "edtf": None, "earliest": None, "latest": None, "hint": ""}
    fuzzy = parse_fuzzy_date(text)
    return {"bounds": format_bounds(fuzzy, lang), "edtf": fuzzy.edtf,
            "earliest": fuzzy.earliest.isoformat() if fuzzy.earliest else None,
            "latest": fuzzy.latest.isoformat() if fuzzy.latest else None,
            "hint": _hijri_hint(text, fuzzy)}


# A year the Hijri calendar has in these documents (1343-1500 AH is 1924-2077) read as a
# Gregorian one: "1436/9/5" is 5 September 1436 AD unless marked.
_GREGORIAN_MARK = re.compile(r"(?<!\w)(AD|CE|A\.D\.|م)(?!\w)", re.IGNORECASE)


def _hijri_hint(text: str, fuzzy: Any) -> str:
    """A word to the documenter when a bare year reads as a Gregorian year of the Hijri range
    (numbers are read as Gregorian, docs/dates.md), else ''."""
    first = fuzzy.earliest
    if (fuzzy.calendar != "gregorian" or first is None or not 1343 <= first.year <= 1500
            or _GREGORIAN_MARK.search(text)):
        return ""
    return gettext("Read as the year %(year)s of the Gregorian calendar. If it is a Hijri "
                   "date, write هـ after it (1436/9/5 هـ).") % {"year": first.year}


class ConsentForm(forms.Form):
    """Consent given for a person on their page: several uses at once, one recipient from the
    list or any, who gave it, when and how. Recorded as new versions, never an edit."""

    scopes = vocab_multiple("consent_scopes", _("For which uses"))
    recipient = forms.ModelChoiceField(label=_("To which recipient"), required=False,
                                       queryset=Recipient.objects.all(),
                                       empty_label=_("any recipient of these uses"))
    decision = forms.ChoiceField(label=_("Decision"), choices=Consent.Decision.choices)
    given_by = forms.ChoiceField(label=_("Given by"), choices=Consent.GivenBy.choices,
                                 initial=Consent.GivenBy.SELF)
    relationship = forms.CharField(label=_("Relationship of the relative or guardian"),
                                   required=False, max_length=100,
                                   help_text=_("E.g. mother, brother, legal guardian."))
    obtained_on = forms.DateField(label=_("Obtained on"),
                                  widget=forms.DateInput(attrs={"type": "date"}),
                                  error_messages={"invalid": _("Write the date as year-month-day.")})
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("scopes") and "scopes" not in self.errors:
            self.add_error("scopes", _("Choose at least one use the consent covers."))
        if data.get("given_by") == "relative" and not data.get("relationship", "").strip():
            self.add_error("relationship", _("Say how the relative is related."))
        day = data.get("obtained_on")
        if day and day > timezone.localdate():
            self.add_error("obtained_on", _("The date is in the future; correct it."))
        return data


class RecipientForm(forms.ModelForm):
    """A recipient in the managed list; the code is fixed once made."""

    class Meta:
        model = Recipient
        fields = ["code", "name_en", "name_ar", "kind", "public_key", "contact"]
        widgets = {"contact": forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
                   "name_ar": forms.TextInput(attrs={"dir": "rtl"}),
                   "public_key": forms.TextInput(attrs={"dir": "ltr", "spellcheck": "false"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("The code never changes.")

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip().upper()
        taken = Recipient.objects.filter(code__iexact=code).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("A recipient with this code exists already."))
        return code
