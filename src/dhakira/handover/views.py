"""The disclosure log pages: the log, one disclosure (with its acknowledgement), and who holds
a person's material. Administrators and legal officers only; other members get 403."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from dhakira.dossier.access import APPROVERS, role_required
from dhakira.dossier.models import Person
from dhakira.handover import log
from dhakira.handover.errors import HandoverError
from dhakira.handover.forms import AcknowledgementForm
from dhakira.handover.models import Disclosure

#: Outsiders (no profile) get 404; members who are not administrators or legal get 403.
log_access = role_required(APPROVERS)


@log_access
def disclosure_list(request: HttpRequest) -> HttpResponse:
    return render(request, "handover/list.html", {"disclosures": log.all_disclosures()[:500],
                                                  "notices": log.to_notify()})


@log_access
def disclosure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = get_object_or_404(Disclosure, pk=pk)
    form = AcknowledgementForm(initial={"at": timezone.now()})
    return render(request, "handover/detail.html", {"d": disclosure, "form": form})


@require_POST
@log_access
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = get_object_or_404(Disclosure, pk=pk)
    form = AcknowledgementForm(request.POST)
    if form.is_valid():
        try:
            log.acknowledge(disclosure, by=form.cleaned_data["by"], at=form.cleaned_data["at"],
                            method=form.cleaned_data["method"], recorded_by=request.user)
            return redirect("handover:detail", pk=pk)
        except HandoverError as exc:
            form.add_error(None, str(exc))
    return render(request, "handover/detail.html", {"d": disclosure, "form": form}, status=400)


@log_access
def person_holders(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=pk)
    return render(request, "handover/holders.html", {
        "person": person, "holders": log.holders(pk), "notices": log.to_notify(pk)})
