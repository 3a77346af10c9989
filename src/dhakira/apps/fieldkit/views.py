"""Thin views: the office's review of field-kit conflicts (two versions side by side) and of
bundles held in quarantine (a revoked kit's, made after its revocation time)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dhakira.apps.dossier.access import can_write, member_required, writer_required
from dhakira.apps.fieldkit import quarantine, review
from dhakira.apps.fieldkit.models import Decision
from dhakira.core.sync.errors import BundleRefused, SyncError

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


# --- quarantined bundles -----------------------------------------------------------------

# Why accepting a quarantined bundle is refused, in words (the CLI prints the full line).
REFUSAL_LABELS = {
    "replay": gettext_lazy("it was received before, or a later bundle of the kit was merged "
                           "already"),
    "altered": gettext_lazy("the quarantined file is missing or changed since it came, or a "
                            "file in it does not match its signed list"),
    "unreadable": gettext_lazy("it does not open with this vault's key"),
}
OTHER_REFUSAL = gettext_lazy("it fails a check every bundle must pass (run `dhakira sync "
                             "quarantine show` for the details)")

STATUS_LABELS = {"new": gettext_lazy("new record"),
                 "new_version": gettext_lazy("new version of a record the office holds"),
                 "held": gettext_lazy("held already")}


@member_required
def quarantine_list(request: HttpRequest) -> HttpResponse:
    """Bundles of revoked kits made after their revocation time, waiting for a decision."""
    return render(request, "fieldkit/quarantine.html", {
        "waiting": quarantine.held(),
        "decided": [h for h in quarantine.held(decided=True) if h.review is not None],
    })


@member_required
def quarantine_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """What one quarantined bundle holds (counts, kinds, stable ids), and the decision."""
    try:
        item = quarantine.get(pk)
    except SyncError:
        raise Http404 from None
    seen, unreadable = None, ""
    try:
        seen = quarantine.contents(pk, request.user)  # type: ignore[arg-type]
    except BundleRefused as exc:
        unreadable = str(REFUSAL_LABELS.get(exc.kind, OTHER_REFUSAL))
    counts = [(KIND_LABELS.get(k, k), n) for k, n in sorted(seen.counts.items())] if seen else []
    records = [(KIND_LABELS.get(r.kind, r.kind), r.gid, STATUS_LABELS[r.status])
               for r in seen.records] if seen else []
    return render(request, "fieldkit/quarantined.html", {
        "item": item, "seen": seen, "counts": counts, "records": records,
        "unreadable": unreadable, "can_write": can_write(request.user),
        "would_refuse": str(REFUSAL_LABELS.get(seen.would_refuse_kind, OTHER_REFUSAL))
        if seen and seen.would_refuse_kind else "",
    })


def _quarantine_decision(request: HttpRequest, pk: int, accept: bool) -> HttpResponse:
    try:
        quarantine.get(pk)
    except SyncError:
        raise Http404 from None
    reason = request.POST.get("reason", "")
    try:
        if accept:
            quarantine.accept(pk, reason=reason, actor=request.user)  # type: ignore[arg-type]
        else:
            quarantine.reject(pk, reason=reason, actor=request.user)  # type: ignore[arg-type]
    except BundleRefused as exc:
        messages.error(request, _("The bundle was refused, nothing was merged: %(why)s.")
                       % {"why": REFUSAL_LABELS.get(exc.kind, OTHER_REFUSAL)})
    except SyncError as exc:
        messages.error(request, _("Nothing was decided: the reason is longer than %(most)s "
                                  "characters; shorten it.") % {"most": quarantine.REASON_MAX}
                       if exc.code == "reason_too_long" else
                       _("Nothing was decided: give a reason, or this bundle was decided "
                         "already."))
    else:
        messages.success(request, _("Accepted: the bundle was merged.") if accept
                         else _("Rejected: the bundle stays sealed in quarantine."))
    return redirect("fieldkit:quarantine_detail", pk=pk)


@writer_required
@require_POST
def quarantine_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge a quarantined bundle as a receive would (not if refused for another reason)."""
    return _quarantine_decision(request, pk, accept=True)


@writer_required
@require_POST
def quarantine_reject(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a quarantined bundle rejected; its sealed file stays."""
    return _quarantine_decision(request, pk, accept=False)
