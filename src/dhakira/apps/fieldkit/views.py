"""Thin views: the office's review of field-kit conflicts (two versions side by side)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dhakira.apps.dossier.access import can_write, member_required, writer_required
from dhakira.apps.fieldkit import review
from dhakira.apps.fieldkit.models import Decision
from dhakira.core.sync.errors import SyncError

SHOWN = 20  # conflicts are rare: the first twenty, oldest first, each with its decision
KIND_LABELS = {"source": gettext_lazy("source"), "person": gettext_lazy("person"),
               "event": gettext_lazy("event"), "act": gettext_lazy("act"),
               "report": gettext_lazy("report"), "consent": gettext_lazy("consent"),
               "evidence": gettext_lazy("evidence item")}


@member_required
def conflicts(request: HttpRequest) -> HttpResponse:
    """Every flagged version waiting, each beside the version it was made without seeing."""
    waiting = review.pending(request.user)  # type: ignore[arg-type]
    return render(request, "fieldkit/conflicts.html", {
        "conflicts": [(c, KIND_LABELS[c.newer.kind]) for c in waiting[:SHOWN]],
        "total": len(waiting), "can_write": can_write(request.user),
        "choices": Decision.Choice.choices,
    })


@writer_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Keep the newer, keep the older, or let both stand: a decision row and a custody entry."""
    try:
        review.decide(pk, request.POST.get("choice", ""), actor=request.user)  # type: ignore[arg-type]
    except SyncError:
        messages.error(request, _("Nothing was decided: this version was decided already, or "
                                  "you may not read both versions."))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("fieldkit:conflicts")
