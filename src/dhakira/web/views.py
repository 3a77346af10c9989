"""The dashboard."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dhakira.dossier.models import Act, Event, Information, Person, Source


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    counts = [
        ("people", Person.objects.count()),
        ("events", Event.objects.count()),
        ("acts", Act.objects.count()),
        ("reports", Information.objects.count()),
        ("sources", Source.objects.count()),
    ]
    return render(request, "web/dashboard.html", {"counts": counts})
