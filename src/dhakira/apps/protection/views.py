"""Protection pages. Every view answers 404 to users not cleared for the compartment."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.contrib import messages
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from dhakira.apps.dossier import access
from dhakira.apps.protection import forms, purge, sealing, services, workflow
from dhakira.apps.protection.errors import NotAllowed, ProtectionError
from dhakira.apps.protection.models import Disbursement, OpenRequest, ProtectionCase, Status, Task

View = Callable[..., HttpResponse]


def cleared(view: View) -> View:
    """Login, then 404 for anyone not cleared: outsiders learn nothing, not even existence.

    A refusal raised inside the view (a sealed case, an unknown code) is a 404 as well.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotAllowed:
            raise Http404 from None

    return access.cleared_required(services.COMPARTMENT)(wrapper)


def _case(request: HttpRequest, code: str) -> ProtectionCase:
    return services.case_for(request.user, code)


def _back(request: HttpRequest, case: ProtectionCase, error: str = "") -> HttpResponse:
    if error:
        messages.error(request, error)
    return redirect("protection:case_detail", code=case.code)


def _open_cases(request: HttpRequest) -> tuple[list[ProtectionCase], set[int]]:
    """Open cases, and which of them the user may see the status and risk of (a sealed case
    shows neither until it is opened by two people)."""
    cases = list(ProtectionCase.objects.exclude(status=Status.CLOSED).order_by("-risk_level", "pk"))
    return cases, sealing.viewable_ids(request.user, cases)


@cleared
def dashboard(request: HttpRequest) -> HttpResponse:
    now = datetime.now(UTC)
    cases, viewable = _open_cases(request)
    by_status = Counter(c.status for c in cases if c.pk in viewable)
    return render(request, "protection/dashboard.html", {
        "by_status": [(s, Status(s).label, by_status.get(s, 0)) for s in workflow.OPEN_STATUSES],
        # Hidden cases go last by code: their order must not hint at their risk either.
        "cases": [c for c in cases if c.pk in viewable]
        + sorted((c for c in cases if c.pk not in viewable), key=lambda c: c.code),
        "viewable": viewable,
        "overdue": Task.objects.filter(done_at__isnull=True, due_at__lt=now)
        .select_related("case", "owner"),
        "form": forms.CaseForm(),
    })


@require_POST
@cleared
def case_new(request: HttpRequest) -> HttpResponse:
    form = forms.CaseForm(request.POST)
    if not form.is_valid():
        return render(request, "protection/case_form.html", {"form": form}, status=400)
    case = services.open_case(request.user, **form.cleaned_data)
    return redirect("protection:case_detail", code=case.code)


@cleared
def case_detail(request: HttpRequest, code: str) -> HttpResponse:
    case = _case(request, code)
    if not sealing.may_view(request.user, case):
        return render(request, "protection/sealed.html", {
            "case": case, "pending": sealing.pending_requests(case)})
    sealing.record_view(request.user, case)
    return render(request, "protection/case_detail.html", {
        "case": case, "allowed": sorted(workflow.allowed(case.status)),
        "balance": case.disbursements.values("currency").annotate(total=Sum("amount")),
        "forms": {"transition": forms.TransitionForm(), "task": forms.TaskForm(),
                  "referral": forms.ReferralForm(), "disbursement": forms.DisbursementForm(),
                  "note": forms.NoteForm(), "perishable": forms.PerishableForm()},
    })


def _viewable(request: HttpRequest, code: str) -> ProtectionCase:
    """The case, if the user may see (and so change) its details now."""
    case = _case(request, code)
    if not sealing.may_view(request.user, case):
        raise NotAllowed("sealed")
    return case


@require_POST
@cleared
def case_transition(request: HttpRequest, code: str) -> HttpResponse:
    case = _viewable(request, code)
    form = forms.TransitionForm(request.POST)
    if not form.is_valid():
        return _back(request, case, _("Choose a status and say why."))
    try:
        plan = services.plan_transition(case, form.cleaned_data["to_status"], request.user,
                                        form.cleaned_data["reason"])
        services.apply_transition(case, plan, request.user)
    except ProtectionError as exc:
        return _back(request, case, str(exc))
    return _back(request, case)


_ADDERS: dict[str, tuple[type[Any], Callable[..., Any]]] = {
    "task": (forms.TaskForm, services.add_task),
    "referral": (forms.ReferralForm, services.add_referral),
    "disbursement": (forms.DisbursementForm, services.add_disbursement),
    "note": (forms.NoteForm, services.add_note),
    "perishable": (forms.PerishableForm, services.add_perishable),
}


@require_POST
@cleared
def case_add(request: HttpRequest, code: str, what: str) -> HttpResponse:
    case = _viewable(request, code)
    if what not in _ADDERS:
        raise Http404
    form_class, add = _ADDERS[what]
    form = form_class(request.POST)
    if not form.is_valid():
        return _back(request, case, "; ".join(m for ms in form.errors.values() for m in ms))
    try:
        add(request.user, case, **form.cleaned_data)
    except ProtectionError as exc:
        return _back(request, case, str(exc))
    return _back(request, case)


@require_POST
@cleared
def task_done(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    case = _viewable(request, code)
    services.complete_task(request.user, get_object_or_404(Task, case=case, pk=pk))
    return _back(request, case)


@require_POST
@cleared
def disbursement_reverse(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    case = _viewable(request, code)
    form = forms.ReversalForm(request.POST)
    if not form.is_valid():
        return _back(request, case, _("Say why the payment is reversed."))
    try:
        services.reverse_disbursement(request.user, get_object_or_404(Disbursement, case=case, pk=pk),
                                      reason=form.cleaned_data["reason"])
    except ProtectionError as exc:
        return _back(request, case, str(exc))
    return _back(request, case)


@require_POST
@cleared
def case_purge(request: HttpRequest, code: str) -> HttpResponse:
    case = _viewable(request, code)
    result = purge.purge_case(request.user, case)
    n = sum(p.total for p in result.plans)
    messages.info(request, ngettext("%(n)d perishable detail purged.",
                                    "%(n)d perishable details purged.", n) % {"n": n})
    return _back(request, case)


@require_POST
@cleared
def case_seal(request: HttpRequest, code: str) -> HttpResponse:
    case = _viewable(request, code)
    sealing.seal(request.user, case)
    return redirect("protection:dashboard")


@require_POST
@cleared
def open_request(request: HttpRequest, code: str) -> HttpResponse:
    case = _case(request, code)
    sealing.request_open(request.user, case)
    messages.info(request, _("Request sent: a second cleared user must approve it."))
    return _back(request, case)


@require_POST
@cleared
def open_approve(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    case = _case(request, code)
    try:
        sealing.approve_open(request.user, get_object_or_404(OpenRequest, case=case, pk=pk))
    except ProtectionError as exc:
        return _back(request, case, str(exc))
    messages.info(request, _("Approved."))
    return _back(request, case)


@cleared
def api_cases(request: HttpRequest) -> JsonResponse:
    """Open cases by code and status; a sealed case the user may not open shows its code only."""
    cases, viewable = _open_cases(request)
    shown = [c for c in cases if c.pk in viewable]
    hidden = sorted((c for c in cases if c.pk not in viewable), key=lambda c: c.code)
    return JsonResponse({"results": [
        {"code": c.code, "sealed": c.sealed, "status": c.status, "risk_level": c.risk_level}
        for c in shown] + [{"code": c.code, "sealed": True, "status": None, "risk_level": None}
                           for c in hidden]})
