"""Forms of the vetting pages: a status step, a comment, a task and its outcome."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from dhakira.apps.dossier import accounts
from dhakira.apps.dossier.access import WRITERS
from dhakira.apps.vetting.models import Comment, ConfirmationTask
from dhakira.apps.vetting.status import label

_UID = re.compile(r"^(I-[0-9]{7,}|A-[0-9]{6,}|EV-[0-9]{6,})$")


class StatusForm(forms.Form):
    """The next step of a report's vetting, why, and against which items."""

    status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=5000)
    against = forms.CharField(label=_("Checked against (item ids, e.g. I-0000012 A-000003)"),
                              required=False, max_length=2000)

    def __init__(self, *args: Any, steps: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, label(s)) for s in steps]

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why the status changes."))
        return reason

    def clean_against(self) -> list[str]:
        uids = [u for u in re.split(r"[\s,،]+", self.cleaned_data["against"].upper()) if u]
        bad = [u for u in uids if not _UID.match(u)]
        if bad:
            raise forms.ValidationError(_("Not an item id: %(ids)s (use I-…, A-… or EV-…).")
                                        % {"ids": ", ".join(bad)})
        return uids


class CommentForm(forms.Form):
    """A comment on an item, or an agreement or disagreement with one."""

    target = forms.CharField(widget=forms.HiddenInput, max_length=20)
    stance = forms.ChoiceField(choices=Comment.Stance.choices, initial=Comment.Stance.COMMENT,
                               widget=forms.HiddenInput)
    replies_to = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=10_000)
    next = forms.CharField(widget=forms.HiddenInput, max_length=500)


class TaskForm(forms.Form):
    """Assign a confirmation task on a report."""

    person = forms.ChoiceField(label=_("Whom to contact"))
    with_whom = forms.ChoiceField(label=_("Confirm with"), choices=ConfirmationTask.With.choices)
    assignee = forms.ModelChoiceField(label=_("Researcher"), queryset=get_user_model().objects.none())
    question = forms.CharField(label=_("What to confirm"), required=False, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, people: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(str(pk), uid) for pk, uid in people]
        self.fields["assignee"].queryset = (accounts.people().filter(
            profile__role__in=sorted(WRITERS)).order_by("username"))


class CompleteForm(forms.Form):
    """The outcome of a confirmation call or meeting."""

    method = forms.ChoiceField(label=_("How"), choices=ConfirmationTask.Method.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ConfirmationTask.Outcome.choices)
    text = forms.CharField(label=_("What the person said (new information only)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 4}), max_length=20_000)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") and data["outcome"] != "unreachable" and not data.get("text", "").strip():
            self.add_error("text", _("Write what the person said."))
        return data
