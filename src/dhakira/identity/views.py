"""The review queue: candidate pairs side by side, decisions, and splits.

Every member may read (outsiders get 404); only users who can write may decide or split
(other members 403). A pair or link that does not exist is a 404.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from dhakira.dossier import access
from dhakira.dossier.access import member_required, writer_required
from dhakira.identity import presentation, services
from dhakira.identity.forms import DecisionForm, SplitForm
from dhakira.identity.models import CandidatePair, LinkRun, PersonLink, Status


@member_required
def queue(request: HttpRequest) -> HttpResponse:
    # Each run re-scores everything: only the latest run per role is the current queue.
    latest = [run.pk for role in ("victim", "perpetrator")
              if (run := LinkRun.objects.filter(role=role).first()) is not None]
    pending = (CandidatePair.objects.filter(status=Status.PENDING, run_id__in=latest)
               .select_related("left", "right", "run")[:100])
    return render(request, "identity/queue.html", {
        "pairs": pending, "runs": LinkRun.objects.all()[:5],
        "links": PersonLink.objects.filter(active=True).select_related("person", "canonical")[:50]})


def _pair_page(request: HttpRequest, pair: CandidatePair, form: DecisionForm,
               status: int = 200) -> HttpResponse:
    return render(request, "identity/pair.html", {
        "pair": pair, "left": presentation.record(pair.left),
        "right": presentation.record(pair.right), "reasons": presentation.reasons(pair),
        "name_lines": presentation.name_explanation(pair), "form": form,
        "links": pair.links.all(), "can_write": access.can_write(request.user)}, status=status)


@member_required
def pair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pair = get_object_or_404(CandidatePair.objects.select_related("left", "right"), pk=pk)
    return _pair_page(request, pair, DecisionForm())


@writer_required
@require_POST
def pair_decide(request: HttpRequest, pk: int) -> HttpResponse:
    pair = get_object_or_404(CandidatePair.objects.select_related("left", "right"), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _pair_page(request, pair, form, status=400)
    services.decide(pair, actor=request.user.get_username(), **form.cleaned_data)
    return redirect("identity:queue")


@writer_required
@require_POST
def link_split(request: HttpRequest, pk: int) -> HttpResponse:
    person_link = get_object_or_404(PersonLink, pk=pk, active=True)
    form = SplitForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    services.split(person_link, actor=request.user.get_username(), **form.cleaned_data)
    return redirect("identity:queue")
