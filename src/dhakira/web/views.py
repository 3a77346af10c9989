"""The dashboard."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dhakira.dossier.access import member_required
from dhakira.dossier.models import Act, Event, Information, Person, Source
from dhakira.dossier.views._tallies import count


@member_required
def dashboard(request: HttpRequest) -> HttpResponse:
    # Whole-table counts, kept current from new rows only (a COUNT(*) at a million
    # reports takes about a second on SQLCipher).
    counts = [
        ("people", count(Person)),
        ("events", count(Event)),
        ("acts", count(Act)),
        ("reports", count(Information)),
        ("sources", count(Source)),
    ]
    return render(request, "web/dashboard.html", {"counts": counts})
