"""Consent on the person page, and the managed list of recipients.

Consent is recorded as given (new versions, never an edit) by users who can write; the list
of recipients is kept by administrators and legal officers (other members 403, outsiders 404).
Each addition or change is a custody entry (:mod:`dhakira.apps.dossier.recipients`).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from dhakira.apps.dossier import consents, recipients
from dhakira.apps.dossier.access import APPROVERS, role_required, writer_required
from dhakira.apps.dossier.forms import ConsentForm, RecipientForm
from dhakira.apps.dossier.models import Person, Recipient

recipients_access = role_required(APPROVERS)


def _given(form: ConsentForm) -> consents.Given:
    data = form.cleaned_data
    day: dt.date = data["obtained_on"]
    return consents.Given(
        scopes=tuple(data["scopes"]), decision=data["decision"], recipient=data["recipient"],
        given_by=data["given_by"], relationship=data["relationship"],
        obtained_at=timezone.make_aware(dt.datetime.combine(day, dt.time(12))),
        note=data["note"])


@require_POST
@writer_required
def person_consent(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            made = consents.record([person], _given(form), actor=request.user,
                                   now=timezone.now())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, ngettext("Consent recorded for %(n)d use.",
                                               "Consent recorded for %(n)d uses.", len(made))
                             % {"n": len(made)})
            return redirect("dossier:person_detail", pk=pk)
    from dhakira.apps.dossier.views.browse import person_detail

    return person_detail(request, pk, consent_form=form, status=400)


@recipients_access
def recipient_list(request: HttpRequest) -> HttpResponse:
    return render(request, "dossier/recipient_list.html",
                  {"recipients": Recipient.objects.all()})


def _save(request: HttpRequest, row: Recipient | None) -> HttpResponse:
    form = RecipientForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actor = request.user.get_username()
        try:
            if row is None:
                made = recipients.add(actor=actor, **data)
                messages.success(request, _("%(code)s added to the recipients.")
                                 % {"code": made.code})
            else:
                recipients.change(row, actor=actor, **{k: data[k] for k in recipients.CHANGEABLE})
                messages.success(request, _("%(code)s changed; the change is in the custody "
                                            "log.") % {"code": row.code})
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("dossier:recipient_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "dossier/recipient_form.html", {"form": form, "row": row},
                  status=status)


@recipients_access
def recipient_new(request: HttpRequest) -> HttpResponse:
    return _save(request, None)


@recipients_access
def recipient_edit(request: HttpRequest, pk: int) -> HttpResponse:
    # Refetch for the form: a bound ModelForm mutates its instance while validating.
    return _save(request, get_object_or_404(Recipient, pk=pk))
