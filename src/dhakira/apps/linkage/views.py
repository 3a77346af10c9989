"""The review queue: candidate pairs side by side, decisions (one by one or for a group of
alike pairs), and splits.

Every member may read (outsiders get 404); only users who can write may decide or split
(other members 403). A pair or link that does not exist is a 404. Every decision goes
through :func:`dhakira.apps.linkage.services.decide` (one custody entry per pair).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from dhakira.apps.dossier import access
from dhakira.apps.dossier.access import member_required, writer_required
from dhakira.apps.linkage import presentation, queue, services
from dhakira.apps.linkage.forms import DecisionForm, GroupDecisionForm, QueueFilterForm, SplitForm
from dhakira.apps.linkage.models import CandidatePair, PersonLink

PAGE_SIZE = 50


def _scope(request: HttpRequest) -> queue.Scope:
    return queue.scope(*QueueFilterForm(request.GET).values())


def _pair_url(pk: int, where: queue.Scope) -> str:
    url = reverse("identity:pair", args=[pk])
    return f"{url}?{where.query()}" if where.query() else url


def _queue_url(where: queue.Scope) -> str:
    url = reverse("identity:queue")
    return f"{url}?{where.query()}" if where.query() else url


def _get_pair(request: HttpRequest, pk: int) -> CandidatePair:
    """The pair, or 404: also when either record holds a name the reader may not read (the
    comparison, field by field beside the other record, would tell it)."""
    pair = get_object_or_404(queue.with_records(CandidatePair.objects.all()), pk=pk)
    veiled = access.veiled_persons(request.user)
    if pair.left_id in veiled or pair.right_id in veiled:
        raise Http404
    return pair


@member_required
def queue_page(request: HttpRequest) -> HttpResponse:
    where = _scope(request)
    hide = access.veiled_persons(request.user)
    skip = queue.with_any_of(hide, where)
    pks = [pk for pk in queue.ordered(where) if pk not in skip] if skip else queue.ordered(where)
    page = Paginator(pks, PAGE_SIZE).get_page(request.GET.get("page"))
    pairs = queue.in_order(page.object_list)
    people = sorted(hide)
    return render(request, "identity/queue.html", {
        "page": page, "where": where, "counts": queue.counts(where, hide),
        "rows": [(p, presentation.percent(p.probability),
                  presentation.summary(p, queue.age_gap(p.run))) for p in pairs],
        "form": QueueFilterForm(request.GET), "runs": queue.runs()[:20],
        "links": PersonLink.objects.filter(active=True).exclude(person_id__in=people)
        .exclude(canonical_id__in=people).select_related("person", "canonical")[:50]})


def _pair_page(request: HttpRequest, pair: CandidatePair, form: DecisionForm,
               status: int = 200) -> HttpResponse:
    where = _scope(request)
    hide = access.veiled_persons(request.user)
    left = presentation.record(pair.left, request.user, pair.run.role)
    right = presentation.record(pair.right, request.user, pair.run.role)
    gap = queue.age_gap(pair.run)
    return render(request, "identity/pair.html", {
        "pair": pair, "left": left, "right": right,
        "rows": presentation.rows(pair, left, right, gap),
        "summary": presentation.summary(pair, gap), "percent": presentation.percent(pair.probability),
        "track": presentation.track_words(queue.track_record(pair)),
        "form": form, "where": where, "counts": queue.counts(where, hide),
        "alike": queue.alike_count(pair, hide) if pair.status == "pending" else 0,
        "links": pair.links.all(), "can_write": access.can_write(request.user)}, status=status)


@member_required
def pair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _pair_page(request, _get_pair(request, pk), DecisionForm())


def _next(request: HttpRequest, pk: int, where: queue.Scope) -> HttpResponse:
    return _go_to(request, queue.next_after(pk, where, access.veiled_persons(request.user)),
                  where)


def _go_to(request: HttpRequest, following: int | None, where: queue.Scope) -> HttpResponse:
    if following is None:
        messages.success(request, _("Nothing is left to review here."))
        return redirect(_queue_url(where))
    return redirect(_pair_url(following, where))


@member_required
def pair_next(request: HttpRequest, pk: int) -> HttpResponse:
    """Skip: the pair after this one, undecided."""
    return _next(request, _get_pair(request, pk).pk, _scope(request))


@writer_required
@require_POST
def pair_decide(request: HttpRequest, pk: int) -> HttpResponse:
    pair = _get_pair(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _pair_page(request, pair, form, status=400)
    where = _scope(request)
    # The next pair in the order the reviewer was working through (before this decision).
    following = queue.next_after(pair.pk, where, access.veiled_persons(request.user))
    services.decide(pair, actor=request.user.get_username(), **form.cleaned_data)
    return _go_to(request, following, where)


def _alike_page(request: HttpRequest, pair: CandidatePair, form: GroupDecisionForm | None = None,
                status: int = 200) -> HttpResponse:
    group = queue.alike(pair, access.veiled_persons(request.user))
    names = presentation.first_names([p for g in group for p in (g.left, g.right)], request.user)
    form = form or GroupDecisionForm(initial={"pairs": ",".join(str(p.pk) for p in group)})
    return render(request, "identity/alike.html", {
        "pair": pair, "group": group, "where": _scope(request), "form": form,
        "items": [(g, names.get(g.left_id, ""), names.get(g.right_id, "")) for g in group],
        "rows": presentation.rows(pair, {"values": {}}, {"values": {}}, queue.age_gap(pair.run)),
        "can_write": access.can_write(request.user)}, status=status)


@member_required
def pair_alike(request: HttpRequest, pk: int) -> HttpResponse:
    """Every pending pair alike this one, and (for writers) one decision for them all."""
    return _alike_page(request, _get_pair(request, pk))


@writer_required
@require_POST
def pair_alike_decide(request: HttpRequest, pk: int) -> HttpResponse:
    pair = _get_pair(request, pk)
    form = GroupDecisionForm(request.POST)
    if not form.is_valid():
        return _alike_page(request, pair, form, status=400)
    # Only pairs both shown to the reviewer and still alike and pending are decided.
    shown = set(form.cleaned_data["pairs"])
    chosen = [p for p in queue.alike(pair, access.veiled_persons(request.user)) if p.pk in shown]
    actor = request.user.get_username()
    with transaction.atomic():
        for member in chosen:
            services.decide(member, actor=actor, status=form.cleaned_data["status"],
                            reason=form.cleaned_data["reason"])
    messages.success(request, ngettext("%(n)s pair decided.", "%(n)s pairs decided.",
                                       len(chosen)) % {"n": len(chosen)})
    return _next(request, pair.pk, _scope(request))


@writer_required
@require_POST
def link_split(request: HttpRequest, pk: int) -> HttpResponse:
    person_link = get_object_or_404(PersonLink, pk=pk, active=True)
    form = SplitForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    services.split(person_link, actor=request.user.get_username(), **form.cleaned_data)
    return redirect("identity:queue")
