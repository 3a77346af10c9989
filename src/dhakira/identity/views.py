"""The review queue: candidate pairs side by side, decisions, and splits.

Every logged-in user may read; only users who can write may decide or split (others 403).
A pair or link that does not exist is a 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from dhakira.identity import presentation, services
from dhakira.identity.forms import DecisionForm, SplitForm
from dhakira.identity.models import CandidatePair, LinkRun, PersonLink, Status


def can_write(request: HttpRequest) -> bool:
    profile = getattr(request.user, "profile", None)
    return bool(profile and profile.can_write)


def _writer(request: HttpRequest) -> None:
    if not can_write(request):
        raise PermissionDenied


@login_required
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
        "links": pair.links.all(), "can_write": can_write(request)}, status=status)


@login_required
def pair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pair = get_object_or_404(CandidatePair.objects.select_related("left", "right"), pk=pk)
    return _pair_page(request, pair, DecisionForm())


@login_required
@require_POST
def pair_decide(request: HttpRequest, pk: int) -> HttpResponse:
    _writer(request)
    pair = get_object_or_404(CandidatePair.objects.select_related("left", "right"), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _pair_page(request, pair, form, status=400)
    services.decide(pair, actor=request.user.get_username(), **form.cleaned_data)
    return redirect("identity:queue")


@login_required
@require_POST
def link_split(request: HttpRequest, pk: int) -> HttpResponse:
    _writer(request)
    person_link = get_object_or_404(PersonLink, pk=pk, active=True)
    form = SplitForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    services.split(person_link, actor=request.user.get_username(), **form.cleaned_data)
    return redirect("identity:queue")
