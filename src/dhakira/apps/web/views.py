"""The dashboard: the dossier's size, and the work waiting for the person who opens it."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dhakira.apps.dossier import access, pending
from dhakira.apps.dossier.access import member_required
from dhakira.apps.dossier.models import Act, Event, Information, Person, Source
from dhakira.apps.dossier.views import _drafts
from dhakira.apps.dossier.views._tallies import count
from dhakira.apps.evidence.models import EvidenceItem
from dhakira.apps.linkage.models import CandidatePair, LinkRun, Status

RECENT = 5


def dashboard(request: HttpRequest) -> HttpResponse:
    """The dashboard; an external reviewer, who has none, is sent to their review page."""
    from dhakira.apps.vetting.reviewers import is_reviewer

    if is_reviewer(request.user):
        return redirect("vetting:review_home")
    return _dashboard(request)


@member_required
def _dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    # Whole-table counts, kept current from new rows only (a COUNT(*) at a million
    # reports takes about a second on SQLCipher).
    counts = [
        ("people", count(Person)),
        ("events", count(Event)),
        ("acts", count(Act)),
        ("reports", count(Information)),
        ("sources", count(Source)),
    ]
    writer = access.can_write(user)
    latest = LinkRun.objects.filter(role="victim").first()
    items = access.visible(user, EvidenceItem.objects.all())
    from dhakira.apps.fieldkit import kit, quarantine
    from dhakira.apps.fieldkit.models import Origin

    return render(request, "web/dashboard.html", {
        "sync": {"waiting": kit.waiting() if writer else None,
                 "conflicts": Origin.objects.filter(conflict=True, reviewed=False).count(),
                 "quarantined": quarantine.waiting()},
        "counts": counts,
        "draft": writer and bool(_drafts.load(user)),
        "kept_files": pending.count(user) if writer else 0,
        "recent": access.visible(user, Information.objects.filter(created_by=user))
                        .select_related("source").order_by("-pk")[:RECENT],
        "pairs": (CandidatePair.objects.filter(run=latest, status=Status.PENDING).count()
                  if latest else 0),
        "extraction": {"pending": items.filter(text_status=EvidenceItem.TextStatus.PENDING).count(),
                       "failed": items.filter(text_status=EvidenceItem.TextStatus.FAILED).count()},
    })
