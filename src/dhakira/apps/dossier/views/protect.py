"""Revealing one protected value at a time, with a reason that goes into custody."""

from __future__ import annotations

from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dhakira.apps.dossier import access, protected
from dhakira.apps.dossier.access import member_required
from dhakira.apps.dossier.errors import NotCleared
from dhakira.apps.dossier.forms import RevealForm
from dhakira.apps.dossier.models import Person, Source
from dhakira.apps.dossier.protected import ProtectedField

_MODELS = {"person": Person, "source": Source}


def _cleared_field(request: HttpRequest, kind: str, pk: int) -> tuple[Model, ProtectedField]:
    """The object and protected field asked for, or 404 for anyone who may not read it.

    Checked before the form is looked at, so an uncleared user gets the same 404 whether
    or not the record and field exist (never a 400 that would tell them apart).
    """
    model = _MODELS.get(kind)
    if model is None:
        raise Http404
    obj = get_object_or_404(model, pk=pk)
    try:
        spec = protected.field_for(obj, str(request.POST.get("field", "")))
    except protected.UnknownProtectedField:
        raise Http404 from None
    if not access.is_cleared(request.user, spec.compartment):
        raise Http404  # outsiders learn nothing, not even that a value exists
    return obj, spec


@require_POST
@member_required
def reveal(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The value is shown in the response body only: never in a URL, title or redirect."""
    obj, spec = _cleared_field(request, kind, pk)
    back = reverse("dossier:person_detail", args=[obj.pk]) if kind == "person" else reverse(
        "dossier:source_list")
    form = RevealForm(request.POST)
    if not form.is_valid():
        return render(request, "dossier/reveal.html",
                      {"obj": obj, "spec": spec, "form": form, "back": back}, status=400)
    try:
        value = protected.read(request.user, obj, spec.name, reason=form.cleaned_data["reason"])
    except NotCleared:
        raise Http404 from None
    return render(request, "dossier/reveal.html",
                  {"obj": obj, "spec": spec, "value": value, "back": back})
